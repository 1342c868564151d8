#include "version/changelog.h"

#include <array>
#include <optional>

#include "util/strings.h"
#include "util/time.h"
#include "version/semver.h"

namespace launchkit::version {
namespace {

constexpr std::string_view file_header =
    "# Changelog\n\nAll notable changes to this project are documented in this file.\n\n";

// A message is whatever its author typed, so each part of it goes through util::printable:
// control characters (a carriage return, an escape sequence) shown as \r or \x1b, never acted
// on by the terminal that prints the changelog or the pager that shows CHANGELOG.md, where they
// could hide an entry or forge another line.
std::string entry_line(const Commit& commit, const ConventionalCommit& parsed, ChangeGroup group) {
    std::string line = "- ";
    if (group == ChangeGroup::other && parsed.conventional) {
        // "Other" mixes docs, chore, refactor...: keep the type so readers can tell them apart.
        line += util::printable(parsed.type) +
                (parsed.scope.empty() ? "" : "(" + util::printable(parsed.scope) + ")") + ": ";
    } else if (!parsed.scope.empty()) {
        line += "**" + util::printable(parsed.scope) + ":** ";
    }
    line += util::printable(parsed.description);
    line += " (" + commit.short_hash + ")";
    if (parsed.breaking && !parsed.breaking_note.empty() &&
        parsed.breaking_note != parsed.description)
        line += "\n  " + util::printable(parsed.breaking_note);
    return line + "\n";
}

}  // namespace

std::string_view heading(ChangeGroup group) {
    switch (group) {
        case ChangeGroup::breaking:
            return "Breaking";
        case ChangeGroup::features:
            return "Features";
        case ChangeGroup::fixes:
            return "Fixes";
        case ChangeGroup::performance:
            return "Performance";
        case ChangeGroup::reverts:
            return "Reverts";
        case ChangeGroup::other:
            return "Other";
    }
    return "Other";
}

ChangeGroup group_of(const ConventionalCommit& commit) {
    if (commit.breaking) return ChangeGroup::breaking;
    if (commit.type == "feat") return ChangeGroup::features;
    if (commit.type == "fix") return ChangeGroup::fixes;
    if (commit.type == "perf") return ChangeGroup::performance;
    if (commit.revert) return ChangeGroup::reverts;
    return ChangeGroup::other;
}

bool is_release_commit(const ConventionalCommit& commit) {
    return commit.type == "chore" && commit.scope == "release";
}

void cancel_reverts(std::vector<Commit>& commits) {
    std::vector<bool> cancelled(commits.size(), false);
    for (size_t i = 0; i < commits.size(); ++i) {
        if (cancelled[i]) continue;
        auto parsed = parse_conventional_commit(commits[i].subject, commits[i].body);
        if (parsed.reverted_hash.empty()) continue;
        for (size_t j = i + 1; j < commits.size(); ++j) {
            if (cancelled[j] || !commits[j].hash.starts_with(parsed.reverted_hash)) continue;
            cancelled[i] = cancelled[j] = true;
            break;
        }
    }
    size_t index = 0;
    std::erase_if(commits, [&](const Commit&) { return cancelled[index++]; });
}

std::string render_section(std::string_view title, std::string_view date,
                           const std::vector<Commit>& commits) {
    constexpr std::array groups = {ChangeGroup::breaking, ChangeGroup::features,
                                   ChangeGroup::fixes,    ChangeGroup::performance,
                                   ChangeGroup::reverts,  ChangeGroup::other};
    std::array<std::string, groups.size()> entries;
    for (const auto& commit : commits) {
        auto parsed = parse_conventional_commit(commit.subject, commit.body);
        if (is_release_commit(parsed)) continue;
        auto group = group_of(parsed);
        entries[static_cast<size_t>(group)] += entry_line(commit, parsed, group);
    }
    std::string section = fmt::format("## [{}]", title);
    if (!date.empty()) section += fmt::format(" - {}", date);
    section += "\n";
    bool any = false;
    for (size_t i = 0; i < groups.size(); ++i) {
        if (entries[i].empty()) continue;
        section += fmt::format("\n### {}\n\n{}", heading(groups[i]), entries[i]);
        any = true;
    }
    if (!any) section += "\nNo changes.\n";
    return section;
}

std::string render_full_changelog(const std::vector<Commit>& commits, std::string_view tag_prefix) {
    std::string output(file_header);
    std::vector<Commit> pending;
    std::string title = "Unreleased";
    std::string date;
    auto flush = [&] {
        cancel_reverts(pending);
        if (!pending.empty() || title != "Unreleased")
            output += render_section(title, date, pending) + "\n";
        pending.clear();
    };
    for (const auto& commit : commits) {
        // Several release tags on one commit (an rc and its final): the highest names the section.
        std::optional<SemVer> newest;
        for (const auto& tag : commit.tags) {
            auto parsed = parse_semver(std::string_view(tag).substr(tag_prefix.size()));
            if (parsed && (!newest || precedes(*newest, *parsed))) newest = *parsed;
        }
        if (newest) {
            flush();
            title = newest->to_string();
            date = util::format_unix_date(commit.time);
        }
        pending.push_back(commit);
    }
    flush();
    while (output.ends_with("\n\n")) output.pop_back();
    return output;
}

Result<std::string> insert_section(std::string_view existing, std::string_view section,
                                   std::string_view version_title) {
    std::string marker = fmt::format("## [{}]", version_title);
    size_t found = existing.find(marker);
    if (found != std::string_view::npos && (found == 0 || existing[found - 1] == '\n'))
        return fail(ExitCode::invalid_input, "the changelog already has a section for {}",
                    version_title);

    std::string block = std::string(section) + "\n";
    if (existing.empty()) return std::string(file_header) + block;
    size_t first_section = existing.starts_with("## ") ? 0 : existing.find("\n## ");
    if (first_section == std::string_view::npos) {
        std::string result(existing);
        if (!result.ends_with("\n")) result += "\n";
        if (!result.ends_with("\n\n")) result += "\n";
        return result + block;
    }
    size_t insert_at = first_section == 0 ? 0 : first_section + 1;
    std::string result(existing.substr(0, insert_at));
    result += block;
    result += existing.substr(insert_at);
    return result;
}

}  // namespace launchkit::version
