#include "version/git_repository.h"

#include <charconv>

#include "util/process.h"
#include "util/strings.h"

namespace launchkit::version {
namespace {

long long to_number(std::string_view text) {
    long long value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

std::string strip_trailing_newlines(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

// `%D` with --decorate-refs=refs/tags/ reads "tag: v1.0.0, tag: v1.0.0-rc.1".
std::vector<std::string> parse_decorations(std::string_view text, std::string_view tag_prefix) {
    std::vector<std::string> tags;
    for (auto item : util::split(text, ',')) {
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        if (!item.starts_with("tag: ")) continue;
        item.remove_prefix(5);
        if (item.starts_with(tag_prefix)) tags.emplace_back(item);
    }
    return tags;
}

// Every git launchkit runs goes through here, so they all get the same environment.
Result<util::ProcessResult> run_git(const std::filesystem::path& directory,
                                    std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), "git");
    // Output must not depend on the user's pager or prompt. GIT_FLUSH=0: git otherwise flushes
    // after every commit when writing to a pipe, one write and one read per commit.
    return util::run_process(util::ProcessSpec{
        .argv = std::move(arguments),
        .working_directory = directory,
        .environment = {{"GIT_PAGER", "cat"}, {"GIT_TERMINAL_PROMPT", "0"}, {"GIT_FLUSH", "0"}}});
}

}  // namespace

Result<std::string> GitRepository::git(std::vector<std::string> arguments) const {
    std::string command = arguments.front();
    LAUNCHKIT_TRY_ASSIGN(auto result, run_git(root_, std::move(arguments)));
    if (!result.succeeded()) {
        return fail(ExitCode::environment, "git {} failed in '{}': {}", command, root_.string(),
                    util::first_line(result.stderr_text));
    }
    return std::move(result.stdout_text);
}

Result<GitRepository> GitRepository::open(const std::filesystem::path& directory) {
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error))
        return fail(
            ExitCode::invalid_input, "repository directory '{}' {}", directory.string(),
            std::filesystem::exists(directory, error) ? "is not a directory" : "does not exist");
    LAUNCHKIT_TRY_ASSIGN(auto result, run_git(directory, {"rev-parse", "--show-toplevel"}));
    if (!result.succeeded()) {
        return fail(ExitCode::invalid_input, "'{}' is not inside a git work tree: {}",
                    directory.string(), util::first_line(result.stderr_text));
    }
    return GitRepository(strip_trailing_newlines(result.stdout_text));
}

Result<std::vector<std::string>> GitRepository::tags(std::string_view prefix,
                                                     bool reachable_only) const {
    std::vector<std::string> arguments = {"for-each-ref", "--format=%(refname:strip=2)"};
    if (reachable_only) arguments.push_back("--merged=HEAD");
    arguments.push_back("refs/tags/");
    LAUNCHKIT_TRY_ASSIGN(std::string output, git(std::move(arguments)));
    std::vector<std::string> tags;
    for (auto line : util::split(output, '\n'))
        if (!line.empty() && line.starts_with(prefix)) tags.emplace_back(line);
    return tags;
}

Result<std::vector<Commit>> GitRepository::log(const std::string& exclude_ref,
                                               const std::string& path,
                                               const std::optional<std::string>& tag_prefix) const {
    // Unit and record separators cannot appear in normal commit messages.
    std::vector<std::string> arguments = {"log", "--no-merges", "--no-show-signature"};
    if (tag_prefix) arguments.push_back("--decorate-refs=refs/tags/" + *tag_prefix + "*");
    arguments.push_back(
        fmt::format("--format=%H%x1f%h%x1f%an%x1f%ct%x1f{}%x1f%B%x1e", tag_prefix ? "%D" : ""));
    arguments.push_back("HEAD");
    if (!exclude_ref.empty()) arguments.push_back("^" + exclude_ref);
    arguments.push_back("--");
    if (!path.empty()) arguments.push_back(path);
    LAUNCHKIT_TRY_ASSIGN(std::string output, git(std::move(arguments)));

    std::vector<Commit> commits;
    for (auto record : util::split(output, '\x1e')) {
        while (!record.empty() && record.front() == '\n') record.remove_prefix(1);
        if (record.empty()) continue;
        auto fields = util::split(record, '\x1f');
        if (fields.size() < 6) continue;
        Commit commit;
        commit.hash = std::string(fields[0]);
        commit.short_hash = std::string(fields[1]);
        commit.author = std::string(fields[2]);
        commit.time = to_number(fields[3]);
        if (tag_prefix) commit.tags = parse_decorations(fields[4], *tag_prefix);
        std::string_view message = fields[5];
        auto newline = message.find('\n');
        commit.subject = std::string(message.substr(0, newline));
        if (newline != std::string_view::npos)
            commit.body = strip_trailing_newlines(std::string(message.substr(newline + 1)));
        commits.push_back(std::move(commit));
    }
    return commits;
}

