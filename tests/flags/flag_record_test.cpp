// A stored flag read back: what a damaged record holds is refused with exit code 3, never
// converted into a different flag.
#include <catch2/catch.hpp>

#include "flags/flag.h"

using namespace launchkit;

TEST_CASE("a stored rollout is the integer written, or the record is damaged", "[flags]") {
    flags::Flag flag;
    flag.name = "dark-mode";
    flag.environments["production"].enabled = true;
    flag.environments["production"].rollout = 25;
    auto stored = flags::to_json(flag);
    auto read = flags::flag_from_json(stored, "flags/dark-mode");
    REQUIRE(read);
    CHECK(read->in("production").rollout == 25);

    // 2^64 - 1 read as a signed integer wrapped to -1 (off); 1e300 as an int was undefined.
    for (const char* damaged : {"18446744073709551615", "1e300", "2.5", "\"25\""}) {
        INFO(damaged);
        auto edited = stored;
        edited["environments"]["production"]["rollout"] = nlohmann::json::parse(damaged);
        auto refused = flags::flag_from_json(edited, "flags/dark-mode");
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ExitCode::environment);
        CHECK_THAT(refused.error().message, Catch::Contains("damaged flag record: rollout") &&
                                                Catch::Contains("is not an integer"));
    }
}
