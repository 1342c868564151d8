// The `release-manager` subcommands as library functions: each takes the Context and its options,
// prints human or JSON output, and returns the exit code.
#pragma once

#include <optional>
#include <string>

#include "core/context.h"
#include "sign/signing_commands.h"
#include "version/release_plan.h"

namespace launchkit::version {

// Options shared by the commands that look at a repository. Unset optionals fall back to the
// `release:` section of the configuration.
struct RepositoryOptions {
    std::string repository = ".";
    std::optional<std::string> tag_prefix;
    std::optional<std::string> component_path;
    bool allow_shallow = false;  // compute from a shallow clone's incomplete history anyway
    std::string branch;          // the branch released from, when HEAD is detached (CI)
};

struct CreateOptions {
    RepositoryOptions target;
    std::string bump;           // patch | minor | major | auto | release
    std::string version;        // --version
    std::string prerelease_id;  // --pre
    bool dry_run = false;
    bool allow_dirty = false;
    bool no_tag = false;
    bool no_commit = false;
    // --sign FILE...: a signed SHA256SUMS of the release's artifacts, its key id and digest in the
    // ledger. `signing.output` empty: SHA256SUMS beside the first file.
    sign::SignOptions signing{};
};

struct NextOptions {
    RepositoryOptions target;
    std::string bump = "auto";
    std::string prerelease_id;
};

struct ChangelogOptions {
    RepositoryOptions target;
    bool all = false;  // every release in the history, not only the unreleased commits
};

struct StatusOptions {
    std::string version;      // empty: the latest release
    std::string environment;  // --env
    std::optional<std::string> tag_prefix;
};

struct HistoryOptions {
    std::string environment;  // --env: only this environment's deploys and rollbacks
    std::optional<std::string> tag_prefix;
    size_t limit = 0;  // 0: all
};

Result<ExitCode> run_create(Context& context, const CreateOptions& options);
Result<ExitCode> run_next(Context& context, const NextOptions& options);
Result<ExitCode> run_changelog(Context& context, const ChangelogOptions& options);
Result<ExitCode> run_status(Context& context, const StatusOptions& options);
Result<ExitCode> run_history(Context& context, const HistoryOptions& options);

}  // namespace launchkit::version
