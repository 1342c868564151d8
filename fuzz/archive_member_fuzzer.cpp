// Archive member names and symlink targets on restore (the tar-slip defence): "name\ntarget".
// Whatever the names, an accepted entry stays inside the restore target.
#include <cstdlib>

#include "backup/archive_paths.h"
#include "fuzz_input.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [name, target] = fuzz::split_once(fuzz::as_text(data, size), "\n");
    auto entry = backup::safe_entry_path(name);
    if (!entry) return 0;
    // The contract the restore relies on: relative, no "..", no empty or "." component.
    if (entry->starts_with('/') || entry->find("//") != std::string::npos) std::abort();
    for (std::string_view rest = *entry; !rest.empty();) {
        auto [component, after] = fuzz::split_once(rest, "/");
        if (component == ".." || component == "." || component.empty()) std::abort();
        rest = after;
    }
    (void)backup::symlink_stays_inside(*entry, target);
    return 0;
}
