#include <catch2/catch.hpp>

#include "util/strings.h"

using namespace launchkit::util;

TEST_CASE("edit_distance counts single-character edits", "[strings]") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("abc", "") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("create", "craete") == 2);
    CHECK(edit_distance("status", "status") == 0);
}

TEST_CASE("closest_match suggests only plausible typos", "[strings]") {
    std::vector<std::string> commands = {"create", "next", "changelog", "status", "history"};
    CHECK(closest_match("crate", commands) == "create");
    CHECK(closest_match("stauts", commands) == "status");
    CHECK(closest_match("histroy", commands) == "history");
    CHECK_FALSE(closest_match("deploy", commands));
    CHECK_FALSE(closest_match("x", commands));
    CHECK_FALSE(closest_match("frobnicate", commands));
}

TEST_CASE("trim removes surrounding white space only", "[strings]") {
    CHECK(trim("  1.2.3\n") == "1.2.3");
    CHECK(trim("\t a b \r\n") == "a b");
    CHECK(trim("   ").empty());
    CHECK(trim("") == "");
}

TEST_CASE("printable escapes control characters and bad UTF-8, and cuts huge text", "[util]") {
    using launchkit::util::printable;
    CHECK(printable("plain café ✓") == "plain café ✓");
    CHECK(printable("a\nb\tc\rd") == "a\\nb\\tc\\rd");
    CHECK(printable("\x1b[2Jcleared") == "\\x1b[2Jcleared");
    CHECK(printable(std::string("nul\0byte", 8)) == "nul\\x00byte");
    CHECK(printable("bad \xff\xfe utf8") == "bad \\xff\\xfe utf8");
    CHECK(printable("overlong \xc0\xaf") == "overlong \\xc0\\xaf");
    CHECK(printable("c1 \xc2\x9b") == "c1 \\u009b");
    auto huge = printable(std::string(1 << 20, 'x'), 100);
    CHECK(huge == std::string(100, 'x') + "… (1048476 more bytes)");
}
