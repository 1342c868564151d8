#include "probe/curl_library.h"

#include <system_error>

#include "util/shared_library.h"

namespace launchkit::probe {

Result<const CurlLibrary*> load_curl() {
    return util::load_library_once<CurlLibrary>(
        LAUNCHKIT_LIBCURL_SONAME,
        [](const util::SharedLibrary& library, CurlLibrary& curl) -> Result<void> {
#define LAUNCHKIT_CURL_BIND(name) \
    if (!library.bind(curl.name, #name)) return library.missing(#name);
            LAUNCHKIT_CURL_FUNCTIONS(LAUNCHKIT_CURL_BIND)
#undef LAUNCHKIT_CURL_BIND
            if (auto code = curl.curl_global_init(CURL_GLOBAL_DEFAULT); code != CURLE_OK)
                return fail(ExitCode::environment, "cannot initialise libcurl: {}",
                            curl.curl_easy_strerror(code));
            return {};
        });
}

std::jthread preload_curl() {
    try {
        return std::jthread([] { (void)load_curl(); });
    } catch (const std::system_error&) {
        return {};
    }
}

}  // namespace launchkit::probe
