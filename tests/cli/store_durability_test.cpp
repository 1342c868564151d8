// The store under stress through the real executables: many processes at once, writers killed
// mid-write, and damaged files.
#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/state_fixture.h"
#include "util/file_io.h"

using launchkit::testing::require_intact;
using launchkit::testing::run_concurrently;
using launchkit::testing::StateFixture;

namespace {

nlohmann::json get_json(const StateFixture& fixture, const std::string& name) {
    auto result = fixture.flags({"get", name, "--json"});
    INFO(result.stderr_text);
    REQUIRE((result.exit_code == 0 || result.exit_code == 1));
    return nlohmann::json::parse(result.stdout_text);
}

}  // namespace

TEST_CASE_METHOD(StateFixture, "64 processes creating, toggling and incrementing lose no update",
                 "[cli][store][concurrency]") {
    constexpr int writers = 64;
    std::vector<launchkit::util::ProcessSpec> creates, enables, increments;
    for (int i = 0; i < writers; ++i) {
        auto name = "flag-" + std::to_string(i);
        creates.push_back(spec("feature-flags", {"create", name}));
        enables.push_back(spec("feature-flags", {"enable", name}));
        increments.push_back(spec("feature-flags", {"set", "ramp", "--rollout", "+1"}));
    }
    REQUIRE(flags({"create", "ramp"}).exit_code == 0);
    REQUIRE(flags({"set", "ramp", "--rollout", "0"}).exit_code == 0);

    for (const auto* batch : {&creates, &enables, &increments}) {
        for (const auto& result : run_concurrently(*batch)) {
            INFO(result.stderr_text);
            REQUIRE(result.exit_code == 0);
        }
    }

    auto list = nlohmann::json::parse(flags({"list", "--json"}).stdout_text);
    REQUIRE(list["flags"].size() == writers + 1);
    int enabled = 0;
    for (const auto& flag : list["flags"]) enabled += flag["enabled"].get<bool>();
    CHECK(enabled == writers);
    CHECK(get_json(*this, "ramp")["rollout"] == writers);  // every +1 counted

    auto verify = nlohmann::json::parse(flags({"audit", "--verify", "--json"}).stdout_text);
    CHECK(verify["intact"] == true);
    CHECK(verify["records"] == 2 + 3 * writers);
}

TEST_CASE_METHOD(StateFixture, "a writer killed at any step leaves the old state or the new one",
                 "[cli][store][crash]") {
    struct CrashCase {
        const char* point;
        bool committed;  // whether the change had reached the audit log
    };
    auto crash = GENERATE(
        CrashCase{"audit-append-torn", false}, CrashCase{"store-after-audit-append", true},
        CrashCase{"atomic-write-partial", true}, CrashCase{"atomic-write-before-rename", true});
    INFO(crash.point);
    // Every commit rewrites the snapshot here, so that its write points are reached.
    const launchkit::testing::Environment every_commit{{"LAUNCHKIT_TEST_SNAPSHOT_EVERY", "1"}};
    REQUIRE(flags({"create", "f"}, every_commit).exit_code == 0);

    auto killed = flags({"enable", "f"}, {{"LAUNCHKIT_TEST_CRASH_AT", crash.point},
                                          {"LAUNCHKIT_TEST_SNAPSHOT_EVERY", "1"}});
    REQUIRE(killed.signal == SIGKILL);  // the hook fired: this build has test hooks

    CHECK(get_json(*this, "f")["enabled"] == crash.committed);
    require_intact(*this);
    // The store is writable again, and the next writer repairs the snapshot or the torn tail.
    REQUIRE(flags({"disable", "f"}, every_commit).exit_code == 0);
    REQUIRE(flags({"enable", "f"}, every_commit).exit_code == 0);
    CHECK(get_json(*this, "f")["enabled"] == true);
    require_intact(*this);
    auto state = nlohmann::json::parse(*launchkit::util::read_file(store_dir() / "state.json"));
    // Committed: create, enable, disable, enable. Not: create, enable (the disable changed
    // nothing).
    CHECK(state["audit"]["records"] == (crash.committed ? 4 : 2));
}

TEST_CASE_METHOD(StateFixture, "a first-ever write killed before its snapshot is still committed",
                 "[cli][store][crash]") {
    auto killed = launchctl({"pause", "redemption"},
                            {{"LAUNCHKIT_TEST_CRASH_AT", "store-after-audit-append"}});
    REQUIRE(killed.signal == SIGKILL);
    CHECK_FALSE(std::filesystem::exists(store_dir() / "state.json"));
    CHECK(launchctl({"status", "redemption"}).exit_code == 1);
    require_intact(*this);
}

TEST_CASE_METHOD(StateFixture, "writers SIGKILLed at random moments never leave unreadable state",
                 "[cli][store][crash]") {
    REQUIRE(flags({"create", "f"}).exit_code == 0);
    std::mt19937 random(20261125);
    std::uniform_int_distribution<int> delay_us(0, 4000);
    for (int round = 0; round < 30; ++round) {
        // Every other commit rewrites the snapshot, so kills land in both kinds of write.
        launchkit::testing::run_and_kill_after(
            spec("feature-flags", {round % 2 ? "disable" : "enable", "f"},
                 {{"LAUNCHKIT_TEST_SNAPSHOT_EVERY", "2"}}),
            std::chrono::microseconds(delay_us(random)));

        auto read = flags({"get", "f"});
        INFO("round " << round << ": " << read.stderr_text);
        REQUIRE((read.exit_code == 0 || read.exit_code == 1));
    }
    require_intact(*this);
    REQUIRE(flags({"enable", "f"}).exit_code == 0);
    require_intact(*this);
}

TEST_CASE_METHOD(StateFixture, "corrupt state is reported with its path, exit 3, and left alone",
                 "[cli][store]") {
    REQUIRE(flags({"create", "f"}).exit_code == 0);
    auto state_file = store_dir() / "state.json";
    std::ofstream(state_file, std::ios::trunc) << "{\"format\": \"launchkit-store/1\", \"keys\": {";

    for (std::vector<std::string> command :
         {std::vector<std::string>{"list"}, {"enable", "f"}, {"create", "g"}, {"get", "f"}}) {
        INFO(command[0]);
        auto result = flags(command);
        CHECK(result.exit_code == 3);
        CHECK_THAT(result.stderr_text,
                   Catch::Contains(state_file.string()) && Catch::Contains("corrupt"));
    }
    auto status = launchctl({"status"});
    CHECK(status.exit_code == 3);
    CHECK(*launchkit::util::read_file(state_file) ==
          "{\"format\": \"launchkit-store/1\", \"keys\": {");

    // Damage in the log beyond the snapshot is refused the same way.
    StateFixture other;
    REQUIRE(other.flags({"create", "f"}).exit_code == 0);
    std::ofstream(other.store_dir() / "audit.jsonl", std::ios::app) << "not json\n";
    auto damaged = other.flags({"enable", "f"});
    CHECK(damaged.exit_code == 3);
    CHECK_THAT(damaged.stderr_text, Catch::Contains("audit.jsonl") && Catch::Contains("damaged"));
}
