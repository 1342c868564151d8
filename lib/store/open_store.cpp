#include "store/open_store.h"

#include "store/file_store.h"

namespace launchkit::store {

Result<std::unique_ptr<Store>> open_store(const Context& context) {
    return std::make_unique<FileStore>(context.state_dir / "store");
}

ChangeNote change_note(const Context& context, std::string reason) {
    return ChangeNote{util::format_rfc3339(context.now()), context.actor, context.command,
                      std::move(reason)};
}

}  // namespace launchkit::store
