// A private state directory and helpers to run the flag and launch-control executables against it,
// one at a time or many at once.
#pragma once

#include <chrono>

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/temp_dir.h"
#include "util/process.h"

namespace launchkit::testing {

using Environment = std::vector<std::pair<std::string, std::string>>;

struct StateFixture {
    TempDir state;

    std::filesystem::path store_dir() const { return state.path() / "store"; }

    // The command for `tool` with --state-dir and a fixed actor; `environment` adds variables.
    util::ProcessSpec spec(const std::string& tool, std::vector<std::string> arguments,
                           Environment environment = {}) const;
    util::ProcessResult run(const std::string& tool, std::vector<std::string> arguments,
                            Environment environment = {}) const;
    // `run` from `working_directory`: where a playbook's commands read and write their files.
    util::ProcessResult run_in(const std::filesystem::path& working_directory,
                               const std::string& tool, std::vector<std::string> arguments,
                               Environment environment = {}) const;
    // Runs `tool ARGUMENTS --json`, requires `expected_exit` and returns stdout parsed.
    nlohmann::json run_json(const std::string& tool, std::vector<std::string> arguments,
                            Environment environment = {}, int expected_exit = 0) const;
    util::ProcessResult flags(std::vector<std::string> arguments,
                              Environment environment = {}) const {
        return run("feature-flags", std::move(arguments), std::move(environment));
    }
    util::ProcessResult launchctl(std::vector<std::string> arguments,
                                  Environment environment = {}) const {
        return run("launchctl", std::move(arguments), std::move(environment));
    }
};

// Requires `feature-flags audit --verify` to pass on `fixture`'s store: the chain and the
// snapshot agree, whatever a test did to them.
void require_intact(const StateFixture& fixture);

// Starts `spec` with stdout to /dev/null, waits `delay`, SIGKILLs it and reaps it: a writer killed
// at a random moment. Whether it was still running is not told; it may have finished first.
void run_and_kill_after(const util::ProcessSpec& spec, std::chrono::microseconds delay);

// Runs every spec at the same time (one thread each) and returns the results in order.
std::vector<util::ProcessResult> run_concurrently(const std::vector<util::ProcessSpec>& specs);

}  // namespace launchkit::testing
