#include "decide/metric_series.h"

#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "decide/sample_statistics.h"
#include "util/bounded_json.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace launchkit::decide {
namespace {

bool is_time_column(std::string_view name) {
    return name == "time" || name == "timestamp";
}

// RFC 3339, or Unix seconds (fractions allowed).
std::optional<util::TimePoint> parse_time(std::string_view text) {
    if (auto time = util::parse_rfc3339(text)) return time;
    double seconds = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    // Within the years TimePoint holds (about ±9.2e9 s around 1970): beyond, it would overflow.
    if (error != std::errc() || end != text.data() + text.size() || !(std::abs(seconds) < 9e9))
        return std::nullopt;
    auto milliseconds = static_cast<long long>(std::llround(seconds * 1000));
    return util::TimePoint(std::chrono::milliseconds(milliseconds));
}

std::optional<double> parse_cell(std::string_view cell, bool& ok) {
    ok = true;
    if (cell.empty() || cell == "null") return std::nullopt;
    if (cell == "NaN" || cell == "nan" || cell == "NAN") return std::nan("");
    auto number = nlohmann::json::parse(cell, nullptr, false);
    if (!number.is_number()) {
        ok = false;
        return std::nullopt;
    }
    return number.get<double>();
}

std::vector<std::string> split_csv_line(std::string_view line) {
    std::vector<std::string> cells;
    std::string cell;
    for (char c : line) {
        if (c == ',') {
            cells.push_back(std::string(util::trim(cell)));
            cell.clear();
        } else if (c != '"') {
            cell += c;
        }
    }
    cells.push_back(std::string(util::trim(cell)));
    return cells;
}

Result<std::optional<double>> json_value(const nlohmann::json& value, std::string_view where) {
    if (value.is_null()) return std::optional<double>{};
    if (value.is_number()) return std::optional<double>{value.get<double>()};
    if (value.is_string() && (value == "NaN" || value == "nan"))
        return std::optional<double>{std::nan("")};
    return fail(ExitCode::invalid_input, "{}: expected a number, null or \"NaN\", got {}", where,
                util::dump_json(value));
}

}  // namespace

Result<MeasurementSeries> parse_series_csv(std::string_view text, std::string_view source) {
    std::vector<std::string_view> lines;
    for (size_t start = 0; start <= text.size();) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    size_t line_number = 0;
    std::vector<std::string> header;
    MeasurementSeries series;
    int time_column = -1;
    for (auto raw : lines) {
        ++line_number;
        auto line = util::trim(raw);
        if (line.empty() || line.front() == '#') continue;
        auto cells = split_csv_line(line);
        if (header.empty()) {
            header = cells;
            std::set<std::string> seen;
            for (size_t i = 0; i < header.size(); ++i) {
                if (header[i].empty())
                    return fail(ExitCode::invalid_input, "{}:{}: column {} has no name", source,
                                line_number, i + 1);
                if (!seen.insert(header[i]).second)
                    return fail(ExitCode::invalid_input, "{}:{}: column '{}' appears twice", source,
                                line_number, header[i]);
                if (is_time_column(header[i])) time_column = static_cast<int>(i);
            }
            continue;
        }
        if (cells.size() != header.size())
            return fail(ExitCode::invalid_input, "{}:{}: {} values, expected {} (one per column)",
                        source, line_number, cells.size(), header.size());
        Measurement measurement;
        for (size_t i = 0; i < cells.size(); ++i) {
            if (static_cast<int>(i) == time_column) {
                measurement.at = parse_time(cells[i]);
                if (!measurement.at)
                    return fail(ExitCode::invalid_input,
                                "{}:{}: time '{}' is neither RFC 3339 nor Unix seconds", source,
                                line_number, cells[i]);
                continue;
            }
            bool ok = false;
            auto value = parse_cell(cells[i], ok);
            if (!ok)
                return fail(ExitCode::invalid_input, "{}:{}: column '{}': '{}' is not a number",
                            source, line_number, header[i], cells[i]);
            measurement.values[header[i]] = value;
        }
        series.push_back(std::move(measurement));
    }
    if (header.empty())
        return fail(ExitCode::invalid_input, "{}: empty; expected a header line of metric names",
                    source);
    return series;
}

