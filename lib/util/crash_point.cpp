#include "util/crash_point.h"

#ifdef LAUNCHKIT_TEST_HOOKS
#include <csignal>
#include <cstdlib>
#include <string>

namespace launchkit::util {

bool crash_requested(std::string_view name) {
    const char* wanted_text = std::getenv("LAUNCHKIT_TEST_CRASH_AT");
    if (wanted_text == nullptr) return false;
    // "NAME#N": the Nth time this point is reached (a run's third journal event, say).
    std::string_view wanted = wanted_text;
    auto hash = wanted.find('#');
    if (wanted.substr(0, hash) != name) return false;
    if (hash == std::string_view::npos) return true;
    static int reached = 0;
    return ++reached == std::atoi(std::string(wanted.substr(hash + 1)).c_str());
}

void crash_now() {
    std::raise(SIGKILL);
    std::abort();  // unreachable: SIGKILL cannot be caught
}

}  // namespace launchkit::util
#endif
