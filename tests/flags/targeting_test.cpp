// Targeting beyond the Unleash specification's cases: what is refused when a flag is written
// (naming the field), the edge cases of evaluation, the reasons `eval` shows, weights spread as
// Unleash's server spreads them, and Unleash's JSON read back from what launchkit writes.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "flags/bucketing.h"
#include "flags/constraint.h"
#include "flags/flag_evaluation.h"
#include "flags/unleash_format.h"
#include "util/ip_range.h"

using namespace launchkit::flags;
using launchkit::ExitCode;
using nlohmann::json;

namespace {

EvaluationContext context_of(const json& value) {
    auto context = context_from_json(value, "test");
    REQUIRE(context);
    return *context;
}

Constraint constraint_of(const json& value) {
    auto constraint = constraint_from_json(value, "c");
    REQUIRE(constraint);
    return *constraint;
}

std::string refusal(const json& value) {
    auto constraint =
        constraint_from_json(value, "flags/x: production.strategies[0].constraints[0]");
    REQUIRE_FALSE(constraint);
    CHECK(constraint.error().code == ExitCode::invalid_input);
    return constraint.error().message;
}

}  // namespace

TEST_CASE("numbers are read as JavaScript's Number() reads them", "[flags][targeting]") {
    CHECK(javascript_number("42") == 42.0);
    CHECK(javascript_number("  -1.5e2 ") == -150.0);
    CHECK(javascript_number("") == 0.0);
    CHECK(javascript_number("0x1F") == 31.0);
    CHECK(javascript_number(".5") == 0.5);
    CHECK(std::isinf(*javascript_number("-Infinity")));
    CHECK_FALSE(javascript_number("12px"));
    CHECK_FALSE(javascript_number("1e"));
    CHECK_FALSE(javascript_number("nan"));
    CHECK_FALSE(javascript_number("0x"));
}

TEST_CASE("addresses and CIDR ranges, IPv4 and IPv6", "[flags][targeting]") {
    using launchkit::util::parse_ip_address;
    using launchkit::util::parse_ip_range;
    auto range = parse_ip_range("10.1.2.3/8");
    REQUIRE(range);
    CHECK(range->contains(*parse_ip_address("10.200.0.1")));
    CHECK_FALSE(range->contains(*parse_ip_address("11.0.0.1")));
    CHECK_FALSE(range->contains(*parse_ip_address("::ffff:10.0.0.1")));  // another family
    auto v6 = parse_ip_range("2001:db8::/33");
    REQUIRE(v6);
    CHECK(v6->contains(*parse_ip_address("2001:db8:7fff::1")));
    CHECK_FALSE(v6->contains(*parse_ip_address("2001:db8:8000::1")));
    auto single = parse_ip_range("192.168.0.7");
    REQUIRE(single);
    CHECK(single->contains(*parse_ip_address("192.168.0.7")));
    CHECK_FALSE(single->contains(*parse_ip_address("192.168.0.8")));
    CHECK_FALSE(parse_ip_range("10.0.0.0/33"));
    CHECK_FALSE(parse_ip_range("10.0.0/8"));
    CHECK_FALSE(parse_ip_range("10.0.0.0/"));
}

TEST_CASE("a constraint that cannot work is refused naming its field", "[flags][targeting]") {
    CHECK_THAT(refusal({{"contextName", "region"}, {"operator", "IS"}, {"values", {"eu"}}}),
               Catch::StartsWith("flags/x: production.strategies[0].constraints[0].operator: "
                                 "unknown operator 'IS'"));
    CHECK_THAT(refusal({{"contextName", "n"}, {"operator", "NUM_GT"}, {"value", "many"}}),
               Catch::Contains(".value: expected a number, got 'many'"));
    CHECK_THAT(
        refusal(
            {{"contextName", "currentTime"}, {"operator", "DATE_AFTER"}, {"value", "yesterday"}}),
        Catch::Contains(".value: expected a date such as"));
    CHECK_THAT(
        refusal({{"contextName", "appVersion"}, {"operator", "SEMVER_GT"}, {"value", "2.3"}}),
        Catch::Contains(".value: expected a semantic version such as 2.3.0, got '2.3'"));
    CHECK_THAT(refusal({{"contextName", "email"}, {"operator", "REGEX"}, {"value", "(a"}}),
               Catch::Contains(".value: invalid regular expression"));
    CHECK_THAT(refusal({{"contextName", "email"}, {"operator", "REGEX"}, {"value", "(?<!x)y"}}),
               Catch::Contains("a lookbehind is not in the RE2 syntax"));
    CHECK_THAT(refusal({{"contextName", "ip"},
                        {"operator", "IN_CIDR"},
                        {"values", {"10.0.0.0/8", "10.0.0.0/40"}}}),
               Catch::Contains(".values[1]: expected an IP address or a CIDR range"));
    CHECK_THAT(refusal({{"contextName", "region"}, {"operator", "IN"}, {"value", "eu"}}),
               Catch::Contains(".values: IN compares with a list"));
    CHECK_THAT(
        refusal(
            {{"contextName", "region"}, {"operator", "IN"}, {"values", {"eu"}}, {"negate", true}}),
        Catch::Contains("unknown key 'negate'"));
    CHECK_THAT(refusal({{"operator", "IN"}, {"values", {"eu"}}}),
               Catch::Contains(".contextName: expected the name of a context field"));
    // Character classes are not mistaken for the constructs RE2 lacks.
    CHECK(constraint_from_json(
        {{"contextName", "a"}, {"operator", "REGEX"}, {"value", "^[(?=]+\\d{2}$"}}, "c"));
}

