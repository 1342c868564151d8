#include "report/stats_report_html.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

#include <fmt/format.h>

#include "report/run_report_html.h"
#include "report/svg_chart.h"
#include "version/deploy_stats.h"

namespace launchkit::report {
namespace {

struct WeeklyMetric {
    std::string title;
    std::string unit;
    std::optional<double> target;
    std::string target_text;
    std::function<std::optional<double>(const version::DeployStats&)> value;
};

}  // namespace

std::string render_stats_report(const std::vector<version::LedgerEntry>& entries,
                                const std::string& tag_prefix, const std::string& environment,
                                std::chrono::milliseconds window, util::TimePoint now) {
    constexpr auto week = std::chrono::hours(24 * 7);
    auto weeks = std::clamp<long long>(
        static_cast<long long>(std::ceil(std::chrono::duration<double>(window).count() /
                                         std::chrono::duration<double>(week).count())),
        1, 104);
    std::vector<version::DeployStats> by_week;
    for (long long i = weeks - 1; i >= 0; --i) {
        auto end = now - i * week;
        by_week.push_back(
            version::compute_deploy_stats(entries, tag_prefix, environment, end - week, end));
    }
    auto total =
        version::compute_deploy_stats(entries, tag_prefix, environment, now - weeks * week, now);
    auto percent = [](const std::optional<double>& rate) -> std::optional<double> {
        if (!rate) return std::nullopt;
        return *rate * 100;
    };
    auto minutes = [](const std::optional<double>& seconds) -> std::optional<double> {
        if (!seconds) return std::nullopt;
        return *seconds / 60;
    };
    std::vector<WeeklyMetric> metrics{
        {"Deployments per week", "", std::nullopt, "",
         [](const auto& stats) { return std::optional<double>(stats.deployments); }},
        {"Deployment success rate", "%", 95, "> 95%",
         [&](const auto& stats) { return percent(stats.success_rate); }},
        {"Change failure rate (rollback rate)", "%", 5, "< 5%",
         [&](const auto& stats) { return percent(stats.rollback_rate); }},
        {"Mean time to deploy", "m", 60, "< 60 min",
         [&](const auto& stats) { return minutes(stats.mean_time_to_deploy_seconds); }},
        {"Mean time to restore", "m", std::nullopt, "",
         [&](const auto& stats) { return minutes(stats.mean_time_to_restore_seconds); }},
    };
    auto title =
        fmt::format("Release success metrics{}", environment.empty() ? "" : " in " + environment);
    std::string html = report_page_start(title);
    html += fmt::format("<h1>{}</h1><p>{} weeks to {} · {} runs, {} deployments</p>",
                        escape_html(title), weeks, util::format_rfc3339(now), total.runs,
                        total.deployments);
    for (const auto& metric : metrics) {
        ChartSeries values{metric.title, {}, "value", false, true};
        ChartSeries target{"target " + metric.target_text, {}, "threshold", true, false};
        for (size_t i = 0; i < by_week.size(); ++i) {
            double x = static_cast<double>(i) - static_cast<double>(by_week.size() - 1);
            if (auto value = metric.value(by_week[i])) values.points.emplace_back(x, *value);
            if (metric.target) target.points.emplace_back(x, *metric.target);
        }
        LineChart chart;
        chart.title = metric.title + " by week (0 = the week to now)";
        chart.y_label = metric.unit;
        chart.css_class = "chart stats-chart";
        chart.x_is_seconds = false;
        if (metric.unit == "%") {
            chart.y_min = 0;
            chart.y_max = 100;
        }
        chart.series.push_back(std::move(values));
        if (metric.target) chart.series.push_back(std::move(target));
        auto overall = metric.value(total);
        html += fmt::format("<h2>{}</h2><p>Over the window: {}{}{}</p>", escape_html(metric.title),
                            overall ? fmt::format("{:.3g}", *overall) : std::string("no data"),
                            overall ? escape_html(metric.unit) : "",
                            metric.target ? " · target " + escape_html(metric.target_text) : "");
        html += render_line_chart(chart);
    }
    html +=
        "<p class=\"muted\">Written by launchkit's release-manager stats --html.</p>"
        "</body></html>\n";
    return html;
}

}  // namespace launchkit::report
