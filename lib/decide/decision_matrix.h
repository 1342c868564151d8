// The rollback decision matrix of the release runbook (Release Management Playbook): how severe a
// failure is and how many users it touches decide the action and how soon it must happen.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "decide/threshold_rule.h"

namespace launchkit::decide {

enum class MatrixAction { rollback, assess_then_rollback, hotfix_or_rollback, fix_next_cycle };
std::string_view to_string(MatrixAction action);
std::optional<MatrixAction> parse_matrix_action(std::string_view text);

struct MatrixRow {
    RuleSeverity severity = RuleSeverity::critical;
    // Share of users affected (0..1) this row covers: min < impact ≤ max (min 0 includes 0).
    double min_impact = 0;
    double max_impact = 1;
    MatrixAction action = MatrixAction::rollback;
    std::optional<std::chrono::milliseconds> within{};  // none: next cycle
};

struct DecisionMatrix {
    std::vector<MatrixRow> rows{};
    std::string impact_metric{};  // a metric giving the share of users affected
};

// The Release Management Playbook's table: critical > 50 % immediate rollback < 5 min; high 10–50 %
// rollback after assessment < 15 min; medium < 10 % hot-fix or rollback < 1 h; low: fix in the next
// cycle.
DecisionMatrix seed_decision_matrix();

// The first row matching the severity whose impact range holds `impact`; an unknown impact is
// taken as everyone (fail safe). None when no row matches.
std::optional<MatrixRow> look_up(const DecisionMatrix& matrix, RuleSeverity severity,
                                 std::optional<double> impact);

// "> 50%", "10-50%", "< 10%", "any": the impact range of a row.
Result<std::pair<double, double>> parse_impact_range(std::string_view text);

}  // namespace launchkit::decide
