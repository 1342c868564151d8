#include "store/open_store.h"

#include <algorithm>
#include <cstdlib>

#include "store/file_store.h"

namespace launchkit::store {

Result<std::unique_ptr<Store>> open_store(const Context& context) {
    SnapshotPolicy policy;
#ifdef LAUNCHKIT_TEST_HOOKS
    // Durability tests make every commit rewrite the snapshot, to kill a writer in the middle.
    if (const char* every = std::getenv("LAUNCHKIT_TEST_SNAPSHOT_EVERY"))
        policy.every_records = std::max(1, std::atoi(every));
#endif
    return std::make_unique<FileStore>(context.state_dir / "store", policy);
}

ChangeNote change_note(const Context& context, std::string reason) {
    return ChangeNote{util::format_rfc3339(context.now()), context.actor, context.command,
                      std::move(reason)};
}

}  // namespace launchkit::store
