#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

#include "support/temp_dir.h"
#include "version/release_ledger.h"

using namespace launchkit::version;
using launchkit::testing::TempDir;

TEST_CASE("the ledger appends entries and reads them back in order", "[ledger]") {
    TempDir dir;
    ReleaseLedger ledger(dir.path() / "state");
    auto empty = ledger.read();
    REQUIRE(empty);
    CHECK(empty->empty());

    REQUIRE(ledger.append(LedgerEntry{.time = "2026-01-01T00:00:00Z",
                                      .event = LedgerEvent::created,
                                      .version = "1.0.0",
                                      .tag_prefix = "v",
                                      .tag = "v1.0.0",
                                      .actor = "ann"}));
    REQUIRE(ledger.record_deploy("1.0.0", "v", "staging", "bob", "2026-01-02T00:00:00Z"));
    REQUIRE(ledger.record_deploy("1.0.0", "v", "production", "bob", "2026-01-03T00:00:00Z"));
    REQUIRE(ledger.record_deploy("1.1.0", "v", "production", "cy", "2026-01-04T00:00:00Z"));
    REQUIRE(ledger.record_rollback("1.0.0", "v", "production", "cy", "2026-01-05T00:00:00Z",
                                   "error rate 7%"));
    REQUIRE(ledger.record_deploy("3.0.0", "api-v", "production", "cy", "2026-01-05T00:00:00Z"));

    auto entries = ledger.read();
    REQUIRE(entries);
    REQUIRE(entries->size() == 6);
    CHECK((*entries)[0].event == LedgerEvent::created);
    CHECK((*entries)[0].tag == "v1.0.0");
    CHECK((*entries)[4].event == LedgerEvent::rolled_back);
    CHECK((*entries)[4].note == "error rate 7%");

    auto current = current_deployments(*entries, "v");
    REQUIRE(current.size() == 2);
    CHECK(current[0].environment == "production");
    CHECK(current[0].version == "1.0.0");
    CHECK(current[0].event == LedgerEvent::rolled_back);
    CHECK(current[1].environment == "staging");
    CHECK(current_deployments(*entries, "api-v").front().version == "3.0.0");
}

TEST_CASE("the ledger refuses an entry with an invalid version", "[ledger]") {
    TempDir dir;
    ReleaseLedger ledger(dir.path());
    auto result = ledger.record_deploy("1.0", "v", "prod", "a", "2026-01-01T00:00:00Z");
    REQUIRE_FALSE(result);
    CHECK(result.error().code == launchkit::ExitCode::invalid_input);
    CHECK_FALSE(std::filesystem::exists(ledger.path()));
}

TEST_CASE("a corrupt ledger line is reported with path and line, exit code 3", "[ledger]") {
    TempDir dir;
    ReleaseLedger ledger(dir.path());
    REQUIRE(ledger.record_deploy("1.0.0", "v", "prod", "a", "2026-01-01T00:00:00Z"));
    std::ofstream(ledger.path(), std::ios::app) << "{not json\n";
    auto entries = ledger.read();
    REQUIRE_FALSE(entries);
    CHECK(entries.error().code == launchkit::ExitCode::environment);
    CHECK_THAT(entries.error().message, Catch::Contains(ledger.path().string() + ":2"));
}

TEST_CASE("a torn last line does not swallow the next entry", "[ledger]") {
    TempDir dir;
    ReleaseLedger ledger(dir.path());
    std::ofstream(ledger.path()) << R"({"time":"t","event":"deployed","version":"1.0.0"})";
    REQUIRE(ledger.record_deploy("1.0.1", "v", "prod", "a", "2026-01-01T00:00:00Z"));
    auto entries = ledger.read();
    REQUIRE(entries);
    REQUIRE(entries->size() == 2);
    CHECK((*entries)[1].version == "1.0.1");
}

TEST_CASE("concurrent appends lose no entry", "[ledger]") {
    TempDir dir;
    ReleaseLedger ledger(dir.path());
    constexpr int writers = 8;
    constexpr int per_writer = 25;
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            for (int i = 0; i < per_writer; ++i)
                (void)ledger.record_deploy(fmt::format("{}.{}.0", w, i), "v", "prod", "t",
                                           "2026-01-01T00:00:00Z");
        });
    }
    for (auto& thread : threads) thread.join();
    auto entries = ledger.read();
    REQUIRE(entries);
    CHECK(entries->size() == writers * per_writer);
}
