#include "version/bump.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace launchkit::version {

std::string_view to_string(BumpKind kind) {
    switch (kind) {
        case BumpKind::none:
            return "none";
        case BumpKind::patch:
            return "patch";
        case BumpKind::minor:
            return "minor";
        case BumpKind::major:
            return "major";
    }
    return "none";
}

Result<BumpKind> parse_bump_kind(std::string_view text) {
    if (text == "patch") return BumpKind::patch;
    if (text == "minor") return BumpKind::minor;
    if (text == "major") return BumpKind::major;
    return fail(ExitCode::invalid_input, "invalid bump '{}': expected patch, minor or major", text);
}

SemVer bump(const SemVer& base, BumpKind kind) {
    SemVer next = base.release_part();
    // A pre-release already stands for the version the bump would reach: completing it is enough.
    bool completes = base.is_prerelease();
    switch (kind) {
        case BumpKind::major:
            if (!completes || base.minor != 0 || base.patch != 0)
                next = SemVer{base.major + 1, 0, 0, {}, {}};
            break;
        case BumpKind::minor:
            if (!completes || base.patch != 0) next = SemVer{base.major, base.minor + 1, 0, {}, {}};
            break;
        case BumpKind::patch:
            if (!completes) next.patch += 1;
            break;
        case BumpKind::none:
            break;
    }
    return next;
}

BumpKind bump_for_commits(const std::vector<ConventionalCommit>& commits, const SemVer& base) {
    BumpKind result = BumpKind::none;
    for (const auto& commit : commits) {
        BumpKind kind = BumpKind::none;
        if (commit.breaking)
            kind = base.major == 0 ? BumpKind::minor : BumpKind::major;
        else if (commit.type == "feat")
            kind = BumpKind::minor;
        else if (commit.type == "fix" || commit.type == "perf" || commit.revert)
            kind = BumpKind::patch;  // a revert of an earlier release's change fixes it
        result = std::max(result, kind);
        if (result == BumpKind::major) break;
    }
    return result;
}

SemVer next_prerelease(const SemVer& target, const std::string& id,
                       const std::vector<SemVer>& existing) {
    std::uint64_t highest = 0;
    for (const auto& version : existing) {
        if (version.release_part() != target.release_part()) continue;
        if (version.prerelease.size() != 2 || version.prerelease[0] != id) continue;
        const auto& number = version.prerelease[1];
        std::uint64_t n = 0;
        auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), n);
        if (error == std::errc() && end == number.data() + number.size())
            highest = std::max(highest, n);
    }
    SemVer next = target.release_part();
    next.prerelease = {id, std::to_string(highest + 1)};
    return next;
}

Result<void> validate_prerelease_id(std::string_view id) {
    if (id.empty() || id.find('.') != std::string_view::npos ||
        std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return fail(ExitCode::invalid_input,
                    "invalid --pre '{}': expected one alphanumeric identifier such as rc, beta",
                    id);
    bool allowed = std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
    });
    if (!allowed)
        return fail(ExitCode::invalid_input,
                    "invalid --pre '{}': only [0-9A-Za-z-] are allowed in a pre-release id", id);
    return {};
}

}  // namespace launchkit::version
