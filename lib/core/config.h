// launchkit.yaml: where it is found and what it may hold. Every key is validated when loaded, so a
// typo is reported with file, line and the expected form instead of being silently ignored.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace launchkit {

// One entry of `release.branches:`, in semantic-release's form: a release branch (`main`), a
// maintenance branch (`1.x`, `1.4.x`, or any name with `range:`) or a pre-release branch
// (`{name: beta, prerelease: true}`).
struct ReleaseBranchConfig {
    std::string name;        // a branch name, or a glob (`release/*`)
    std::string range;       // maintenance: "1.x" or "1.4.x"; empty: the name's, if it is one
    std::string prerelease;  // the pre-release id; empty: not a pre-release branch
    std::string channel;     // empty: the default for its kind
    std::string where;       // "launchkit.yaml:12"
};

// Release versioning settings (the `release:` section).
struct ReleaseConfig {
    std::string tag_prefix = "v";               // tags are <prefix><semver>
    std::string changelog = "CHANGELOG.md";     // relative to the component path
    std::string version_file = "VERSION";       // relative to the component path
    std::string path;                           // component subtree; empty: the whole repository
    std::vector<ReleaseBranchConfig> branches;  // empty: release from any branch
};

// Feature-flag settings (the `flags:` section).
struct FlagsConfig {
    std::string environment;    // default --env; empty: $LAUNCHKIT_ENV, then "production"
    int stale_after_days = 30;  // `feature-flags stale`: untouched this long counts as stale
};

// One named backup source (the `backups:` section); exactly one kind is set. Paths are absolute.
struct BackupSourceConfig {
    std::string kind;                       // "dir", "sqlite", "postgres" or "command"
    std::string path;                       // dir and sqlite
    std::string postgres;                   // a libpq connection string (never a password)
    std::vector<std::string> backup_argv;   // command: writes `output`
    std::vector<std::string> restore_argv;  // command: reads the file given as ${file}
    std::string output;                     // command: the file backup_argv leaves behind
    std::string file_env;                   // command: also name the file in this variable
    std::string working_directory;          // command: where both run (the config's directory)
    std::string where;                      // "launchkit.yaml:12", for error messages
};

// `backups: {offsite: {restic: {...}}}`: the restic repository every backup is copied to.
struct ResticOffsiteConfig {
    std::string repository;                 // what restic accepts: a path, sftp:, rest:, s3:, ...
    std::filesystem::path password_file{};  // absolute; or
    std::string password_env{};             // the variable holding the password
    // restic's extended options, each passed as `-o KEY=VALUE` (sftp.command, s3.region, ...).
    std::vector<std::pair<std::string, std::string>> options{};
    std::string where;  // "launchkit.yaml:12"
};

// One environment of the promotion path (the `environments:` section).
struct EnvironmentConfig {
    std::vector<std::string> required_environments;  // deployed to these first
    bool approval = false;  // a deploy needs --approve deploy or a yes at a terminal
    // A deploy needs a release made with `create --sign` whose signature verifies with one of
    // `signing.public_keys`.
    bool require_signed = false;
    std::string where;  // "launchkit.yaml:12"
};

// One launch control declared under `launch_controls:`.
struct LaunchControlConfig {
    std::string description;
    std::string where;  // "launchkit.yaml:12"
};

// TLS with etcd: the cluster's CA, and a client certificate and key when it asks for one (PEM).
struct EtcdTlsFiles {
    std::filesystem::path cacert{};
    std::filesystem::path cert{};
    std::filesystem::path key{};
};

struct Config {
    std::filesystem::path source;  // the file it was read from; empty when none was found
    std::optional<std::filesystem::path> state_dir;  // absolute (resolved against the file's dir)
    std::optional<std::string> store;  // a shared store's URL (etcd://HOST:PORT/PREFIX)
    EtcdTlsFiles etcd{};               // `etcd: {cacert, cert, key}`, resolved beside the file
    std::optional<std::filesystem::path> checklist;  // `diagnose run`'s default; absolute
    std::optional<std::filesystem::path> slo_rules;  // `diagnose slo`'s default; absolute
    ReleaseConfig release;
    FlagsConfig flags;
    std::map<std::string, BackupSourceConfig> backups;      // by name
    std::optional<ResticOffsiteConfig> backup_offsite;      // `backups.offsite`
    std::map<std::string, EnvironmentConfig> environments;  // by name
    // `signing.public_keys`: the minisign keys whose release signatures count; absolute.
    std::vector<std::filesystem::path> signing_public_keys;
    // `notifications:`: where every run announces its moments (notify/notification_target.h's
    // normalised targets, each with `on` and `environments`).
    std::vector<nlohmann::json> notifications;
    // `reports:`: every run's HTML report written to `directory` when the run ends or pauses
    // (absolute; empty: not written), and the address notifications link to, with ${run_id}
    // and ${env} filled in.
    std::filesystem::path reports_directory{};
    std::string reports_url{};
    // The launch controls a fleet uses; empty: any name may be paused, and a never-paused name is
    // running.
    std::map<std::string, LaunchControlConfig> launch_controls;
};

// A path written in the configuration: relative paths mean "beside the configuration file", not
// "wherever I was run from". Absolute and normalised.
std::filesystem::path path_beside_config(const std::filesystem::path& source,
                                         const std::string& text);

// Parses the YAML text of a configuration file; `source` names it in error messages.
Result<Config> parse_config(std::string_view yaml_text, const std::filesystem::path& source);

// Finds and loads the configuration: `explicit_path` (--config), then $LAUNCHKIT_CONFIG, then
// ./launchkit.yaml. No file at all is fine (defaults); a named file that is missing is an error.
Result<Config> discover_config(const std::optional<std::filesystem::path>& explicit_path);

// The state directory: `flag` (--state-dir), then $LAUNCHKIT_STATE_DIR, then the configuration,
// then $XDG_STATE_HOME/launchkit, then ~/.local/state/launchkit.
std::filesystem::path resolve_state_dir(const std::optional<std::filesystem::path>& flag,
                                        const Config& config);

// The shared store's URL: `flag` (--store), then $LAUNCHKIT_STORE, then the configuration's
// `store:`; empty for the embedded store in the state directory.
std::string resolve_store(const std::optional<std::string>& flag, const Config& config);

// The TLS files for etcd: each of `flags` (--etcd-cacert, --etcd-cert, --etcd-key), else the
// configuration's.
EtcdTlsFiles resolve_etcd_tls(const EtcdTlsFiles& flags, const Config& config);

}  // namespace launchkit
