#include "version/release_plan.h"

#include <algorithm>

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
// launchkit's own release commits are dropped here, once: they are neither changes nor bumps; so
// are a commit and its revert when both are in the range.
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
            cancel_reverts(*cached_);
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

// A release commit's version: "chore(release): v1.5.0" with prefix "v" → 1.5.0.
std::optional<SemVer> release_commit_version(const Commit& commit, const std::string& tag_prefix) {
    constexpr std::string_view lead = "chore(release): ";
    std::string_view subject = commit.subject;
    if (!subject.starts_with(lead)) return std::nullopt;
    subject.remove_prefix(lead.size());
    if (!subject.starts_with(tag_prefix)) return std::nullopt;
    auto parsed = parse_semver(subject.substr(tag_prefix.size()));
    if (!parsed) return std::nullopt;
    return *parsed;
}

void consider(CurrentVersion& current, const SemVer& version, const std::string& ref,
              const std::string& source) {
    if (!current.version || precedes(*current.version, version)) {
        current.version = version;
        current.ref = ref;
        current.source = source;
    }
    if (!version.is_prerelease() &&
        (!current.last_release || precedes(*current.last_release, version))) {
        current.last_release = version;
        current.last_release_ref = ref;
    }
}

Result<void> refuse_shallow(const GitRepository& repository, const ReleaseRequest& request) {
    if (request.allow_shallow) return {};
    LAUNCHKIT_TRY_ASSIGN(bool shallow, repository.is_shallow());
    if (shallow)
        return fail(ExitCode::invalid_input,
                    "'{}' is a shallow clone: its tags and history are incomplete, so the current "
                    "version cannot be known; run `git fetch --unshallow --tags` (CI: checkout "
                    "with fetch-depth: 0), or pass --allow-shallow",
                    repository.root().string());
    return {};
}

Result<std::optional<ReleaseBranch>> find_release_branch(const GitRepository& repository,
                                                         const ReleaseRequest& request) {
    if (request.branches.empty()) return std::optional<ReleaseBranch>();
    std::string name = request.branch;
    if (name.empty()) {
        LAUNCHKIT_TRY_ASSIGN(auto current, repository.current_branch());
        if (!current)
            return fail(ExitCode::invalid_input,
                        "HEAD is detached in '{}' and release.branches is configured: pass "
                        "--branch NAME (the branch this commit is released from)",
                        repository.root().string());
        name = *current;
    }
    LAUNCHKIT_TRY_ASSIGN(auto branch, match_release_branch(request.branches, name));
    return std::optional<ReleaseBranch>(std::move(branch));
}

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

    // The same base whether the current version came from a tag, a release commit or VERSION:
    // a bump of a pre-release completes it (node-semver's inc), so rc.1 → rc.2 → final stay in
    // one line.
    SemVer base = current.version.value_or(SemVer{});
    BumpKind kind = BumpKind::none;
    if (request.bump == "auto") {
        std::string since = current.last_release_ref;
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

// A pre-release branch releases only its own pre-releases: its id is the default --pre.
Result<std::string> prerelease_id_for(const ReleaseRequest& request,
                                      const std::optional<ReleaseBranch>& branch) {
    if (!branch || branch->kind != BranchKind::prerelease) return request.prerelease_id;
    if (request.bump == "release")
        return fail(ExitCode::invalid_input,
                    "pre-release branch '{}' cannot finalise a release; merge it into a release "
                    "branch and release there",
                    branch->name);
    if (!request.prerelease_id.empty() && request.prerelease_id != branch->prerelease_id)
        return fail(ExitCode::invalid_input,
                    "--pre {} on pre-release branch '{}', which releases {} pre-releases ({})",
                    request.prerelease_id, branch->name, branch->prerelease_id, branch->where);
    return request.version.empty() ? branch->prerelease_id : "";
}

}  // namespace

Result<CurrentVersion> find_current_version(const GitRepository& repository,
                                            const ReleaseRequest& request) {
    LAUNCHKIT_TRY(refuse_shallow(repository, request));
    CurrentVersion current;
    current.source = "none";
    LAUNCHKIT_TRY_ASSIGN(current.tags, repository.tags(request.tag_prefix));
    LAUNCHKIT_TRY_ASSIGN(auto reachable, repository.tags(request.tag_prefix, true));
    auto version_of = [&](const std::string& tag) {
        return parse_semver(std::string_view(tag).substr(request.tag_prefix.size()));
    };
    for (const auto& tag : current.tags)
        if (auto parsed = version_of(tag)) current.released.push_back(*parsed);
    for (const auto& tag : reachable) {
        auto parsed = version_of(tag);
        if (!parsed) continue;  // other tags sharing the prefix are not releases
        consider(current, *parsed, tag, "tag " + tag);
    }
    // Releases created with --no-tag: their release commits after the last final release.
    LAUNCHKIT_TRY_ASSIGN(auto release_commits,
                         repository.commits_mentioning("chore(release): " + request.tag_prefix,
                                                       current.last_release_ref));
    for (auto commit = release_commits.rbegin(); commit != release_commits.rend(); ++commit) {
        auto parsed = release_commit_version(*commit, request.tag_prefix);
        if (!parsed) continue;
        current.released.push_back(*parsed);
        consider(current, *parsed, commit->hash,
                 fmt::format("release commit {} (untagged)", commit->short_hash));
    }
    if (current.version) return current;
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
    LAUNCHKIT_TRY_ASSIGN(plan.branch, find_release_branch(repository, request));
    LAUNCHKIT_TRY_ASSIGN(std::string prerelease_id, prerelease_id_for(request, plan.branch));
    LAUNCHKIT_TRY_ASSIGN(plan.current, find_current_version(repository, request));
    CommitCache commits_since(repository, request.component_path);
    LAUNCHKIT_TRY_ASSIGN(auto chosen, choose_version(request, plan.current, commits_since));
    plan.version = chosen.first;
    plan.bump = chosen.second;
    if (!prerelease_id.empty()) {
        if (!request.version.empty())
            return fail(ExitCode::invalid_input,
                        "--pre cannot be combined with --version; write the pre-release in the "
                        "version (1.3.0-rc.1)");
        plan.version = next_prerelease(plan.version, prerelease_id, plan.current.released);
    }
    if (plan.current.version && compare_precedence(plan.version, *plan.current.version) <= 0)
        return fail(
            ExitCode::invalid_input,
            "refusing to release {}: it is not higher than the current version {} (from {})",
            plan.version.to_string(), plan.current.version->to_string(), plan.current.source);
    if (plan.branch) LAUNCHKIT_TRY(check_version_on_branch(*plan.branch, plan.version));
    plan.tag = request.tag_prefix + plan.version.to_string();
    if (std::ranges::find(plan.current.tags, plan.tag) != plan.current.tags.end())
        return fail(ExitCode::invalid_input,
                    "refusing to release {}: tag {} already exists (on a commit HEAD does not "
                    "contain); choose another version",
                    plan.version.to_string(), plan.tag);

    // A pre-release lists what changed since the previous release of any kind; a final release
    // lists everything since the previous final release.
    std::string since =
        plan.version.is_prerelease() ? plan.current.ref : plan.current.last_release_ref;
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
