// Charts drawn by launchkit as inline SVG for the HTML reports: no script, no font or stylesheet
// fetched from anywhere. Colours come from CSS classes, so the page's light and dark styles apply;
// the viewBox scales to any width (a phone's included).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace launchkit::report {

struct ChartSeries {
    std::string label;
    std::vector<std::pair<double, double>> points;  // (x, y), x ascending
    std::string css_class;                          // "value", "threshold", "traffic", ...
    bool steps = false;  // hold each value until the next point (traffic weight)
    bool dots = false;   // mark every point (measurements)
};

struct LineChart {
    std::string title;    // the SVG's accessible name
    std::string y_label;  // "%", "ms", ...
    std::vector<ChartSeries> series;
    std::optional<double> y_min{};  // else from the data (and 0 when all values are positive)
    std::optional<double> y_max{};
    std::string css_class = "chart";
    bool x_is_seconds = true;  // x labels as +1m30s from the first point
};

// `<svg class=CSS_CLASS role="img" aria-label=TITLE ...>` with axes, grid, tick labels, a legend
// and one path per series. An empty chart says "no data" rather than drawing nothing.
std::string render_line_chart(const LineChart& chart);

struct TimelineBar {
    std::string label;
    double start = 0;  // seconds from the run's start
    double end = 0;
    std::string css_class;  // "succeeded", "failed", "rollback", ...
    std::string note;       // shown on hover (<title>)
};

// One row per bar, on a shared time axis.
std::string render_timeline(const std::vector<TimelineBar>& bars, const std::string& title);

// One sample drawn as a box plot (quartiles, median, whiskers to the extremes) over its values.
struct SampleBox {
    std::string label;      // "canary", "baseline"
    std::string css_class;  // "canary", "baseline"
    double count = 0;
    double min = 0, q1 = 0, median = 0, q3 = 0, max = 0;
    std::vector<double> values;  // drawn as dots
};

// A shift's confidence interval drawn on the samples' own axis, from a reference value (the
// baseline's median): where the canary would sit if it moved by the estimate.
struct ShiftInterval {
    std::string label;
    double reference = 0;
    double estimate = 0;
    double lower = 0;
    double upper = 0;
};

struct DistributionChart {
    std::string title;
    std::vector<SampleBox> samples;
    std::optional<ShiftInterval> shift{};
    std::string css_class = "chart distribution-chart";
};

// The samples side by side on one value axis, one row each, and the shift's interval below them.
std::string render_distributions(const DistributionChart& chart);

// Text safe inside HTML and SVG elements and attribute values.
std::string escape_html(std::string_view text);

// 90 → "1m30s", 4 → "4s", 0.25 → "0.25s".
std::string format_seconds(double seconds);

}  // namespace launchkit::report
