// A real Prometheus (Debian's `prometheus`) on 127.0.0.1 for the query-API tests: it scrapes one
// target every second into a private data directory and is stopped with the fixture.
#pragma once

#include <string>

#include "support/background_process.h"
#include "support/temp_dir.h"

namespace launchkit::testing {

class PrometheusServer {
  public:
    // `target` is host:port of an exporter serving /metrics.
    explicit PrometheusServer(const std::string& target);
    PrometheusServer(const PrometheusServer&) = delete;
    PrometheusServer& operator=(const PrometheusServer&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  private:
    TempDir dir_;
    int port_ = 0;
    BackgroundProcess process_;
};

}  // namespace launchkit::testing
