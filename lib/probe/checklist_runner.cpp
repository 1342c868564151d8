#include "probe/checklist_runner.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "probe/filesystem_probe.h"
#include "probe/http_probe.h"
#include "probe/socket_probe.h"

namespace launchkit::probe {

Result<std::vector<const Check*>> select_checks(const Checklist& checklist,
                                                const RunOptions& options) {
    std::vector<const Check*> selected;
    for (const auto& check : checklist.checks) {
        bool wanted =
            options.tags.empty() ||
            std::any_of(options.tags.begin(), options.tags.end(), [&](const std::string& tag) {
                return std::find(check.tags.begin(), check.tags.end(), tag) != check.tags.end();
            });
        if (wanted) selected.push_back(&check);
    }
    if (selected.empty())
        return fail(ExitCode::invalid_input, "{}: no check has any of the tags given with --tag",
                    checklist.source.string());
    return selected;
}

namespace {

ProbeResult run_blocking_probe(const Check& check) {
    if (std::holds_alternative<TcpProbe>(check.probe)) return run_tcp_probe(check);
    if (std::holds_alternative<CommandProbe>(check.probe)) return run_command_probe(check);
    if (std::holds_alternative<DiskProbe>(check.probe)) return run_disk_probe(check);
    return run_file_age_probe(check);
}

}  // namespace

ChecklistReport run_checks(const std::vector<const Check*>& checks, const RunOptions& options) {
    auto start = std::chrono::steady_clock::now();
    ChecklistReport report;
    report.results.resize(checks.size());

    std::vector<const Check*> http_checks;
    std::vector<size_t> http_positions, blocking_positions;
    for (size_t i = 0; i < checks.size(); ++i) {
        if (std::holds_alternative<HttpProbe>(checks[i]->probe)) {
            http_checks.push_back(checks[i]);
            http_positions.push_back(i);
        } else {
            blocking_positions.push_back(i);
        }
    }

    // TCP, command and file-system probes block a thread each; HTTP needs only this one.
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t taken; (taken = next.fetch_add(1)) < blocking_positions.size();) {
            size_t position = blocking_positions[taken];
            const Check& check = *checks[position];
            report.results[position] = run_blocking_probe(check);
        }
    };
    size_t pool_size =
        std::min(blocking_positions.size(), static_cast<size_t>(std::max(options.parallel, 1)));
    std::vector<std::thread> pool;
    for (size_t i = 0; i < pool_size; ++i) pool.emplace_back(worker);

    if (!http_checks.empty()) {
        auto http_results = run_http_probes(http_checks, options.parallel);
        for (size_t i = 0; i < http_results.size(); ++i)
            report.results[http_positions[i]] = std::move(http_results[i]);
    }
    for (auto& thread : pool) thread.join();

    for (const auto& result : report.results) {
        if (result.passed) continue;
        (result.severity == Severity::critical ? report.failed_critical : report.failed_warning)++;
    }
    report.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    return report;
}

nlohmann::json to_json(const ChecklistReport& report) {
    nlohmann::json checks = nlohmann::json::array();
    int passed = 0;
    for (const auto& result : report.results) {
        checks.push_back(to_json(result));
        passed += result.passed;
    }
    return {{"passed", report.passed()},
            {"duration_ms", report.duration.count()},
            {"summary",
             {{"total", report.results.size()},
              {"passed", passed},
              {"failed_critical", report.failed_critical},
              {"failed_warning", report.failed_warning}}},
            {"checks", std::move(checks)}};
}

}  // namespace launchkit::probe
