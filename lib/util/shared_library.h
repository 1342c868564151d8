// Shared libraries loaded when a command first needs them rather than at every process start.
// libcurl and libarchive bring OpenSSL, Kerberos, LDAP, libxml2 and ICU with them: loading those
// took longer than most commands take to run, and most commands never touch them.
#pragma once

#include <string>

#include "base/error.h"

namespace launchkit::util {

// A library opened with dlopen and never closed: its functions stay valid for the process's life.
class SharedLibrary {
  public:
    // `soname` as the dynamic linker names it ("libcurl.so.4"); an environment error naming it
    // and what the loader said when it is missing.
    static Result<SharedLibrary> open(const std::string& soname);

    // Points `function` at the library's `name`; false when the library has no such symbol.
    template <typename Function>
    bool bind(Function& function, const char* name) const {
        function = reinterpret_cast<Function>(symbol(name));
        return function != nullptr;
    }

    // The error for a function `bind` could not find.
    std::unexpected<Error> missing(const char* name) const;

  private:
    SharedLibrary(void* handle, std::string soname) : handle_(handle), soname_(std::move(soname)) {}
    void* symbol(const char* name) const;

    void* handle_ = nullptr;
    std::string soname_;
};

// Opens `soname` and fills a `Table` of function pointers with `bind_all(library, table)` the
// first time it is called for that table; later calls return the same table or the same error.
// A function-local static: loaded once even when several threads ask at the same time.
template <typename Table, typename BindAll>
Result<const Table*> load_library_once(const std::string& soname, BindAll bind_all) {
    static const Result<Table> loaded = [&]() -> Result<Table> {
        LAUNCHKIT_TRY_ASSIGN(auto library, SharedLibrary::open(soname));
        Table table{};
        LAUNCHKIT_TRY(bind_all(library, table));
        return table;
    }();
    if (!loaded) return std::unexpected(loaded.error());
    return &*loaded;
}

}  // namespace launchkit::util
