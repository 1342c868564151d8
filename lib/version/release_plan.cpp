#include "version/release_plan.h"

#include "util/file_io.h"
#include "util/strings.h"
#include "version/changelog.h"

namespace launchkit::version {
namespace {

std::filesystem::path component_directory(const GitRepository& repository,
                                          const ReleaseRequest& request) {
    return (repository.root() / request.component_path).lexically_normal();
}

Result<void> validate_component_path(const GitRepository& repository,
                                     const ReleaseRequest& request) {
    if (request.component_path.empty()) return {};
    std::filesystem::path path = request.component_path;
    auto relative = path.lexically_normal();
    if (path.is_absolute() || relative.string().starts_with(".."))
        return fail(ExitCode::invalid_input,
                    "--path '{}' must be a directory inside the repository, relative to its root",
                    request.component_path);
    if (!std::filesystem::is_directory(repository.root() / relative))
        return fail(ExitCode::invalid_input, "--path '{}' is not a directory in '{}'",
                    request.component_path, repository.root().string());
    return {};
}

Result<std::optional<SemVer>> read_version_file(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path)) return std::optional<SemVer>();
    LAUNCHKIT_TRY_ASSIGN(std::string text, util::read_file(path));
    std::string content(util::trim(text));
    if (content.empty()) return std::optional<SemVer>();
    auto parsed = parse_semver(content);
    if (!parsed) return std::unexpected(with_context(parsed.error(), path.string()));
    return std::optional<SemVer>(*parsed);
}

// `git log` of one range, read at most once per plan: `auto` and the changelog section usually
// need the same commits, and reading 10,000 commits twice would double the cost of a release.
// launchkit's own release commits are dropped here, once: they are neither changes nor bumps.
class CommitCache {
  public:
    CommitCache(const GitRepository& repository, std::string path)
        : repository_(repository), path_(std::move(path)) {}

    // The commits, owned by the cache: valid until the next call with another ref.
    Result<const std::vector<Commit>*> since(const std::string& ref) {
        if (!cached_ || cached_ref_ != ref) {
            LAUNCHKIT_TRY_ASSIGN(cached_, repository_.log(ref, path_));
            std::erase_if(*cached_, [](const Commit& commit) {
                return is_release_commit(parse_conventional_commit(commit.subject, commit.body));
            });
            cached_ref_ = ref;
        }
        return &*cached_;
    }

  private:
    const GitRepository& repository_;
    std::string path_;
    std::string cached_ref_;
    std::optional<std::vector<Commit>> cached_;
};

// The next version the request asks for, before the "must be higher" check.
Result<std::pair<SemVer, std::string>> choose_version(const ReleaseRequest& request,
                                                      const CurrentVersion& current,
                                                      CommitCache& commits_since) {
    if (!request.version.empty()) {
        if (!request.bump.empty())
            return fail(ExitCode::invalid_input,
                        "give either a bump ({}) or --version {}, not both", request.bump,
                        request.version);
        auto explicit_version = parse_semver(request.version);
        if (!explicit_version)
            return std::unexpected(with_context(explicit_version.error(), "--version"));
        return std::pair{*explicit_version, std::string("explicit")};
    }
    if (request.bump.empty())
        return fail(ExitCode::invalid_input,
                    "missing release type: expected patch, minor, major, auto, release or "
                    "--version X.Y.Z");

    if (request.bump == "release") {
        if (!request.prerelease_id.empty())
            return fail(ExitCode::invalid_input,
                        "'release' finalises a pre-release; it takes no --pre");
        if (!current.version || !current.version->is_prerelease())
            return fail(ExitCode::invalid_input,
                        "the current version {} is not a pre-release; nothing to finalise",
                        current.version ? current.version->to_string() : "(none)");
        return std::pair{current.version->release_part(), std::string("release")};
    }

    // Bumps start from the last final release, so rc.1 → rc.2 and rc → final stay in one line.
    SemVer base = current.last_release.value_or(
        current.tag.empty() && current.version ? current.version->release_part() : SemVer{});
    BumpKind kind = BumpKind::none;
    if (request.bump == "auto") {
        std::string since = current.last_release_tag;
        LAUNCHKIT_TRY_ASSIGN(const auto* commits, commits_since.since(since));
        std::vector<ConventionalCommit> parsed;
        parsed.reserve(commits->size());
        for (const auto& commit : *commits)
            parsed.push_back(parse_conventional_commit(commit.subject, commit.body));
        kind = bump_for_commits(parsed, base);
        if (kind == BumpKind::none)
            return fail(ExitCode::said_no,
                        "no release needed: none of the {} commit(s) since {} is a feat, fix, perf "
                        "or breaking change",
                        parsed.size(), since.empty() ? "the first commit" : since);
    } else {
        auto parsed_kind = parse_bump_kind(request.bump);
        if (!parsed_kind)
            return fail(ExitCode::invalid_input,
                        "invalid release type '{}': expected patch, minor, major, auto or release",
                        request.bump);
        kind = *parsed_kind;
    }
    return std::pair{bump(base, kind), std::string(to_string(kind))};
}

}  // namespace

