#include "playbook/command_expectation.h"

#include <charconv>
#include <limits>

#include <regex>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/bounded_json.h"
#include "util/process.h"
#include "util/strings.h"

namespace launchkit::playbook {
namespace {

// {"info": 0, "low": 2, "moderate": 1, "high": 0, "critical": 1, "total": 4}: npm's and pnpm's
// metadata.vulnerabilities, yarn's auditSummary data.vulnerabilities.
std::optional<AuditFindings> from_counts(const nlohmann::json& counts) {
    if (!counts.is_object()) return std::nullopt;
    AuditFindings findings;
    int sum = 0;
    for (const auto& [severity, count] : counts.items()) {
        if (!count.is_number_integer()) return std::nullopt;
        if (severity == "total") continue;
        sum += count.get<int>();
        if (severity == "critical") findings.critical = count.get<int>();
    }
    findings.total = counts.contains("total") ? counts["total"].get<int>() : sum;
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
        if (event.is_object() && event.value("type", "") == "auditSummary" &&
            event.contains("data") && event["data"].is_object())
            return from_counts(event["data"].value("vulnerabilities", nlohmann::json()));
    }
    return std::nullopt;
}

// A count a tool printed; one too large for an int is as many as an int holds (it is "at least
// that many" to every threshold), never an exception.
int count_in(const std::string& digits) {
    int value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error == std::errc::result_out_of_range) return std::numeric_limits<int>::max();
    return end == digits.data() ? 0 : value;
}

int number(const std::smatch& match) {
    return count_in(match[1].str());
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
        auto tail = text.substr(metadata);
        static const std::regex critical_count(R"re("critical"\s*:\s*(\d+))re");
        static const std::regex total_count(R"re("total"\s*:\s*(\d+))re");
        std::smatch critical, total;
        if (!std::regex_search(tail, critical, critical_count) ||
            !std::regex_search(tail, total, total_count))
            return std::nullopt;
        return AuditFindings{number(total), number(critical)};
    }
    std::string text(trimmed);
    std::smatch match;
    // "found 0 vulnerabilities" (npm), "No known vulnerabilities found" (pnpm), "0
    // vulnerabilities found" (yarn).
    static const std::regex none(R"(found 0 vulnerabilities|no known vulnerabilities found)",
                                 std::regex::icase);
    if (std::regex_search(text, none)) return AuditFindings{};
    // "3 vulnerabilities (2 moderate, 1 critical)", "1 critical severity vulnerability",
    // "Severity: 2 Low | 1 Critical".
    static const std::regex any(R"((\d+)\s+(?:\w+\s+severity\s+)?vulnerabilit(?:y|ies))",
                                std::regex::icase);
    if (!std::regex_search(text, match, any)) return std::nullopt;
    AuditFindings findings;
    findings.total = number(match);
    static const std::regex critical(R"((\d+)\s+critical\b)", std::regex::icase);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), critical);
         it != std::sregex_iterator(); ++it)
        findings.critical = std::max(findings.critical, count_in((*it)[1].str()));
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
