#include "playbook/playbook.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

namespace launchkit::playbook {
namespace {

constexpr std::array<std::pair<StepKind, std::string_view>, 14> kind_names{{
    {StepKind::run, "run"},
    {StepKind::probe, "probe"},
    {StepKind::checklist, "checklist"},
    {StepKind::backup, "backup"},
    {StepKind::restore, "restore"},
    {StepKind::flag, "flag"},
    {StepKind::pause, "pause"},
    {StepKind::resume, "resume"},
    {StepKind::wait, "wait"},
    {StepKind::gate, "gate"},
    {StepKind::deploy, "deploy"},
    {StepKind::notify, "notify"},
    {StepKind::approve, "approve"},
    {StepKind::verify, "verify"},
}};

}  // namespace

std::string_view to_string(StepKind kind) {
    for (auto [candidate, name] : kind_names)
        if (candidate == kind) return name;
    return "run";
}

std::optional<StepKind> parse_step_kind(std::string_view text) {
    for (auto [kind, name] : kind_names)
        if (name == text) return kind;
    return std::nullopt;
}

const std::set<std::string>& step_outputs(StepKind kind) {
    static const std::map<StepKind, std::set<std::string>> outputs{
        {StepKind::run, {"status", "stdout", "exit_code"}},
        {StepKind::probe, {"status", "passed", "failed"}},
        {StepKind::checklist, {"status", "passed", "failed"}},
        {StepKind::backup, {"status", "id", "offsite"}},
        {StepKind::restore, {"status", "id", "safety_backup"}},
        {StepKind::flag, {"status", "enabled", "rollout"}},
        {StepKind::pause, {"status", "was_paused"}},
        {StepKind::resume, {"status", "was_paused"}},
        {StepKind::wait, {"status"}},
        {StepKind::gate, {"status", "verdict"}},
        {StepKind::deploy, {"status", "weight", "strategy"}},
        {StepKind::notify, {"status"}},
        {StepKind::approve, {"status", "approved_by"}},
        {StepKind::verify, {"status", "key_id", "files", "predicate_type"}},
    };
    return outputs.at(kind);
}

std::string_view to_string(OnFailure on_failure) {
    switch (on_failure) {
        case OnFailure::rollback:
            return "rollback";
        case OnFailure::pause:
            return "pause";
        case OnFailure::continue_run:
            return "continue";
        case OnFailure::abort:
            return "abort";
    }
    return "abort";
}

std::string Playbook::strategy(const std::string& requested) const {
    if (!requested.empty()) return requested;
    std::vector<std::string> strategies;
    for (const auto& step : steps) {
        if (step.kind != StepKind::deploy) continue;
        auto strategy = step.body.value("strategy", "");
        if (!strategy.empty() && std::ranges::find(strategies, strategy) == strategies.end())
            strategies.push_back(strategy);
    }
    if (strategies.empty()) return "none";
    std::string text;
    for (const auto& strategy : strategies) text += (text.empty() ? "" : ", ") + strategy;
    return text;
}

const Step* Playbook::find_step(std::string_view name) const {
    for (const auto& step : steps)
        if (step.name == name) return &step;
    return nullptr;
}

const std::set<std::string>& builtin_variables() {
    static const std::set<std::string> names{"version",  "env",   "previous_version", "run_id",
                                             "playbook", "actor", "strategy",         "run_dir"};
    return names;
}

std::filesystem::path path_beside_playbook(const Playbook& playbook, const std::string& text) {
    std::filesystem::path path(text);
    if (path.empty() || path.is_absolute()) return path;
    return (playbook.source.parent_path() / path).lexically_normal();
}

}  // namespace launchkit::playbook
