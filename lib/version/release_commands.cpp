#include "version/release_commands.h"

#include "core/output.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "util/time.h"
#include "version/changelog.h"
#include "version/release_ledger.h"

namespace launchkit::version {
namespace {

ReleaseRequest make_request(const Context& context, const RepositoryOptions& target) {
    const ReleaseConfig& config = context.config.release;
    ReleaseRequest request;
    request.repository = target.repository;
    request.tag_prefix = target.tag_prefix.value_or(config.tag_prefix);
    request.component_path = target.component_path.value_or(config.path);
    request.changelog_file = config.changelog;
    request.version_file = config.version_file;
    request.branches = config.branches;
    request.allow_shallow = target.allow_shallow;
    request.branch = target.branch;
    return request;
}

std::string previous_version(const ReleasePlan& plan) {
    return plan.current.version ? plan.current.version->to_string() : "";
}

std::string describe_previous(const ReleasePlan& plan) {
    return plan.current.version
               ? fmt::format("{} ({})", previous_version(plan), plan.current.source)
               : "none";
}

nlohmann::json plan_json(const ReleasePlan& plan, const GitRepository& repository) {
    return nlohmann::json{
        {"version", plan.version.to_string()},
        {"previous", string_or_null(previous_version(plan))},
        {"previous_source", plan.current.source},
        {"bump", plan.bump},
        {"tag", plan.tag},
        {"commits", plan.commits.size()},
        {"changelog_file", plan.changelog_path.lexically_relative(repository.root()).string()},
        {"version_file", plan.version_path.lexically_relative(repository.root()).string()},
        {"changelog_section", plan.changelog_section},
        {"branch", plan.branch ? nlohmann::json(plan.branch->name) : nlohmann::json()},
        {"channel", plan.branch ? string_or_null(plan.branch->channel) : nlohmann::json()}};
}

std::string describe_branch(const ReleasePlan& plan) {
    if (!plan.branch) return "";
    std::string text =
        fmt::format("; {} branch {}", to_string(plan.branch->kind), plan.branch->name);
    if (!plan.branch->channel.empty()) text += ", channel " + plan.branch->channel;
    return text;
}

}  // namespace

Result<ExitCode> run_create(Context& context, const CreateOptions& options) {
    ReleaseRequest request = make_request(context, options.target);
    request.bump = options.bump;
    request.version = options.version;
    request.prerelease_id = options.prerelease_id;

    LAUNCHKIT_TRY_ASSIGN(auto repository, GitRepository::open(request.repository));
    if (!options.allow_dirty) {
        LAUNCHKIT_TRY_ASSIGN(std::string status, repository.status());
        if (!status.empty())
            return fail(ExitCode::invalid_input,
                        "the work tree of '{}' has uncommitted changes ({}); commit or stash them, "
                        "or pass --allow-dirty",
                        repository.root().string(), status.substr(0, status.find('\n')));
    }
    LAUNCHKIT_TRY_ASSIGN(auto plan, plan_release(repository, request, context.now()));
    bool commit = !options.no_commit;
    bool tag = commit && !options.no_tag;
    LAUNCHKIT_TRY_ASSIGN(auto ledger, ReleaseLedger::open(context));
    // Signed before anything is written: a wrong password or a missing artifact stops the release.
    std::optional<sign::PreparedSignature> signature;
    if (!options.signing.files.empty()) {
        if (!commit)
            return fail(ExitCode::invalid_input,
                        "--sign with --no-commit: only a committed release is signed and recorded");
        auto signing = options.signing;
        if (signing.output.empty())
            signing.output = signing.files.front().parent_path() / "SHA256SUMS";
        if (signing.trusted_comment.empty())
            signing.trusted_comment = fmt::format(
                "release {} ({}), {} file{}, signed by {} at {}", plan.version.to_string(),
                plan.tag, signing.files.size(), signing.files.size() == 1 ? "" : "s", context.actor,
                util::format_rfc3339(context.now()));
        LAUNCHKIT_TRY_ASSIGN(signature, sign::prepare_signature(context, signing));
    }

    auto json = plan_json(plan, repository);
    json["dry_run"] = options.dry_run;
    json["signature"] = signature ? sign::to_json(*signature) : nlohmann::json();
    if (options.dry_run) {
        json["committed"] = false;
        json["tagged"] = false;
        json["would_commit"] = commit;
        json["would_tag"] = tag;
        if (context.json) {
            print_json(*context.out, json);
            return ExitCode::ok;
        }
        auto& out = *context.out;
        out << fmt::format(
            "Dry run: would release {} ({} from {}, {} commit(s)); nothing was changed.\n\n",
            plan.tag, plan.bump, describe_previous(plan), plan.commits.size());
        out << fmt::format("Would add to {}:\n\n{}\n", json["changelog_file"].get<std::string>(),
                           plan.changelog_section);
        out << fmt::format("Would write {}: {}", json["version_file"].get<std::string>(),
                           plan.version_content);
        if (commit) out << fmt::format("Would commit: chore(release): {}\n", plan.tag);
        if (tag) out << fmt::format("Would create annotated tag: {}\n", plan.tag);
        if (signature)
            out << fmt::format("Would sign {} file{} with key {}: {}\n", signature->files,
                               signature->files == 1 ? "" : "s", signature->key_id,
                               signature->checksums.string());
        out << fmt::format("Would record the release in {}\n", ledger.location());
        return ExitCode::ok;
    }

    // The ledger's directory must be usable before the repository is touched.
    LAUNCHKIT_TRY(util::create_directories(context.state_dir, 0700));
    LAUNCHKIT_TRY_ASSIGN(auto outcome, apply_release(repository, plan, commit, tag));
    // Only a release commit makes a release: it is what the next bump finds (tagged or not), so
    // the ledger records exactly the releases git has.
    // The files first: the ledger never names a signature that was not written.
    if (outcome.committed && signature) LAUNCHKIT_TRY(sign::write_signature(*signature));
    if (outcome.committed)
        LAUNCHKIT_TRY(ledger.append(LedgerEntry{
            .time = util::format_rfc3339_ms(context.now()),
            .event = LedgerEvent::created,
            .version = plan.version.to_string(),
            .tag_prefix = request.tag_prefix,
            .tag = outcome.tagged ? plan.tag : "",
            .commit = outcome.commit,
            .repository = repository.root().string(),
            .actor = context.actor,
            .note = plan.branch && !plan.branch->channel.empty() ? "channel " + plan.branch->channel
                                                                 : "",
            .signing_key_id = signature ? signature->key_id : "",
            .checksums =
                signature
                    ? std::filesystem::absolute(signature->checksums).lexically_normal().string()
                    : "",
            .checksums_sha256 = signature ? signature->checksums_sha256 : ""}));

    json["committed"] = outcome.committed;
    json["tagged"] = outcome.tagged;
    json["recorded"] = outcome.committed;
    json["commit"] = outcome.committed ? nlohmann::json(outcome.commit) : nlohmann::json();
    if (context.json) {
        print_json(*context.out, json);
        return ExitCode::ok;
    }
    auto& out = *context.out;
    if (outcome.committed)
        out << fmt::format("{} {} ({} from {}, {}{})\n",
                           colorize("Released", Color::green, context.color), plan.tag, plan.bump,
                           describe_previous(plan), util::count_of(plan.commits.size(), "commit"),
                           describe_branch(plan));
    else
        out << fmt::format("{} {} ({} from {}, {}): files written only, nothing released\n",
                           colorize("Prepared", Color::yellow, context.color),
                           plan.version.to_string(), plan.bump, describe_previous(plan),
                           util::count_of(plan.commits.size(), "commit"));
    Table table({"WHAT", "DETAIL"});
    table.add_row({json["changelog_file"].get<std::string>(),
                   "section " + plan.version.to_string() + " added"});
    table.add_row({json["version_file"].get<std::string>(), plan.version.to_string()});
    std::string release_subject = "chore(release): " + plan.tag;
    table.add_row({"commit", outcome.committed
                                 ? outcome.commit.substr(0, 12) + " " + release_subject
                                 : "none (--no-commit)"});
    table.add_row({"tag", outcome.tagged
                              ? plan.tag + " (annotated)"
                              : fmt::format("none (--no-{})", commit ? "tag" : "commit")});
    if (signature)
        table.add_row(
            {"signature",
             fmt::format("{} ({} file{}, key {})", signature->checksums.string(), signature->files,
                         signature->files == 1 ? "" : "s", signature->key_id)});
    table.add_row(
        {"ledger", outcome.committed ? ledger.location() : "not recorded: nothing was committed"});
    table.render(out, context.color);
    if (!outcome.committed)
        out << fmt::format(
            "\nTo release it, commit {} and {} as '{}' (the next bump finds that commit), then "
            "tag {}; or run create again without --no-commit.\n",
            json["changelog_file"].get<std::string>(), json["version_file"].get<std::string>(),
            release_subject, plan.tag);
    else if (!outcome.tagged)
        out << fmt::format("\nNo tag: the next bump starts from the release commit {}.\n",
                           outcome.commit.substr(0, 12));
    return ExitCode::ok;
}

Result<ExitCode> run_next(Context& context, const NextOptions& options) {
    ReleaseRequest request = make_request(context, options.target);
    request.bump = options.bump;
    request.prerelease_id = options.prerelease_id;
    LAUNCHKIT_TRY_ASSIGN(auto repository, GitRepository::open(request.repository));
    LAUNCHKIT_TRY_ASSIGN(auto plan, plan_release(repository, request, context.now()));
    if (context.json) {
        print_json(*context.out,
                   nlohmann::json{{"version", plan.version.to_string()},
                                  {"tag", plan.tag},
                                  {"bump", plan.bump},
                                  {"previous", string_or_null(previous_version(plan))},
                                  {"commits", plan.commits.size()}});
    } else {
        *context.out << plan.version.to_string() << '\n';
    }
    return ExitCode::ok;
}

Result<ExitCode> run_changelog(Context& context, const ChangelogOptions& options) {
    ReleaseRequest request = make_request(context, options.target);
    LAUNCHKIT_TRY_ASSIGN(auto repository, GitRepository::open(request.repository));
    LAUNCHKIT_TRY_ASSIGN(bool has_commits, repository.has_commits());
    if (!has_commits)
        return fail(ExitCode::invalid_input, "repository '{}' has no commits",
                    repository.root().string());
    LAUNCHKIT_TRY_ASSIGN(auto current, find_current_version(repository, request));
    std::string text;
    if (options.all) {
        LAUNCHKIT_TRY_ASSIGN(auto commits,
                             repository.log("", request.component_path, request.tag_prefix));
        text = render_full_changelog(commits, request.tag_prefix);
    } else {
        LAUNCHKIT_TRY_ASSIGN(auto commits, repository.log(current.ref, request.component_path));
        cancel_reverts(commits);
        text = render_section("Unreleased", "", commits);
    }
    if (context.json) {
        print_json(*context.out,
                   nlohmann::json{{"changelog", text}, {"since", string_or_null(current.ref)}});
    } else {
        *context.out << text;
    }
    return ExitCode::ok;
}

}  // namespace launchkit::version
