// A playbook (`apiVersion: launchkit/v1`): named steps of a few kinds run in dependency order, each
// with what to do when it fails, and a rollback list. Step settings are kept as written (JSON with
// ${...} references) and expanded just before the step runs, after the whole file was validated.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "playbook/run_event.h"

namespace launchkit::playbook {

inline constexpr std::string_view api_version = "launchkit/v1";

enum class StepKind {
    run,
    probe,
    checklist,
    backup,
    restore,
    flag,
    pause,
    resume,
    wait,
    gate,
    deploy,
    notify,
    approve,
    verify
};
std::string_view to_string(StepKind kind);
std::optional<StepKind> parse_step_kind(std::string_view text);
// Outputs a step of this kind leaves for ${steps.NAME.OUTPUT} ("status" for every kind).
const std::set<std::string>& step_outputs(StepKind kind);

enum class OnFailure { rollback, pause, continue_run, abort };
std::string_view to_string(OnFailure on_failure);

struct GateSpec {
    std::filesystem::path rules{};  // absolute
    std::optional<std::chrono::milliseconds> interval{};
    std::optional<int> count{};
    std::filesystem::path baseline{};    // optional series or snapshot file; absolute
    std::filesystem::path canary{};      // optional series file judged instead of live sources
    std::vector<std::string> sources{};  // NAME=URL overrides of the rules' sources; may use ${...}
    std::string on_no_data{};            // inconclusive, pause or rollback; empty: the rules'
};

struct Step {
    std::string name{};
    StepKind kind = StepKind::run;
    std::string where{};               // "playbook.yaml:12", for messages
    nlohmann::json body{};             // the kind's settings, as written
    std::optional<GateSpec> gate{};    // after the step (deploy: after each traffic step)
    std::vector<std::string> needs{};  // without needs: the step listed before it
    bool needs_declared = false;       // `needs: []` runs first, not after the step above
    OnFailure on_failure = OnFailure::abort;
    bool undo = true;      // flag, pause, resume and deploy steps are undone on rollback
    std::string undoes{};  // rollback steps: run only when this forward step completed
};

struct Playbook {
    std::filesystem::path source{};  // absolute
    std::string digest{};            // SHA-256 of the text: resume refuses an edited playbook
    std::string name{};
    std::string description{};
    std::map<std::string, std::string> vars{};
    // What SIGINT, SIGTERM or SIGHUP does to a run: roll back (the default) or pause, resumable.
    OnInterrupt on_interrupt = OnInterrupt::rollback;
    // `kind: rollback`: a playbook that puts an older version back (the runbooks' rollback
    // procedures). Its successful run is a rollback in the ledger and in `stats`, not a deploy.
    bool is_rollback = false;
    std::vector<Step> steps{};     // in the order they run (dependencies resolved)
    std::vector<Step> rollback{};  // as listed

    const Step* find_step(std::string_view name) const;
    // The strategy a run uses: `requested` (--strategy), else what its deploy steps say
    // ("canary", "rolling, blue-green"), else "none" when it deploys nothing itself.
    std::string strategy(const std::string& requested) const;
};

// A path a step names after its variables were expanded: relative means beside the playbook, as
// every path written in it.
std::filesystem::path path_beside_playbook(const Playbook& playbook, const std::string& text);

// Variables every run defines.
const std::set<std::string>& builtin_variables();

}  // namespace launchkit::playbook