TEST_CASE("a missing or unreadable context value makes a constraint false", "[flags][targeting]") {
    auto empty = context_of(json::object());
    auto eu = context_of({{"properties", {{"region", "EU-West"}, {"age", "n/a"}}}});
    auto in = constraint_of({{"contextName", "region"}, {"operator", "IN"}, {"values", {"eu"}}});
    CHECK_FALSE(constraint_holds(in, empty));
    auto not_in =
        constraint_of({{"contextName", "region"}, {"operator", "NOT_IN"}, {"values", {"eu"}}});
    CHECK(constraint_holds(not_in, empty));  // Unleash: absent is "not in"
    auto inverted = constraint_of(
        {{"contextName", "region"}, {"operator", "IN"}, {"values", {"eu"}}, {"inverted", true}});
    CHECK(constraint_holds(inverted, empty));
    auto starts = constraint_of({{"contextName", "region"},
                                 {"operator", "STR_STARTS_WITH"},
                                 {"values", {" eu-", ""}},
                                 {"caseInsensitive", true}});
    CHECK(constraint_holds(starts, eu));
    auto older = constraint_of({{"contextName", "age"}, {"operator", "NUM_LT"}, {"value", "30"}});
    CHECK_FALSE(constraint_holds(older, eu));  // "n/a" is NaN: false, not an error
    auto version = constraint_of(
        {{"contextName", "appVersion"}, {"operator", "SEMVER_GTE"}, {"value", "v2.3.0"}});
    CHECK(constraint_holds(version, context_of({{"properties", {{"appVersion", "2.3.0"}}}})));
    CHECK(constraint_holds(version, context_of({{"properties", {{"appVersion", "2.10.0-rc.1"}}}})));
    CHECK_FALSE(
        constraint_holds(version, context_of({{"properties", {{"appVersion", "v2.4.0"}}}})));
    CHECK_FALSE(constraint_holds(version, context_of({{"properties", {{"appVersion", "2.2.9"}}}})));
    auto after = constraint_of({{"contextName", "currentTime"},
                                {"operator", "DATE_AFTER"},
                                {"value", "2026-01-01T00:00:00+01:00"}});
    CHECK(constraint_holds(after, context_of({{"currentTime", "2025-12-31T23:30:00Z"}})));
    CHECK_FALSE(constraint_holds(after, context_of({{"currentTime", "2025-12-31T22:30:00Z"}})));
    CHECK_FALSE(constraint_holds(after, context_of({{"currentTime", "not a time"}})));
    auto cidr = constraint_of({{"contextName", "remoteAddress"},
                               {"operator", "IN_CIDR"},
                               {"values", {"2001:db8::/32", "10.0.0.0/8"}}});
    CHECK(constraint_holds(cidr, context_of({{"remoteAddress", "2001:db8::5"}})));
    CHECK(constraint_holds(cidr, context_of({{"remoteAddress", "10.9.9.9"}})));
    CHECK_FALSE(constraint_holds(cidr, context_of({{"remoteAddress", "example.com"}})));
}

