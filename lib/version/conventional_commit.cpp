#include "version/conventional_commit.h"

#include <cctype>

#include "util/strings.h"

namespace launchkit::version {
namespace {

using util::trim;

// Finds a `BREAKING CHANGE:` / `BREAKING-CHANGE:` footer; its note runs to the end of the
// paragraph.
bool find_breaking_footer(std::string_view body, std::string& note) {
    size_t position = 0;
    while (position <= body.size()) {
        size_t end = body.find('\n', position);
        std::string_view line =
            body.substr(position, end == std::string_view::npos ? end : end - position);
        for (std::string_view token : {"BREAKING CHANGE:", "BREAKING-CHANGE:"}) {
            if (!line.starts_with(token)) continue;
            std::string text(trim(line.substr(token.size())));
            // Continuation lines up to the next blank line belong to the note.
            while (end != std::string_view::npos) {
                size_t next_end = body.find('\n', end + 1);
                auto next = trim(body.substr(
                    end + 1, next_end == std::string_view::npos ? next_end : next_end - end - 1));
                if (next.empty()) break;
                text += (text.empty() ? "" : " ") + std::string(next);
                end = next_end;
            }
            note = text;
            return true;
        }
        if (end == std::string_view::npos) break;
        position = end + 1;
    }
    return false;
}

// git revert's body: "This reverts commit 0123abcd...".
std::string find_reverted_hash(std::string_view body) {
    constexpr std::string_view marker = "This reverts commit ";
    size_t found = body.find(marker);
    if (found == std::string_view::npos) return "";
    size_t start = found + marker.size();
    size_t end = start;
    while (end < body.size() && std::isxdigit(static_cast<unsigned char>(body[end]))) ++end;
    // An abbreviated hash shorter than git's minimum could match the wrong commit.
    return end - start >= 7 ? std::string(body.substr(start, end - start)) : "";
}

}  // namespace

ConventionalCommit parse_conventional_commit(std::string_view subject, std::string_view body) {
    ConventionalCommit commit;
    subject = trim(subject);
    commit.description = std::string(subject);

    size_t i = 0;
    while (i < subject.size() && std::isalpha(static_cast<unsigned char>(subject[i]))) ++i;
    size_t type_end = i;
    std::string_view scope;
    bool valid = type_end > 0;
    if (valid && i < subject.size() && subject[i] == '(') {
        size_t close = subject.find(')', i);
        valid = close != std::string_view::npos && close > i + 1 &&
                subject.substr(i + 1, close - i - 1).find('(') == std::string_view::npos;
        if (valid) {
            scope = trim(subject.substr(i + 1, close - i - 1));
            i = close + 1;
        }
    }
    bool bang = false;
    if (valid && i < subject.size() && subject[i] == '!') {
        bang = true;
        ++i;
    }
    valid = valid && i + 1 < subject.size() && subject[i] == ':' && subject[i + 1] == ' ' &&
            !trim(subject.substr(i + 2)).empty();

    if (valid) {
        commit.conventional = true;
        for (char c : subject.substr(0, type_end))
            commit.type += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        commit.scope = std::string(scope);
        commit.description = std::string(trim(subject.substr(i + 2)));
        commit.breaking = bang;
    }
    // A breaking footer counts even on a non-conventional subject: the author said it breaks.
    if (find_breaking_footer(body, commit.breaking_note)) commit.breaking = true;
    commit.reverted_hash = util::to_lower(find_reverted_hash(body));
    commit.revert = commit.type == "revert" || subject.starts_with("Revert \"") ||
                    !commit.reverted_hash.empty();
    return commit;
}

}  // namespace launchkit::version
