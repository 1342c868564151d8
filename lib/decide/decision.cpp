#include "decide/decision.h"

#include <cmath>

#include <fmt/format.h>

#include "core/output.h"
#include "util/duration.h"

namespace launchkit::decide {
namespace {

int severity_rank(RuleSeverity severity) {
    switch (severity) {
        case RuleSeverity::critical:
            return 4;
        case RuleSeverity::high:
            return 3;
        case RuleSeverity::medium:
            return 2;
        case RuleSeverity::low:
            return 1;
        case RuleSeverity::warning:
            return 0;
    }
    return 0;
}

int verdict_rank(Verdict verdict) {
    switch (verdict) {
        case Verdict::rollback:
            return 4;
        case Verdict::pause:
            return 3;
        case Verdict::inconclusive:
            return 2;
        case Verdict::continue_rollout:
            return 1;
        case Verdict::promote:
            return 0;
    }
    return 0;
}

std::string number_text(const std::optional<double>& value) {
    if (!value) return "-";
    if (std::isnan(*value)) return "NaN";
    return fmt::format("{:.4g}", *value == 0 ? 0.0 : *value);  // no "-0"
}

Color verdict_color(Verdict verdict) {
    switch (verdict) {
        case Verdict::promote:
        case Verdict::continue_rollout:
            return Color::green;
        case Verdict::pause:
        case Verdict::inconclusive:
            return Color::yellow;
        case Verdict::rollback:
            return Color::red;
    }
    return Color::none;
}

}  // namespace

std::string_view to_string(Verdict verdict) {
    switch (verdict) {
        case Verdict::promote:
            return "promote";
        case Verdict::continue_rollout:
            return "continue";
        case Verdict::pause:
            return "pause";
        case Verdict::rollback:
            return "rollback";
        case Verdict::inconclusive:
            return "inconclusive";
    }
    return "inconclusive";
}

Verdict verdict_for(NoDataAction action) {
    switch (action) {
        case NoDataAction::pause:
            return Verdict::pause;
        case NoDataAction::rollback:
            return Verdict::rollback;
        case NoDataAction::inconclusive:
            break;
    }
    return Verdict::inconclusive;
}

Decision make_decision(const DecisionRules& rules, std::vector<RuleAnalysis> thresholds,
                       std::optional<CanaryJudgement> canary, std::optional<double> impact,
                       bool final, NoDataAction on_no_data) {
    Decision decision;
    decision.thresholds = std::move(thresholds);
    decision.canary = std::move(canary);
    decision.impact = impact;
    decision.final = final;
    decision.verdict = Verdict::promote;
    decision.reason = final ? "every rule passed" : "every rule passing so far";
    auto consider = [&](Verdict verdict, std::string reason) {
        if (verdict_rank(verdict) > verdict_rank(decision.verdict)) {
            decision.verdict = verdict;
            decision.reason = std::move(reason);
            decision.no_data = false;
        }
    };
    // No data is never a pass: the verdict on_no_data names, marked so `analyze` can tell it from
    // a judgement.
    auto consider_no_data = [&](std::string reason) {
        auto verdict = verdict_for(on_no_data);
        if (verdict_rank(verdict) > verdict_rank(decision.verdict)) {
            decision.verdict = verdict;
            decision.reason = "no data: " + std::move(reason);
            decision.no_data = true;
        }
    };
    // The worst failing rule decides, through the matrix when there is one.
    const RuleAnalysis* worst = nullptr;
    for (const auto& analysis : decision.thresholds) {
        const auto& rule = analysis.rule();
        if (rule.severity == RuleSeverity::warning) continue;
        auto phase = analysis.phase();
        if (phase == AnalysisPhase::failed) {
            if (!worst || severity_rank(rule.severity) > severity_rank(worst->rule().severity))
                worst = &analysis;
        } else if (phase == AnalysisPhase::error) {
            consider_no_data(fmt::format("{}: {}", rule.name, analysis.reason()));
        } else if (phase == AnalysisPhase::inconclusive) {
            consider(Verdict::inconclusive, fmt::format("{}: {}", rule.name, analysis.reason()));
        } else if (phase == AnalysisPhase::running) {
            consider(Verdict::continue_rollout,
                     fmt::format("{}: measuring ({} so far)", rule.name, analysis.measurements()));
        }
    }
    if (worst) {
        auto because = fmt::format("{}: {}", worst->rule().name, worst->reason());
        if (!rules.matrix) {
            consider(Verdict::rollback, because);
        } else if (auto row = look_up(*rules.matrix, worst->rule().severity, impact)) {
            decision.matrix_row = row;
            auto within = row->within ? " within " + util::format_duration(*row->within) : "";
            auto action = fmt::format("{} ({}{}): {}", to_string(row->action),
                                      to_string(worst->rule().severity), within, because);
            switch (row->action) {
                case MatrixAction::rollback:
                    consider(Verdict::rollback, action);
                    break;
                case MatrixAction::assess_then_rollback:
                case MatrixAction::hotfix_or_rollback:
                    consider(Verdict::pause, action);
                    break;
                case MatrixAction::fix_next_cycle:
                    if (decision.verdict == Verdict::promote) decision.reason = action;
                    break;
            }
        } else {
            consider(Verdict::rollback, fmt::format("no matrix row for {} severity: {}",
                                                    to_string(worst->rule().severity), because));
        }
    }
    if (decision.canary) {
        const auto& judgement = *decision.canary;
        switch (judgement.outcome) {
            case CanaryOutcome::fail:
                consider(Verdict::rollback, "canary analysis: " + judgement.reason);
                break;
            case CanaryOutcome::marginal:
                consider(final ? Verdict::pause : Verdict::continue_rollout,
                         "canary analysis marginal: " + judgement.reason);
                break;
            case CanaryOutcome::nodata:
                consider_no_data("canary analysis: " + judgement.reason);
                break;
            case CanaryOutcome::pass:
                break;
        }
    }
    return decision;
}

ExitCode exit_code_of(const Decision& decision) {
    if (decision.go()) return ExitCode::ok;
    if (decision.no_data && !decision.failed_sources.empty()) return ExitCode::environment;
    return ExitCode::said_no;
}

nlohmann::json to_json(const Decision& decision) {
    nlohmann::json thresholds = nlohmann::json::array();
    for (const auto& analysis : decision.thresholds) thresholds.push_back(to_json(analysis));
    nlohmann::json matrix = nullptr;
    if (decision.matrix_row)
        matrix = {{"severity", to_string(decision.matrix_row->severity)},
                  {"action", to_string(decision.matrix_row->action)},
                  {"within",
                   decision.matrix_row->within
                       ? nlohmann::json(util::format_duration_spec(*decision.matrix_row->within))
                       : nlohmann::json(nullptr)}};
    return {
        {"verdict", to_string(decision.verdict)},
        {"reason", decision.reason},
        {"final", decision.final},
        {"no_data", decision.no_data},
        {"failed_sources", decision.failed_sources},
        {"impact", decision.impact ? nlohmann::json(*decision.impact) : nlohmann::json(nullptr)},
        {"matrix", std::move(matrix)},
        {"thresholds", std::move(thresholds)},
        {"canary", decision.canary ? to_json(*decision.canary) : nlohmann::json(nullptr)}};
}

void print_decision(std::ostream& out, const Decision& decision, bool color) {
    if (!decision.thresholds.empty()) {
        Table table(
            {"RULE", "METRIC", "VALUE", "THRESHOLD", "CONDITION", "MEASURED", "PHASE", "WHY"});
        for (const auto& analysis : decision.thresholds) {
            const auto& rule = analysis.rule();
            const auto& last = analysis.last();
            auto condition =
                rule.fail_when ? "fail " + rule.fail_when->text : "pass " + rule.pass_when->text;
            if (rule.for_duration.count() > 0)
                condition += " for " + util::format_duration(rule.for_duration);
            auto phase = std::string(to_string(analysis.phase()));
            auto phase_color = analysis.phase() == AnalysisPhase::successful ? Color::green
                               : analysis.phase() == AnalysisPhase::running  ? Color::none
                               : rule.severity == RuleSeverity::warning      ? Color::yellow
                                                                             : Color::red;
            table.add_row({rule.name, rule.metric, last ? number_text(last->value) : "-",
                           last ? number_text(last->threshold) : "-", condition,
                           fmt::format("{}/{} ok", analysis.successes(), analysis.measurements()),
                           colorize(phase, phase_color, color),
                           analysis.phase() == AnalysisPhase::successful ? "" : analysis.reason()});
        }
        table.render(out, color);
    }
    if (decision.canary) {
        const auto& judgement = *decision.canary;
        if (!decision.thresholds.empty()) out << '\n';
        Table table({"METRIC", "GROUP", "CANARY", "BASELINE", "N", "SHIFT", "INTERVAL", "RATIO",
                     "P-VALUE", "CLASS"});
        for (const auto& metric : judgement.metrics) {
            auto interval = metric.lower ? fmt::format("[{}, {}]", number_text(metric.lower),
                                                       number_text(metric.upper))
                                         : "-";
            auto label = std::string(to_string(metric.classification));
            if (metric.metric.critical) label += " (critical)";
            table.add_row({metric.metric.name, metric.metric.group, number_text(metric.canary_mean),
                           number_text(metric.baseline_mean),
                           fmt::format("{}/{}", metric.canary_count, metric.baseline_count),
                           number_text(metric.estimate), interval, number_text(metric.effect_size),
                           metric.p_value ? fmt::format("{:.3g}", *metric.p_value) : "-",
                           colorize(label, metric.failed ? Color::red : Color::none, color)});
        }
        table.render(out, color);
        Table groups({"GROUP", "WEIGHT", "PASSED", "SCORE"});
        for (const auto& group : judgement.groups)
            groups.add_row({group.name, fmt::format("{:g}", group.weight),
                            fmt::format("{}/{}", group.passed, group.judged),
                            group.score ? fmt::format("{:.1f}", *group.score) : "no data"});
        out << '\n';
        groups.render(out, color);
        out << fmt::format("canary score {:.1f}: {} ({})\n", judgement.score,
                           to_string(judgement.outcome), judgement.reason);
    }
    out << '\n'
        << colorize(fmt::format("verdict: {}", to_string(decision.verdict)),
                    verdict_color(decision.verdict), color)
        << " — " << decision.reason << '\n';
}

}  // namespace launchkit::decide
