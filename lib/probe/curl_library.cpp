#include "probe/curl_library.h"

#include "util/shared_library.h"

namespace launchkit::probe {

Result<const CurlLibrary*> load_curl() {
    // A function-local static: loaded once even when several threads ask at the same time.
    static const Result<CurlLibrary> loaded = []() -> Result<CurlLibrary> {
        LAUNCHKIT_TRY_ASSIGN(auto library, util::SharedLibrary::open(LAUNCHKIT_LIBCURL_SONAME));
        CurlLibrary curl;
#define LAUNCHKIT_CURL_BIND(name) \
    if (!library.bind(curl.name, #name)) return library.missing(#name);
        LAUNCHKIT_CURL_FUNCTIONS(LAUNCHKIT_CURL_BIND)
#undef LAUNCHKIT_CURL_BIND
        if (auto code = curl.curl_global_init(CURL_GLOBAL_DEFAULT); code != CURLE_OK)
            return fail(ExitCode::environment, "cannot initialise libcurl: {}",
                        curl.curl_easy_strerror(code));
        return curl;
    }();
    if (!loaded) return std::unexpected(loaded.error());
    return &*loaded;
}

}  // namespace launchkit::probe
