#include "flags/constraint.h"

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "util/strings.h"
#include "util/time.h"

namespace launchkit::flags {

namespace {

constexpr std::array<std::pair<ConstraintOperator, std::string_view>, 19> operator_names = {{
    {ConstraintOperator::in, "IN"},
    {ConstraintOperator::not_in, "NOT_IN"},
    {ConstraintOperator::str_contains, "STR_CONTAINS"},
    {ConstraintOperator::str_starts_with, "STR_STARTS_WITH"},
    {ConstraintOperator::str_ends_with, "STR_ENDS_WITH"},
    {ConstraintOperator::num_eq, "NUM_EQ"},
    {ConstraintOperator::num_gt, "NUM_GT"},
    {ConstraintOperator::num_gte, "NUM_GTE"},
    {ConstraintOperator::num_lt, "NUM_LT"},
    {ConstraintOperator::num_lte, "NUM_LTE"},
    {ConstraintOperator::date_after, "DATE_AFTER"},
    {ConstraintOperator::date_before, "DATE_BEFORE"},
    {ConstraintOperator::semver_eq, "SEMVER_EQ"},
    {ConstraintOperator::semver_gt, "SEMVER_GT"},
    {ConstraintOperator::semver_gte, "SEMVER_GTE"},
    {ConstraintOperator::semver_lt, "SEMVER_LT"},
    {ConstraintOperator::semver_lte, "SEMVER_LTE"},
    {ConstraintOperator::regex, "REGEX"},
    {ConstraintOperator::in_cidr, "IN_CIDR"},
}};

bool is_number_operator(ConstraintOperator op) {
    return op >= ConstraintOperator::num_eq && op <= ConstraintOperator::num_lte;
}
bool is_date_operator(ConstraintOperator op) {
    return op == ConstraintOperator::date_after || op == ConstraintOperator::date_before;
}
bool is_semver_operator(ConstraintOperator op) {
    return op >= ConstraintOperator::semver_eq && op <= ConstraintOperator::semver_lte;
}
bool is_string_operator(ConstraintOperator op) {
    return op >= ConstraintOperator::str_contains && op <= ConstraintOperator::str_ends_with;
}

bool is_javascript_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view trim_javascript(std::string_view text) {
    while (!text.empty() && is_javascript_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_javascript_space(text.back())) text.remove_suffix(1);
    return text;
}

std::optional<double> radix_number(std::string_view digits, int base) {
    if (digits.empty()) return std::nullopt;
    double value = 0;
    for (char c : digits) {
        int digit = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'z' ? c - 'a' + 10
                    : c >= 'A' && c <= 'Z' ? c - 'A' + 10
                                           : 99;
        if (digit >= base) return std::nullopt;
        value = value * base + digit;
    }
    return value;
}

// A semantic version as node-semver reads a comparison's side: surrounding space trimmed, one
// leading 'v' allowed.
std::optional<version::SemVer> loose_semver(std::string_view text, bool allow_v) {
    text = trim_javascript(text);
    if (allow_v && !text.empty() && text.front() == 'v') text.remove_prefix(1);
    auto parsed = version::parse_semver(text);
    if (!parsed) return std::nullopt;
    return *parsed;
}

std::optional<std::string> value_as_text(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number_integer() || value.is_number_unsigned()) return value.dump();
    if (value.is_number_float()) return value.dump();
    if (value.is_boolean()) return std::string(value.get<bool>() ? "true" : "false");
    return std::nullopt;
}

// Unleash's SDKs match REGEX constraints with RE2 (re2js, Go's regexp, ...), which has no
// backtracking constructs: a pattern using one would match in launchkit (PCRE2) and fail to
// compile, so never match, in every SDK. Such a pattern is refused where it is written.
std::optional<std::string> re2_unsupported(std::string_view pattern) {
    bool in_class = false;
    for (size_t i = 0; i < pattern.size(); ++i) {
        char c = pattern[i];
        char next = i + 1 < pattern.size() ? pattern[i + 1] : '\0';
        if (c == '\\') {
            if (next >= '1' && next <= '9')
                return "a backreference (\\" + std::string(1, next) + ")";
            if (next == 'k' || next == 'g')
                return "a named backreference (\\" + std::string(1, next) + ")";
            if (next == 'K') return "\\K";
            ++i;
            continue;
        }
        if (in_class) {
            if (c == ']') in_class = false;
            continue;
        }
        if (c == '[') {
            in_class = true;
            if (next == '^') ++i;
            if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;  // a leading ] is literal
            continue;
        }
        if (c == '(' && next == '?' && i + 2 < pattern.size()) {
            char kind = pattern[i + 2];
            char after = i + 3 < pattern.size() ? pattern[i + 3] : '\0';
            if (kind == '=' || kind == '!') return "a lookahead ((?" + std::string(1, kind) + ")";
            if (kind == '<' && (after == '=' || after == '!')) return "a lookbehind";
            if (kind == '>') return "an atomic group ((?>)";
            if (kind == '(') return "a conditional ((?()";
            if (kind == 'R' || kind == '&' || (kind >= '0' && kind <= '9') || kind == '+' ||
                (kind == '-' && after >= '0' && after <= '9'))
                return "a recursion";
            if (kind == 'P' && (after == '=' || after == '>')) return "a named backreference";
        }
        if ((c == '*' || c == '+' || c == '?' || c == '}') && next == '+')
            return "a possessive quantifier";
    }
    return std::nullopt;
}

}  // namespace

