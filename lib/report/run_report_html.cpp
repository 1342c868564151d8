#include "report/run_report_html.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "report/svg_chart.h"
#include "util/bounded_json.h"
#include "util/time.h"

namespace launchkit::report {
namespace {

using playbook::RunEvent;
using util::member_or_null;

// A journal's decisions are read as found: a member may be missing (an older version, an edited
// file) or of another type, which draws a dash or nothing, never undefined behaviour (nlohmann's
// const operator[] on a missing key) or a thrown type_error (value() with a default). So every
// member is read through util::member_or_null or util::string_member.
std::string text_of(const nlohmann::json& object, std::string_view name,
                    std::string fallback = "") {
    return util::string_member(object, name).value_or(std::move(fallback));
}

// A count drawn as written, 0 when it is not there.
std::string count_text(const nlohmann::json& object, std::string_view name) {
    const auto& count = member_or_null(object, name);
    return count.is_number() ? util::dump_json(count) : "0";
}

// Light by default, dark when the reader's system is; sized for a phone as for a desk.
constexpr const char* style = R"(
:root { color-scheme: light dark; --fg: #1d1f21; --bg: #ffffff; --muted: #6b7280; --grid: #e5e7eb;
  --good: #1a7f37; --bad: #cf222e; --warn: #9a6700; --line: #0969da; --band: #cf222e;
  --canary: #bc4c00; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #8b949e;
  --grid: #30363d; --good: #3fb950; --bad: #f85149; --warn: #d29922; --line: #58a6ff;
  --band: #ff7b72; --canary: #f0883e; } }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg);
  margin: 0 auto; padding: 16px; max-width: 960px; }
h1 { font-size: 1.4em; margin: 0 0 4px; } h2 { font-size: 1.15em; margin: 28px 0 8px; }
h3 { font-size: 1em; margin: 16px 0 4px; } h4 { font-size: 0.95em; margin: 14px 0 4px; }
.status { font-weight: 600; } .succeeded, .rolled_back { color: var(--good); }
.failed, .rollback_failed { color: var(--bad); } .paused, .running { color: var(--warn); }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; display: block; overflow-x: auto; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--grid); vertical-align: top; }
svg { width: 100%; height: auto; display: block; }
svg text { fill: var(--fg); font: 11px system-ui, sans-serif; } svg .tick { fill: var(--muted); }
svg .grid { stroke: var(--grid); stroke-width: 1; } svg .axis { stroke: var(--muted); }
svg .series { fill: none; stroke-width: 2; } svg .series.value, svg .swatch.value { stroke: var(--line); fill: none; }
svg .swatch { stroke-width: 2; } svg .swatch.value { fill: var(--line); }
svg .series.threshold { stroke: var(--band); stroke-dasharray: 6 4; }
svg .swatch.threshold { fill: var(--band); } svg .series.traffic { stroke: var(--line); }
svg .swatch.traffic { fill: var(--line); } svg .dot.value, svg .dot.traffic { fill: var(--line); }
svg .bar.succeeded { fill: var(--good); } svg .bar.failed { fill: var(--bad); }
svg .bar.running { fill: var(--warn); } svg .bar.rollback { fill: var(--warn); }
svg .dot.canary { fill: var(--canary); fill-opacity: 0.45; stroke: none; }
svg .dot.baseline { fill: var(--line); fill-opacity: 0.45; stroke: none; }
svg .box { fill-opacity: 0.18; stroke-width: 1.5; } svg .whisker { stroke-width: 1.5; }
svg .canary { stroke: var(--canary); } svg .box.canary { fill: var(--canary); }
svg .baseline { stroke: var(--line); } svg .box.baseline { fill: var(--line); }
svg .median { stroke-width: 3; } svg .reference { stroke: var(--muted); stroke-dasharray: 4 4; }
svg .interval { stroke: var(--fg); stroke-width: 4; stroke-linecap: round; }
svg .estimate { fill: var(--fg); }
.class-high, .class-low { color: var(--bad); font-weight: 600; } .class-pass { color: var(--good); }
.muted { color: var(--muted); }
)";

