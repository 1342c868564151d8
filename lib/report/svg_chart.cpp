#include "report/svg_chart.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace launchkit::report {
namespace {

constexpr double width = 640;
constexpr double left = 56;
constexpr double right = 30;  // room for the last tick label, centred on the edge
constexpr double top = 28;
constexpr double plot_height = 180;

std::string number(double value) {
    if (std::fabs(value) >= 1e6 || (std::fabs(value) < 1e-3 && value != 0))
        return fmt::format("{:.3g}", value);
    auto text = fmt::format("{:.3f}", value);
    while (text.find('.') != std::string::npos && (text.back() == '0' || text.back() == '.'))
        text.pop_back();
    return text;
}

// A step of 1, 2 or 5 × 10^n giving about `count` ticks over [low, high].
double tick_step(double low, double high, int count) {
    double raw = (high - low) / count;
    if (raw <= 0 || !std::isfinite(raw)) return 1;
    double magnitude = std::pow(10, std::floor(std::log10(raw)));
    for (double factor : {1.0, 2.0, 5.0, 10.0})
        if (raw <= factor * magnitude) return factor * magnitude;
    return 10 * magnitude;
}

}  // namespace

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string format_seconds(double seconds) {
    if (seconds < 10 && seconds != std::floor(seconds)) return number(seconds) + "s";
    auto whole = static_cast<long long>(std::llround(seconds));
    if (whole < 60) return fmt::format("{}s", whole);
    if (whole < 3600)
        return whole % 60 ? fmt::format("{}m{}s", whole / 60, whole % 60)
                          : fmt::format("{}m", whole / 60);
    return fmt::format("{}h{}m", whole / 3600, whole % 3600 / 60);
}

std::string render_line_chart(const LineChart& chart) {
    double height = top + plot_height + 48;
    std::string svg = fmt::format(
        "<svg class=\"{}\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {} {}\" "
        "xmlns=\"http://www.w3.org/2000/svg\">",
        escape_html(chart.css_class), escape_html(chart.title), width, height);
    svg += fmt::format("<title>{}</title>", escape_html(chart.title));
    double x_low = INFINITY, x_high = -INFINITY, y_low = INFINITY, y_high = -INFINITY;
    for (const auto& series : chart.series)
        for (const auto& [x, y] : series.points) {
            if (!std::isfinite(x) || !std::isfinite(y)) continue;
            x_low = std::min(x_low, x);
            x_high = std::max(x_high, x);
            y_low = std::min(y_low, y);
            y_high = std::max(y_high, y);
        }
    if (!std::isfinite(x_low)) {
        svg += fmt::format("<text class=\"empty\" x=\"{}\" y=\"{}\">no data</text></svg>",
                           width / 2 - 24, top + plot_height / 2);
        return svg;
    }
    if (y_low > 0) y_low = 0;  // a rate or a latency reads against zero
    if (chart.y_min) y_low = *chart.y_min;
    if (chart.y_max) y_high = *chart.y_max;
    if (y_high <= y_low) y_high = y_low + 1;
    y_high += (y_high - y_low) * 0.08;
    // One moment (a gate that stopped at its first measurement) sits in the middle of its axis.
    bool one_moment = x_high <= x_low;
    double first_x = x_low;
    if (one_moment) {
        x_low -= 1;
        x_high += 1;
    }
    double plot_width = width - left - right;
    auto sx = [&](double x) { return left + (x - x_low) / (x_high - x_low) * plot_width; };
    auto sy = [&](double y) {
        return top + plot_height - (y - y_low) / (y_high - y_low) * plot_height;
    };

    double step = tick_step(y_low, y_high, 4);
    for (double y = std::ceil(y_low / step) * step; y <= y_high + 1e-9; y += step) {
        svg += fmt::format(
            "<line class=\"grid\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" "
            "y2=\"{:.1f}\"/>",
            left, width - right, sy(y), sy(y));
        svg += fmt::format(
            "<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" "
            "text-anchor=\"end\">{}{}</text>",
            left - 6, sy(y) + 4, number(y), escape_html(chart.y_label));
    }
    double x_step = one_moment ? 2 * (x_high - x_low) : tick_step(0, x_high - x_low, 5);
    for (double x = 0; x <= x_high - x_low + 1e-9; x += x_step)
        svg += fmt::format(
            "<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" "
            "text-anchor=\"middle\">{}</text>",
            sx(first_x + x), top + plot_height + 16,
            chart.x_is_seconds ? "+" + format_seconds(x) : number(first_x + x));
    svg += fmt::format(
        "<line class=\"axis\" x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" "
        "y2=\"{2:.1f}\"/>",
        left, width - right, top + plot_height);
    double legend_x = left;
    for (const auto& series : chart.series) {
        std::string path;
        std::optional<double> previous_y;
        for (const auto& [x, y] : series.points) {
            if (!std::isfinite(x) || !std::isfinite(y)) continue;
            if (path.empty() && one_moment && series.steps)  // a level: across the whole axis
                path = fmt::format("M{:.1f},{:.1f} H{:.1f}", sx(x_low), sy(y), sx(x));
            else if (path.empty())
                path = fmt::format("M{:.1f},{:.1f}", sx(x), sy(y));
            else if (series.steps && previous_y)
                path += fmt::format(" H{:.1f} V{:.1f}", sx(x), sy(y));
            else
                path += fmt::format(" L{:.1f},{:.1f}", sx(x), sy(y));
            previous_y = y;
        }
        if (series.steps && !path.empty()) path += fmt::format(" H{:.1f}", sx(x_high));
        svg += fmt::format("<path class=\"series {}\" d=\"{}\"><title>{}</title></path>",
                           escape_html(series.css_class), path, escape_html(series.label));
        if (series.dots)
            for (const auto& [x, y] : series.points)
                if (std::isfinite(x) && std::isfinite(y))
                    svg += fmt::format(
                        "<circle class=\"dot {}\" cx=\"{:.1f}\" cy=\"{:.1f}\" "
                        "r=\"3\"><title>{} at +{}: {}</title></circle>",
                        escape_html(series.css_class), sx(x), sy(y), escape_html(series.label),
                        format_seconds(x - first_x), number(y));
        svg += fmt::format(
            "<rect class=\"swatch {}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"10\" "
            "height=\"10\"/><text class=\"legend\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>",
            escape_html(series.css_class), legend_x, height - 20, legend_x + 14, height - 11,
            escape_html(series.label));
        legend_x += 24 + 7.0 * static_cast<double>(series.label.size());
    }
    svg += "</svg>";
    return svg;
}

