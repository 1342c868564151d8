// Unleash's strategy constraints: a context field compared with values by one of nineteen
// operators, optionally inverted. Read and validated in full when stored (an unknown operator, a
// bad number, date, version, pattern or CIDR is exit 2 naming the field); at evaluation a missing
// field or an unreadable context value makes the constraint false, never an error.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "flags/evaluation_context.h"
#include "util/ip_range.h"
#include "util/pattern.h"
#include "version/semver.h"

namespace launchkit::flags {

enum class ConstraintOperator {
    in,
    not_in,
    str_contains,
    str_starts_with,
    str_ends_with,
    num_eq,
    num_gt,
    num_gte,
    num_lt,
    num_lte,
    date_after,
    date_before,
    semver_eq,
    semver_gt,
    semver_gte,
    semver_lt,
    semver_lte,
    regex,
    in_cidr,
};

// "IN", "STR_CONTAINS", ... as Unleash writes them.
std::string_view operator_name(ConstraintOperator op);
std::optional<ConstraintOperator> parse_operator(std::string_view name);
// Whether the operator compares with one `value` (numbers, dates, versions, a pattern) rather
// than a list of `values`.
bool takes_single_value(ConstraintOperator op);

// Values one constraint may list, and how long one may be.
inline constexpr size_t max_constraint_values = 1000;
inline constexpr size_t max_constraint_value_length = 1024;

struct Constraint {
    std::string context_name;
    ConstraintOperator op = ConstraintOperator::in;
    std::vector<std::string> values;  // as written (list operators)
    std::string value;                // as written (single-value operators)
    bool case_insensitive = false;
    bool inverted = false;

    // What the operator compares with, read once when the constraint is read.
    struct Compiled {
        std::vector<std::string> values;  // trimmed, empty ones dropped; lower case if asked
        double number = 0;
        std::chrono::system_clock::time_point date{};
        version::SemVer semver{};
        std::optional<util::Pattern> pattern{};
        std::vector<util::IpRange> ranges{};
    } compiled{};
};

// Reads one constraint in Unleash's JSON shape ({"contextName", "operator", "values" | "value",
// "caseInsensitive", "inverted"}); `where` names it in errors ("flags/x: production.strategies[0]
// .constraints[1]").
Result<Constraint> constraint_from_json(const nlohmann::json& json, std::string_view where);
nlohmann::json to_json(const Constraint& constraint);

// Whether the context satisfies the constraint (inversion applied).
bool constraint_holds(const Constraint& constraint, const EvaluationContext& context);
// The constraint as a person reads it: "region IN [eu, us]", "NOT appVersion SEMVER_LT 2.3.0".
std::string describe(const Constraint& constraint);

// JavaScript's Number(text), which Unleash's SDKs use for NUM_* operators and rollout
// percentages: surrounding white space ignored, "" is 0, hex/octal/binary prefixes, Infinity;
// nothing where JavaScript answers NaN.
std::optional<double> javascript_number(std::string_view text);
// A date as Unleash's SDKs read one: RFC 3339 ("2024-01-31T12:00:00.000Z", any offset) or a
// calendar date (midnight UTC).
std::optional<std::chrono::system_clock::time_point> parse_instant(std::string_view text);

}  // namespace launchkit::flags
