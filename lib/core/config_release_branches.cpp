#include "core/config_release_branches.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/yaml_reader.h"

namespace launchkit {
namespace {

// SemVer's alphanumeric identifier: [0-9A-Za-z-]+ holding at least one non-digit. A loop, not
// std::regex: libstdc++'s executor backtracks without bound on a long identifier that fails
// (the config fuzzer's 17 KB input ran for minutes).
bool is_prerelease_identifier(const std::string& text) {
    auto allowed = [](unsigned char c) { return std::isalnum(c) || c == '-'; };
    auto non_digit = [](unsigned char c) { return std::isalpha(c) || c == '-'; };
    return std::all_of(text.begin(), text.end(), allowed) &&
           std::any_of(text.begin(), text.end(), non_digit);
}

Result<ReleaseBranchConfig> parse_branch(const YamlReader& reader, const YamlNode& node,
                                         const std::string& field) {
    ReleaseBranchConfig branch;
    branch.where = fmt::format("{}:{}", reader.source(), node.line());
    if (node.is_scalar()) {
        branch.name = node.text();
    } else if (node.is_map()) {
        LAUNCHKIT_TRY(
            reader.only_keys(node, field + ".", {"name", "range", "prerelease", "channel"}));
        LAUNCHKIT_TRY_ASSIGN(branch.name, reader.text(node["name"], field + ".name"));
        LAUNCHKIT_TRY_ASSIGN(branch.range, reader.text(node["range"], field + ".range"));
        LAUNCHKIT_TRY_ASSIGN(branch.channel, reader.text(node["channel"], field + ".channel"));
        if (const auto& prerelease = node["prerelease"]) {
            if (auto flag = yaml_boolean(prerelease)) {
                branch.prerelease = *flag ? branch.name : "";
            } else {
                LAUNCHKIT_TRY_ASSIGN(branch.prerelease,
                                     reader.text(prerelease, field + ".prerelease"));
            }
            if (!branch.prerelease.empty() && !is_prerelease_identifier(branch.prerelease))
                return reader.invalid(prerelease, field + ".prerelease",
                                      fmt::format("'{}' is not a SemVer pre-release identifier; "
                                                  "give one such as beta or rc",
                                                  branch.prerelease));
        }
    } else {
        return reader.invalid(node, field,
                              "expected a branch name or {name, range, prerelease, channel}");
    }
    if (branch.name.empty()) return reader.invalid(node, field + ".name", "expected a branch name");
    if (!branch.range.empty() && !is_maintenance_range(branch.range))
        return reader.invalid(
            node["range"], field + ".range",
            fmt::format("'{}' is not a range; expected N.x or N.N.x", branch.range));
    if (!branch.range.empty() && !branch.prerelease.empty())
        return reader.invalid(node, field,
                              "a branch is either a maintenance range or a pre-release, not both");
    return branch;
}

}  // namespace

bool is_maintenance_range(std::string_view text) {
    // N.x, N.x.x or N.N.x. Up to 18 digits a number: a version number that fits, with room for
    // the next one above it.
    auto take_number = [&text] {
        size_t digits = 0;
        while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
        text.remove_prefix(digits);
        return digits >= 1 && digits <= 18;
    };
    if (!take_number() || !text.starts_with('.')) return false;
    text.remove_prefix(1);
    if (text == "x" || text == "x.x") return true;
    return take_number() && text == ".x";
}

Result<std::vector<ReleaseBranchConfig>> parse_release_branches(
    const YamlNode& branches, const std::filesystem::path& source) {
    YamlReader reader(source.string());
    if (!branches.is_sequence() || branches.size() == 0)
        return reader.invalid(branches, "release.branches",
                              "expected a list of branches, e.g. [main, 1.x, {name: beta, "
                              "prerelease: true}]");
    std::vector<ReleaseBranchConfig> result;
    std::set<std::string> names;
    for (size_t i = 0; i < branches.size(); ++i) {
        auto field = fmt::format("release.branches[{}]", i);
        LAUNCHKIT_TRY_ASSIGN(auto branch, parse_branch(reader, branches[i], field));
        if (!names.insert(branch.name).second)
            return reader.invalid(branches[i], field,
                                  fmt::format("branch '{}' is listed twice", branch.name));
        result.push_back(std::move(branch));
    }
    return result;
}

}  // namespace launchkit