std::string render_distributions(const DistributionChart& chart) {
    constexpr double row = 46;
    constexpr double label_width = 128;
    double rows = static_cast<double>(chart.samples.size() + (chart.shift ? 1 : 0));
    double height = top + row * rows + 30;
    std::string svg = fmt::format(
        "<svg class=\"{}\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {} {}\" "
        "xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        escape_html(chart.css_class), escape_html(chart.title), width, height,
        escape_html(chart.title));
    double low = INFINITY, high = -INFINITY;
    auto include = [&](double value) {
        if (!std::isfinite(value)) return;
        low = std::min(low, value);
        high = std::max(high, value);
    };
    for (const auto& sample : chart.samples) {
        include(sample.min);
        include(sample.max);
    }
    if (chart.shift) {
        include(chart.shift->reference + chart.shift->lower);
        include(chart.shift->reference + chart.shift->upper);
    }
    if (!std::isfinite(low)) {
        svg += fmt::format("<text class=\"empty\" x=\"{}\" y=\"{}\">no data</text></svg>",
                           width / 2 - 24, top + 20);
        return svg;
    }
    // Room either side, so that a box on the edge stays visible; a single value gets an axis.
    double pad = high > low ? (high - low) * 0.06 : std::max(std::fabs(low) * 0.1, 1.0);
    low -= pad;
    high += pad;
    double plot_width = width - label_width - right;
    auto sx = [&](double x) { return label_width + (x - low) / (high - low) * plot_width; };
    double bottom = top + row * rows;
    double step = tick_step(low, high, 5);
    for (double x = std::ceil(low / step) * step; x <= high + 1e-9 * std::fabs(high); x += step) {
        svg += fmt::format(
            "<line class=\"grid\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" "
            "y2=\"{2:.1f}\"/><text class=\"tick\" x=\"{0:.1f}\" y=\"{3:.1f}\" "
            "text-anchor=\"middle\">{4}</text>",
            sx(x), top - 6, bottom, bottom + 16, number(std::fabs(x) < step * 1e-9 ? 0 : x));
    }
    double y = top;
    for (const auto& sample : chart.samples) {
        double middle = y + row / 2;
        auto css = escape_html(sample.css_class);
        svg += fmt::format("<text class=\"legend\" x=\"4\" y=\"{:.1f}\">{} (n={})</text>",
                           middle + 4, escape_html(sample.label), number(sample.count));
        // Each value a dot, spread over the row's height in a fixed pattern (no randomness, so
        // the same run draws the same picture).
        for (size_t i = 0; i < sample.values.size(); ++i) {
            double offset = static_cast<double>(static_cast<int>((i * 7) % 13) - 6) * 2.4;
            svg += fmt::format("<circle class=\"dot {}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\"/>",
                               css, sx(sample.values[i]), middle + offset);
        }
        svg += fmt::format(
            "<line class=\"whisker {0}\" x1=\"{1:.1f}\" x2=\"{2:.1f}\" y1=\"{3:.1f}\" "
            "y2=\"{3:.1f}\"/>",
            css, sx(sample.min), sx(sample.max), middle);
        svg += fmt::format(
            "<rect class=\"box {}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
            "height=\"{:.1f}\"><title>{}: min {}, quartiles {} / {} / {}, max {}</title></rect>",
            css, sx(sample.q1), middle - 12, std::max(1.5, sx(sample.q3) - sx(sample.q1)), 24.0,
            escape_html(sample.label), number(sample.min), number(sample.q1), number(sample.median),
            number(sample.q3), number(sample.max));
        svg += fmt::format(
            "<line class=\"median {0}\" x1=\"{1:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" "
            "y2=\"{3:.1f}\"/>",
            css, sx(sample.median), middle - 12, middle + 12);
        y += row;
    }
    if (const auto& shift = chart.shift) {
        double middle = y + row / 2;
        svg += fmt::format(
            "<line class=\"reference\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" "
            "y2=\"{2:.1f}\"/>",
            sx(shift->reference), top, bottom);
        svg += fmt::format("<text class=\"legend\" x=\"4\" y=\"{:.1f}\">{}</text>", middle + 4,
                           escape_html(shift->label));
        svg += fmt::format(
            "<line class=\"interval\" x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" "
            "y2=\"{2:.1f}\"><title>shift {3} [{4}, {5}]</title></line>",
            sx(shift->reference + shift->lower), sx(shift->reference + shift->upper), middle,
            number(shift->estimate), number(shift->lower), number(shift->upper));
        svg += fmt::format("<circle class=\"estimate\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\"/>",
                           sx(shift->reference + shift->estimate), middle);
    }
    svg += "</svg>";
    return svg;
}