std::string_view operator_name(ConstraintOperator op) {
    for (const auto& [known, name] : operator_names)
        if (known == op) return name;
    return "?";
}

std::optional<ConstraintOperator> parse_operator(std::string_view name) {
    for (const auto& [op, known] : operator_names)
        if (known == name) return op;
    return std::nullopt;
}

bool takes_single_value(ConstraintOperator op) {
    return is_number_operator(op) || is_date_operator(op) || is_semver_operator(op) ||
           op == ConstraintOperator::regex;
}

std::optional<double> javascript_number(std::string_view text) {
    text = trim_javascript(text);
    if (text.empty()) return 0.0;
    if (text.size() > 2 && text[0] == '0') {
        char prefix = static_cast<char>(text[1] | 0x20);
        if (prefix == 'x') return radix_number(text.substr(2), 16);
        if (prefix == 'o') return radix_number(text.substr(2), 8);
        if (prefix == 'b') return radix_number(text.substr(2), 2);
    }
    std::string_view body = text;
    bool negative = false;
    if (body.front() == '+' || body.front() == '-') {
        negative = body.front() == '-';
        body.remove_prefix(1);
    }
    if (body == "Infinity") return negative ? -HUGE_VAL : HUGE_VAL;
    // Digits, an optional fraction and exponent: what strtod also takes, minus its extras
    // (hex floats, "inf", "nan") that JavaScript does not read.
    size_t position = 0;
    size_t digits = 0;
    while (position < body.size() && body[position] >= '0' && body[position] <= '9')
        ++position, ++digits;
    if (position < body.size() && body[position] == '.') {
        ++position;
        while (position < body.size() && body[position] >= '0' && body[position] <= '9')
            ++position, ++digits;
    }
    if (digits == 0) return std::nullopt;
    if (position < body.size() && (body[position] == 'e' || body[position] == 'E')) {
        ++position;
        if (position < body.size() && (body[position] == '+' || body[position] == '-')) ++position;
        size_t exponent_digits = 0;
        while (position < body.size() && body[position] >= '0' && body[position] <= '9')
            ++position, ++exponent_digits;
        if (exponent_digits == 0) return std::nullopt;
    }
    if (position != body.size()) return std::nullopt;
    std::string terminated(text);
    return std::strtod(terminated.c_str(), nullptr);
}

std::optional<std::chrono::system_clock::time_point> parse_instant(std::string_view text) {
    if (auto instant = util::parse_rfc3339(text)) return instant;
    return util::parse_date(text);
}

