#include "store/open_store.h"

#include <algorithm>
#include <cstdlib>

#include "store/etcd_store.h"
#include "store/file_store.h"

namespace launchkit::store {

Result<std::unique_ptr<Store>> open_store(const Context& context) {
    if (!context.store.empty()) {
        LAUNCHKIT_TRY_ASSIGN(auto location, parse_etcd_location(context.store));
        EtcdSettings settings;
        settings.endpoints = std::move(location.endpoints);
        LAUNCHKIT_TRY_ASSIGN(auto client, EtcdClient::create(std::move(settings)));
        return std::make_unique<EtcdStore>(std::move(client), std::move(location.prefix));
    }
    SnapshotPolicy policy;
#ifdef LAUNCHKIT_TEST_HOOKS
    // Durability tests make every commit rewrite the snapshot, to kill a writer in the middle.
    if (const char* every = std::getenv("LAUNCHKIT_TEST_SNAPSHOT_EVERY"))
        policy.every_records = std::max(1, std::atoi(every));
#endif
    return std::make_unique<FileStore>(context.state_dir / "store", policy);
}

Result<std::optional<SharedCluster>> open_shared_cluster(const Context& context) {
    if (context.store.empty()) return std::optional<SharedCluster>{};
    LAUNCHKIT_TRY_ASSIGN(auto location, parse_etcd_location(context.store));
    EtcdSettings settings;
    settings.endpoints = std::move(location.endpoints);
    LAUNCHKIT_TRY_ASSIGN(auto client, EtcdClient::create(std::move(settings)));
    return std::optional<SharedCluster>(
        SharedCluster{std::make_shared<EtcdClient>(std::move(client)), std::move(location.prefix)});
}

ChangeNote change_note(const Context& context, std::string reason) {
    return ChangeNote{util::format_rfc3339(context.now()), context.actor, context.command,
                      std::move(reason)};
}

}  // namespace launchkit::store
