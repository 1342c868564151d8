#include "version/version_range.h"

#include <charconv>

#include "util/strings.h"

namespace launchkit::version {
namespace {

// A version with some parts left open: "1.2.x" has major 1, minor 2 and no patch.
struct PartialVersion {
    std::optional<std::uint64_t> major, minor, patch;
    std::vector<std::string> prerelease;
};

bool is_wildcard(std::string_view part) {
    return part == "x" || part == "X" || part == "*";
}

std::unexpected<Error> invalid_range(std::string_view range, std::string_view part,
                                     std::string_view expected) {
    return fail(ExitCode::invalid_input, "version range '{}': '{}': expected {}",
                util::printable(range, 80), util::printable(part, 80), expected);
}

Result<PartialVersion> parse_partial(std::string_view range, std::string_view text) {
    auto whole = text;
    if (!text.empty() && (text[0] == 'v' || text[0] == 'V')) text.remove_prefix(1);
    PartialVersion partial;
    if (is_wildcard(text)) return partial;
    auto dash = text.find('-');
    if (dash != std::string_view::npos) {
        LAUNCHKIT_TRY_ASSIGN(auto full, parse_semver(text));
        return PartialVersion{full.major, full.minor, full.patch, full.prerelease};
    }
    auto parts = util::split(text, '.');
    if (parts.empty() || parts.size() > 3)
        return invalid_range(range, whole, "a version such as 1.2.3, 1.2.x or 1");
    std::optional<std::uint64_t>* slots[] = {&partial.major, &partial.minor, &partial.patch};
    bool open = false;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (is_wildcard(parts[i])) {
            open = true;
            continue;
        }
        std::uint64_t value = 0;
        auto [end, error] =
            std::from_chars(parts[i].data(), parts[i].data() + parts[i].size(), value);
        if (open || parts[i].empty() || error != std::errc() ||
            end != parts[i].data() + parts[i].size())
            return invalid_range(range, whole, "a version such as 1.2.3, 1.2.x or 1");
        *slots[i] = value;
    }
    return partial;
}

SemVer lowest(const PartialVersion& partial) {
    return SemVer{partial.major.value_or(0),
                  partial.minor.value_or(0),
                  partial.patch.value_or(0),
                  partial.prerelease,
                  {}};
}

// The first version past everything the partial covers, as an exclusive bound that also shuts
// out its pre-releases (1.2.x ends before 1.3.0-0).
std::optional<SemVer> past(const PartialVersion& partial) {
    if (!partial.major) return std::nullopt;
    if (!partial.minor) return SemVer{*partial.major + 1, 0, 0, {"0"}, {}};
    if (!partial.patch) return SemVer{*partial.major, *partial.minor + 1, 0, {"0"}, {}};
    return std::nullopt;  // a full version: the caller decides
}

bool is_full(const PartialVersion& partial) {
    return partial.major && partial.minor && partial.patch;
}

void narrow_lower(VersionInterval& interval, VersionBound bound) {
    if (!interval.lower) {
        interval.lower = bound;
        return;
    }
    auto order = compare_precedence(bound.version, interval.lower->version);
    if (order > 0 || (order == 0 && !bound.inclusive)) interval.lower = bound;
}

void narrow_upper(VersionInterval& interval, VersionBound bound) {
    if (!interval.upper) {
        interval.upper = bound;
        return;
    }
    auto order = compare_precedence(bound.version, interval.upper->version);
    if (order < 0 || (order == 0 && !bound.inclusive)) interval.upper = bound;
}

// Applies one comparator ("^1.2", ">=1.1", "1.2.x", "1.2.x+") to the interval.
Result<void> apply_comparator(std::string_view range, std::string_view word,
                              VersionInterval& interval) {
    std::string_view op;
    for (std::string_view candidate : {">=", "<=", ">", "<", "=", "^", "~"})
        if (word.starts_with(candidate)) {
            op = candidate;
            break;
        }
    auto rest = word.substr(op.size());
    bool or_newer = op.empty() && rest.ends_with('+') && rest.find('-') == std::string_view::npos;
    if (or_newer) rest.remove_suffix(1);
    if (rest.empty()) return invalid_range(range, word, "a version after the operator");
    LAUNCHKIT_TRY_ASSIGN(auto partial, parse_partial(range, rest));
    auto low = lowest(partial);
    if (or_newer) {
        if (partial.major) narrow_lower(interval, {low, true});
        return {};
    }
    if (op.empty() || op == "=") {
        if (!partial.major) return {};  // "*"
        narrow_lower(interval, {low, true});
        if (is_full(partial))
            narrow_upper(interval, {low, true});
        else
            narrow_upper(interval, {*past(partial), false});
        return {};
    }
    if (!partial.major) {
        if (op == "<") return invalid_range(range, word, "a version below which nothing matches");
        return {};
    }
    if (op == ">=") {
        narrow_lower(interval, {low, true});
    } else if (op == ">") {
        if (is_full(partial))
            narrow_lower(interval, {low, false});
        else
            narrow_lower(interval, {past(partial)->release_part(), true});
    } else if (op == "<") {
        narrow_upper(
            interval,
            {is_full(partial) ? low : SemVer{low.major, low.minor, low.patch, {"0"}, {}}, false});
    } else if (op == "<=") {
        if (is_full(partial))
            narrow_upper(interval, {low, true});
        else
            narrow_upper(interval, {*past(partial), false});
    } else if (op == "~") {
        narrow_lower(interval, {low, true});
        auto minor_partial = partial;
        if (partial.minor) minor_partial.patch.reset();
        narrow_upper(interval, {*past(minor_partial), false});
    } else {  // "^": the leftmost non-zero part may not change
        narrow_lower(interval, {low, true});
        PartialVersion fixed;
        fixed.major = partial.major;
        if (*partial.major == 0 && partial.minor) {
            fixed.minor = partial.minor;
            if (*partial.minor == 0 && partial.patch) {
                narrow_upper(interval, {SemVer{0, 0, *partial.patch + 1, {"0"}, {}}, false});
                return {};
            }
        }
        narrow_upper(interval, {*past(fixed), false});
    }
    return {};
}

Result<VersionInterval> parse_interval(std::string_view range, std::string_view text) {
    VersionInterval interval;
    auto words = util::split_whitespace(text);
    if (words.size() == 3 && words[1] == "-") {
        LAUNCHKIT_TRY_ASSIGN(auto from, parse_partial(range, words[0]));
        LAUNCHKIT_TRY_ASSIGN(auto to, parse_partial(range, words[2]));
        if (from.major) narrow_lower(interval, {lowest(from), true});
        if (to.major) {
            if (is_full(to))
                narrow_upper(interval, {lowest(to), true});
            else
                narrow_upper(interval, {*past(to), false});
        }
        return interval;
    }
    if (words.empty()) return invalid_range(range, text, "a version or a range");
    for (const auto& word : words) {
        auto lower = util::to_lower(word);
        if (lower == "all" || lower == "any") continue;  // "All versions", as the runbook writes it
        if (lower == "versions") continue;
        LAUNCHKIT_TRY(apply_comparator(range, word, interval));
    }
    return interval;
}

}  // namespace