Result<Constraint> constraint_from_json(const nlohmann::json& json, std::string_view where) {
    if (!json.is_object())
        return fail(ExitCode::invalid_input, "{}: a constraint is an object, not {}", where,
                    json.type_name());
    Constraint constraint;
    for (const auto& [key, value] : json.items()) {
        if (key != "contextName" && key != "operator" && key != "values" && key != "value" &&
            key != "caseInsensitive" && key != "inverted")
            return fail(ExitCode::invalid_input,
                        "{}: unknown key '{}' (expected contextName, operator, values, value, "
                        "caseInsensitive, inverted)",
                        where, util::printable(key, 80));
    }
    auto name = json.find("contextName");
    if (name == json.end() || !name->is_string() || name->get<std::string>().empty() ||
        name->get<std::string>().size() > 256)
        return fail(ExitCode::invalid_input,
                    "{}.contextName: expected the name of a context field (e.g. userId, region)",
                    where);
    constraint.context_name = name->get<std::string>();
    auto op = json.find("operator");
    if (op == json.end() || !op->is_string())
        return fail(ExitCode::invalid_input,
                    "{}.operator: expected one of IN, NOT_IN, "
                    "STR_CONTAINS, STR_STARTS_WITH, STR_ENDS_WITH, NUM_EQ, NUM_GT, NUM_GTE, "
                    "NUM_LT, NUM_LTE, DATE_AFTER, DATE_BEFORE, SEMVER_EQ, SEMVER_GT, SEMVER_GTE, "
                    "SEMVER_LT, SEMVER_LTE, REGEX, IN_CIDR",
                    where);
    auto parsed_op = parse_operator(op->get<std::string>());
    if (!parsed_op)
        return fail(ExitCode::invalid_input,
                    "{}.operator: unknown operator '{}' (expected one of IN, NOT_IN, "
                    "STR_CONTAINS, STR_STARTS_WITH, STR_ENDS_WITH, NUM_EQ, NUM_GT, NUM_GTE, "
                    "NUM_LT, NUM_LTE, DATE_AFTER, DATE_BEFORE, SEMVER_EQ, SEMVER_GT, SEMVER_GTE, "
                    "SEMVER_LT, SEMVER_LTE, REGEX, IN_CIDR)",
                    where, util::printable(op->get<std::string>(), 80));
    constraint.op = *parsed_op;
    for (const char* flag : {"caseInsensitive", "inverted"}) {
        auto found = json.find(flag);
        if (found == json.end() || found->is_null()) continue;
        if (!found->is_boolean())
            return fail(ExitCode::invalid_input, "{}.{}: expected true or false", where, flag);
        (std::string_view(flag) == "inverted" ? constraint.inverted : constraint.case_insensitive) =
            found->get<bool>();
    }

    if (takes_single_value(constraint.op)) {
        auto value = json.find("value");
        std::optional<std::string> text;
        if (value != json.end()) text = value_as_text(*value);
        if (!text)
            return fail(ExitCode::invalid_input,
                        "{}.value: {} compares with one value; expected "
                        "a string",
                        where, operator_name(constraint.op));
        if (text->size() > max_constraint_value_length)
            return fail(ExitCode::invalid_input, "{}.value: longer than {} bytes", where,
                        max_constraint_value_length);
        constraint.value = *text;
        auto& compiled = constraint.compiled;
        if (is_number_operator(constraint.op)) {
            auto number = javascript_number(*text);
            if (!number)
                return fail(ExitCode::invalid_input, "{}.value: expected a number, got '{}'", where,
                            util::printable(*text, 80));
            compiled.number = *number;
        } else if (is_date_operator(constraint.op)) {
            auto date = parse_instant(*text);
            if (!date)
                return fail(ExitCode::invalid_input,
                            "{}.value: expected a date such as 2025-06-30T12:00:00Z, got '{}'",
                            where, util::printable(*text, 80));
            compiled.date = *date;
        } else if (is_semver_operator(constraint.op)) {
            auto semver = loose_semver(*text, true);
            if (!semver)
                return fail(ExitCode::invalid_input,
                            "{}.value: expected a semantic version such as 2.3.0, got '{}'", where,
                            util::printable(*text, 80));
            compiled.semver = std::move(*semver);
        } else {
            if (auto unsupported = re2_unsupported(*text))
                return fail(ExitCode::invalid_input,
                            "{}.value: {} is not in the RE2 syntax Unleash's SDKs match with",
                            where, *unsupported);
            auto pattern = util::Pattern::compile(
                *text, util::PatternOptions{.ignore_case = constraint.case_insensitive});
            if (!pattern)
                return fail(ExitCode::invalid_input, "{}.value: invalid regular expression: {}",
                            where, pattern.error());
            compiled.pattern = std::move(*pattern);
        }
        return constraint;
    }

    auto values = json.find("values");
    if (values == json.end() || !values->is_array())
        return fail(ExitCode::invalid_input,
                    "{}.values: {} compares with a list; expected a "
                    "list of strings",
                    where, operator_name(constraint.op));
    if (values->size() > max_constraint_values)
        return fail(ExitCode::invalid_input, "{}.values: {} values, more than {}", where,
                    values->size(), max_constraint_values);
    for (size_t i = 0; i < values->size(); ++i) {
        auto text = value_as_text((*values)[i]);
        if (!text || text->size() > max_constraint_value_length)
            return fail(ExitCode::invalid_input,
                        "{}.values[{}]: expected a string of at most {} "
                        "bytes",
                        where, i, max_constraint_value_length);
        constraint.values.push_back(*text);
        // Unleash drops empty values and trims the rest before comparing.
        auto cleaned = std::string(trim_javascript(*text));
        if (cleaned.empty()) continue;
        if (constraint.op == ConstraintOperator::in_cidr) {
            auto range = util::parse_ip_range(cleaned);
            if (!range)
                return fail(ExitCode::invalid_input,
                            "{}.values[{}]: expected an IP address or a CIDR range such as "
                            "10.0.0.0/8, got '{}'",
                            where, i, util::printable(cleaned, 80));
            constraint.compiled.ranges.push_back(*range);
        }
        if (constraint.case_insensitive && is_string_operator(constraint.op))
            cleaned = util::to_lower(cleaned);
        constraint.compiled.values.push_back(std::move(cleaned));
    }
    return constraint;
}

