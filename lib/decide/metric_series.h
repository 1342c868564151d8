// Series of measurements for offline analysis and tests: CSV (a header of metric names, an
// optional time column) or JSON (a list of {"time", metric: value} objects, a {"metrics": {name:
// [values]}} table, or a `diagnose snapshot` file as one measurement).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "decide/threshold_rule.h"
#include "util/time.h"

namespace launchkit::decide {

struct Measurement {
    std::optional<util::TimePoint> at{};
    MetricValues values{};  // null: no data at that time; NaN is kept as NaN
};
using MeasurementSeries = std::vector<Measurement>;

Result<MeasurementSeries> parse_series_csv(std::string_view text, std::string_view source);
Result<MeasurementSeries> parse_series_json(std::string_view text, std::string_view source);
// By extension: .csv, else JSON. Errors name the file and line or field (exit 2), or the I/O
// failure (exit 3).
Result<MeasurementSeries> read_series_file(const std::filesystem::path& path);

// Every sample of `metric` in time order: missing values skipped, NaN kept for the judge's NaN
// strategy.
std::vector<double> samples_of(const MeasurementSeries& series, const std::string& metric);

// Each metric's median over the series (NaN and missing left out): the baseline a threshold such
// as "2x baseline" is measured against.
MetricValues typical_values(const MeasurementSeries& series);

}  // namespace launchkit::decide
