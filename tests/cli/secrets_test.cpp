// A whole deploy with the admin token in the environment: the token reaches the service and
// nothing else — not the state directory (journals, ledger, store, backups), not stdout or stderr,
// not the argv of any process the deploy starts (traced with strace).
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/demo_service.h"
#include "support/state_fixture.h"
#include "util/file_io.h"

using launchkit::testing::DemoService;
using launchkit::testing::StateFixture;

namespace {

std::vector<std::string> files_containing(const std::filesystem::path& root,
                                          const std::string& secret) {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (content.find(secret) != std::string::npos) found.push_back(entry.path().string());
    }
    return found;
}

}  // namespace

TEST_CASE("a deploy never writes or prints the tokens it uses", "[cli][secrets]") {
    StateFixture fixture;
    DemoService service(R"(releases:
  "1.5.0": {error_rate: 0.09, latency_ms: 480}
)");
    REQUIRE(fixture.flags({"create", "btc-mainnet-redemption"}).exit_code == 0);
    auto playbook = std::string(LAUNCHKIT_SOURCE_DIR) + "/playbooks/mycelia-upgrade.yaml";
    std::vector<std::string> outputs;
    launchkit::testing::TempDir traces;
    std::string argv_log;
    for (const char* version : {"1.4.0", "1.5.0"}) {  // a good release, then one rolled back
        auto deploy = fixture.spec(
            "release-manager",
            {"deploy", version, "production", "--playbook", playbook, "--var",
             "service_url=" + service.url(), "--var", "data_dir=" + service.data_dir().string()},
            DemoService::environment());
        // Every process the deploy starts, with its whole argv (environments are not shown).
        auto trace = traces.path() / (std::string(version) + ".execve");
        deploy.argv.insert(deploy.argv.begin(), {"strace", "-f", "-qq", "-e", "trace=execve", "-s",
                                                 "65536", "-o", trace.string()});
        // LeakSanitizer cannot work in a traced process (it ptraces itself): in the sanitizer
        // build the traced deploy and its children run without it; ASan's checks stay on.
        deploy.environment.emplace_back("ASAN_OPTIONS", "detect_leaks=0");
        auto result = launchkit::util::run_process(deploy);
        REQUIRE(result);
        INFO(result->stderr_text);
        CHECK((result->exit_code == 0 || result->exit_code == 1));
        outputs.push_back(result->stdout_text + result->stderr_text);
        argv_log += launchkit::util::read_file(trace).value();
    }
    // Not vacuous: the deploys and the children their steps ran (the smoke test, the migration).
    CHECK(std::count(argv_log.begin(), argv_log.end(), '\n') >= 3);
    CHECK(argv_log.find(DemoService::admin_token) == std::string::npos);
    CHECK(service.status()["version"] == "1.4.0");  // the token did reach the service
    for (const auto& text : outputs)
        CHECK(text.find(DemoService::admin_token) == std::string::npos);
    CHECK(files_containing(fixture.state.path(), DemoService::admin_token).empty());
    auto runs = fixture.run("release-manager", {"runs", "--json"});
    CHECK(runs.stdout_text.find(DemoService::admin_token) == std::string::npos);
}
