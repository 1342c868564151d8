// What each `diagnose` subcommand does. `run` and `probe` exit 0 when every critical check passes
// and 1 otherwise; `wait` exits 1 at its deadline; a malformed checklist is exit 2 before
// anything is probed.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/context.h"

namespace launchkit::probe {

struct DiagnoseRunOptions {
    std::filesystem::path checklist{};  // empty: the config's `checklist:`
    std::vector<std::string> tags{};
    int parallel = 64;
    // A check still undecided then (flapping under stable_for or thresholds) counts as failed.
    std::string timeout = "5m";
};

struct DiagnoseWaitOptions {
    DiagnoseRunOptions run{};  // its timeout is the wait's deadline
    std::string interval{};    // overrides every check's period; empty: their own
};

struct DiagnoseProbeOptions {
    std::string url{};
    std::string method = "GET";
    std::vector<std::string> expect_status{};  // "200", "2xx", "200-204"
    std::vector<std::string> expect_json{};    // "/status == \"ready\""
    std::vector<std::string> expect_body{};    // substrings
    std::vector<std::string> headers{};        // "Name: value"
    std::string token_env{};
    std::string timeout = "5s";
    std::string max_latency{};  // duration; empty: none
    bool insecure = false;
    bool follow_redirects = false;
};

struct DiagnoseSnapshotOptions {
    std::filesystem::path rules{};   // empty: the config's `slo_rules:`
    std::filesystem::path output{};  // --out; empty or "-": stdout
    std::vector<std::string> sources{};
};

struct DiagnoseCompareOptions {
    std::filesystem::path baseline{};
    std::filesystem::path rules{};  // empty: the config's `slo_rules:`
    std::vector<std::string> sources{};
};

// The rules file `given`, or the config's `slo_rules:` when none is; exit 2 when neither exists.
Result<std::filesystem::path> rules_file(const Context& context,
                                         const std::filesystem::path& given);
Result<ExitCode> run_snapshot(Context& context, const DiagnoseSnapshotOptions& options);
Result<ExitCode> run_compare(Context& context, const DiagnoseCompareOptions& options);
Result<ExitCode> run_diagnose(Context& context, const DiagnoseRunOptions& options);
Result<ExitCode> run_wait(Context& context, const DiagnoseWaitOptions& options);
Result<ExitCode> run_probe(Context& context, const DiagnoseProbeOptions& options);

}  // namespace launchkit::probe
