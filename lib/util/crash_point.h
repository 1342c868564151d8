// Deterministic crash injection for durability tests. In builds with LAUNCHKIT_TEST_HOOKS (the
// test configuration), a crash point named in $LAUNCHKIT_TEST_CRASH_AT kills the process with
// SIGKILL, as `kill -9` or a power cut would; in every other build these compile to nothing.
#pragma once

#include <string_view>

namespace launchkit::util {

#ifdef LAUNCHKIT_TEST_HOOKS
// True when $LAUNCHKIT_TEST_CRASH_AT names `name` ("NAME", or "NAME#N" for its Nth passing): the
// caller does partial work, then crash_now().
bool crash_requested(std::string_view name);
[[noreturn]] void crash_now();
#else
inline bool crash_requested(std::string_view) {
    return false;
}
[[noreturn]] inline void crash_now() {
    __builtin_trap();
}
#endif

// Kills the process here when $LAUNCHKIT_TEST_CRASH_AT names `name` (test builds only).
inline void crash_point(std::string_view name) {
    if (crash_requested(name)) crash_now();
}

}  // namespace launchkit::util
