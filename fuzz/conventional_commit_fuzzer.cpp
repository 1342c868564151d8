// Conventional Commit messages, as `release-manager` reads them from `git log`: several messages
// (separated by 0x1E, each "subject\nbody") parsed, their reverts cancelled, the bump decided and
// the changelog section rendered.
#include <fmt/format.h>

#include "fuzz_input.h"
#include "version/bump.h"
#include "version/changelog.h"
#include "version/conventional_commit.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto rest = fuzz::as_text(data, size);
    std::vector<version::Commit> commits;
    std::vector<version::ConventionalCommit> parsed;
    while (!rest.empty() && commits.size() < 64) {
        auto [message, after] = fuzz::split_once(rest, "\x1e");
        auto [subject, body] = fuzz::split_once(message, "\n");
        version::Commit commit;
        commit.hash = fmt::format("{:040x}", commits.size() + 1);  // revert bodies can name these
        commit.short_hash = commit.hash.substr(33);
        commit.subject = subject;
        commit.body = body;
        commits.push_back(std::move(commit));
        parsed.push_back(version::parse_conventional_commit(subject, body));
        rest = after;
    }
    version::SemVer base{1, 4, 0, {}, {}};
    (void)version::bump_for_commits(parsed, base);
    for (const auto& commit : parsed) {
        (void)version::group_of(commit);
        (void)version::is_release_commit(commit);
    }
    version::cancel_reverts(commits);
    (void)version::render_section("1.5.0", "2026-12-03", commits);
    return 0;
}
