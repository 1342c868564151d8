// Chooses the store a command works against: the embedded file store in the state directory, or
// etcd when --store, $LAUNCHKIT_STORE or the configuration's `store:` names one, without any
// command knowing which.
#pragma once

#include <memory>

#include "core/context.h"
#include "store/etcd_client.h"
#include "store/store.h"

namespace launchkit::store {

Result<std::unique_ptr<Store>> open_store(const Context& context);

// How to reach etcd: `endpoints`, the context's TLS files (each checked to exist), and an etcd
// user from $ETCD_USERNAME and $ETCD_PASSWORD (never argv). Exit 2 for a missing file or half a
// credential.
Result<EtcdSettings> etcd_settings(const Context& context, std::vector<std::string> endpoints);

// The etcd cluster and prefix the state is shared through, for what lives beside the store's
// keys there (the release ledger, run journals, deploy locks); nullopt for the embedded store.
struct SharedCluster {
    std::shared_ptr<EtcdClient> client{};
    std::string prefix{};  // ends with '/'
};
Result<std::optional<SharedCluster>> open_shared_cluster(const Context& context);

// The audit note for a change made by this command invocation.
ChangeNote change_note(const Context& context, std::string reason);

}  // namespace launchkit::store
