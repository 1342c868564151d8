#include "util/crash_point.h"

#ifdef LAUNCHKIT_TEST_HOOKS
#include <csignal>
#include <cstdlib>

namespace launchkit::util {

bool crash_requested(std::string_view name) {
    const char* wanted = std::getenv("LAUNCHKIT_TEST_CRASH_AT");
    return wanted != nullptr && name == wanted;
}

void crash_now() {
    std::raise(SIGKILL);
    std::abort();  // unreachable: SIGKILL cannot be caught
}

}  // namespace launchkit::util
#endif
