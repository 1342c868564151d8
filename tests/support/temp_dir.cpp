#include "support/temp_dir.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <catch2/catch.hpp>

namespace launchkit::testing {

TempDir::TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "launchkit-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

GitSandbox::GitSandbox() {
    git({"init", "--quiet", "--initial-branch=main"});
}

std::string GitSandbox::git(std::vector<std::string> arguments) const {
    arguments.insert(arguments.begin(), "git");
    auto result =
        util::run_process(util::ProcessSpec{.argv = arguments, .working_directory = root()});
    REQUIRE(result);
    INFO("git " << arguments[1] << ": " << result->stderr_text);
    REQUIRE(result->exit_code == 0);
    return result->stdout_text;
}

std::filesystem::path TempDir::write(const std::string& relative_path,
                                     const std::string& content) const {
    auto path = path_ / relative_path;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

bool TempDir::wait_for(const std::string& relative_path, std::chrono::milliseconds timeout) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!std::filesystem::exists(path_ / relative_path)) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

void GitSandbox::write(const std::string& relative_path, const std::string& content) const {
    dir_.write(relative_path, content);
}

std::string GitSandbox::read(const std::string& relative_path) const {
    std::ifstream in(root() / relative_path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void GitSandbox::commit(const std::string& message, const std::string& file) {
    write(file, std::to_string(++counter_) + "\n" + message + "\n");
    git({"add", "--", file});
    git({"commit", "--quiet", "-m", message});
}

util::ProcessResult run_tool(const std::string& tool, std::vector<std::string> arguments,
                             const std::filesystem::path& working_directory,
                             std::vector<std::pair<std::string, std::string>> environment) {
    arguments.insert(arguments.begin(), std::string(LAUNCHKIT_BIN_DIR) + "/" + tool);
    environment.emplace_back("NO_COLOR", "1");
    auto result = util::run_process(util::ProcessSpec{.argv = std::move(arguments),
                                                      .working_directory = working_directory,
                                                      .environment = std::move(environment)});
    REQUIRE(result);
    return *result;
}

util::ProcessResult run_program(std::vector<std::string> argv,
                                const std::filesystem::path& working_directory) {
    auto result = util::run_process(
        util::ProcessSpec{.argv = std::move(argv), .working_directory = working_directory});
    REQUIRE(result);
    return *result;
}

}  // namespace launchkit::testing