Result<bool> GitRepository::is_shallow() const {
    LAUNCHKIT_TRY_ASSIGN(std::string output, git({"rev-parse", "--is-shallow-repository"}));
    return strip_trailing_newlines(std::move(output)) == "true";
}

Result<std::optional<std::string>> GitRepository::current_branch() const {
    LAUNCHKIT_TRY_ASSIGN(auto result, run_git(root_, {"symbolic-ref", "--short", "-q", "HEAD"}));
    if (!result.succeeded()) return std::optional<std::string>();  // detached
    return std::optional<std::string>(strip_trailing_newlines(std::move(result.stdout_text)));
}

Result<std::vector<Commit>> GitRepository::commits_mentioning(
    const std::string& text, const std::string& exclude_ref) const {
    std::vector<std::string> arguments = {"log", "--fixed-strings", "--grep=" + text,
                                          "--format=%H%x1f%h%x1f%s%x1e", "HEAD"};
    if (!exclude_ref.empty()) arguments.push_back("^" + exclude_ref);
    arguments.push_back("--");
    LAUNCHKIT_TRY_ASSIGN(std::string output, git(std::move(arguments)));
    std::vector<Commit> commits;
    for (auto record : util::split(output, '\x1e')) {
        while (!record.empty() && record.front() == '\n') record.remove_prefix(1);
        auto fields = util::split(record, '\x1f');
        if (fields.size() < 3) continue;
        Commit commit;
        commit.hash = std::string(fields[0]);
        commit.short_hash = std::string(fields[1]);
        commit.subject = std::string(fields[2]);
        commits.push_back(std::move(commit));
    }
    return commits;
}

Result<std::string> GitRepository::status() const {
    return git({"status", "--porcelain", "--untracked-files=normal"});
}

Result<std::string> GitRepository::head() const {
    LAUNCHKIT_TRY_ASSIGN(std::string output, git({"rev-parse", "HEAD"}));
    return strip_trailing_newlines(std::move(output));
}

Result<bool> GitRepository::has_commits() const {
    LAUNCHKIT_TRY_ASSIGN(auto result, run_git(root_, {"rev-parse", "--verify", "--quiet", "HEAD"}));
    return result.succeeded();
}

Result<void> GitRepository::add(const std::vector<std::filesystem::path>& paths) const {
    std::vector<std::string> arguments = {"add", "--"};
    for (const auto& path : paths) arguments.push_back(path.string());
    LAUNCHKIT_TRY(git(std::move(arguments)));
    return {};
}

Result<void> GitRepository::unstage(const std::vector<std::filesystem::path>& paths) const {
    std::vector<std::string> arguments = {"reset", "--quiet", "--"};
    for (const auto& path : paths) arguments.push_back(path.string());
    LAUNCHKIT_TRY(git(std::move(arguments)));
    return {};
}

Result<void> GitRepository::check_identity() const {
    if (auto identity = git({"var", "GIT_COMMITTER_IDENT"}); !identity)
        return fail(ExitCode::environment,
                    "git has no committer identity in '{}': set user.name and user.email "
                    "(git config) or GIT_COMMITTER_NAME and GIT_COMMITTER_EMAIL",
                    root_.string());
    return {};
}

Result<void> GitRepository::commit(const std::string& message,
                                   const std::vector<std::filesystem::path>& paths) const {
    // Only the named paths: with --allow-dirty, other staged work stays out of the release commit.
    std::vector<std::string> arguments = {"commit", "--quiet", "-m", message, "--"};
    for (const auto& path : paths) arguments.push_back(path.string());
    LAUNCHKIT_TRY(git(std::move(arguments)));
    return {};
}

// Verbatim: the changelog section's "## " headings would otherwise be stripped as comments.
Result<void> GitRepository::create_annotated_tag(const std::string& name,
                                                 const std::string& message) const {
    LAUNCHKIT_TRY(git({"tag", "--annotate", "--cleanup=verbatim", "-m", message, name}));
    return {};
}

}  // namespace launchkit::version
