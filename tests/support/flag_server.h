// `feature-flags serve` started for a test over a StateFixture's store, on a free loopback port,
// with a small HTTP client for it; stopped (SIGTERM) with the fixture.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <sys/types.h>
#include <nlohmann/json.hpp>

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
    ~FlagServer();
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
    // What it wrote on stderr.
    std::string log() const;

  private:
    TempDir dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace launchkit::testing