Result<CurrentVersion> find_current_version(const GitRepository& repository,
                                            const ReleaseRequest& request) {
    CurrentVersion current;
    current.source = "none";
    LAUNCHKIT_TRY_ASSIGN(auto tags, repository.tags(request.tag_prefix));
    for (const auto& tag : tags) {
        auto parsed = parse_semver(std::string_view(tag).substr(request.tag_prefix.size()));
        if (!parsed) continue;  // other tags sharing the prefix are not releases
        current.tagged.push_back(*parsed);
        if (!current.version || precedes(*current.version, *parsed)) {
            current.version = *parsed;
            current.tag = tag;
        }
        if (!parsed->is_prerelease() &&
            (!current.last_release || precedes(*current.last_release, *parsed))) {
            current.last_release = *parsed;
            current.last_release_tag = tag;
        }
    }
    if (current.version) {
        current.source = "tag " + current.tag;
        return current;
    }
    auto version_path = component_directory(repository, request) / request.version_file;
    LAUNCHKIT_TRY_ASSIGN(current.version, read_version_file(version_path));
    if (current.version) current.source = request.version_file + " file";
    return current;
}

Result<ReleasePlan> plan_release(const GitRepository& repository, const ReleaseRequest& request,
                                 util::TimePoint now) {
    LAUNCHKIT_TRY(validate_component_path(repository, request));
    if (!request.prerelease_id.empty())
        LAUNCHKIT_TRY(validate_prerelease_id(request.prerelease_id));
    LAUNCHKIT_TRY_ASSIGN(bool has_commits, repository.has_commits());
    if (!has_commits)
        return fail(ExitCode::invalid_input, "repository '{}' has no commits to release",
                    repository.root().string());

    ReleasePlan plan;
    LAUNCHKIT_TRY_ASSIGN(plan.current, find_current_version(repository, request));
    CommitCache commits_since(repository, request.component_path);
    LAUNCHKIT_TRY_ASSIGN(auto chosen, choose_version(request, plan.current, commits_since));
    plan.version = chosen.first;
    plan.bump = chosen.second;
    if (!request.prerelease_id.empty()) {
        if (!request.version.empty())
            return fail(ExitCode::invalid_input,
                        "--pre cannot be combined with --version; write the pre-release in the "
                        "version (1.3.0-rc.1)");
        plan.version = next_prerelease(plan.version, request.prerelease_id, plan.current.tagged);
    }
    if (plan.current.version && compare_precedence(plan.version, *plan.current.version) <= 0)
        return fail(
            ExitCode::invalid_input,
            "refusing to release {}: it is not higher than the current version {} (from {})",
            plan.version.to_string(), plan.current.version->to_string(), plan.current.source);
    plan.tag = request.tag_prefix + plan.version.to_string();

    // A pre-release lists what changed since the previous tag of any kind; a final release
    // lists everything since the previous final release.
    std::string since =
        plan.version.is_prerelease() ? plan.current.tag : plan.current.last_release_tag;
    LAUNCHKIT_TRY_ASSIGN(const auto* commits, commits_since.since(since));
    plan.commits = *commits;

    auto directory = component_directory(repository, request);
    plan.changelog_path = directory / request.changelog_file;
    plan.version_path = directory / request.version_file;
    plan.changelog_section =
        render_section(plan.version.to_string(), util::format_date(now), plan.commits);
    std::string existing;
    if (std::filesystem::exists(plan.changelog_path)) {
        LAUNCHKIT_TRY_ASSIGN(existing, util::read_file(plan.changelog_path));
    }
    auto content = insert_section(existing, plan.changelog_section, plan.version.to_string());
    if (!content)
        return std::unexpected(with_context(content.error(), plan.changelog_path.string()));
    plan.changelog_content = std::move(*content);
    plan.version_content = plan.version.to_string() + "\n";
    return plan;
}

Result<ReleaseOutcome> apply_release(const GitRepository& repository, const ReleasePlan& plan,
                                     bool commit, bool tag) {
    // git refuses to commit without an identity; find out before touching any file.
    if (commit) LAUNCHKIT_TRY(repository.check_identity());

    // What the two files held before, so a failed commit leaves the work tree as it was.
    struct Original {
        std::filesystem::path path;
        std::optional<std::string> content;  // none: the file did not exist
    };
    std::vector<Original> originals;
    for (const auto& path : {plan.changelog_path, plan.version_path}) {
        Original original{path, std::nullopt};
        if (std::filesystem::exists(path)) {
            LAUNCHKIT_TRY_ASSIGN(original.content, util::read_file(path));
        }
        originals.push_back(std::move(original));
    }
    auto restore = [&](Error error) -> Result<ReleaseOutcome> {
        for (const auto& original : originals) {
            if (original.content)
                (void)util::write_file_atomically(original.path, *original.content);
            else
                std::filesystem::remove(original.path);
        }
        return std::unexpected(
            with_context(std::move(error), "release not created, files restored"));
    };

    LAUNCHKIT_TRY(util::create_directories(plan.changelog_path.parent_path()));
    if (auto written = util::write_file_atomically(plan.changelog_path, plan.changelog_content);
        !written)
        return restore(written.error());
    if (auto written = util::write_file_atomically(plan.version_path, plan.version_content);
        !written)
        return restore(written.error());

    ReleaseOutcome outcome;
    if (commit) {
        std::vector<std::filesystem::path> paths = {
            plan.changelog_path.lexically_relative(repository.root()),
            plan.version_path.lexically_relative(repository.root())};
        if (auto added = repository.add(paths); !added) return restore(added.error());
        if (auto committed = repository.commit("chore(release): " + plan.tag, paths); !committed) {
            (void)repository.unstage(paths);
            return restore(committed.error());
        }
        outcome.committed = true;
        if (tag) {
            LAUNCHKIT_TRY(repository.create_annotated_tag(
                plan.tag, "Release " + plan.tag + "\n\n" + plan.changelog_section));
            outcome.tagged = true;
        }
    }
    LAUNCHKIT_TRY_ASSIGN(outcome.commit, repository.head());
    return outcome;
}

}  // namespace launchkit::version
