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
