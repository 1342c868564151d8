// A project whose backups go off-site to a local restic repository: a directory to back up, the
// repository's password in a file, and a restic wrapper first on PATH that records every argv
// it is given, dies like a killed process when $KILL_RESTIC_BACKUP is set and it is asked to
// back up, and first appends a line to the file $WRITE_DURING_RESTIC_BACKUP names when that is
// set (a tree written to while it is being copied).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/state_fixture.h"
#include "support/temp_dir.h"

namespace launchkit::testing {

struct OffsiteProject {
    static constexpr const char* password = "correct horse battery staple";

    OffsiteProject();
    TempDir work;
    std::filesystem::path repository = work.path() / "offsite-repo";
    std::filesystem::path argv_log = work.path() / "restic-argv.log";

    Environment environment(Environment extra = {}) const;
    // `release-manager backup sync --init` on `machine`: the repository created (when it is not
    // there) and every pending backup copied; fails the test, with what it said, otherwise.
    void sync_init(const StateFixture& machine, const Environment& environment) const;
    // restic itself (not the wrapper), on the repository, as its users would run it (from
    // `directory` when given): stdout; fails the test when restic fails.
    std::string restic(const std::vector<std::string>& arguments,
                       const std::filesystem::path& directory = {}) const;
    nlohmann::json snapshots() const;
};

}  // namespace launchkit::testing
