#include "util/process.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

#include "util/file_descriptor.h"

namespace launchkit::util {
namespace {

struct Pipe {
    FileDescriptor read_end;
    FileDescriptor write_end;
};

Result<Pipe> make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return fail(ExitCode::environment, "cannot create a pipe: {}", std::strerror(errno));
    return Pipe{FileDescriptor(fds[0]), FileDescriptor(fds[1])};
}

std::vector<std::string> child_environment(const ProcessSpec& spec) {
    std::vector<std::string> result;
    for (char** entry = environ; entry && *entry; ++entry) {
        std::string_view text(*entry);
        auto name = text.substr(0, text.find('='));
        bool overridden = false;
        for (const auto& [key, value] : spec.environment) overridden |= (key == name);
        if (!overridden) result.emplace_back(text);
    }
    for (const auto& [key, value] : spec.environment) result.push_back(key + "=" + value);
    return result;
}

std::vector<char*> as_c_strings(std::vector<std::string>& strings) {
    std::vector<char*> result;
    result.reserve(strings.size() + 1);
    for (auto& s : strings) result.push_back(s.data());
    result.push_back(nullptr);
    return result;
}

// RAII for the posix_spawn attribute objects.
struct SpawnSetup {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    SpawnSetup() {
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attributes);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
};

// Hands every whole line of `text` to the spec's stdout_line and keeps the rest; at the end,
// the rest too.
void hand_over_lines(std::string& text, const ProcessSpec& spec, bool at_end) {
    size_t start = 0;
    for (auto end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
        spec.stdout_line(std::string_view(text).substr(start, end - start));
        start = end + 1;
    }
    if (at_end && start < text.size()) {
        spec.stdout_line(std::string_view(text).substr(start));
        start = text.size();
    }
    text.erase(0, start);
}

}  // namespace

std::string first_line(std::string_view text) {
    while (!text.empty()) {
        auto end = text.find('\n');
        auto line = text.substr(0, end);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
        if (!line.empty()) return std::string(line);
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return {};
}

Result<ProcessResult> run_process(const ProcessSpec& spec) {
    if (spec.argv.empty()) return fail(ExitCode::invalid_input, "no program given to run");

    LAUNCHKIT_TRY_ASSIGN(Pipe stdin_pipe, make_pipe());
    LAUNCHKIT_TRY_ASSIGN(Pipe stdout_pipe, make_pipe());
    LAUNCHKIT_TRY_ASSIGN(Pipe stderr_pipe, make_pipe());

    SpawnSetup setup;
    posix_spawn_file_actions_adddup2(&setup.actions, stdin_pipe.read_end.get(), STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&setup.actions, stdout_pipe.write_end.get(), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&setup.actions, stderr_pipe.write_end.get(), STDERR_FILENO);
    std::string directory = spec.working_directory.string();
    if (!directory.empty()) posix_spawn_file_actions_addchdir_np(&setup.actions, directory.c_str());

    // The child starts with default signal handling even if we ignore SIGPIPE.
    sigset_t default_signals;
    sigemptyset(&default_signals);
    sigaddset(&default_signals, SIGPIPE);
    posix_spawnattr_setsigdefault(&setup.attributes, &default_signals);
    short flags = POSIX_SPAWN_SETSIGDEF;
    // Its own process group, so a timeout kills grandchildren too (a probe's `sh -c` pipeline).
    if (spec.timeout) flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setflags(&setup.attributes, flags);
    posix_spawnattr_setpgroup(&setup.attributes, 0);

    std::vector<std::string> argv_strings = spec.argv;
    std::vector<std::string> env_strings = child_environment(spec);
    auto argv = as_c_strings(argv_strings);
    auto envp = as_c_strings(env_strings);

    pid_t pid = 0;
    int spawn_error =
        ::posix_spawnp(&pid, argv[0], &setup.actions, &setup.attributes, argv.data(), envp.data());
    stdin_pipe.read_end.reset();
    stdout_pipe.write_end.reset();
    stderr_pipe.write_end.reset();
    if (spawn_error != 0) {
        if (spawn_error == ENOENT && !directory.empty() &&
            !std::filesystem::is_directory(directory))
            return fail(ExitCode::environment, "cannot run '{}': directory '{}' does not exist",
                        spec.argv[0], directory);
        return fail(ExitCode::environment, "cannot run '{}': {}", spec.argv[0],
                    std::strerror(spawn_error));
    }

    ProcessResult result;
    std::string_view pending_input = spec.stdin_data;
    if (pending_input.empty())
        stdin_pipe.write_end.reset();
    else
        ::fcntl(stdin_pipe.write_end.get(), F_SETFL, O_NONBLOCK);

    auto deadline = spec.timeout ? std::chrono::steady_clock::now() + *spec.timeout
                                 : std::chrono::steady_clock::time_point::max();
    char buffer[65536];
    while (stdout_pipe.read_end.get() >= 0 || stderr_pipe.read_end.get() >= 0) {
        pollfd fds[3];
        int count = 0;
        auto watch = [&](FileDescriptor& fd, short events) {
            if (fd.get() >= 0) fds[count++] = pollfd{fd.get(), events, 0};
        };
        watch(stdout_pipe.read_end, POLLIN);
        watch(stderr_pipe.read_end, POLLIN);
        watch(stdin_pipe.write_end, POLLOUT);

        int wait_ms = -1;
        if (spec.timeout) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                ::kill(-pid, SIGKILL);
                result.timed_out = true;
                break;
            }
            wait_ms = static_cast<int>(left.count());
        }
        int ready = ::poll(fds, static_cast<nfds_t>(count), wait_ms);
        if (ready < 0 && errno != EINTR) break;
        if (ready <= 0) continue;

        for (int i = 0; i < count; ++i) {
            if (fds[i].revents == 0) continue;
            if (fds[i].fd == stdin_pipe.write_end.get()) {
                ssize_t written = ::write(fds[i].fd, pending_input.data(), pending_input.size());
                if (written > 0) pending_input.remove_prefix(static_cast<size_t>(written));
                if (written < 0 && errno != EAGAIN && errno != EINTR) pending_input = {};
                if (pending_input.empty()) stdin_pipe.write_end.reset();
                continue;
            }
            bool is_stdout = fds[i].fd == stdout_pipe.read_end.get();
            ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
            if (got > 0) {
                (is_stdout ? result.stdout_text : result.stderr_text)
                    .append(buffer, static_cast<size_t>(got));
                if (is_stdout && spec.stdout_line) hand_over_lines(result.stdout_text, spec, false);
            } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                (is_stdout ? stdout_pipe.read_end : stderr_pipe.read_end).reset();
            }
        }
    }

    if (spec.stdout_line) hand_over_lines(result.stdout_text, spec, true);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    return result;
}

}  // namespace launchkit::util
