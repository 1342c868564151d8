#include "version/semver.h"

#include <algorithm>
#include <charconv>

#include "util/strings.h"

namespace launchkit::version {
namespace {

bool is_identifier_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

bool is_all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::unexpected<Error> invalid(std::string_view text, std::string_view reason) {
    return fail(ExitCode::invalid_input, "invalid SemVer version '{}': {}",
                util::printable(text, 80), reason);
}

Result<std::uint64_t> parse_number(std::string_view whole, std::string_view part,
                                   std::string_view name) {
    if (part.empty()) return invalid(whole, fmt::format("{} version is empty", name));
    if (!is_all_digits(part))
        return invalid(whole,
                       fmt::format("{} version '{}' is not a non-negative integer", name, part));
    if (part.size() > 1 && part[0] == '0')
        return invalid(whole, fmt::format("{} version '{}' has a leading zero", name, part));
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (error != std::errc() || end != part.data() + part.size())
        return invalid(whole, fmt::format("{} version '{}' is too large", name, part));
    return value;
}

Result<std::vector<std::string>> parse_identifiers(std::string_view whole, std::string_view part,
                                                   std::string_view name, bool numeric_strict) {
    std::vector<std::string> identifiers;
    size_t start = 0;
    while (true) {
        size_t dot = part.find('.', start);
        auto identifier = part.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (identifier.empty())
            return invalid(whole, fmt::format("{} has an empty identifier", name));
        auto bad = std::find_if_not(identifier.begin(), identifier.end(), is_identifier_char);
        if (bad != identifier.end())
            return invalid(whole, fmt::format("{} identifier '{}' contains '{}' (allowed: "
                                              "[0-9A-Za-z-])",
                                              name, identifier, *bad));
        if (numeric_strict && is_all_digits(identifier) && identifier.size() > 1 &&
            identifier[0] == '0')
            return invalid(whole,
                           fmt::format("{} identifier '{}' has a leading zero", name, identifier));
        identifiers.emplace_back(identifier);
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return identifiers;
}

// Numeric identifiers compare as numbers; digit strings of any length compare by length first.
std::strong_ordering compare_identifier(const std::string& left, const std::string& right) {
    bool left_numeric = is_all_digits(left);
    bool right_numeric = is_all_digits(right);
    if (left_numeric && right_numeric) {
        if (left.size() != right.size()) return left.size() <=> right.size();
        return left.compare(right) <=> 0;
    }
    if (left_numeric) return std::strong_ordering::less;  // numeric < alphanumeric
    if (right_numeric) return std::strong_ordering::greater;
    return left.compare(right) <=> 0;  // ASCII order
}

std::string join(const std::vector<std::string>& parts) {
    std::string result;
    for (const auto& part : parts) result += (result.empty() ? "" : ".") + part;
    return result;
}

}  // namespace

std::string SemVer::to_string() const {
    std::string text = fmt::format("{}.{}.{}", major, minor, patch);
    if (!prerelease.empty()) text += "-" + join(prerelease);
    if (!build.empty()) text += "+" + join(build);
    return text;
}

Result<SemVer> parse_semver(std::string_view text) {
    if (text.empty()) return invalid(text, "it is empty (expected MAJOR.MINOR.PATCH)");
    if (text.size() > max_semver_length)
        return invalid(text, fmt::format("it is {} characters long; at most {} are accepted",
                                         text.size(), max_semver_length));
    // One level only: a version starts with a digit, so "vv1.0.0" is not "v" + a version.
    if ((text[0] == 'v' || text[0] == 'V') && text.size() > 1 && text[1] >= '0' && text[1] <= '9' &&
        parse_semver(text.substr(1)))
        return invalid(text, "a version has no 'v'; leave out the tag prefix");
    SemVer version;
    std::string_view rest = text;

    if (auto plus = rest.find('+'); plus != std::string_view::npos) {
        LAUNCHKIT_TRY_ASSIGN(
            version.build, parse_identifiers(text, rest.substr(plus + 1), "build metadata", false));
        rest = rest.substr(0, plus);
    }
    if (auto dash = rest.find('-'); dash != std::string_view::npos) {
        LAUNCHKIT_TRY_ASSIGN(version.prerelease,
                             parse_identifiers(text, rest.substr(dash + 1), "pre-release", true));
        rest = rest.substr(0, dash);
    }

    auto first_dot = rest.find('.');
    auto second_dot =
        first_dot == std::string_view::npos ? first_dot : rest.find('.', first_dot + 1);
    if (second_dot == std::string_view::npos ||
        rest.find('.', second_dot + 1) != std::string_view::npos) {
        return invalid(text, "expected MAJOR.MINOR.PATCH with three numbers");
    }
    LAUNCHKIT_TRY_ASSIGN(version.major, parse_number(text, rest.substr(0, first_dot), "major"));
    LAUNCHKIT_TRY_ASSIGN(
        version.minor,
        parse_number(text, rest.substr(first_dot + 1, second_dot - first_dot - 1), "minor"));
    LAUNCHKIT_TRY_ASSIGN(version.patch, parse_number(text, rest.substr(second_dot + 1), "patch"));
    return version;
}

std::strong_ordering compare_precedence(const SemVer& left, const SemVer& right) {
    if (auto c = left.major <=> right.major; c != 0) return c;
    if (auto c = left.minor <=> right.minor; c != 0) return c;
    if (auto c = left.patch <=> right.patch; c != 0) return c;
    // A pre-release has lower precedence than the associated normal version.
    if (left.prerelease.empty() || right.prerelease.empty())
        return right.prerelease.size() == left.prerelease.size()
                   ? std::strong_ordering::equal
                   : (left.prerelease.empty() ? std::strong_ordering::greater
                                              : std::strong_ordering::less);
    size_t common = std::min(left.prerelease.size(), right.prerelease.size());
    for (size_t i = 0; i < common; ++i)
        if (auto c = compare_identifier(left.prerelease[i], right.prerelease[i]); c != 0) return c;
    return left.prerelease.size() <=> right.prerelease.size();
}

}  // namespace launchkit::version