TEST_CASE("contexts read from JSON and from NAME=VALUE pairs", "[flags][targeting]") {
    auto context = context_of({{"userId", 42}, {"properties", {{"beta", true}, {"n", 2.5}}}});
    CHECK(context.value("userId") == "42");
    CHECK(context.value("beta") == "true");
    CHECK(context.value("n") == "2.5");
    // Whole floats print as JavaScript prints them; one beyond long long's range printed through
    // an undefined conversion to long long (found by review: any OFREP client can send one).
    auto numbers = context_of(
        {{"properties", {{"whole", 2.0}, {"huge", 1e300}, {"negative", -1e300}, {"big", 1e15}}}});
    CHECK(numbers.value("whole") == "2");
    CHECK(numbers.value("huge") == "1e+300");
    CHECK(numbers.value("negative") == "-1e+300");
    CHECK(numbers.value("big") == "1000000000000000");
    // Every form of JavaScript's String(number): in full below 10^21 and from 10^-6, shortest
    // digits that read back, an exponent without a leading zero. nlohmann writes "1e+15",
    // "1e-06" and "1e-07" for three of them.
    const std::vector<std::pair<double, std::string>> javascript = {
        {1e21, "1e+21"},
        {1.5e21, "1.5e+21"},
        {123456789012345680000.0, "123456789012345680000"},
        {0.1 + 0.2, "0.30000000000000004"},
        {-0.0, "0"},
        {0.000001, "0.000001"},
        {1.25e-6, "0.00000125"},
        {1e-7, "1e-7"},
        {-1.5e-7, "-1.5e-7"},
        {123.456, "123.456"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {2251799813685248.5, "2251799813685248.5"},
    };
    for (const auto& [number, text] : javascript) {
        INFO(text);
        CHECK(context_of({{"properties", {{"n", number}}}}).value("n") == text);
    }
    auto nested = context_from_json({{"properties", {{"tags", {"a"}}}}}, "ctx.json");
    REQUIRE_FALSE(nested);
    CHECK(nested.error().message ==
          "ctx.json: context field 'tags': expected a string, a number or a boolean, got array");
    auto pairs = context_from_pairs({"userId=7", "region=eu=west"});
    REQUIRE(pairs);
    CHECK(pairs->standard("userId") == "7");
    CHECK(pairs->value("region") == "eu=west");
    CHECK_FALSE(pairs->standard("region"));
    auto bad = context_from_pairs({"region"});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ExitCode::invalid_input);
}

TEST_CASE("strategies, segments and the reasons an evaluation gives", "[flags][targeting]") {
    auto document = json::parse(R"({
      "segments": [{"id": 7, "name": "internal", "constraints": [
        {"contextName": "email", "operator": "STR_ENDS_WITH", "values": ["@example.com"]}]}],
      "features": [
        {"name": "checkout", "enabled": true, "strategies": [
          {"name": "default", "segments": [7]},
          {"name": "flexibleRollout", "parameters": {"rollout": "20", "stickiness": "default",
           "groupId": "checkout"},
           "constraints": [{"contextName": "region", "operator": "IN", "values": ["eu"]}]},
          {"name": "remoteAddress", "parameters": {"IPs": "10.0.0.0/8, 2001:db8::/32"}}]}]})");
    auto set = targeting_from_unleash(document, "unleash.json");
    REQUIRE(set);
    CHECK(set->segment("internal"));

    auto staff = evaluate_flag(*set, "checkout",
                               context_of({{"properties", {{"email", "ana@example.com"}}}}), true);
    CHECK(staff.enabled);
    CHECK(staff.strategy == 0u);
    REQUIRE(staff.reasons.size() == 2);
    CHECK_THAT(staff.reasons[0], Catch::StartsWith("strategy 1 (default, segment internal): "
                                                   "matched"));

    // Find a user in the 20 % and one outside it, by the bucketing Unleash uses.
    std::string inside;
    std::string outside;
    for (int i = 0; inside.empty() || outside.empty(); ++i) {
        auto id = std::to_string(i);
        (rollout_bucket("checkout", id) <= 20 ? inside : outside) = id;
    }
    auto in_rollout =
        evaluate_flag(*set, "checkout",
                      context_of({{"userId", inside}, {"properties", {{"region", "eu"}}}}), true);
    CHECK(in_rollout.enabled);
    CHECK(in_rollout.strategy == 1u);
    CHECK_THAT(in_rollout.reasons[0],
               Catch::Contains("segment 'internal' constraint 1 'email STR_ENDS_WITH "
                               "[@example.com]' is false (email is not in the context)"));
    CHECK_THAT(in_rollout.reasons[1], Catch::Contains("within the 20 % rollout"));

    auto elsewhere =
        evaluate_flag(*set, "checkout",
                      context_of({{"userId", inside}, {"properties", {{"region", "us"}}}}), true);
    CHECK_FALSE(elsewhere.enabled);
    CHECK(elsewhere.variant == "disabled");
    CHECK_THAT(elsewhere.reasons[1],
               Catch::Contains("constraint 1 'region IN [eu]' is false (region is 'us')"));
    CHECK_THAT(elsewhere.reasons[2], Catch::Contains("no remoteAddress in the context"));

    auto not_chosen = evaluate_flag(
        *set, "checkout", context_of({{"userId", outside}, {"properties", {{"region", "eu"}}}}));
    CHECK_FALSE(not_chosen.enabled);
    CHECK(not_chosen.reasons.empty());  // reasons only when asked
    CHECK(
        evaluate_flag(*set, "checkout", context_of({{"remoteAddress", "2001:db8:1::1"}})).enabled);

    auto missing = evaluate_flag(*set, "nothing", context_of(json::object()), true);
    CHECK_FALSE(missing.found);
    CHECK(missing.reasons == std::vector<std::string>{"no such flag"});
}

