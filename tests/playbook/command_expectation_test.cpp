// `expected: no_critical` reads npm, pnpm and yarn audit reports (text and --json), and an output
// that holds no report is the tool failing, never a pass.
#include <catch2/catch.hpp>

#include <limits>

#include "playbook/command_expectation.h"

using namespace launchkit::playbook;

namespace {

StepOutcome audited(int exit_code, const std::string& stdout_text) {
    StepOutcome outcome;
    outcome.succeeded = exit_code == 0;
    outcome.outputs = {
        {"exit_code", exit_code}, {"stdout", stdout_text}, {"stderr_first_line", ""}};
    judge_expectation("no_critical", outcome);
    return outcome;
}

}  // namespace

TEST_CASE("audit reports are read from npm, pnpm and yarn, text and JSON", "[playbook]") {
    auto findings = [](const std::string& text) { return read_audit_report(text); };
    CHECK(findings("found 0 vulnerabilities")->total == 0);
    CHECK(findings("No known vulnerabilities found\n")->total == 0);
    auto npm = findings(
        "# npm audit report\n\nlodash  <4.17.21\nSeverity: critical\n\n"
        "3 vulnerabilities (2 moderate, 1 critical)\n");
    REQUIRE(npm);
    CHECK(npm->total == 3);
    CHECK(npm->critical == 1);
    auto one = findings("1 high severity vulnerability\n");
    REQUIRE(one);
    CHECK(one->total == 1);
    CHECK(one->critical == 0);
    auto yarn_text = findings(
        "4 vulnerabilities found - Packages audited: 912\n"
        "Severity: 2 Low | 2 Critical\n");
    REQUIRE(yarn_text);
    CHECK(yarn_text->critical == 2);
    auto npm_json = findings(R"({"auditReportVersion": 2, "vulnerabilities": {},
        "metadata": {"vulnerabilities": {"info": 0, "low": 1, "moderate": 0, "high": 2,
        "critical": 0, "total": 3}}})");
    REQUIRE(npm_json);
    CHECK(npm_json->total == 3);
    CHECK(npm_json->critical == 0);
    auto yarn_json = findings(
        "{\"type\":\"auditAdvisory\",\"data\":{}}\n"
        "{\"type\":\"auditSummary\",\"data\":{\"vulnerabilities\":{\"info\":0,\"low\":0,"
        "\"moderate\":0,\"high\":0,\"critical\":5}}}\n");
    REQUIRE(yarn_json);
    CHECK(yarn_json->critical == 5);
    // A --json report cut at its start (a step keeps the last 64 KiB) still has its counts.
    auto cut =
        findings(R"({"x": 1}, "metadata": {"vulnerabilities": {"critical": 2, "total": 7}}})");
    REQUIRE(cut);
    CHECK(cut->critical == 2);
    CHECK(cut->total == 7);

    // No report: the tool did not audit anything.
    CHECK_FALSE(findings(""));
    CHECK_FALSE(findings("npm ERR! code ENOLOCK\n"));
    CHECK_FALSE(findings(R"({"error": {"code": "ENOLOCK", "summary": "requires a lockfile"}})"));
    CHECK_FALSE(findings("Usage: npm audit [fix]"));
}

TEST_CASE("no_critical: findings below critical pass, a tool that did not audit fails",
          "[playbook]") {
    CHECK(audited(0, "found 0 vulnerabilities").succeeded);
    auto lower = audited(1, "3 vulnerabilities (2 moderate, 1 high)");
    CHECK(lower.succeeded);
    CHECK(lower.message == "no critical findings (3 of lower severity)");
    auto critical = audited(1, "2 vulnerabilities (1 high, 1 critical)");
    CHECK_FALSE(critical.succeeded);
    CHECK(critical.message == "1 critical finding reported");
    auto no_report = audited(1, "");
    CHECK_FALSE(no_report.succeeded);
    CHECK(no_report.message == "the audit did not run: no audit report in its output (exit 1)");
    // Exit 1 with a clean report: the tool failed after printing.
    auto odd = audited(1, "found 0 vulnerabilities");
    CHECK_FALSE(odd.succeeded);
    CHECK(odd.message.starts_with("the audit did not run: it exited non-zero"));
    // Killed or timed out: never a pass, whatever it printed.
    CHECK_FALSE(audited(-1, "found 0 vulnerabilities").succeeded);
}

// A count too large for an int (a tool's output is not launchkit's to trust) is as many as an int
// holds, and still a critical finding, where std::stoi threw.
TEST_CASE("an audit count beyond an int is read as the most there can be", "[playbook]") {
    auto report =
        read_audit_report("99999999999999999999 vulnerabilities (99999999999999999999 critical)\n");
    REQUIRE(report);
    CHECK(report->total == std::numeric_limits<int>::max());
    CHECK(report->critical == std::numeric_limits<int>::max());
}

// The same in JSON: get<int>() wrapped 4294967297 to 1, and two counts near the top of an int
// overflowed their sum (undefined); a yarn line whose "type" was not a string threw.
TEST_CASE("an audit count beyond an int in JSON is read as the most there can be", "[playbook]") {
    const auto most = std::numeric_limits<int>::max();
    auto wrapped = read_audit_report(
        R"({"metadata": {"vulnerabilities": {"low": 0, "critical": 4294967297}}})");
    REQUIRE(wrapped);
    CHECK(wrapped->critical == most);
    CHECK(wrapped->total == most);
    auto summed = read_audit_report(
        R"({"metadata": {"vulnerabilities": {"high": 2147483647, "critical": 2147483647}}})");
    REQUIRE(summed);
    CHECK(summed->total == most);
    auto unsigned_huge = read_audit_report(
        R"({"metadata": {"vulnerabilities": {"critical": 18446744073709551615, "total": 3}}})");
    REQUIRE(unsigned_huge);
    CHECK(unsigned_huge->critical == most);
    CHECK(unsigned_huge->total == 3);
    CHECK_FALSE(read_audit_report(R"({"metadata": {"vulnerabilities": {"critical": -1}}})"));
    CHECK_FALSE(read_audit_report(R"({"metadata": {"vulnerabilities": {"critical": 1.5}}})"));
    CHECK_FALSE(read_audit_report("{\"type\": 5}\n{\"type\": [\"auditSummary\"]}\n"));
    auto yarn = read_audit_report(
        "{\"type\": 5}\n{\"type\": \"auditSummary\", \"data\": {\"vulnerabilities\": "
        "{\"critical\": 2, \"low\": 1}}}\n");
    REQUIRE(yarn);
    CHECK(yarn->critical == 2);
    CHECK(yarn->total == 3);
}
