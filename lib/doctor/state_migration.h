// Moving a team's state between backends: `release-manager store migrate --to etcd://...` copies
// a state directory's store (audit chain verbatim, keys, head), release ledger and run journals
// into etcd; `store verify` checks the audit chain wherever the state lives.
#pragma once

#include <string>

#include "core/context.h"

namespace launchkit::doctor {

struct StoreMigrateOptions {
    std::string to{};    // etcd://HOST:PORT[,...]/PREFIX
    bool force = false;  // replace what the prefix holds
};

// Copies the context's state directory into etcd. Refused (exit 1) when the local audit chain or
// a journal is damaged, or the prefix holds keys and --force was not given; the copy is verified
// in etcd before it is reported done.
Result<ExitCode> run_store_migrate(Context& context, const StoreMigrateOptions& options);

// Recomputes the audit chain of the context's store (local or etcd), as `feature-flags audit
// --verify` does: exit 1 when damaged.
Result<ExitCode> run_store_verify(Context& context);

}  // namespace launchkit::doctor