TEST_CASE("a strategy that cannot work is refused naming its field", "[flags][targeting]") {
    auto refused = [](const json& strategy) {
        auto read = strategy_from_json(strategy, "flags/x: production.strategies[1]");
        REQUIRE_FALSE(read);
        CHECK(read.error().code == ExitCode::invalid_input);
        return read.error().message;
    };
    CHECK_THAT(refused({{"name", "gradualRollout"}}),
               Catch::Contains(".name: unknown strategy 'gradualRollout'"));
    CHECK_THAT(refused({{"name", "flexibleRollout"}, {"parameters", {{"rollout", "120"}}}}),
               Catch::Contains(".parameters.rollout: expected a percentage from 0 to 100, got "
                               "'120'"));
    CHECK_THAT(refused({{"name", "flexibleRollout"}}),
               Catch::Contains(".parameters.rollout: flexibleRollout needs a percentage"));
    CHECK_THAT(
        refused({{"name", "remoteAddress"}, {"parameters", {{"IPs", "10.0.0.1, 10.0.0/8"}}}}),
        Catch::Contains(".parameters.IPs: '10.0.0/8' is not an IP address"));
    CHECK_THAT(
        refused({{"name", "default"},
                 {"variants", {{{"name", "a"}, {"weight", 0}}, {{"name", "b"}, {"weight", 0}}}}}),
        Catch::Contains(".variants: the weights add up to 0"));
    CHECK_THAT(refused({{"name", "default"},
                        {"variants",
                         {{{"name", "a"}, {"weight", 500}}, {{"name", "a"}, {"weight", 500}}}}}),
               Catch::Contains(".variants[1].name: variant 'a' is listed twice"));
    CHECK_THAT(refused({{"name", "default"},
                        {"variants",
                         {{{"name", "a"},
                           {"weight", 1000},
                           {"payload", {{"type", "json"}, {"value", "{oops"}}}}}}}),
               Catch::Contains(".variants[0].payload.value: a json payload must be valid JSON"));
}

TEST_CASE("variant weights are spread as Unleash's server spreads them", "[flags][targeting]") {
    std::vector<Variant> variants(3);
    variants[0] = {"control", 300, true, "", std::nullopt, {}};
    variants[1] = {"blue", 0, false, "", std::nullopt, {}};
    variants[2] = {"green", 0, false, "", std::nullopt, {}};
    REQUIRE(spread_variant_weights(variants, "variants"));
    CHECK(variants[0].weight == 300);
    CHECK(variants[1].weight == 350);
    CHECK(variants[2].weight == 350);
    std::vector<Variant> three(3);
    for (auto& variant : three) variant.name = "v";
    REQUIRE(spread_variant_weights(three, "variants"));
    CHECK(three[0].weight == 334);
    CHECK(three[1].weight == 333);
    CHECK(three[2].weight == 333);

    std::vector<Variant> too_much = {{"a", 700, true, "", std::nullopt, {}},
                                     {"b", 400, true, "", std::nullopt, {}},
                                     {"c", 0, false, "", std::nullopt, {}}};
    auto refused = spread_variant_weights(too_much, "flags/x: production.variants");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message ==
          "flags/x: production.variants: fixed weights add up to 1100, more than 1000 (100 %)");
    std::vector<Variant> all_fixed = {{"a", 600, true, "", std::nullopt, {}},
                                      {"b", 300, true, "", std::nullopt, {}}};
    auto short_of = spread_variant_weights(all_fixed, "variants");
    REQUIRE_FALSE(short_of);
    CHECK_THAT(short_of.error().message, Catch::Contains("add up to 900, not 1000"));
}

