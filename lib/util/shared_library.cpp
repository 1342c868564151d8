#include "util/shared_library.h"

#include <dlfcn.h>

namespace launchkit::util {

Result<SharedLibrary> SharedLibrary::open(const std::string& soname) {
    // RTLD_LOCAL: its symbols serve only the table that asked for them.
    void* handle = ::dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = ::dlerror();
        return fail(ExitCode::environment, "cannot load {}: {}", soname,
                    why != nullptr ? why : "unknown error");
    }
    return SharedLibrary(handle, soname);
}

void* SharedLibrary::symbol(const char* name) const {
    return ::dlsym(handle_, name);
}

std::unexpected<Error> SharedLibrary::missing(const char* name) const {
    return fail(ExitCode::environment, "{} has no function {}: too old a version for launchkit",
                soname_, name);
}

}  // namespace launchkit::util
