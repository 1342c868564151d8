#include "playbook/drill_commands.h"

#include <fmt/format.h>

#include "core/output.h"
#include "playbook/playbook_parser.h"
#include "playbook/run_request.h"
#include "probe/checklist_parser.h"
#include "probe/checklist_runner.h"
#include "util/bounded_json.h"
#include "util/duration.h"
#include "util/time.h"
#include "version/release_ledger.h"
#include "version/semver.h"

namespace launchkit::playbook {
namespace {

struct DrillPhase {
    std::string name;
    bool passed = false;
    double seconds = 0;
    std::string detail;
};

Result<probe::Checklist> health_checklist(const DrillOptions& options) {
    if (!options.checklist.empty()) return probe::load_checklist(options.checklist);
    if (options.checks.empty())
        return fail(ExitCode::invalid_input,
                    "a drill checks health after the upgrade and after the rollback: pass "
                    "--check URL (repeatable) or --checklist FILE");
    nlohmann::json checklist{{"checks", nlohmann::json::array()}};
    for (size_t i = 0; i < options.checks.size(); ++i)
        checklist["checks"].push_back({{"name", fmt::format("check-{}", i + 1)},
                                       {"http", {{"url", options.checks[i]}}},
                                       {"timeout", "5s"}});
    return probe::parse_checklist(util::dump_json(checklist), "--check");
}

// One pass of every check: "" when healthy, else what failed.
std::string check_health(const probe::Checklist& checklist) {
    probe::RunOptions options;
    auto selected = probe::select_checks(checklist, options);
    if (!selected) return selected.error().message;
    auto report = probe::run_checks(*selected, options);
    std::string failures;
    for (const auto& result : report.results)
        if (!result.passed)
            failures +=
                fmt::format("{}{}: {}", failures.empty() ? "" : "; ", result.name, result.detail);
    return failures;
}

// Only the --var settings the playbook declares: the two playbooks of a drill differ.
Result<std::vector<std::string>> vars_for(const std::filesystem::path& file,
                                          const std::vector<std::string>& vars) {
    LAUNCHKIT_TRY_ASSIGN(auto playbook, load_playbook(file));
    std::vector<std::string> declared;
    for (const auto& assignment : vars) {
        auto name = assignment.substr(0, assignment.find('='));
        if (playbook.vars.contains(name)) declared.push_back(assignment);
    }
    return declared;
}

std::string run_id_of(const RunOutcome& outcome) {
    return outcome.run ? outcome.run->run_id : std::string();
}

std::string status_of(const RunOutcome& outcome) {
    if (!outcome.run) return "recorded in the ledger";
    std::string status(to_string(outcome.run->status));
    if (!outcome.run->failure_reason.empty()) status += " (" + outcome.run->failure_reason + ")";
    return status;
}

}  // namespace

Result<ExitCode> run_drill(Context& context, const DrillOptions& options) {
    if (options.environment == "production" || options.environment == "prod")
        return fail(ExitCode::invalid_input,
                    "a drill rolls {} back for real; drill in a non-production environment (a "
                    "real rollback is `release-manager rollback {}`)",
                    options.environment, options.environment);
    LAUNCHKIT_TRY_ASSIGN(auto checklist, health_checklist(options));
    auto timeout = util::parse_duration(options.recovery_timeout);
    if (!timeout)
        return fail(ExitCode::invalid_input, "--recovery-timeout: {}", timeout.error().message);
    // Both playbooks are validated before anything runs.
    LAUNCHKIT_TRY_ASSIGN(auto upgrade_vars, vars_for(options.playbook, options.vars));
    std::vector<std::string> rollback_vars;
    if (!options.rollback_playbook.empty()) {
        LAUNCHKIT_TRY_ASSIGN(rollback_vars, vars_for(options.rollback_playbook, options.vars));
    }

    auto prefix =
        options.tag_prefix.empty() ? context.config.release.tag_prefix : options.tag_prefix;
    LAUNCHKIT_TRY_ASSIGN(auto ledger, version::ReleaseLedger::open(context));
    LAUNCHKIT_TRY_ASSIGN(auto entries, ledger.read());
    auto previous = version::running_version(entries, prefix, options.environment);
    if (previous.empty())
        return fail(ExitCode::invalid_input,
                    "nothing runs in {} yet, so there is nothing to roll back to: deploy a "
                    "version there first",
                    options.environment);
    auto version = options.version;
    if (version.empty())
        for (const auto& entry : entries)
            if (entry.event == version::LedgerEvent::created && entry.tag_prefix == prefix)
                version = entry.version;
    if (version.empty())
        return fail(ExitCode::invalid_input,
                    "no release in the ledger to drill with: pass --version");
    LAUNCHKIT_TRY(version::parse_semver(version));

    std::vector<DrillPhase> phases;
    auto started = context.now();
    *context.err << fmt::format("drill: {} {} in {}, then back to {}\n",
                                options.playbook.filename().string(), version, options.environment,
                                previous)
                 << std::flush;

    DeployOptions deploy;
    deploy.version = version;
    deploy.environment = options.environment;
    deploy.playbook = options.playbook;
    deploy.vars = upgrade_vars;
    deploy.approvals = options.approvals;
    deploy.tag_prefix = options.tag_prefix;
    // Stdout is the drill's table (or JSON): the runs print their progress on stderr only.
    LAUNCHKIT_TRY_ASSIGN(auto upgraded, execute_run(context, {deploy, true}));
    auto upgrade_run = run_id_of(upgraded);
    auto after_upgrade = context.now();
    phases.push_back({"upgrade", upgraded.exit_code == ExitCode::ok,
                      util::seconds_between(started, after_upgrade),
                      fmt::format("run {} to {}: {}", upgrade_run, version, status_of(upgraded))});

    std::string rollback_run;
    std::optional<double> rollback_seconds;
    std::optional<double> recovery_seconds;
    if (upgraded.exit_code == ExitCode::ok) {
        auto unhealthy = check_health(checklist);
        phases.push_back({"healthy after upgrade", unhealthy.empty(), 0,
                          unhealthy.empty() ? "every check passed" : unhealthy});

        auto rollback_start = context.now();
        RunRequest back{DeployOptions{}, true};
        if (options.rollback_playbook.empty()) {
            RollbackOptions rollback;
            rollback.environment = options.environment;
            rollback.version = previous;
            rollback.run_id = upgrade_run;
            rollback.reason = "drill";
            rollback.tag_prefix = options.tag_prefix;
            back.action = rollback;
        } else {
            DeployOptions downgrade = deploy;
            downgrade.version = previous;
            downgrade.playbook = options.rollback_playbook;
            downgrade.vars = rollback_vars;
            back.action = downgrade;
        }
        LAUNCHKIT_TRY_ASSIGN(auto rolled_back, execute_run(context, back));
        rollback_run = run_id_of(rolled_back);
        auto rollback_end = context.now();
        rollback_seconds = util::seconds_between(rollback_start, rollback_end);
        phases.push_back(
            {"rollback", rolled_back.exit_code == ExitCode::ok, *rollback_seconds,
             fmt::format("run {} back to {}: {}", rollback_run, previous, status_of(rolled_back))});

        // Recovery: until every check passes again, polled each second.
        std::string still_failing;
        while (true) {
            still_failing = check_health(checklist);
            if (still_failing.empty()) {
                recovery_seconds = util::seconds_between(rollback_start, context.now());
                break;
            }
            if (context.now() - rollback_start >= *timeout) break;
            context.sleep_for(std::chrono::seconds(1));
        }
        phases.push_back(
            {"recovered", recovery_seconds.has_value(),
             recovery_seconds.value_or(util::seconds_between(rollback_start, context.now())),
             recovery_seconds ? "every check passed"
                              : fmt::format("still failing after {}: {}", options.recovery_timeout,
                                            still_failing)});
    }

    bool passed = true;
    for (const auto& phase : phases) passed = passed && phase.passed;
    version::LedgerEntry entry;
    entry.time = util::format_rfc3339_ms(context.now());
    entry.event = version::LedgerEvent::drilled;
    entry.version = version;
    entry.tag_prefix = prefix;
    entry.environment = options.environment;
    entry.actor = context.actor;
    entry.run_id = upgrade_run;
    entry.rollback_run_id = rollback_run;
    entry.started_at = util::format_rfc3339_ms(started);
    entry.outcome = passed ? "passed" : "failed";
    entry.rollback_seconds = rollback_seconds;
    entry.recovery_seconds = recovery_seconds;
    entry.note = fmt::format("drill of {}: {} -> {} -> {}", options.playbook.filename().string(),
                             previous, version, previous);
    LAUNCHKIT_TRY(ledger.append(entry));

    if (context.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& phase : phases)
            list.push_back({{"phase", phase.name},
                            {"passed", phase.passed},
                            {"seconds", phase.seconds},
                            {"detail", phase.detail}});
        auto number = [](const std::optional<double>& value) {
            return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
        };
        print_json(*context.out, {{"passed", passed},
                                  {"env", options.environment},
                                  {"version", version},
                                  {"previous_version", previous},
                                  {"upgrade_run_id", string_or_null(upgrade_run)},
                                  {"rollback_run_id", string_or_null(rollback_run)},
                                  {"rollback_seconds", number(rollback_seconds)},
                                  {"recovery_seconds", number(recovery_seconds)},
                                  {"phases", list}});
    } else {
        Table table({"PHASE", "RESULT", "TIME", "DETAIL"});
        for (const auto& phase : phases)
            table.add_row({phase.name,
                           colorize(phase.passed ? "ok" : "FAILED",
                                    phase.passed ? Color::green : Color::red, context.color),
                           util::format_seconds(phase.seconds), phase.detail});
        table.render(*context.out, context.color);
        *context.out << fmt::format(
            "drill {}: rollback time {}, recovery time {} (recorded in the ledger; see stats)\n",
            passed ? "passed" : "FAILED",
            rollback_seconds ? util::format_seconds(*rollback_seconds) : "-",
            recovery_seconds ? util::format_seconds(*recovery_seconds) : "-");
    }
    return passed ? ExitCode::ok : ExitCode::said_no;
}

}  // namespace launchkit::playbook
