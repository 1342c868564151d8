// libcurl as the one HTTP client (probes, metric sources, webhooks), loaded on the first request:
// its dependencies (OpenSSL, Kerberos, LDAP, ...) would otherwise cost every command's start-up.
#pragma once

// The table below calls curl_easy_setopt through a pointer: curl's type-checking macro of that
// name would expand inside `curl.curl_easy_setopt(...)`.
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

#include <thread>

#include "base/error.h"

namespace launchkit::probe {

// Every libcurl function launchkit calls; members are named as the functions they point to.
// clang-format off
#define LAUNCHKIT_CURL_FUNCTIONS(X)                                                              \
    X(curl_global_init)                                                                          \
    X(curl_easy_init) X(curl_easy_setopt) X(curl_easy_perform) X(curl_easy_getinfo)              \
    X(curl_easy_cleanup) X(curl_easy_reset) X(curl_easy_strerror) X(curl_easy_escape)            \
    X(curl_free) X(curl_slist_append) X(curl_slist_free_all)                                     \
    X(curl_multi_init) X(curl_multi_setopt) X(curl_multi_add_handle) X(curl_multi_remove_handle) \
    X(curl_multi_socket_action) X(curl_multi_info_read) X(curl_multi_cleanup)
// clang-format on

struct CurlLibrary {
#define LAUNCHKIT_CURL_MEMBER(name) decltype(&::name) name = nullptr;
    LAUNCHKIT_CURL_FUNCTIONS(LAUNCHKIT_CURL_MEMBER)
#undef LAUNCHKIT_CURL_MEMBER
};

// Loads libcurl and runs its process-wide initialisation, once; later calls return the same
// table. An environment error (exit 3) when libcurl cannot be loaded.
Result<const CurlLibrary*> load_curl();

// Starts load_curl() on another thread and returns it (joined when it goes out of scope), for a
// command that reads its input before it probes: loading libcurl and its forty libraries (about
// 10 ms) then overlaps the reading instead of following it. Errors are left for the probe's own
// load_curl() to report. An empty thread if none could be started.
std::jthread preload_curl();

}  // namespace launchkit::probe
