// Disk-free and file-age checks: "enough room for the upgrade", "the latest backup is recent".
#include <catch2/catch.hpp>

#include <fstream>

#include <fcntl.h>
#include <sys/stat.h>

#include "probe/checklist_parser.h"
#include "probe/filesystem_probe.h"
#include "support/temp_dir.h"

using namespace std::chrono_literals;
using namespace launchkit::probe;
using launchkit::testing::TempDir;

namespace {

Check disk_check(const std::filesystem::path& path, std::optional<std::uint64_t> bytes,
                 std::optional<double> percent = {}) {
    Check check;
    check.name = "disk";
    check.probe = DiskProbe{path, bytes, percent};
    return check;
}

Check age_check(const std::filesystem::path& path, std::chrono::milliseconds max_age) {
    Check check;
    check.name = "backup-age";
    check.probe = FileAgeProbe{path, max_age};
    return check;
}

void age_file(const std::filesystem::path& path, std::chrono::hours by) {
    std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() - by);
}

}  // namespace

TEST_CASE("sizes read with binary and decimal units", "[probe][disk]") {
    CHECK(parse_size("4096") == 4096u);
    CHECK(parse_size("10GiB") == 10ull << 30);
    CHECK(parse_size("10G") == 10ull << 30);
    CHECK(parse_size("500MB") == 500'000'000u);
    CHECK(parse_size("1.5K") == 1536u);
    for (const char* text : {"", "GB", "10 parsecs", "-1G", "1e400"}) CHECK_FALSE(parse_size(text));
    CHECK(format_size(10ull << 30) == "10.0 GiB");
    CHECK(format_size(512) == "512 B");
}

TEST_CASE("disk checks compare free space with a size and a percentage", "[probe][disk]") {
    TempDir dir;
    auto enough = run_disk_probe(disk_check(dir.path(), 1));
    CHECK(enough.passed);
    CHECK_THAT(enough.detail, Catch::Contains("free (") && Catch::Contains(dir.path().string()));

    auto too_little = run_disk_probe(disk_check(dir.path(), *parse_size("1000000TiB")));
    CHECK_FALSE(too_little.passed);
    CHECK_THAT(too_little.detail, Catch::Contains("expected at least"));

    auto missing = run_disk_probe(disk_check(dir.path() / "nope", 1));
    CHECK_FALSE(missing.passed);
    CHECK_THAT(missing.detail, Catch::Contains("cannot read free space"));
}

TEST_CASE("file-age checks look at a file, or a directory's newest entry", "[probe][file_age]") {
    TempDir dir;
    auto backups = dir.path() / "backups";
    std::filesystem::create_directories(backups);
    CHECK_THAT(run_file_age_probe(age_check(backups, 24h)).detail, Catch::Contains("is empty"));

    std::ofstream(backups / "old.dump") << "old";
    age_file(backups / "old.dump", 48h);
    auto stale = run_file_age_probe(age_check(backups, 24h));
    CHECK_FALSE(stale.passed);
    CHECK_THAT(stale.detail, Catch::Contains("old.dump is 2 d old, expected at most 1 d"));

    std::ofstream(backups / "new.dump") << "new";
    auto fresh = run_file_age_probe(age_check(backups, 24h));
    CHECK(fresh.passed);
    CHECK_THAT(fresh.detail, Catch::Contains("new.dump"));

    CHECK(run_file_age_probe(age_check(backups / "new.dump", 1h)).passed);
    CHECK_THAT(run_file_age_probe(age_check(dir.path() / "missing.dump", 1h)).detail,
               Catch::Contains("does not exist"));
}

// `touch -d 1000-01-01` is a valid mtime; as nanoseconds in a time_point it overflowed.
TEST_CASE("a file-age check of a file from centuries ago or ahead", "[probe][file_age]") {
    TempDir dir;
    auto file = dir.path() / "dump";
    std::ofstream(file) << "x";
    auto set_mtime = [&](long long seconds) {
        timespec times[2] = {{static_cast<time_t>(seconds), 0}, {static_cast<time_t>(seconds), 0}};
        REQUIRE(::utimensat(AT_FDCWD, file.c_str(), times, 0) == 0);
    };
    set_mtime(-30'610'224'000);  // 1000-01-01
    auto ancient = run_file_age_probe(age_check(file, 24h));
    CHECK_FALSE(ancient.passed);
    CHECK_THAT(ancient.detail, Catch::Contains("expected at most 1 d"));
    set_mtime(20'000'000'000);  // 2603
    CHECK(run_file_age_probe(age_check(file, 24h)).passed);
}

TEST_CASE("disk and file_age checks in a checklist", "[probe][checklist]") {
    auto checklist = parse_checklist(R"(checks:
  - name: room-for-backup
    disk: {path: /var/lib, min_free: 10GiB, min_free_percent: 5}
  - name: backup-recent
    file_age: {path: backups, max_age: 24h}
)",
                                     "/etc/launchkit/pre.yaml");
    REQUIRE(checklist);
    const auto& disk = std::get<DiskProbe>(checklist->checks[0].probe);
    CHECK(disk.min_free_bytes == 10ull << 30);
    CHECK(disk.min_free_percent == 5.0);
    const auto& age = std::get<FileAgeProbe>(checklist->checks[1].probe);
    CHECK(age.path == "/etc/launchkit/backups");  // relative to the checklist
    CHECK(age.max_age == 24h);

    auto bad =
        parse_checklist("checks:\n  - name: d\n    disk: {path: /, min_free: lots}\n", "c.yaml");
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message, Catch::Contains("c.yaml:3: checks[0].disk.min_free"));
}
