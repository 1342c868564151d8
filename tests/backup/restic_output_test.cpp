// restic's answers as launchkit reads them, in the shapes restic 0.14 prints them and in shapes
// a repository written by someone else may hold.
#include <catch2/catch.hpp>

#include <string>

#include "backup/restic_output.h"

using namespace launchkit::backup;
using launchkit::ExitCode;

TEST_CASE("restic's config: its id and format version", "[backup][restic]") {
    auto config = parse_restic_config(R"({
  "version": 2,
  "id": "ccc2b622ab72b15eff678f20e1c57723736c6310d2248788c1f6e6b90b91f649",
  "chunker_polynomial": "2b7ad5ba69a5cf"
})",
                                      "/srv/restic");
    REQUIRE(config);
    CHECK(config->id == "ccc2b622ab72b15eff678f20e1c57723736c6310d2248788c1f6e6b90b91f649");
    CHECK(config->version == 2);
    // A version that is not a small integer is no version (a float cast to int is undefined).
    for (const char* version : {"1e300", "-1", "2.5", "\"2\"", "99999999999999999999"}) {
        INFO(version);
        auto odd = parse_restic_config(std::string(R"({"id": "5d3f", "version": )") + version + "}",
                                       "/srv/restic");
        REQUIRE(odd);
        CHECK(odd->version == 0);
    }
    for (const char* bad : {R"({"version": 2})", R"({"id": ""})", R"({"id": 7})", "[1]", "nope"}) {
        INFO(bad);
        auto refused = parse_restic_config(bad, "/srv/restic");
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ExitCode::environment);
        CHECK_THAT(refused.error().message, Catch::StartsWith("/srv/restic: restic's config"));
    }
}

TEST_CASE("restic's snapshot list: what it says, and nothing from entries it cannot use",
          "[backup][restic]") {
    auto listed = parse_restic_snapshots(
        R"([{"time":"2026-12-05T12:11:59.528446751Z","paths":["/tmp/rr/data"],"hostname":"vm",
             "username":"root","tags":["launchkit","launchkit-id=20261205-abc"],
             "id":"2e5277d50d871e036d3e52245a87ca76369b76e14693c7d9c47342b0eada69c1",
             "short_id":"2e5277d5"},
            7, {"short_id": "no-id"}, {"id": "b", "paths": [1, "/x"], "tags": {"a": 1},
             "hostname": 5}])",
        "/srv/restic");
    REQUIRE(listed);
    REQUIRE(listed->size() == 2);
    const auto& first = listed->front();
    CHECK(first.short_id == "2e5277d5");
    CHECK(first.time == "2026-12-05T12:11:59.528446751Z");
    CHECK(first.hostname == "vm");
    CHECK(first.paths == std::vector<std::string>{"/tmp/rr/data"});
    CHECK(first.tag_value("launchkit-id") == "20261205-abc");
    CHECK(first.tag_value("launchkit-form").empty());
    const auto& second = listed->back();
    CHECK(second.id == "b");
    CHECK(second.paths == std::vector<std::string>{"/x"});
    CHECK(second.tags.empty());
    CHECK(second.hostname.empty());
    CHECK(parse_restic_snapshots("", "/srv/restic")->empty());
    CHECK(parse_restic_snapshots("null", "/srv/restic")->empty());
    auto refused = parse_restic_snapshots(R"({"id": "a"})", "/srv/restic");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message == "/srv/restic: restic snapshots --json: expected a list");
}

TEST_CASE("restic backup --json: progress and the summary", "[backup][restic]") {
    auto status = parse_restic_backup_message(
        R"({"message_type":"status","percent_done":0.5,"total_files":1,"total_bytes":3000,"bytes_done":1500})");
    REQUIRE(status.progress);
    CHECK_FALSE(status.summary);
    CHECK(status.progress->fraction == 0.5);
    CHECK(status.progress->bytes_done == 1500);
    CHECK(status.progress->total_bytes == 3000);
    auto summary = parse_restic_backup_message(
        R"({"message_type":"summary","files_new":1,"data_added":708,"total_bytes_processed":3,"total_duration":0.21,"snapshot_id":"2e5277d5"})");
    REQUIRE(summary.summary);
    CHECK_FALSE(summary.progress);
    CHECK(summary.summary->snapshot_id == "2e5277d5");
    CHECK(summary.summary->data_added == 708);
    CHECK(summary.summary->files_new == 1);
    CHECK(summary.summary->bytes_processed == 3);
    CHECK(summary.summary->seconds == 0.21);
    for (const char* other : {R"({"message_type":"error","error":{"message":"permission denied"}})",
                              "not json", "[]", R"({"message_type": 7})", ""}) {
        INFO(other);
        auto said = parse_restic_backup_message(other);
        CHECK_FALSE(said.progress);
        CHECK_FALSE(said.summary);
    }
    auto odd = parse_restic_backup_message(
        R"({"message_type":"status","percent_done":"half","bytes_done":-5})");
    REQUIRE(odd.progress);
    CHECK(odd.progress->fraction == 0);
    CHECK(odd.progress->bytes_done == 0);
}

TEST_CASE("a snapshot's path is restored inside the target or refused", "[backup][restic]") {
    std::filesystem::path target = "/var/tmp/fetch/.restic";
    CHECK(restored_path(target, "/var/lib/launchkit/backups/X/manifest.json").value() ==
          "/var/tmp/fetch/.restic/var/lib/launchkit/backups/X/manifest.json");
    CHECK(restored_path(target, "/srv/./data/").value() == "/var/tmp/fetch/.restic/srv/data");
    // A repository someone else wrote may say anything: a rename from there would move a file
    // from anywhere on this host into the backup.
    for (const char* hostile : {"relative/path", "/../../home/user/manifest.json", "/a/../../b",
                                "/a/..", "/", "", "//etc/passwd"}) {
        INFO(hostile);
        auto refused = restored_path(target, hostile);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ExitCode::environment);
        CHECK_THAT(refused.error().message, Catch::Contains("not an absolute path inside"));
    }
}
