#include "backup/archive_library.h"

#include "util/shared_library.h"

namespace launchkit::backup {

Result<const ArchiveLibrary*> load_libarchive() {
    return util::load_library_once<ArchiveLibrary>(
        LAUNCHKIT_LIBARCHIVE_SONAME,
        [](const util::SharedLibrary& library, ArchiveLibrary& libarchive) -> Result<void> {
#define LAUNCHKIT_ARCHIVE_BIND(name) \
    if (!library.bind(libarchive.name, #name)) return library.missing(#name);
            LAUNCHKIT_ARCHIVE_FUNCTIONS(LAUNCHKIT_ARCHIVE_BIND)
#undef LAUNCHKIT_ARCHIVE_BIND
            return {};
        });
}

}  // namespace launchkit::backup
