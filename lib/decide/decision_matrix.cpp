#include "decide/decision_matrix.h"

#include "util/pattern.h"
#include "util/strings.h"

namespace launchkit::decide {

std::string_view to_string(MatrixAction action) {
    switch (action) {
        case MatrixAction::rollback:
            return "rollback";
        case MatrixAction::assess_then_rollback:
            return "assess-then-rollback";
        case MatrixAction::hotfix_or_rollback:
            return "hotfix-or-rollback";
        case MatrixAction::fix_next_cycle:
            return "fix-next-cycle";
    }
    return "rollback";
}

std::optional<MatrixAction> parse_matrix_action(std::string_view text) {
    for (auto action : {MatrixAction::rollback, MatrixAction::assess_then_rollback,
                        MatrixAction::hotfix_or_rollback, MatrixAction::fix_next_cycle})
        if (to_string(action) == text) return action;
    return std::nullopt;
}

DecisionMatrix seed_decision_matrix() {
    using std::chrono::minutes;
    DecisionMatrix matrix;
    matrix.rows = {
        {RuleSeverity::critical, 0.0, 1.0, MatrixAction::rollback, minutes(5)},
        {RuleSeverity::high, 0.0, 1.0, MatrixAction::assess_then_rollback, minutes(15)},
        {RuleSeverity::medium, 0.0, 1.0, MatrixAction::hotfix_or_rollback, minutes(60)},
        {RuleSeverity::low, 0.0, 1.0, MatrixAction::fix_next_cycle, std::nullopt},
    };
    // The runbook pairs each severity with its usual impact; a critical failure touching few users
    // is still critical, so the default rows cover every impact and a playbook narrows them.
    return matrix;
}

std::optional<MatrixRow> look_up(const DecisionMatrix& matrix, RuleSeverity severity,
                                 std::optional<double> impact) {
    double share = impact.value_or(1.0);
    for (const auto& row : matrix.rows) {
        if (row.severity != severity) continue;
        bool above_min = row.min_impact == 0 ? share >= 0 : share > row.min_impact;
        if (above_min && share <= row.max_impact) return row;
    }
    return std::nullopt;
}

Result<std::pair<double, double>> parse_impact_range(std::string_view text) {
    auto trimmed = std::string(util::trim(text));
    if (trimmed == "any" || trimmed.empty()) return std::pair{0.0, 1.0};
    static const auto range = util::builtin_pattern(R"(([0-9.]+)\s*%?\s*-\s*([0-9.]+)\s*%)");
    static const auto bound = util::builtin_pattern(R"((>|<|>=|<=)\s*([0-9.]+)\s*%)");
    try {
        if (auto match = range.match_whole(trimmed); match && *match)
            return std::pair{std::stod(std::string(*(**match)[1])) / 100,
                             std::stod(std::string(*(**match)[2])) / 100};
        if (auto match = bound.match_whole(trimmed); match && *match) {
            double value = std::stod(std::string(*(**match)[2])) / 100;
            return (**match)[1]->front() == '>' ? std::pair{value, 1.0} : std::pair{0.0, value};
        }
    } catch (const std::exception&) {
    }
    return fail(ExitCode::invalid_input,
                "impact '{}': expected '> 50%', '10-50%', '< 10%' or 'any'", text);
}

}  // namespace launchkit::decide