std::string render_timeline(const std::vector<TimelineBar>& bars, const std::string& title) {
    constexpr double row = 22;
    constexpr double label_width = 180;
    double height = top + row * static_cast<double>(bars.size()) + 24;
    double total = 0;
    for (const auto& bar : bars) total = std::max(total, bar.end);
    if (total <= 0) total = 1;
    double plot_width = width - label_width - right;
    std::string svg = fmt::format(
        "<svg class=\"timeline\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {} {}\" "
        "xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        escape_html(title), width, height, escape_html(title));
    double y = top;
    for (const auto& bar : bars) {
        double x = label_width + bar.start / total * plot_width;
        double w = std::max(2.0, (bar.end - bar.start) / total * plot_width);
        svg += fmt::format("<text class=\"legend\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", 4.0,
                           y + 14, escape_html(bar.label.substr(0, 28)));
        svg += fmt::format(
            "<rect class=\"bar {}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
            "height=\"{:.1f}\"><title>{}: {} ({})</title></rect>",
            escape_html(bar.css_class), x, y + 3, w, row - 6, escape_html(bar.label),
            format_seconds(bar.end - bar.start), escape_html(bar.note));
        y += row;
    }
    svg += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\">+0s</text>", label_width,
                       y + 14);
    svg += fmt::format(
        "<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">+{}"
        "</text></svg>",
        width - right, y + 14, format_seconds(total));
    return svg;
}

}  // namespace launchkit::report
