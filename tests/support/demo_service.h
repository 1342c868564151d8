// examples/demo-service started for a test: a real HTTP service on a free loopback port with its
// own data directory, stopped with the fixture. Playbook tests upgrade and roll it back.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/background_process.h"
#include "support/temp_dir.h"

namespace launchkit::testing {

class DemoService {
  public:
    static constexpr const char* admin_token = "demo-admin-token";

    // `releases_yaml` becomes config/releases.yaml: how each version behaves once deployed.
    explicit DemoService(const std::string& releases_yaml = "releases: {}\n");
    DemoService(const DemoService&) = delete;
    DemoService& operator=(const DemoService&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::filesystem::path data_dir() const { return dir_.path() / "data"; }
    // GET /ops/status.json: version, canary, canary_weight, schema_version, ready, items, ...
    nlohmann::json status() const;

    // What a playbook run against it needs: the admin token, and PATH with the launchkit tools
    // and demo-service (the playbooks' run steps call them by name).
    static std::vector<std::pair<std::string, std::string>> environment();

  private:
    TempDir dir_;
    BackgroundProcess process_;
    int port_ = 0;
};

}  // namespace launchkit::testing