nlohmann::json to_json(const Constraint& constraint) {
    nlohmann::json json = {{"contextName", constraint.context_name},
                           {"operator", operator_name(constraint.op)}};
    if (takes_single_value(constraint.op))
        json["value"] = constraint.value;
    else
        json["values"] = constraint.values;
    if (constraint.case_insensitive) json["caseInsensitive"] = true;
    if (constraint.inverted) json["inverted"] = true;
    return json;
}

namespace {

bool evaluate(const Constraint& constraint, const EvaluationContext& context) {
    const auto& compiled = constraint.compiled;
    auto op = constraint.op;
    if (is_date_operator(op)) {
        // Unleash's SDKs compare the context's currentTime, or now, whatever the field's name.
        auto now = std::chrono::system_clock::now();
        if (auto current = context.standard("currentTime")) {
            auto parsed = parse_instant(*current);
            if (!parsed) return false;
            now = *parsed;
        }
        return op == ConstraintOperator::date_after ? now > compiled.date : now < compiled.date;
    }
    auto field = context.value(constraint.context_name);
    switch (op) {
        case ConstraintOperator::in:
        case ConstraintOperator::not_in: {
            bool found = false;
            if (field)
                for (const auto& value : compiled.values)
                    if (value == *field) {
                        found = true;
                        break;
                    }
            return op == ConstraintOperator::in ? found : !found;
        }
        case ConstraintOperator::str_contains:
        case ConstraintOperator::str_starts_with:
        case ConstraintOperator::str_ends_with: {
            if (!field) return false;
            std::string lowered;
            std::string_view text = *field;
            if (constraint.case_insensitive) {
                lowered = util::to_lower(text);
                text = lowered;
            }
            for (const auto& value : compiled.values) {
                if (op == ConstraintOperator::str_contains ? text.find(value) != std::string::npos
                    : op == ConstraintOperator::str_starts_with ? text.starts_with(value)
                                                                : text.ends_with(value))
                    return true;
            }
            return false;
        }
        case ConstraintOperator::num_eq:
        case ConstraintOperator::num_gt:
        case ConstraintOperator::num_gte:
        case ConstraintOperator::num_lt:
        case ConstraintOperator::num_lte: {
            if (!field) return false;
            auto number = javascript_number(*field);
            if (!number) return false;
            double value = compiled.number;
            switch (op) {
                case ConstraintOperator::num_eq:
                    return *number == value;
                case ConstraintOperator::num_gt:
                    return *number > value;
                case ConstraintOperator::num_gte:
                    return *number >= value;
                case ConstraintOperator::num_lt:
                    return *number < value;
                default:
                    return *number <= value;
            }
        }
        case ConstraintOperator::semver_eq:
        case ConstraintOperator::semver_gt:
        case ConstraintOperator::semver_gte:
        case ConstraintOperator::semver_lt:
        case ConstraintOperator::semver_lte: {
            // Unleash refuses a context version written with a leading 'v'.
            if (!field || field->empty() || field->front() == 'v') return false;
            auto version = loose_semver(*field, false);
            if (!version) return false;
            auto order = version::compare_precedence(*version, compiled.semver);
            switch (op) {
                case ConstraintOperator::semver_eq:
                    return order == 0;
                case ConstraintOperator::semver_gt:
                    return order > 0;
                case ConstraintOperator::semver_gte:
                    return order >= 0;
                case ConstraintOperator::semver_lt:
                    return order < 0;
                default:
                    return order <= 0;
            }
        }
        case ConstraintOperator::regex: {
            if (!field || !compiled.pattern) return false;
            auto found = compiled.pattern->search(*field);
            return found && *found;  // a search that gave up at its limits is no match
        }
        case ConstraintOperator::in_cidr: {
            if (!field) return false;
            auto address = util::parse_ip_address(*field);
            if (!address) return false;
            for (const auto& range : compiled.ranges)
                if (range.contains(*address)) return true;
            return false;
        }
        default:
            return false;
    }
}

}  // namespace

bool constraint_holds(const Constraint& constraint, const EvaluationContext& context) {
    bool holds = evaluate(constraint, context);
    return constraint.inverted ? !holds : holds;
}

std::string describe(const Constraint& constraint) {
    std::string compared;
    if (takes_single_value(constraint.op)) {
        compared = constraint.value;
    } else {
        compared = "[";
        for (size_t i = 0; i < constraint.values.size(); ++i) {
            if (i == 5) {
                compared += fmt::format(", … {} more", constraint.values.size() - 5);
                break;
            }
            compared += (i ? ", " : "") + util::printable(constraint.values[i], 40);
        }
        compared += "]";
    }
    return fmt::format("{}{} {}{} {}", constraint.inverted ? "NOT " : "", constraint.context_name,
                       operator_name(constraint.op),
                       constraint.case_insensitive ? " (case-insensitive)" : "", compared);
}

}  // namespace launchkit::flags
