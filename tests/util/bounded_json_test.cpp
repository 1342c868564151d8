// Integers read from JSON a disk, a person or a server may have damaged: a float or an integer
// out of range is a type error the reader reports, never a cast (undefined for 1e55).
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "util/bounded_json.h"

using launchkit::util::json_integer;
using launchkit::util::json_integer_or;
using nlohmann::json;

TEST_CASE("json_integer gives integers T holds and throws a type error for anything else",
          "[util][json]") {
    CHECK(json_integer<int>(json::parse("42")) == 42);
    CHECK(json_integer<int>(json::parse("-7")) == -7);
    CHECK(json_integer<std::uint64_t>(json::parse("18446744073709551615")) ==
          std::numeric_limits<std::uint64_t>::max());
    CHECK(json_integer<std::int64_t>(json::parse("-9223372036854775808")) ==
          std::numeric_limits<std::int64_t>::min());
    for (const char* text : {"1.2e55", "1.5", "-1e300", "\"3\"", "true", "null", "[]", "{}"}) {
        INFO(text);
        CHECK_THROWS_AS(json_integer<std::int64_t>(json::parse(text)), json::type_error);
    }
    // In range of int64 but not of the type asked for.
    CHECK_THROWS_WITH(json_integer<int>(json::parse("2147483648")),
                      Catch::Contains("2147483648 is out of range"));
    CHECK_THROWS_AS(json_integer<std::uint64_t>(json::parse("-1")), json::type_error);
    CHECK_THROWS_AS(json_integer<std::int64_t>(json::parse("9223372036854775808")),
                    json::type_error);
}

TEST_CASE("integer_value is the integer T holds, or nothing", "[util][json]") {
    using launchkit::util::integer_value;
    CHECK(integer_value<int>(json::parse("-7")) == -7);
    CHECK(integer_value<std::int64_t>(json::parse("9223372036854775807")) ==
          std::numeric_limits<std::int64_t>::max());
    for (const char* text :
         {"9223372036854775808", "18446744073709551615", "1.0", "1e300", "\"3\"", "null", "[1]"}) {
        INFO(text);
        CHECK_FALSE(integer_value<std::int64_t>(json::parse(text)));
    }
    CHECK_FALSE(integer_value<int>(json::parse("4294967321")));  // not wrapped to 25
    CHECK_FALSE(integer_value<unsigned>(json::parse("-1")));
}

TEST_CASE("json_integer_or falls back only when the member is missing", "[util][json]") {
    auto object = json::parse(R"({"index": 3, "weight": 2.5})");
    CHECK(json_integer_or<int>(object, "index", -1) == 3);
    CHECK(json_integer_or<int>(object, "missing", -1) == -1);
    CHECK(json_integer_or<int>(json::array(), "index", -1) == -1);
    CHECK_THROWS_AS(json_integer_or<int>(object, "weight", 0), json::type_error);
}

TEST_CASE("count_member reads another tool's counts without casting out of range", "[util][json]") {
    using launchkit::util::count_member;
    auto report = json::parse(R"({"bytes": 1024, "files": 3.9, "huge": 1e30, "negative": -5,
                                  "text": "12", "max": 18446744073709551615})");
    CHECK(count_member(report, "bytes") == 1024);
    CHECK(count_member(report, "files") == 3);
    CHECK(count_member(report, "huge") == std::numeric_limits<std::uint64_t>::max());
    CHECK(count_member(report, "negative") == 0);
    CHECK(count_member(report, "text") == 0);
    CHECK(count_member(report, "missing") == 0);
    CHECK(count_member(report, "max") == std::numeric_limits<std::uint64_t>::max());
    CHECK(count_member(json::array(), "bytes") == 0);
}

TEST_CASE("find_pointer answers for every pointer and document, never throws", "[util][json]") {
    using launchkit::util::find_pointer;
    auto document = json::parse(R"([{"name": "db", "ok": true}, {"": 7}])");
    auto pointer = [](const char* text) { return json::json_pointer(text); };
    // The metric_answer fuzzer's find: "/" is the member "" of the root, and nlohmann's
    // contains() throws for it when the root is an array.
    CHECK(find_pointer(document, pointer("/")) == nullptr);
    CHECK(find_pointer(document, pointer("/-")) == nullptr);
    CHECK(find_pointer(document, pointer("/07")) == nullptr);
    CHECK(find_pointer(document, pointer("/99999999999999999999999")) == nullptr);
    CHECK(find_pointer(document, pointer("/0/name/x")) == nullptr);
    REQUIRE(find_pointer(document, pointer("/0/name")) != nullptr);
    CHECK(*find_pointer(document, pointer("/0/name")) == "db");
    CHECK(*find_pointer(document, pointer("/1/")) == 7);
    CHECK(*find_pointer(document, pointer("")) == document);
}