bool VersionInterval::contains(const SemVer& version) const {
    if (lower) {
        auto order = compare_precedence(version, lower->version);
        if (order < 0 || (order == 0 && !lower->inclusive)) return false;
    }
    if (upper) {
        auto order = compare_precedence(version, upper->version);
        if (order > 0 || (order == 0 && !upper->inclusive)) return false;
    }
    return true;
}

bool VersionRange::contains(const SemVer& version) const {
    for (const auto& interval : alternatives)
        if (interval.contains(version)) return true;
    return false;
}

Result<VersionRange> parse_version_range(std::string_view text) {
    VersionRange range;
    range.text = std::string(util::trim(text));
    if (range.text.empty())
        return fail(ExitCode::invalid_input, "version range is empty: expected e.g. 1.1.x - 1.2.x");
    if (range.text.size() > max_version_range_length)
        return fail(ExitCode::invalid_input,
                    "version range '{}' is {} characters long; at most {} are accepted",
                    util::printable(range.text, 80), range.text.size(), max_version_range_length);
    size_t start = 0;
    while (true) {
        auto bar = range.text.find("||", start);
        auto piece = std::string_view(range.text)
                         .substr(start, bar == std::string::npos ? std::string::npos : bar - start);
        LAUNCHKIT_TRY_ASSIGN(auto interval, parse_interval(range.text, util::trim(piece)));
        range.alternatives.push_back(interval);
        if (bar == std::string::npos) break;
        start = bar + 2;
    }
    return range;
}

Result<SemVer> parse_loose_version(std::string_view text) {
    auto trimmed = util::trim(text);
    if (!trimmed.empty() && (trimmed[0] == 'v' || trimmed[0] == 'V')) trimmed.remove_prefix(1);
    if (auto full = parse_semver(trimmed)) return *full;
    auto partial = parse_partial(text, trimmed);
    if (!partial || !partial->major)
        return fail(ExitCode::invalid_input,
                    "version '{}': expected a version such as 1.2.0, v1.2.0, 1.2 or 2",
                    util::printable(text, 80));
    return lowest(*partial);
}

}  // namespace launchkit::version
