// A decision is a value: the verdict and every number behind it (each rule's observed value,
// threshold, sample counts, p-value), printed as tables, as JSON, and journaled by the runner.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "decide/analysis_run.h"
#include "decide/canary_judge.h"
#include "decide/decision_matrix.h"
#include "decide/decision_rules.h"

namespace launchkit::decide {

enum class Verdict { promote, continue_rollout, pause, rollback, inconclusive };
std::string_view to_string(Verdict verdict);  // "continue" for continue_rollout

struct Decision {
    Verdict verdict = Verdict::inconclusive;
    std::string reason{};
    std::vector<RuleAnalysis> thresholds{};
    std::optional<CanaryJudgement> canary{};
    std::optional<MatrixRow> matrix_row{};  // the decision matrix row that chose the action
    std::optional<double> impact{};         // share of users affected, when known
    bool final = true;                      // false: more measurements are due
    // The verdict is what on_no_data says: nothing could be judged.
    bool no_data = false;
    // Why sources did not answer (unreachable, an HTTP error, an invalid body), one per source.
    std::vector<std::string> failed_sources{};

    // Exit status of `analyze`: promote and continue are "go", the rest "no".
    bool go() const { return verdict == Verdict::promote || verdict == Verdict::continue_rollout; }
};

// Combines the threshold analyses and the canary judgement. The worst finding wins: rollback,
// then pause, then inconclusive, then continue; promote only when everything passed.
Decision make_decision(const DecisionRules& rules, std::vector<RuleAnalysis> thresholds,
                       std::optional<CanaryJudgement> canary, std::optional<double> impact,
                       bool final, NoDataAction on_no_data = NoDataAction::inconclusive);

// What `analyze` exits with: 0 promote or continue; 3 when nothing could be judged because a
// source did not answer; 1 for any other verdict.
ExitCode exit_code_of(const Decision& decision);

nlohmann::json to_json(const Decision& decision);
// Aligned tables: thresholds, canary metrics with their statistics, groups, and the verdict line.
void print_decision(std::ostream& out, const Decision& decision, bool color);

}  // namespace launchkit::decide