double seconds_between(const std::string& from, const std::string& to) {
    auto a = util::parse_rfc3339(from);
    auto b = util::parse_rfc3339(to);
    if (!a || !b) return 0;
    return util::seconds_between(*a, *b);
}

std::string status_span(std::string_view status) {
    return fmt::format("<span class=\"status {0}\">{0}</span>", escape_html(status));
}

std::string steps_section(const playbook::RunState& run) {
    const auto& begin = run.started.time;
    std::vector<TimelineBar> bars;
    std::string rows;
    auto add = [&](const playbook::StepRecord& step, bool rollback) {
        auto status = std::string(to_string(step.status));
        double start = seconds_between(begin, step.started_at);
        double end = step.finished_at.empty() ? start : seconds_between(begin, step.finished_at);
        bars.push_back({(rollback ? "↩ " : "") + step.name, start, end,
                        rollback ? "rollback" : status, step.message});
        rows += fmt::format(
            "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>+{}</td><td>{}</td><td>{}</td></tr>",
            rollback ? "↩ " : "", escape_html(step.name), escape_html(step.kind),
            status_span(status), format_seconds(start), format_seconds(end - start),
            escape_html(step.message));
    };
    for (const auto& name : run.forward_order)
        if (auto found = run.steps.find(name); found != run.steps.end()) add(found->second, false);
    for (const auto& name : run.rollback_order)
        if (auto found = run.rollback.find(name); found != run.rollback.end())
            add(found->second, true);
    std::string html = "<h2>Steps</h2>";
    if (bars.empty()) return html + "<p class=\"muted\">No step started.</p>";
    html += render_timeline(bars, "Steps over time");
    html +=
        "<table><thead><tr><th>Step</th><th>Kind</th><th>Status</th><th>Start</th>"
        "<th>Took</th><th>What happened</th></tr></thead><tbody>" +
        rows + "</tbody></table>";
    return html;
}

