#include <catch2/catch.hpp>

#include <chrono>

#include <string>

#include "util/pattern.h"

using namespace launchkit::util;

TEST_CASE("Pattern finds, captures and matches whole texts", "[pattern]") {
    auto pattern = Pattern::compile(R"((\d+)\s+critical\b)", {.ignore_case = true});
    REQUIRE(pattern);
    auto found = pattern->find("3 vulnerabilities (2 moderate, 1 CRITICAL)");
    REQUIRE(found);
    REQUIRE(*found);
    CHECK((**found)[0] == "1 CRITICAL");
    CHECK((**found)[1] == "1");
    CHECK(pattern->search("no findings") == false);

    auto whole = Pattern::compile(R"([a-z]+(-(\d+))?)");
    REQUIRE(whole);
    CHECK(*whole->match_whole("deploy") != std::nullopt);
    CHECK(*whole->match_whole("deploy!") == std::nullopt);
    auto groups = **whole->match_whole("deploy");
    REQUIRE(groups.size() == 3);
    CHECK_FALSE(groups[1]);  // an optional group that did not take part
    CHECK(*(**whole->match_whole("step-12"))[2] == "12");
}

TEST_CASE("Pattern walks every match with find_from", "[pattern]") {
    auto digits = Pattern::compile(R"(\d+)");
    REQUIRE(digits);
    std::string text = "a1 b22 c333";
    std::vector<std::string> seen;
    for (size_t offset = 0;;) {
        auto found = digits->find_from(text, offset);
        REQUIRE(found);
        if (!*found) break;
        auto match = *(**found)[0];
        seen.emplace_back(match);
        offset = static_cast<size_t>(match.data() + match.size() - text.data());
    }
    CHECK(seen == std::vector<std::string>{"1", "22", "333"});
    CHECK(*digits->find_from(text, text.size() + 5) == std::nullopt);
}

TEST_CASE("Pattern names what is wrong with an invalid expression", "[pattern]") {
    auto broken = Pattern::compile("(unclosed");
    REQUIRE_FALSE(broken);
    CHECK(broken.error().find("offset 9") != std::string::npos);
    CHECK_FALSE(Pattern::compile(std::string(max_pattern_bytes + 1, 'a')));
}

// std::regex recursed once per character: `.*healthy` over a 100 KB body overflowed the stack.
TEST_CASE("Pattern searches megabytes without recursion", "[pattern]") {
    std::string body(4 * 1024 * 1024, 'x');
    body += " healthy";
    auto dot_star = Pattern::compile(".*healthy");
    REQUIRE(dot_star);
    CHECK(dot_star->search(body) == true);
    auto character_class = Pattern::compile("[xy]+ healthy");
    REQUIRE(character_class);
    CHECK(character_class->search(body) == true);
    // A repeated group keeps a backtracking frame per repetition: four million of them are over
    // the heap limit, an error rather than a verdict.
    auto repeated_group = Pattern::compile("(x|y)+ healthy");
    REQUIRE(repeated_group);
    auto gave_up = repeated_group->search(body);
    REQUIRE_FALSE(gave_up);
    CHECK(gave_up.error().find("heap limit") != std::string::npos);
    CHECK(Pattern::compile("[a-z]*")->match_whole(std::string(1'000'000, 'a'))->has_value());
}

TEST_CASE("Pattern gives up on catastrophic backtracking with an error, never a verdict",
          "[pattern]") {
    auto catastrophic = Pattern::compile("(a+)+[bc]");
    REQUIRE(catastrophic);
    auto result = catastrophic->search(std::string(40, 'a') + "x");
    REQUIRE_FALSE(result);
    CHECK(result.error().find("gave up") != std::string::npos);
}

TEST_CASE("Pattern's limits are the options' when given", "[pattern]") {
    const std::string text = std::string(30, 'a') + "x";
    auto few_steps = Pattern::compile("(a+)+[bc]", {.match_limit = 1000});
    REQUIRE(few_steps);
    auto stopped = few_steps->search(text);
    REQUIRE_FALSE(stopped);
    CHECK_THAT(stopped.error(), Catch::Contains("match limit"));
    // The same search within the default match limit, and a plain one within the lowered one.
    CHECK(Pattern::compile("(a+)+[bc]")->search(std::string(12, 'a') + "x") == false);
    CHECK(few_steps->search("aab") == true);

    std::string long_text;
    for (int i = 0; i < 2000; ++i) long_text += std::string(22, 'x') + "$\n";
    auto short_clock =
        Pattern::compile("(x+x+)+[yz]", {.time_limit = std::chrono::milliseconds(20)});
    REQUIRE(short_clock);
    auto timed_out = short_clock->search(long_text);
    REQUIRE_FALSE(timed_out);
    CHECK_THAT(timed_out.error(), Catch::Contains("it ran past 20 ms"));
}

TEST_CASE("Pattern gives up when backtracking at every position of a long text adds up",
          "[pattern]") {
    // Found by the pattern fuzzer: each run of 22 x's costs about 4 million steps at each of its
    // first positions, under the match limit (which PCRE2 counts per start position), so the
    // search ran on: 32 s for 2 KB under the sanitizers, hours for a body of megabytes.
    std::string text;
    for (int i = 0; i < 2000; ++i) text += std::string(22, 'x') + "$" + std::string(12, 'x') + "\n";
    auto pattern = Pattern::compile("(x+x+)+[yz]");
    REQUIRE(pattern);
    auto started = std::chrono::steady_clock::now();
    auto result = pattern->search(text);
    auto took = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(result);
    CHECK_THAT(result.error(),
               Catch::Contains("gave up on 72000 bytes") && Catch::Contains("it ran past 2 s"));
    // The time limit and one attempt's match limit, with room for a slow (sanitized) build.
    CHECK(took < std::chrono::seconds(15));

    // Group numbers, leading option settings and alternatives are those written.
    auto groups = Pattern::compile("(*UCP)(a)|(b)(c)");
    REQUIRE(groups);
    auto found = groups->find("xbc");
    REQUIRE(found);
    REQUIRE(*found);
    CHECK_FALSE((**found)[1]);
    CHECK((**found)[2] == "b");
    CHECK((**found)[3] == "c");
    // A pattern that is invalid as written stays invalid, whatever wrapping would make of it.
    CHECK_FALSE(Pattern::compile("a)|(b"));
    // One whose end is inside an extended-mode comment still works (without the clock).
    CHECK(Pattern::compile("(?x) ok # the word")->search("it is ok") == true);
}

TEST_CASE("Pattern reads invalid UTF-8 as bytes instead of failing", "[pattern]") {
    auto pattern = Pattern::compile("ok");
    REQUIRE(pattern);
    CHECK(pattern->search(std::string("\xff\xfe ok \xc3")) == true);
    CHECK(pattern->search(std::string("\xff\xfe no \xc3")) == false);
}
