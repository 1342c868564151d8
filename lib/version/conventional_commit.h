// Conventional Commits 1.0.0 (https://www.conventionalcommits.org): reading a commit message's
// type, scope, breaking marker and BREAKING CHANGE footer, which decide the version bump and
// changelog group.
#pragma once

#include <string>
#include <string_view>

namespace launchkit::version {

struct ConventionalCommit {
    bool conventional = false;  // the subject had the `type(scope)!: description` form
    std::string type;           // lower-cased: feat, fix, perf, chore, ...
    std::string scope;
    // The subject's text after ": " (the whole subject if not conventional).
    std::string description;
    bool breaking = false;      // `!` before the colon or a BREAKING CHANGE footer
    std::string breaking_note;  // the footer's text, if any
    // A revert (`revert: ...`, git's `Revert "..."`, or a body saying "This reverts commit
    // <sha>."), and the hash it names when it names one.
    bool revert = false;
    std::string reverted_hash;
};

// Parses the first line (`subject`) and the remaining lines (`body`) of a commit message.
ConventionalCommit parse_conventional_commit(std::string_view subject, std::string_view body);

}  // namespace launchkit::version
