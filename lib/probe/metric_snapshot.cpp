#include "probe/metric_snapshot.h"
#include "util/bounded_json.h"

#include <cmath>

namespace launchkit::probe {
namespace {

nlohmann::json number_or_null(const std::optional<double>& value) {
    return value && std::isfinite(*value) ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

MetricSnapshot take_snapshot(const SloRules& rules,
                             const std::map<std::string, MetricReading>& readings,
                             const std::string& taken_at) {
    MetricSnapshot snapshot;
    snapshot.taken_at = taken_at;
    snapshot.rules = rules.source.string();
    for (const auto& [name, reading] : readings) snapshot.values[name] = reading.value;
    return snapshot;
}

nlohmann::json to_json(const MetricSnapshot& snapshot) {
    nlohmann::json values = nlohmann::json::object();
    for (const auto& [name, value] : snapshot.values) values[name] = number_or_null(value);
    return {{"format", snapshot_format},
            {"taken_at", snapshot.taken_at},
            {"rules", snapshot.rules},
            {"metrics", std::move(values)}};
}

Result<MetricSnapshot> parse_snapshot(std::string_view text, std::string_view source) {
    auto invalid = [&](std::string_view what) {
        return fail(ExitCode::invalid_input, "{}: not a launchkit snapshot: {}", source, what);
    };
    auto parsed = util::parse_json(text, ExitCode::invalid_input);
    if (!parsed) return invalid(parsed.error().message);
    auto& json = *parsed;
    if (!json.is_object()) return invalid("not a JSON object");
    if (util::string_member(json, "format") != snapshot_format)
        return invalid(fmt::format("format is not '{}'", snapshot_format));
    MetricSnapshot snapshot;
    snapshot.taken_at = util::string_member(json, "taken_at").value_or("");
    snapshot.rules = util::string_member(json, "rules").value_or("");
    if (!json.contains("metrics") || !json["metrics"].is_object())
        return invalid("'metrics' must be an object");
    for (const auto& [name, value] : json["metrics"].items()) {
        if (value.is_null()) {
            snapshot.values[name] = std::nullopt;
        } else if (value.is_number()) {
            snapshot.values[name] = value.get<double>();
        } else {
            return invalid(fmt::format("metrics.{} is not a number or null", name));
        }
    }
    return snapshot;
}

std::vector<GrowthResult> compare_to_baseline(const SloRules& rules, const MetricSnapshot& baseline,
                                              const std::map<std::string, MetricReading>& now) {
    std::vector<GrowthResult> results;
    for (const auto& [name, reading] : now) {
        GrowthResult result;
        result.metric = name;
        result.now = reading.value;
        if (auto found = baseline.values.find(name); found != baseline.values.end())
            result.baseline = found->second;
        if (auto tolerance = rules.compare.find(name); tolerance != rules.compare.end())
            result.tolerance = tolerance->second;
        if (!result.tolerance) {
            result.detail = "shown only (no compare: entry)";
            results.push_back(std::move(result));
            continue;
        }
        // Judged metrics fail closed: a missing value is never "no growth".
        result.passed = false;
        if (!result.baseline) {
            result.detail = "no baseline value";
        } else if (!result.now || std::isnan(*result.now)) {
            result.detail = "no data now: " + reading.problem;
        } else {
            const auto& tolerance = *result.tolerance;
            double slack = tolerance.percent ? std::fabs(*result.baseline) * tolerance.amount / 100
                                             : tolerance.amount;
            result.allowed = *result.baseline + slack;
            result.passed = *result.now <= *result.allowed;
            double change = *result.now - *result.baseline;
            result.detail = result.passed
                                ? fmt::format("{:+g}, within {}", change,
                                              fmt::format("{}{}", tolerance.amount,
                                                          tolerance.percent ? "%" : ""))
                                : fmt::format("grew by {:+g}, more than the {}{} allowed", change,
                                              tolerance.amount, tolerance.percent ? "%" : "");
        }
        results.push_back(std::move(result));
    }
    return results;
}

nlohmann::json to_json(const std::vector<GrowthResult>& results) {
    nlohmann::json list = nlohmann::json::array();
    bool passed = true;
    for (const auto& result : results) {
        passed = passed && result.passed;
        list.push_back({{"metric", result.metric},
                        {"baseline", number_or_null(result.baseline)},
                        {"now", number_or_null(result.now)},
                        {"allowed", number_or_null(result.allowed)},
                        {"judged", result.tolerance.has_value()},
                        {"passed", result.passed},
                        {"detail", result.detail}});
    }
    return {{"passed", passed}, {"metrics", std::move(list)}};
}

}  // namespace launchkit::probe
