#include "support/demo_service.h"

#include <csignal>
#include <cstdlib>

#include <httplib.h>
#include <catch2/catch.hpp>

namespace launchkit::testing {

DemoService::DemoService(const std::string& releases_yaml) {
    dir_.write("data/config/releases.yaml", releases_yaml);
    auto port_file = dir_.path() / "port";
    process_ = BackgroundProcess(
        {LAUNCHKIT_DEMO_SERVICE, "serve", "--data-dir", data_dir().string(), "--port", "0",
         "--port-file", port_file.string()},
        dir_.path() / "service.log", "",
        {.environment = {{"DEMO_ADMIN_TOKEN", admin_token}}, .stop_signal = SIGTERM});
    port_ = wait_for_port_file(process_, port_file, "demo-service");
}

nlohmann::json DemoService::status() const {
    httplib::Client client("127.0.0.1", port_);
    auto response = client.Get("/ops/status.json");
    REQUIRE(response);
    REQUIRE(response->status == 200);
    return nlohmann::json::parse(response->body);
}

std::vector<std::pair<std::string, std::string>> DemoService::environment() {
    auto service_dir = std::filesystem::path(LAUNCHKIT_DEMO_SERVICE).parent_path().string();
    const char* path = std::getenv("PATH");
    return {{"DEMO_ADMIN_TOKEN", admin_token},
            {"PATH", std::string(LAUNCHKIT_BIN_DIR) + ":" + service_dir + ":" +
                         (path ? path : "/usr/bin:/bin")}};
}

}  // namespace launchkit::testing
