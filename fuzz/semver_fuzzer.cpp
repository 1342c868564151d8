// SemVer, loose versions ("v2", "1.4") and version ranges ("1.1.x - 1.2.x", "^1.2 || >=3").
#include "fuzz_input.h"
#include "version/semver.h"
#include "version/version_range.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [left, right] = fuzz::split_once(fuzz::as_text(data, size), "\n");
    auto version = version::parse_semver(left);
    auto loose = version::parse_loose_version(left);
    auto range = version::parse_version_range(right);
    if (version) {
        (void)version->to_string();
        if (loose) (void)version::compare_precedence(*version, *loose);
        if (range) (void)range->contains(*version);
    }
    return 0;
}