std::string traffic_section(const playbook::RunState& run, const std::vector<RunEvent>& events) {
    ChartSeries traffic{"traffic weight", {}, "traffic", true, true};
    for (const auto& event : events)
        if (const auto* changed = std::get_if<playbook::TrafficChanged>(&event)) {
            double at = seconds_between(run.started.time, changed->time);
            if (traffic.points.empty()) traffic.points.emplace_back(at, changed->previous_weight);
            traffic.points.emplace_back(at, changed->weight);
        }
    if (traffic.points.empty()) return "";
    // A rollback's undo of a canary takes its traffic back to 0 (journaled as the undo step).
    for (const auto& [name, record] : run.rollback)
        if (name.starts_with("undo:") && run.steps.contains(name.substr(5)) &&
            record.status == playbook::StepStatus::succeeded && !record.finished_at.empty() &&
            text_of(run.steps.at(name.substr(5)).undo, "strategy") == "canary")
            traffic.points.emplace_back(seconds_between(run.started.time, record.finished_at), 0);
    std::sort(traffic.points.begin(), traffic.points.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    LineChart chart;
    chart.title = "Traffic to the new version over time";
    chart.y_label = "%";
    chart.y_min = 0;
    chart.y_max = 100;
    chart.css_class = "chart traffic-chart";
    chart.series.push_back(std::move(traffic));
    return "<h2>Traffic</h2>" + render_line_chart(chart);
}

std::string number_or_dash(const nlohmann::json& value) {
    // + 0.0 turns an estimate of -0 into 0: "-0" reads as a shift that is not there.
    if (value.is_number()) return fmt::format("{:.4g}", value.get<double>() + 0.0);
    return "-";
}

std::optional<SampleBox> sample_box(const nlohmann::json& sample, std::string label) {
    if (!sample.is_object()) return std::nullopt;
    SampleBox box;
    box.css_class = label;
    box.label = std::move(label);
    for (auto [field, target] :
         {std::pair{"count", &box.count}, std::pair{"min", &box.min}, std::pair{"q1", &box.q1},
          std::pair{"median", &box.median}, std::pair{"q3", &box.q3}, std::pair{"max", &box.max}}) {
        if (!member_or_null(sample, field).is_number()) return std::nullopt;
        *target = member_or_null(sample, field).get<double>();
    }
    for (const auto& value : member_or_null(sample, "values"))
        if (value.is_number()) box.values.push_back(value.get<double>());
    return box;
}

// Each metric's canary and baseline samples side by side, with the Mann-Whitney result and the
// shift's interval: the picture behind the classification.
std::string canary_section(const nlohmann::json& canary) {
    const auto& level = member_or_null(canary, "confidence");
    double confidence = level.is_number() ? level.get<double>() * 100 : 0;
    std::string html = fmt::format(
        "<h4>Canary analysis: {} (score {}) — {}</h4>", escape_html(text_of(canary, "outcome")),
        number_or_dash(member_or_null(canary, "score")), escape_html(text_of(canary, "reason")));
    std::string rows;
    for (const auto& metric : member_or_null(canary, "metrics")) {
        auto name = text_of(metric, "metric");
        rows += fmt::format(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} [{}, {}]</td><td>{}</td><td>{}</td>"
            "<td>{}</td></tr>",
            escape_html(name), number_or_dash(member_or_null(metric, "canary_mean")),
            number_or_dash(member_or_null(metric, "baseline_mean")),
            number_or_dash(member_or_null(metric, "estimate")),
            number_or_dash(member_or_null(metric, "lower")),
            number_or_dash(member_or_null(metric, "upper")),
            number_or_dash(member_or_null(metric, "u")),
            number_or_dash(member_or_null(metric, "p_value")),
            escape_html(text_of(metric, "classification")));
        DistributionChart chart;
        chart.title = fmt::format("{}: canary against baseline", name);
        for (auto [field, label] :
             {std::pair{"canary_sample", "canary"}, std::pair{"baseline_sample", "baseline"}})
            if (auto box = sample_box(member_or_null(metric, field), label))
                chart.samples.push_back(*box);
        if (chart.samples.size() == 2 && member_or_null(metric, "estimate").is_number() &&
            member_or_null(metric, "lower").is_number() &&
            member_or_null(metric, "upper").is_number())
            chart.shift = ShiftInterval{fmt::format("shift, {:g}% interval", confidence),
                                        chart.samples[1].median,
                                        member_or_null(metric, "estimate").get<double>(),
                                        member_or_null(metric, "lower").get<double>(),
                                        member_or_null(metric, "upper").get<double>()};
        html += fmt::format(
            "<p><b>{}</b> — <span class=\"class-{}\">{}</span>: {}<br><span class=\"muted\">"
            "Mann-Whitney U = {}, p = {}; canary − baseline shift {} [{}, {}] at {:g}% "
            "confidence; mean ratio {}</span></p>",
            escape_html(name), escape_html(text_of(metric, "classification")),
            escape_html(text_of(metric, "classification")), escape_html(text_of(metric, "reason")),
            number_or_dash(member_or_null(metric, "u")),
            number_or_dash(member_or_null(metric, "p_value")),
            number_or_dash(member_or_null(metric, "estimate")),
            number_or_dash(member_or_null(metric, "lower")),
            number_or_dash(member_or_null(metric, "upper")), confidence,
            number_or_dash(member_or_null(metric, "effect_size")));
        html += render_distributions(chart);
    }
    html +=
        "<table><thead><tr><th>Metric</th><th>Canary mean</th><th>Baseline mean</th>"
        "<th>Shift [interval]</th><th>U</th><th>p-value</th><th>Class</th></tr></thead><tbody>" +
        rows + "</tbody></table>";
    return html;
}

