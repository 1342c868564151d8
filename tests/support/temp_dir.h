// Test helpers: a temporary directory removed afterwards, a scratch git repository, and running the
// real executables from this build.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "util/process.h"

namespace launchkit::testing {

class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    // Writes a file below the directory (parents created) and returns its path.
    std::filesystem::path write(const std::string& relative_path, const std::string& content) const;
    // Waits up to `timeout` for a file to appear below the directory (how a child process tells
    // a test it reached a point); false if it never did.
    bool wait_for(const std::string& relative_path,
                  std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;

  private:
    std::filesystem::path path_;
};

// A git repository in a temporary directory with helpers to make Conventional Commits.
class GitSandbox {
  public:
    GitSandbox();
    const std::filesystem::path& root() const { return dir_.path(); }

    // Runs git in the repository; fails the test when git fails. Returns stdout.
    std::string git(std::vector<std::string> arguments) const;
    // Writes a file (relative to the root), stages it and commits with `message`.
    void commit(const std::string& message, const std::string& file = "file.txt");
    void write(const std::string& relative_path, const std::string& content) const;
    std::string read(const std::string& relative_path) const;

  private:
    TempDir dir_;
    int counter_ = 0;
};

// Runs one of the launchkit executables with argv; `environment` adds variables.
util::ProcessResult run_tool(const std::string& tool, std::vector<std::string> arguments,
                             const std::filesystem::path& working_directory = {},
                             std::vector<std::pair<std::string, std::string>> environment = {});

// Runs another program (sha256sum, minisign, git) in `working_directory`; fails the test when it
// cannot be started.
util::ProcessResult run_program(std::vector<std::string> argv,
                                const std::filesystem::path& working_directory = {});

}  // namespace launchkit::testing
