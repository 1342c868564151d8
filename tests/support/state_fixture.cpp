#include "support/state_fixture.h"

#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

extern char** environ;

namespace launchkit::testing {

util::ProcessSpec StateFixture::spec(const std::string& tool, std::vector<std::string> arguments,
                                     Environment environment) const {
    arguments.insert(arguments.begin(), {std::string(LAUNCHKIT_BIN_DIR) + "/" + tool, "--state-dir",
                                         state.path().string()});
    environment.emplace_back("NO_COLOR", "1");
    environment.emplace_back("LAUNCHKIT_ACTOR", "oncall");
    return util::ProcessSpec{.argv = std::move(arguments), .environment = std::move(environment)};
}

util::ProcessResult StateFixture::run(const std::string& tool, std::vector<std::string> arguments,
                                      Environment environment) const {
    auto result = util::run_process(spec(tool, std::move(arguments), std::move(environment)));
    REQUIRE(result);
    return *result;
}

util::ProcessResult StateFixture::run_in(const std::filesystem::path& working_directory,
                                         const std::string& tool,
                                         std::vector<std::string> arguments,
                                         Environment environment) const {
    auto command = spec(tool, std::move(arguments), std::move(environment));
    command.working_directory = working_directory;
    auto result = util::run_process(command);
    REQUIRE(result);
    return *result;
}

nlohmann::json StateFixture::run_json(const std::string& tool, std::vector<std::string> arguments,
                                      Environment environment, int expected_exit) const {
    arguments.push_back("--json");
    auto result = run(tool, std::move(arguments), std::move(environment));
    INFO(result.stderr_text);
    REQUIRE(result.exit_code == expected_exit);
    return nlohmann::json::parse(result.stdout_text);
}

void require_intact(const StateFixture& fixture) {
    auto verify = fixture.flags({"audit", "--verify"});
    INFO(verify.stdout_text << verify.stderr_text);
    REQUIRE(verify.exit_code == 0);
}

void run_and_kill_after(const util::ProcessSpec& spec, std::chrono::microseconds delay) {
    auto command = spec;
    std::vector<char*> argv;
    for (auto& word : command.argv) argv.push_back(word.data());
    argv.push_back(nullptr);
    std::vector<std::string> variables;
    for (char** entry = environ; *entry; ++entry) variables.emplace_back(*entry);
    for (auto& [name, value] : command.environment) variables.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& variable : variables) envp.push_back(variable.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    if (!command.working_directory.empty())
        posix_spawn_file_actions_addchdir_np(&actions, command.working_directory.c_str());
    pid_t pid = 0;
    int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(spawned == 0);
    std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
}

std::vector<util::ProcessResult> run_concurrently(const std::vector<util::ProcessSpec>& specs) {
    std::vector<Result<util::ProcessResult>> outcomes(specs.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < specs.size(); ++i)
        threads.emplace_back([&, i] { outcomes[i] = util::run_process(specs[i]); });
    for (auto& thread : threads) thread.join();
    std::vector<util::ProcessResult> results;
    for (auto& outcome : outcomes) {
        REQUIRE(outcome);
        results.push_back(std::move(*outcome));
    }
    return results;
}

}  // namespace launchkit::testing
