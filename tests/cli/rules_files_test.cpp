// Every shipped rules file works with every command that takes rules: `diagnose slo`,
// `diagnose snapshot` and `release-manager analyze` (a gate's judgement), against a real demo
// service standing in for the runbooks' services.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "support/demo_service.h"
#include "support/temp_dir.h"

using launchkit::testing::DemoService;
using launchkit::testing::run_tool;
using launchkit::testing::TempDir;

TEST_CASE("every shipped rules file is read by slo, snapshot and analyze alike",
          "[cli][rules][slo]") {
    DemoService service;
    TempDir dir;
    auto rules_dir = std::filesystem::path(LAUNCHKIT_SOURCE_DIR) / "playbooks" / "rules";
    size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(rules_dir)) {
        if (entry.path().extension() != ".yaml") continue;
        ++files;
        auto name = entry.path().filename().string();
        INFO(name);
        // The same file, its sources pointed at the demo service.
        std::ifstream in(entry.path());
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        text = std::regex_replace(text, std::regex(R"(http://127\.0\.0\.1:80[0-9][0-9])"),
                                  service.url());
        auto rules = dir.write(name, text);
        auto environment = DemoService::environment();

        auto snapshot_path = dir.path() / (name + ".snapshot.json");
        auto snapshot = run_tool("diagnose", {"snapshot", rules.string(), "-o",
                                              snapshot_path.string()},
                                 {}, environment);
        INFO(snapshot.stderr_text);
        REQUIRE(snapshot.exit_code == 0);

        auto slo = run_tool(
            "diagnose", {"slo", rules.string(), "--baseline", snapshot_path.string(), "--json"},
            {}, environment);
        INFO(slo.stdout_text << slo.stderr_text);
        REQUIRE((slo.exit_code == 0 || slo.exit_code == 1));
        auto judged = nlohmann::json::parse(slo.stdout_text)["rules"];
        CHECK(judged.size() > 0);
        for (const auto& rule : judged) CHECK(rule["phase"] != "error");

        auto analyze = run_tool("release-manager",
                                {"analyze", "--rules", rules.string(), "--baseline",
                                 snapshot_path.string(), "--count", "1", "--interval", "10ms",
                                 "--json"},
                                {}, environment);
        INFO(analyze.stdout_text << analyze.stderr_text);
        CHECK(analyze.exit_code != 2);
        CHECK(analyze.exit_code != 3);
    }
    CHECK(files == 6);
}
