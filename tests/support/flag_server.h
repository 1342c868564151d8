// `feature-flags serve` started for a test over a StateFixture's store, on a free loopback port,
// with a small HTTP client for it; stopped (SIGTERM) with the fixture.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/background_process.h"
#include "support/state_fixture.h"

namespace launchkit::testing {

struct HttpAnswer {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names

    nlohmann::json json() const { return nlohmann::json::parse(body); }
};

class FlagServer {
  public:
    // `arguments` follow `serve` (e.g. {"--env", "staging"}).
    explicit FlagServer(const StateFixture& fixture, std::vector<std::string> arguments = {},
                        Environment environment = {});
    FlagServer(const FlagServer&) = delete;
    FlagServer& operator=(const FlagServer&) = delete;

    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    HttpAnswer get(const std::string& path,
                   const std::map<std::string, std::string>& headers = {}) const;
    HttpAnswer post(const std::string& path, const std::string& body,
                    const std::map<std::string, std::string>& headers = {}) const;
    // SIGTERM, then the exit status once it is gone (-1 when a signal ended it).
    int stop();
    // What it wrote on stdout and stderr.
    std::string log() const;

  private:
    TempDir dir_;
    BackgroundProcess process_;
    int port_ = 0;
};

}  // namespace launchkit::testing
