// The two places state lives, for conformance suites that run one test against both: a state
// directory (LocalState) and a real etcd on 127.0.0.1 under a prefix of the test's own
// (SharedState). Each gives the Context a command would build.
#pragma once

#include <string>

#include "core/context.h"
#include "support/etcd_server.h"
#include "support/temp_dir.h"

namespace launchkit::testing {

struct LocalState {
    TempDir dir;
    Context context() const {
        Context context;
        context.state_dir = dir.path() / "state";
        context.actor = "ann";
        return context;
    }
};

struct SharedState {
    TempDir dir;  // the machine's own state directory, which must stay untouched
    std::string url = EtcdCluster::shared().store_url(EtcdCluster::unique_prefix("shared"));
    Context context() const {
        Context context;
        context.state_dir = dir.path() / "state";
        context.store = url;
        context.actor = "ann";
        return context;
    }
};

}  // namespace launchkit::testing
