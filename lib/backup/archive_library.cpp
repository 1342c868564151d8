#include "backup/archive_library.h"

#include "util/shared_library.h"

namespace launchkit::backup {

Result<const ArchiveLibrary*> load_libarchive() {
    // A function-local static: loaded once even when several threads ask at the same time.
    static const Result<ArchiveLibrary> loaded = []() -> Result<ArchiveLibrary> {
        LAUNCHKIT_TRY_ASSIGN(auto library, util::SharedLibrary::open(LAUNCHKIT_LIBARCHIVE_SONAME));
        ArchiveLibrary libarchive;
#define LAUNCHKIT_ARCHIVE_BIND(name) \
    if (!library.bind(libarchive.name, #name)) return library.missing(#name);
        LAUNCHKIT_ARCHIVE_FUNCTIONS(LAUNCHKIT_ARCHIVE_BIND)
#undef LAUNCHKIT_ARCHIVE_BIND
        return libarchive;
    }();
    if (!loaded) return std::unexpected(loaded.error());
    return &*loaded;
}

}  // namespace launchkit::backup