Result<MeasurementSeries> parse_series_json(std::string_view text, std::string_view source) {
    auto parsed = util::parse_json(text, ExitCode::invalid_input);
    if (!parsed) return fail(ExitCode::invalid_input, "{}: {}", source, parsed.error().message);
    auto& json = *parsed;
    MeasurementSeries series;
    if (util::string_member(json, "format").value_or("").starts_with("launchkit-snapshot/")) {
        // A `diagnose snapshot`: one measurement at its time, {metrics: {NAME: value|null}}.
        Measurement measurement;
        if (auto taken_at = util::string_member(json, "taken_at"))
            measurement.at = parse_time(*taken_at);
        auto metrics = json.find("metrics");
        if (metrics != json.end() && !metrics->is_object())
            return fail(ExitCode::invalid_input, "{}: metrics: expected an object of NAME: value",
                        source);
        const auto values = metrics != json.end() ? *metrics : nlohmann::json::object();
        for (const auto& [name, value] : values.items()) {
            LAUNCHKIT_TRY_ASSIGN(measurement.values[name],
                                 json_value(value, fmt::format("{}: metrics.{}", source, name)));
        }
        series.push_back(std::move(measurement));
        return series;
    }
    if (json.is_object() && json.contains("metrics") && json["metrics"].is_object()) {
        size_t length = 0;
        bool first = true;
        for (const auto& [name, values] : json["metrics"].items()) {
            if (!values.is_array())
                return fail(ExitCode::invalid_input, "{}: metrics.{}: expected a list of values",
                            source, name);
            if (!first && values.size() != length)
                return fail(ExitCode::invalid_input,
                            "{}: metrics.{}: {} values, the others have {}", source, name,
                            values.size(), length);
            length = values.size();
            first = false;
        }
        series.resize(length);
        if (json.contains("times")) {
            const auto& times = json["times"];
            if (!times.is_array() || times.size() != length)
                return fail(ExitCode::invalid_input, "{}: times: expected {} times", source,
                            length);
            for (size_t i = 0; i < length; ++i) {
                auto text_time =
                    times[i].is_string() ? times[i].get<std::string>() : util::dump_json(times[i]);
                series[i].at = parse_time(text_time);
                if (!series[i].at)
                    return fail(ExitCode::invalid_input, "{}: times[{}]: not a time", source, i);
            }
        }
        for (const auto& [name, values] : json["metrics"].items())
            for (size_t i = 0; i < length; ++i) {
                LAUNCHKIT_TRY_ASSIGN(
                    series[i].values[name],
                    json_value(values[i], fmt::format("{}: metrics.{}[{}]", source, name, i)));
            }
        return series;
    }
    if (json.is_array()) {
        for (size_t i = 0; i < json.size(); ++i) {
            const auto& row = json[i];
            if (!row.is_object())
                return fail(ExitCode::invalid_input,
                            "{}: [{}]: expected an object of metric values", source, i);
            Measurement measurement;
            for (const auto& [name, value] : row.items()) {
                if (is_time_column(name)) {
                    auto text_time =
                        value.is_string() ? value.get<std::string>() : util::dump_json(value);
                    measurement.at = parse_time(text_time);
                    if (!measurement.at)
                        return fail(ExitCode::invalid_input, "{}: [{}].{}: not a time", source, i,
                                    name);
                    continue;
                }
                LAUNCHKIT_TRY_ASSIGN(
                    measurement.values[name],
                    json_value(value, fmt::format("{}: [{}].{}", source, i, name)));
            }
            series.push_back(std::move(measurement));
        }
        return series;
    }
    return fail(ExitCode::invalid_input,
                "{}: expected a list of measurements, {{\"metrics\": {{...}}}} or a diagnose "
                "snapshot",
                source);
}

Result<MeasurementSeries> read_series_file(const std::filesystem::path& path) {
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(path));
    if (path.extension() == ".csv") return parse_series_csv(text, path.string());
    return parse_series_json(text, path.string());
}

std::vector<double> samples_of(const MeasurementSeries& series, const std::string& metric) {
    std::vector<double> samples;
    for (const auto& measurement : series) {
        auto found = measurement.values.find(metric);
        if (found != measurement.values.end() && found->second) samples.push_back(*found->second);
    }
    return samples;
}

MetricValues typical_values(const MeasurementSeries& series) {
    std::set<std::string> names;
    for (const auto& measurement : series)
        for (const auto& entry : measurement.values) names.insert(entry.first);
    MetricValues values;
    for (const auto& name : names) {
        auto samples = handle_nan(samples_of(series, name), NanStrategy::remove);
        values[name] = samples.empty() ? std::nullopt : std::optional<double>(median(samples));
    }
    return values;
}

}  // namespace launchkit::decide
