#include "support/prometheus_server.h"

#include <chrono>
#include <csignal>
#include <fstream>

#include <catch2/catch.hpp>

#include "probe/metric_source.h"

namespace launchkit::testing {

PrometheusServer::PrometheusServer(const std::string& target) : port_(free_port()) {
    auto config = dir_.path() / "prometheus.yml";
    std::ofstream(config) << "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                             "scrape_configs:\n"
                             "  - job_name: app\n"
                             "    static_configs: [{targets: ['"
                          << target << "']}]\n";
    process_ =
        BackgroundProcess({"prometheus", "--config.file=" + config.string(),
                           "--storage.tsdb.path=" + (dir_.path() / "data").string(),
                           "--web.listen-address=127.0.0.1:" + std::to_string(port_)},
                          dir_.path() / "prometheus.log", "prometheus", {.stop_signal = SIGTERM});

    // Ready once the first scrape of the target has landed: `up` is then 1.
    probe::MetricSource source;
    source.name = "test-prometheus";
    source.kind = probe::MetricSourceKind::prometheus_api;
    source.url = url();
    wait_until_ready(
        process_,
        [&] {
            auto up = probe::query_prometheus(source, "up");
            return up && *up == 1;
        },
        "prometheus scraping " + target, std::chrono::seconds(60));
}

}  // namespace launchkit::testing
