#include "support/state_fixture.h"

#include <thread>

#include <catch2/catch.hpp>

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

nlohmann::json StateFixture::run_json(const std::string& tool, std::vector<std::string> arguments,
                                      Environment environment, int expected_exit) const {
    arguments.push_back("--json");
    auto result = run(tool, std::move(arguments), std::move(environment));
    INFO(result.stderr_text);
    REQUIRE(result.exit_code == expected_exit);
    return nlohmann::json::parse(result.stdout_text);
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
