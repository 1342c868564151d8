// The off-site copy's storage: a restic repository, driven through Debian's `restic` with argv
// (never a shell). The repository and its password reach restic only through its environment
// (RESTIC_REPOSITORY, RESTIC_PASSWORD_FILE, RESTIC_PASSWORD), never argv, since a rest: or s3:
// address may carry credentials; messages show it with any password masked.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "backup/restic_output.h"
#include "base/error.h"
#include "core/context.h"

namespace launchkit::backup {

using ResticProgressHandler = std::function<void(const ResticProgress&)>;

struct ResticBackupRequest {
    std::filesystem::path directory;  // where restic runs
    std::vector<std::string> paths;
    std::vector<std::string> tags;
    // The data is compressed already, so restic does not try again (after repository_id(), on a
    // format 2 repository).
    bool compressed = false;
};

class ResticRepository {
  public:
    // `--offsite REPO` when given, else launchkit.yaml's `backups.offsite.restic`; nullopt when
    // neither names one. Exit 2 when the password has no source: the config's password_file
    // (readable) or password_env (set), else restic's own RESTIC_PASSWORD_FILE, RESTIC_PASSWORD
    // or RESTIC_PASSWORD_COMMAND in the environment.
    static Result<std::optional<ResticRepository>> configured(const Context& context,
                                                              const std::string& override);

    // The repository as messages show it: a password in its address replaced by ***.
    const std::string& describe() const { return described_; }

    // The repository's own id (`restic cat config`): the same whatever address reaches it.
    // Exit 3 naming the repository when there is none there, the password is wrong, or restic
    // cannot be run.
    Result<std::string> repository_id() const;
    // The repository format (`restic cat config`'s version): 2 stores data compressed.
    int format_version() const { return format_version_; }
    Result<void> init() const;
    // The snapshots carrying every one of `tags` (none holds a comma).
    Result<std::vector<ResticSnapshot>> snapshots(const std::vector<std::string>& tags) const;
    // Backs up `request.paths` (relative ones to `request.directory`) with its tags.
    Result<ResticBackupSummary> backup(const ResticBackupRequest& request,
                                       const ResticProgressHandler& progress) const;
    // Restores snapshot `id` into `target` (which it creates).
    Result<void> restore(const std::string& id, const std::filesystem::path& target) const;
    // `restic check`, reading back `read_data_subset` ("10%", "1/5", "all") of the data too when
    // not empty. The problems restic reported; none when it found none.
    Result<std::vector<std::string>> check(const std::string& read_data_subset) const;
    // `restic forget` of these snapshots, with --prune unless `prune` is false (their data then
    // stays until the next prune).
    Result<void> forget(const std::vector<std::string>& ids, bool prune = true) const;

  private:
    struct Run {
        std::vector<std::string> arguments;
        std::filesystem::path directory{};
        std::function<void(std::string_view)> stdout_line{};
        std::optional<std::chrono::milliseconds> timeout{};
    };
    Result<std::string> run(const Run& run, const std::string& what) const;

    std::vector<std::string> command() const;  // restic and its -o options

    std::string repository_;
    std::string described_;
    std::vector<std::string> options_;  // -o KEY=VALUE of launchkit.yaml's repository
    mutable int format_version_ = 0;    // known once repository_id() has read the config
    std::vector<std::pair<std::string, std::string>> environment_;
};

}  // namespace launchkit::backup