TEST_CASE("variants: overrides first, then the sticky hash", "[flags][targeting]") {
    auto variants = variants_from_json(json::parse(R"([
        {"name": "control", "weight": 500, "weightType": "fix"},
        {"name": "treatment", "weight": 500, "weightType": "fix",
         "overrides": [{"contextName": "userId", "values": ["ana"]}],
         "payload": {"type": "number", "value": "3"}}])"),
                                       "variants");
    REQUIRE(variants);
    auto for_ana = select_variant("exp", "", *variants, context_of({{"userId", "ana"}}));
    REQUIRE(for_ana);
    CHECK(for_ana->name == "treatment");
    // The same subject always lands on the same variant; about half land on each.
    int treatment = 0;
    for (int i = 0; i < 2000; ++i) {
        auto context = context_of({{"userId", "user-" + std::to_string(i)}});
        const auto* first = select_variant("exp", "default", *variants, context);
        const auto* again = select_variant("exp", "default", *variants, context);
        REQUIRE(first == again);
        treatment += first->name == "treatment";
    }
    CHECK(treatment > 850);
    CHECK(treatment < 1150);
    // Custom stickiness reads the field, wherever it is.
    auto by_company = context_of({{"userId", "1"}, {"properties", {{"company", "acme"}}}});
    auto other_user = context_of({{"userId", "2"}, {"properties", {{"company", "acme"}}}});
    CHECK(select_variant("exp", "company", *variants, by_company) ==
          select_variant("exp", "company", *variants, other_user));
}

TEST_CASE("dependencies on parent flags", "[flags][targeting]") {
    auto document = json::parse(R"({"features": [
        {"name": "parent", "enabled": true, "strategies": [{"name": "default",
          "variants": [{"name": "new-ui", "weight": 1000}]}]},
        {"name": "off-parent", "enabled": false, "strategies": []},
        {"name": "child", "enabled": true, "strategies": [],
         "dependencies": [{"feature": "parent", "variants": ["new-ui"]}]},
        {"name": "wrong-variant", "enabled": true, "strategies": [],
         "dependencies": [{"feature": "parent", "variants": ["old-ui"]}]},
        {"name": "needs-off", "enabled": true, "dependencies": [{"feature": "off-parent",
          "enabled": false}]},
        {"name": "grandchild", "enabled": true, "dependencies": [{"feature": "child"}]},
        {"name": "orphan", "enabled": true, "dependencies": [{"feature": "gone"}]}]})");
    auto set = targeting_from_unleash(document, "unleash.json");
    REQUIRE(set);
    auto empty = context_of(json::object());
    CHECK(evaluate_flag(*set, "child", empty).enabled);
    CHECK_FALSE(evaluate_flag(*set, "wrong-variant", empty).enabled);
    CHECK(evaluate_flag(*set, "needs-off", empty).enabled);
    auto grandchild = evaluate_flag(*set, "grandchild", empty, true);
    CHECK_FALSE(grandchild.enabled);  // one level only, as Unleash
    CHECK_THAT(grandchild.reasons[0], Catch::Contains("depends on another flag itself"));
    auto orphan = evaluate_flag(*set, "orphan", empty, true);
    CHECK_FALSE(orphan.enabled);
    CHECK(orphan.reasons[0] == "parent 'gone' does not exist");
}

TEST_CASE("Unleash's JSON written by launchkit reads back to the same answers",
          "[flags][targeting]") {
    auto document = json::parse(R"({"segments": [{"id": 3, "constraints": [
        {"contextName": "tier", "operator": "IN", "values": ["gold"]}]}],
      "features": [{"name": "search", "enabled": true,
        "strategies": [{"name": "flexibleRollout", "segments": [3],
          "parameters": {"rollout": "50", "stickiness": "userId", "groupId": "search"}}],
        "variants": [{"name": "a", "weight": 500, "stickiness": "userId"},
                     {"name": "b", "weight": 500, "stickiness": "userId",
                      "payload": {"type": "string", "value": "fast"}}]}]})");
    auto first = targeting_from_unleash(document, "in.json");
    REQUIRE(first);
    CHECK(first->segment("segment-3"));
    auto second = targeting_from_unleash(to_unleash_json(*first), "out.json");
    REQUIRE(second);
    for (int i = 0; i < 500; ++i) {
        auto context = context_of(
            {{"userId", std::to_string(i)}, {"properties", {{"tier", i % 3 ? "gold" : "tin"}}}});
        auto a = evaluate_flag(*first, "search", context);
        auto b = evaluate_flag(*second, "search", context);
        REQUIRE(a.enabled == b.enabled);
        REQUIRE(a.variant == b.variant);
    }
}
