#include "playbook/command_expectation.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/bounded_json.h"
#include "util/pattern.h"
#include "util/process.h"
#include "util/strings.h"

namespace launchkit::playbook {
namespace {

// {"info": 0, "low": 2, "moderate": 1, "high": 0, "critical": 1, "total": 4}: npm's and pnpm's
// metadata.vulnerabilities, yarn's auditSummary data.vulnerabilities.
std::optional<AuditFindings> from_counts(const nlohmann::json& counts) {
    if (!counts.is_object()) return std::nullopt;
    // A count too large for an int is as many as an int holds, as count_in reads printed ones:
    // get<int>() wrapped 2^32 + 1 to 1, and summing them overflowed.
    auto clamped = [](std::int64_t count) {
        return static_cast<int>(std::min<std::int64_t>(count, std::numeric_limits<int>::max()));
    };
    AuditFindings findings;
    std::int64_t sum = 0;
    std::optional<std::int64_t> total;
    for (const auto& [severity, count] : counts.items()) {
        auto number = util::integer_value<std::int64_t>(count);
        if (!number && count.is_number_unsigned())
            number = std::numeric_limits<std::int64_t>::max();
        if (!number || *number < 0) return std::nullopt;
        if (severity == "total") {
            total = number;
            continue;
        }
        sum = *number > std::numeric_limits<std::int64_t>::max() - sum
                  ? std::numeric_limits<std::int64_t>::max()
                  : sum + *number;
        if (severity == "critical") findings.critical = clamped(*number);
    }
    findings.total = clamped(total.value_or(sum));
    return findings;
}

std::optional<AuditFindings> from_json(std::string_view output) {
    auto json = util::parse_json(output).value_or(nlohmann::json());
    if (json.is_object()) {
        if (json.contains("error")) return std::nullopt;  // npm audit --json when it could not run
        if (json.contains("metadata") && json["metadata"].is_object())
            return from_counts(json["metadata"].value("vulnerabilities", nlohmann::json()));
        return std::nullopt;
    }
    // yarn audit --json: one JSON object per line, the last an auditSummary.
    for (auto line : util::split(output, '\n')) {
        if (!util::trim(line).starts_with("{")) continue;
        auto event = util::parse_json(line).value_or(nlohmann::json());
        if (util::string_member(event, "type") == "auditSummary" && event.contains("data") &&
            event["data"].is_object())
            return from_counts(event["data"].value("vulnerabilities", nlohmann::json()));
    }
    return std::nullopt;
}

// A count a tool printed; one too large for an int is as many as an int holds (it is "at least
// that many" to every threshold), never an exception.
int count_in(std::string_view digits) {
    int value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error == std::errc::result_out_of_range) return std::numeric_limits<int>::max();
    return end == digits.data() ? 0 : value;
}

// The first group of `pattern`'s first match in `text`; nullopt when there is none or the search
// gave up (a report it cannot read is not a clean one).
std::optional<int> first_count(const util::Pattern& pattern, std::string_view text) {
    auto found = pattern.find(text);
    if (!found || !*found || !(**found)[1]) return std::nullopt;
    return count_in(*(**found)[1]);
}

}  // namespace

std::optional<AuditFindings> read_audit_report(std::string_view output) {
    auto trimmed = util::trim(output);
    if (trimmed.empty()) return std::nullopt;
    if (trimmed.starts_with("{")) {
        if (auto findings = from_json(trimmed)) return findings;
        // A --json report longer than what a step keeps loses its start; npm puts the counts
        // last, in "metadata".
        std::string text(trimmed);
        auto metadata = text.rfind("\"metadata\"");
        if (metadata == std::string::npos) return std::nullopt;
        auto tail = std::string_view(text).substr(metadata);
        static const auto critical_count = util::builtin_pattern(R"re("critical"\s*:\s*(\d+))re");
        static const auto total_count = util::builtin_pattern(R"re("total"\s*:\s*(\d+))re");
        auto critical = first_count(critical_count, tail);
        auto total = first_count(total_count, tail);
        if (!critical || !total) return std::nullopt;
        return AuditFindings{*total, *critical};
    }
    std::string_view text = trimmed;
    // "found 0 vulnerabilities" (npm), "No known vulnerabilities found" (pnpm), "0
    // vulnerabilities found" (yarn).
    static const auto none = util::builtin_pattern(
        R"(found 0 vulnerabilities|no known vulnerabilities found)", {.ignore_case = true});
    auto clean = none.search(text);
    if (!clean) return std::nullopt;
    if (*clean) return AuditFindings{};
    // "3 vulnerabilities (2 moderate, 1 critical)", "1 critical severity vulnerability",
    // "Severity: 2 Low | 1 Critical".
    static const auto any = util::builtin_pattern(
        R"((\d+)\s+(?:\w+\s+severity\s+)?vulnerabilit(?:y|ies))", {.ignore_case = true});
    auto total = first_count(any, text);
    if (!total) return std::nullopt;
    AuditFindings findings;
    findings.total = *total;
    static const auto critical =
        util::builtin_pattern(R"((\d+)\s+critical\b)", {.ignore_case = true});
    for (size_t offset = 0;;) {
        auto found = critical.find_from(text, offset);
        if (!found) return std::nullopt;
        if (!*found) break;
        const auto& groups = **found;
        findings.critical = std::max(findings.critical, count_in(*groups[1]));
        // Past this match; an empty match cannot happen (the pattern needs a digit).
        offset = static_cast<size_t>(groups[0]->data() + groups[0]->size() - text.data());
    }
    if (findings.total == 0 && findings.critical > 0) findings.total = findings.critical;
    return findings;
}

void judge_expectation(std::string_view expected, StepOutcome& outcome) {
    auto stdout_text = outcome.outputs.value("stdout", "");
    int exit_code = outcome.outputs.value("exit_code", -1);
    if (expected == "empty") {
        if (outcome.succeeded && !stdout_text.empty()) {
            outcome.succeeded = false;
            outcome.message =
                fmt::format("expected no output, got: {}", util::first_line(stdout_text));
        }
        return;
    }
    if (expected != "no_critical") return;  // success, all_pass: exit 0, judged already
    // Killed or timed out: the audit did not finish, whatever it printed.
    if (exit_code < 0) return;
    auto tool_failed = [&](std::string why) {
        auto stderr_line = outcome.outputs.value("stderr_first_line", "");
        outcome.succeeded = false;
        outcome.message = fmt::format("the audit did not run: {} (exit {}{})", why, exit_code,
                                      stderr_line.empty() ? "" : ": " + stderr_line);
    };
    auto findings = read_audit_report(stdout_text);
    if (!findings) return tool_failed("no audit report in its output");
    if (findings->critical > 0) {
        outcome.succeeded = false;
        outcome.message = fmt::format("{} critical finding{} reported", findings->critical,
                                      findings->critical == 1 ? "" : "s");
        return;
    }
    // Audit tools exit non-zero for findings of any severity; with none, a non-zero exit is the
    // tool failing.
    if (exit_code != 0 && findings->total == 0)
        return tool_failed("it exited non-zero yet reported no findings");
    outcome.succeeded = true;
    outcome.message =
        findings->total == 0
            ? "no findings"
            : fmt::format("no critical findings ({} of lower severity)", findings->total);
}

}  // namespace launchkit::playbook
