// A scratch git repository plus a state directory, and release-manager run against both.
#pragma once

#include "support/temp_dir.h"

namespace launchkit::testing {

struct ReleaseFixture {
    GitSandbox repo;
    TempDir state;

    // Runs the real release-manager in the repository with this state directory, acting as ci-bot.
    util::ProcessResult release_manager(std::vector<std::string> arguments) {
        return run_tool(
            "release-manager", std::move(arguments), repo.root(),
            {{"LAUNCHKIT_STATE_DIR", state.path().string()}, {"LAUNCHKIT_ACTOR", "ci-bot"}});
    }
    std::string tags() { return repo.git({"tag", "--list"}); }
};

}  // namespace launchkit::testing