std::string gate_section(const playbook::GateDecided& gate, const std::string& begin) {
    std::string html = fmt::format("<h3>Gate {} — {}</h3><p>{}</p>", escape_html(gate.label),
                                   status_span(gate.verdict), escape_html(gate.reason));
    const auto& decision = gate.decision;
    if (!decision.is_object()) return html;
    for (const auto& rule : member_or_null(decision, "thresholds")) {
        ChartSeries values{text_of(rule, "metric", "value"), {}, "value", false, true};
        ChartSeries threshold{"threshold", {}, "threshold", true, false};
        for (const auto& point : member_or_null(rule, "history")) {
            double at = seconds_between(begin, text_of(point, "at"));
            if (member_or_null(point, "value").is_number())
                values.points.emplace_back(at, member_or_null(point, "value").get<double>());
            if (member_or_null(point, "threshold").is_number())
                threshold.points.emplace_back(at, member_or_null(point, "threshold").get<double>());
        }
        LineChart chart;
        chart.title = fmt::format("{}: {} against its threshold ({})", text_of(rule, "rule"),
                                  text_of(rule, "metric"), text_of(rule, "phase"));
        chart.css_class = "chart metric-chart";
        chart.series.push_back(std::move(values));
        chart.series.push_back(std::move(threshold));
        auto condition = member_or_null(rule, "fail_when").is_string()
                             ? "fail when " + member_or_null(rule, "fail_when").get<std::string>()
                         : member_or_null(rule, "pass_when").is_string()
                             ? "pass when " + member_or_null(rule, "pass_when").get<std::string>()
                             : std::string();
        html += fmt::format(
            "<p><b>{}</b> ({}) {} — {}, {} of {} measurements ok{}</p>",
            escape_html(text_of(rule, "rule")), escape_html(text_of(rule, "metric")),
            escape_html(condition), status_span(text_of(rule, "phase")),
            count_text(rule, "successes"), count_text(rule, "measurements"),
            text_of(rule, "reason").empty() ? "" : ": " + escape_html(text_of(rule, "reason")));
        html += render_line_chart(chart);
    }
    if (member_or_null(decision, "canary").is_object())
        html += canary_section(member_or_null(decision, "canary"));
    return html;
}

}  // namespace

std::string report_page_start(const std::string& title) {
    return fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">"
        "<title>{}</title><style>{}</style></head><body>",
        escape_html(title), style);
}

std::string render_run_report(const playbook::RunState& run, const std::vector<RunEvent>& events) {
    const auto& started = run.started;
    auto status = std::string(to_string(run.status));
    auto title =
        fmt::format("{} {} in {}: {}", started.playbook, started.version, started.env, status);
    std::string html = report_page_start(title);
    html += fmt::format("<h1>{} {} → {}</h1>", escape_html(started.playbook),
                        escape_html(started.version), escape_html(started.env));
    html += fmt::format(
        "<p>{} · run <code>{}</code> · started {} by {} · was {}{}</p>", status_span(status),
        escape_html(run.run_id), escape_html(started.time), escape_html(started.actor),
        escape_html(started.previous_version.empty() ? "nothing" : started.previous_version),
        run.finished_at.empty() ? ""
                                : fmt::format(" · took {}", format_seconds(seconds_between(
                                                                started.time, run.finished_at))));
    if (!run.failure_reason.empty())
        html += fmt::format(
            "<p><b>Why:</b> {}{}</p>", escape_html(run.failure_reason),
            run.failed_step.empty() ? "" : fmt::format(" (step {})", escape_html(run.failed_step)));
    html += steps_section(run);
    html += traffic_section(run, events);
    std::string gates;
    for (const auto& event : events)
        if (const auto* gate = std::get_if<playbook::GateDecided>(&event))
            gates += gate_section(*gate, started.time);
    if (!gates.empty()) html += "<h2>Gates</h2>" + gates;
    if (!run.notifications.empty()) {
        html +=
            "<h2>Notifications</h2><table><thead><tr><th>Moment</th><th>Target</th>"
            "<th>Delivered</th><th>Attempts</th></tr></thead><tbody>";
        for (const auto& sent : run.notifications)
            html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                                escape_html(sent.notice), escape_html(sent.target),
                                sent.delivered ? "yes" : "no: " + escape_html(sent.error),
                                sent.attempts);
        html += "</tbody></table>";
    }
    html += "<p class=\"muted\">Written by launchkit's release-manager report.</p></body></html>\n";
    return html;
}

}  // namespace launchkit::report
