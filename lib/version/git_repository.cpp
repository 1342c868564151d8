#include "version/git_repository.h"

#include <charconv>
#include <span>

#include "util/process.h"
#include "util/strings.h"

namespace launchkit::version {
namespace {

bool is_object_id(std::string_view text) {
    return (text.size() == 40 || text.size() == 64) &&
           text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// git log's commits as NUL-separated fields (`-z` ends each commit with NUL too). NUL is the one
// byte git never prints inside a field: messages and names are C strings, and `git commit`
// refuses a message holding NUL. Any other byte, 0x1E and 0x1F included, may be in a message, so
// with those as separators a message could end its commit early (hiding a BREAKING CHANGE
// footer after the byte) or forge whole commits ("feat!:") into the changelog and the bump.
// Returns the fields of every commit, `per_commit` each, the first an object id: output split
// anywhere else than git meant (a NUL that a hand-made object smuggled in) is an error, never a
// shifted commit.
Result<std::vector<std::string_view>> commit_fields(std::string_view output,
                                                    std::size_t per_commit) {
    if (output.ends_with('\0')) output.remove_suffix(1);
    if (output.empty()) return std::vector<std::string_view>{};
    auto fields = util::split(output, '\0');
    if (fields.size() % per_commit != 0)
        return fail(ExitCode::environment,
                    "git log printed {} fields, not {} per commit: a commit may hold a NUL byte",
                    fields.size(), per_commit);
    for (std::size_t at = 0; at < fields.size(); at += per_commit)
        if (!is_object_id(fields[at]))
            return fail(ExitCode::environment,
                        "git log printed commit {} without an object id ('{}'): a commit may hold "
                        "a NUL byte",
                        at / per_commit + 1, util::printable(fields[at], 80));
    return fields;
}

Result<long long> commit_time(std::string_view text, std::string_view hash) {
    long long value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value < 0)
        return fail(ExitCode::environment,
                    "git log printed commit {} with committer time '{}', expected Unix seconds "
                    "from 0 to 2^63",
                    hash, util::printable(text, 80));
    return value;
}

std::string strip_trailing_newlines(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

// `%D` with --decorate-refs=refs/tags/ reads "tag: v1.0.0, tag: v1.0.0-rc.1". Split at ", ":
// a ref name may hold a comma but never a space, so a tag "v3.0.0,x" stays one name (split at
// the comma, it dated a release 3.0.0 that `next` did not know).
std::vector<std::string> parse_decorations(std::string_view text, std::string_view tag_prefix) {
    std::vector<std::string> tags;
    while (!text.empty()) {
        auto separator = text.find(", ");
        auto item = text.substr(0, separator);
        text =
            separator == std::string_view::npos ? std::string_view{} : text.substr(separator + 2);
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
    std::vector<std::string> arguments = {"log", "-z", "--no-merges", "--no-show-signature"};
    if (tag_prefix) arguments.push_back("--decorate-refs=refs/tags/" + *tag_prefix + "*");
    arguments.push_back(
        fmt::format("--format=%H%x00%h%x00%an%x00%ct%x00{}%x00%B", tag_prefix ? "%D" : ""));
    arguments.push_back("HEAD");
    if (!exclude_ref.empty()) arguments.push_back("^" + exclude_ref);
    arguments.push_back("--");
    if (!path.empty()) arguments.push_back(path);
    LAUNCHKIT_TRY_ASSIGN(std::string output, git(std::move(arguments)));

    constexpr std::size_t per_commit = 6;
    LAUNCHKIT_TRY_ASSIGN(auto all_fields, commit_fields(output, per_commit));
    std::vector<Commit> commits;
    for (std::size_t at = 0; at < all_fields.size(); at += per_commit) {
        std::span<const std::string_view> fields(all_fields.data() + at, per_commit);
        Commit commit;
        commit.hash = std::string(fields[0]);
        commit.short_hash = std::string(fields[1]);
        commit.author = std::string(fields[2]);
        LAUNCHKIT_TRY_ASSIGN(commit.time, commit_time(fields[3], fields[0]));
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
    std::vector<std::string> arguments = {
        "log", "-z", "--fixed-strings", "--grep=" + text, "--format=%H%x00%h%x00%s", "HEAD"};
    if (!exclude_ref.empty()) arguments.push_back("^" + exclude_ref);
    arguments.push_back("--");
    LAUNCHKIT_TRY_ASSIGN(std::string output, git(std::move(arguments)));
    constexpr std::size_t per_commit = 3;
    LAUNCHKIT_TRY_ASSIGN(auto all_fields, commit_fields(output, per_commit));
    std::vector<Commit> commits;
    for (std::size_t at = 0; at < all_fields.size(); at += per_commit) {
        std::span<const std::string_view> fields(all_fields.data() + at, per_commit);
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
