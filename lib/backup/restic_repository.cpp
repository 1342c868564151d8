#include "backup/restic_repository.h"

#include <cstdlib>
#include <fstream>

#include <fmt/format.h>

#include "util/process.h"

namespace launchkit::backup {
namespace {

// Reading the repository's config or its list of snapshots is a small exchange: a server that
// does not answer it within two minutes is unreachable (restic itself retries for much longer).
constexpr std::chrono::milliseconds metadata_timeout{120'000};

// restic's words when the address answers but holds no repository (a wrong password or an
// unreachable server says otherwise).
bool no_repository_there(const std::string& said) {
    if (said.find("unable to open config file") == std::string::npos) return false;
    for (const char* absent : {"no such file", "404", "Not Found", "does not exist"})
        if (said.find(absent) != std::string::npos) return true;
    return false;
}

// rest:https://user:secret@host/ → rest:https://user:***@host/
std::string mask_password(const std::string& repository) {
    auto scheme = repository.find("://");
    if (scheme == std::string::npos) return repository;
    auto authority_start = scheme + 3;
    auto authority_end = repository.find('/', authority_start);
    auto authority = repository.substr(authority_start, authority_end == std::string::npos
                                                            ? std::string::npos
                                                            : authority_end - authority_start);
    auto at = authority.rfind('@');
    if (at == std::string::npos) return repository;
    auto colon = authority.find(':');
    if (colon == std::string::npos || colon > at) return repository;
    auto masked = repository;
    masked.replace(authority_start + colon + 1, at - colon - 1, "***");
    return masked;
}

bool environment_has(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0';
}

}  // namespace

Result<std::optional<ResticRepository>> ResticRepository::configured(const Context& context,
                                                                     const std::string& override) {
    const auto& config = context.config.backup_offsite;
    if (override.empty() && !config) return std::optional<ResticRepository>();
    ResticRepository repository;
    repository.repository_ = override.empty() ? config->repository : override;
    repository.described_ = mask_password(repository.repository_);
    // The options speak of the configured repository's transport (sftp.command names its
    // host), not of another one given for a single command.
    if (override.empty() || (config && override == config->repository))
        if (config)
            for (const auto& [key, value] : config->options) {
                repository.options_.push_back("-o");
                repository.options_.push_back(key + "=" + value);
            }
    auto& environment = repository.environment_;
    environment.emplace_back("RESTIC_REPOSITORY", repository.repository_);
    // Two reports a second while a copy runs: enough for a progress line, little to parse.
    environment.emplace_back("RESTIC_PROGRESS_FPS", "2");
    if (config && !config->password_file.empty()) {
        std::ifstream readable(config->password_file);
        if (!readable)
            return fail(ExitCode::invalid_input,
                        "{}: backups.offsite.restic.password_file {}: cannot be read",
                        config->where, config->password_file.string());
        environment.emplace_back("RESTIC_PASSWORD_FILE", config->password_file.string());
        environment.emplace_back("RESTIC_PASSWORD_COMMAND", "");
    } else if (config && !config->password_env.empty()) {
        const char* password = std::getenv(config->password_env.c_str());
        if (password == nullptr || *password == '\0')
            return fail(ExitCode::invalid_input,
                        "{}: backups.offsite.restic.password_env: ${} is not set (the restic "
                        "repository's password)",
                        config->where, config->password_env);
        environment.emplace_back("RESTIC_PASSWORD", password);
        environment.emplace_back("RESTIC_PASSWORD_FILE", "");
        environment.emplace_back("RESTIC_PASSWORD_COMMAND", "");
    } else if (!environment_has("RESTIC_PASSWORD_FILE") && !environment_has("RESTIC_PASSWORD") &&
               !environment_has("RESTIC_PASSWORD_COMMAND")) {
        return fail(ExitCode::invalid_input,
                    "no password for the restic repository {}: set "
                    "backups.offsite.restic.password_file or password_env in launchkit.yaml, "
                    "or RESTIC_PASSWORD_FILE",
                    repository.described_);
    }
    return std::optional<ResticRepository>(std::move(repository));
}

std::vector<std::string> ResticRepository::command() const {
    std::vector<std::string> argv{"restic"};
    argv.insert(argv.end(), options_.begin(), options_.end());
    return argv;
}

Result<std::string> ResticRepository::run(const Run& run, const std::string& what) const {
    util::ProcessSpec spec;
    spec.argv = command();
    spec.argv.insert(spec.argv.end(), run.arguments.begin(), run.arguments.end());
    spec.working_directory = run.directory;
    spec.environment = environment_;
    spec.stdout_line = run.stdout_line;
    spec.timeout = run.timeout;
    auto result = util::run_process(spec);
    if (!result)
        return fail(ExitCode::environment, "{} in {}: {} (restic is Debian's `restic` package)",
                    what, described_, result.error().message);
    if (result->timed_out)
        return fail(ExitCode::environment, "{} in {}: no answer within {} s", what, described_,
                    run.timeout ? run.timeout->count() / 1000 : 0);
    if (!result->succeeded()) {
        auto said = util::first_line(result->stderr_text);
        // restic's own words, with the repository's address masked where it repeats it.
        for (auto at = said.find(repository_); at != std::string::npos && !repository_.empty();
             at = said.find(repository_, at + described_.size()))
            said.replace(at, repository_.size(), described_);
        if (no_repository_there(said))
            return fail(ExitCode::environment,
                        "no restic repository at {} (`release-manager backup sync --init` "
                        "creates one)",
                        described_);
        return fail(ExitCode::environment, "{} in {} failed: {}", what, described_,
                    said.empty() ? fmt::format("restic exited {}", result->exit_code) : said);
    }
    return std::move(result->stdout_text);
}

Result<std::string> ResticRepository::repository_id() const {
    auto read = run({.arguments = {"cat", "config", "--no-lock"}, .timeout = metadata_timeout},
                    "reading the repository");
    LAUNCHKIT_TRY_ASSIGN(auto text, std::move(read));
    LAUNCHKIT_TRY_ASSIGN(auto config, parse_restic_config(text, described_));
    format_version_ = config.version;
    return std::move(config.id);
}

Result<void> ResticRepository::init() const {
    LAUNCHKIT_TRY(run({.arguments = {"init", "--quiet"}}, "creating the repository"));
    return {};
}

Result<std::vector<ResticSnapshot>> ResticRepository::snapshots(
    const std::vector<std::string>& tags) const {
    Run listing{.arguments = {"snapshots", "--json", "--no-lock"}, .timeout = metadata_timeout};
    // One --tag A,B asks for snapshots with both; --tag A --tag B, for either.
    if (!tags.empty()) {
        std::string all;
        for (const auto& tag : tags) all += (all.empty() ? "" : ",") + tag;
        listing.arguments.push_back("--tag");
        listing.arguments.push_back(all);
    }
    LAUNCHKIT_TRY_ASSIGN(auto text, run(listing, "listing snapshots"));
    return parse_restic_snapshots(text, described_);
}

Result<ResticBackupSummary> ResticRepository::backup(const ResticBackupRequest& request,
                                                     const ResticProgressHandler& progress) const {
    Run copy{.arguments = {"backup", "--json"}, .directory = request.directory};
    if (request.compressed && format_version_ >= 2) copy.arguments.push_back("--compression=off");
    for (const auto& tag : request.tags) {
        copy.arguments.push_back("--tag");
        copy.arguments.push_back(tag);
    }
    copy.arguments.push_back("--");
    copy.arguments.insert(copy.arguments.end(), request.paths.begin(), request.paths.end());
    auto path = request.paths.empty() ? std::string() : request.paths.front();
    std::optional<ResticBackupSummary> summary;
    copy.stdout_line = [&](std::string_view line) {
        auto said = parse_restic_backup_message(line);
        if (said.progress && progress) progress(*said.progress);
        if (said.summary) summary = std::move(said.summary);
    };
    LAUNCHKIT_TRY(run(copy, "copying " + path));
    if (!summary || summary->snapshot_id.empty())
        return fail(ExitCode::environment,
                    "copying {} to {}: restic finished without naming the snapshot it made", path,
                    described_);
    return *summary;
}

Result<void> ResticRepository::restore(const std::string& id,
                                       const std::filesystem::path& target) const {
    LAUNCHKIT_TRY(run({.arguments = {"restore", id, "--target", target.string()}},
                      "fetching snapshot " + id));
    return {};
}

Result<std::vector<std::string>> ResticRepository::check(
    const std::string& read_data_subset) const {
    util::ProcessSpec spec;
    spec.argv = command();
    spec.argv.push_back("check");
    if (!read_data_subset.empty()) spec.argv.push_back("--read-data-subset=" + read_data_subset);
    spec.environment = environment_;
    auto result = util::run_process(spec);
    if (!result)
        return fail(ExitCode::environment, "checking {}: {}", described_, result.error().message);
    if (result->succeeded()) return std::vector<std::string>();
    // restic says what is wrong across both streams, between lines about what it is doing.
    std::vector<std::string> problems;
    for (const auto* text : {&result->stdout_text, &result->stderr_text}) {
        size_t start = 0;
        while (start < text->size()) {
            auto end = text->find('\n', start);
            if (end == std::string::npos) end = text->size();
            auto line = text->substr(start, end - start);
            start = end + 1;
            bool problem = line.find("rror") != std::string::npos ||
                           line.find("Fatal") != std::string::npos ||
                           line.find("does not match") != std::string::npos ||
                           line.find("damaged") != std::string::npos;
            if (problem && problems.size() < 20) problems.push_back(line);
        }
    }
    if (problems.empty())
        problems.push_back(fmt::format("restic check exited {}: {}", result->exit_code,
                                       util::first_line(result->stderr_text)));
    return problems;
}

Result<void> ResticRepository::forget(const std::vector<std::string>& ids, bool prune) const {
    if (ids.empty()) return {};
    Run forget{.arguments = {"forget", "--quiet"}};
    if (prune) forget.arguments.push_back("--prune");
    forget.arguments.insert(forget.arguments.end(), ids.begin(), ids.end());
    LAUNCHKIT_TRY(run(forget, "removing snapshots"));
    return {};
}

}  // namespace launchkit::backup
