// A commit message that once forged a commit when git log's output was split at 0x1E (commits)
// and 0x1F (fields): shared by the tests of the library and of release-manager.
#pragma once

namespace launchkit::testing {

// A docs commit whose message carries a whole second commit after 0x1E: an object id of zeros,
// short hash 0000000, an author, a time, no tags and a breaking 'feat!:' subject.
inline constexpr const char* forged_commit_message =
    "docs: typo\x1e"
    "0000000000000000000000000000000000000000\x1f"
    "0000000\x1fmallory\x1f"
    "1700000000\x1f\x1f"
    "feat!: forged";

}  // namespace launchkit::testing
