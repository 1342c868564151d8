#include <catch2/catch.hpp>

#include "backup/archive_paths.h"

using namespace launchkit::backup;

TEST_CASE("archive entry names are normalised or refused", "[backup][tar-slip]") {
    CHECK(safe_entry_path("a/b.txt").value() == "a/b.txt");
    CHECK(safe_entry_path("./a//b/").value() == "a/b");
    CHECK(safe_entry_path(".").value().empty());
    CHECK(safe_entry_path("./").value().empty());
    for (const char* bad : {"/etc/passwd", "../escape", "a/../../b", "a/..", "..", ""}) {
        INFO(bad);
        auto result = safe_entry_path(bad);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == launchkit::ExitCode::environment);
    }
    CHECK_THAT(safe_entry_path("/etc/passwd").error().message, Catch::Contains("absolute path"));
    CHECK_THAT(safe_entry_path("a/../../b").error().message, Catch::Contains("'..'"));
}

TEST_CASE("symlinks may point anywhere inside the target, nowhere outside", "[backup][tar-slip]") {
    CHECK(symlink_stays_inside("link", "file.txt"));
    CHECK(symlink_stays_inside("a/b/link", "../c/file"));
    CHECK(symlink_stays_inside("a/link", "../file"));
    CHECK(symlink_stays_inside("a/link", "./x/../y"));
    CHECK_FALSE(symlink_stays_inside("link", "/etc/passwd"));
    CHECK_FALSE(symlink_stays_inside("link", "../outside"));
    CHECK_FALSE(symlink_stays_inside("a/link", "../../outside"));
    CHECK_FALSE(symlink_stays_inside("a/link", "x/../../../outside"));
    CHECK_FALSE(symlink_stays_inside("link", ""));
}
