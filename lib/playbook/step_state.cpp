// flag, pause, resume, backup and restore steps, and undoing the first three from what the
// journal recorded about the state before.
#include <fmt/format.h>

#include "backup/backup_operations.h"
#include "backup/backup_source.h"
#include "backup/offsite_commands.h"
#include "backup/offsite_copy.h"
#include "flags/flag_repository.h"
#include "flags/launch_control.h"
#include "notify/control_announcements.h"
#include "playbook/run_announcements.h"
#include "playbook/run_event.h"
#include "playbook/step_executor.h"
#include "store/open_store.h"
#include "util/bounded_json.h"

namespace launchkit::playbook {
namespace {

std::string change_reason(const StepContext& run, const std::string& step) {
    return fmt::format("playbook {} run {} step {}", run.playbook.name, run.variables.at("run_id"),
                       step);
}

Result<StepOutcome> set_flag(StepContext& run, const std::string& step_name,
                             const std::string& flag, const std::string& environment, bool enabled,
                             std::optional<int> rollout, bool create = false) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(run.context));
    auto note = store::change_note(run.context, change_reason(run, step_name));
    if (create) {
        LAUNCHKIT_TRY_ASSIGN(auto existing, flags::find_flag(*store, flag));
        if (!existing) {
            flags::Flag created;
            created.name = flag;
            LAUNCHKIT_TRY(flags::create_flag(*store, created, note));
        }
    }
    LAUNCHKIT_TRY_ASSIGN(auto change, flags::modify_flag(
                                          *store, flag,
                                          [&](flags::Flag& edited) -> Result<void> {
                                              auto current = edited.in(environment);
                                              return flags::set_environment_state(
                                                  edited, environment, enabled,
                                                  rollout.value_or(current.rollout), note);
                                          },
                                          note));
    auto before = change.before.in(environment);
    auto after = change.after.in(environment);
    StepOutcome outcome;
    outcome.succeeded = true;
    outcome.outputs = {{"enabled", after.enabled}, {"rollout", after.rollout}};
    outcome.undo = {{"flag", flag},
                    {"env", environment},
                    {"enabled", before.enabled},
                    {"rollout", before.rollout}};
    outcome.message = fmt::format("{} in {}: {} {}% (was {} {}%)", flag, environment,
                                  after.enabled ? "enabled" : "disabled", after.rollout,
                                  before.enabled ? "enabled" : "disabled", before.rollout);
    return outcome;
}

Result<StepOutcome> set_launch_control(StepContext& run, const std::string& step_name,
                                       const std::string& control, bool pause,
                                       const std::string& reason) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(run.context));
    auto note =
        store::change_note(run.context, reason.empty() ? change_reason(run, step_name) : reason);
    flags::LaunchChange change;
    if (pause) {
        LAUNCHKIT_TRY_ASSIGN(change,
                             flags::pause_launch_control(*store, control, note, true,
                                                         run.context.config.launch_controls));
    } else {
        LAUNCHKIT_TRY_ASSIGN(change,
                             flags::resume_launch_control(*store, control, note,
                                                          run.context.config.launch_controls));
    }
    // Announced as `launchctl` announces it: the people watching redemption learn of a pause
    // the same way whoever or whatever made it. Journaled as the run's own notices are, so that
    // `runs RUN_ID` and the report say who heard of it and what did not go out.
    if (change.changed) {
        auto kind =
            pause ? notify::NoticeKind::control_paused : notify::NoticeKind::control_resumed;
        auto deliveries = notify::announce_control(run.context, *store, kind, control, note.reason);
        if (run.record)
            for (auto& delivery : deliveries)
                // A journal that cannot be written is the run's problem, reported by its next
                // event (as a notify step's deliveries are).
                (void)run.record(notification_sent(std::move(delivery), notify::to_string(kind)));
    }
    StepOutcome outcome;
    outcome.succeeded = true;
    outcome.outputs = {{"was_paused", change.before.paused}};
    outcome.undo = {{"control", control}, {"paused", change.before.paused}};
    outcome.message = fmt::format("{} {}{}", control, change.after.paused ? "paused" : "running",
                                  change.changed ? "" : " (already)");
    return outcome;
}

}  // namespace

Result<StepOutcome> execute_state_step(const Step& step, const nlohmann::json& body,
                                       StepContext& run) {
    switch (step.kind) {
        case StepKind::flag: {
            auto environment = body.value("env", "");
            if (environment.empty()) environment = run.variables.at("env");
            std::optional<int> rollout;
            if (body.contains("rollout")) rollout = util::json_integer<int>(body["rollout"]);
            return set_flag(run, step.name, body.at("name").get<std::string>(), environment,
                            body.value("state", "enabled") == "enabled", rollout,
                            body.value("create", false));
        }
        case StepKind::pause:
        case StepKind::resume:
            return set_launch_control(run, step.name, body.at("control").get<std::string>(),
                                      step.kind == StepKind::pause, body.value("reason", ""));
        case StepKind::backup: {
            LAUNCHKIT_TRY_ASSIGN(auto source,
                                 backup::resolve_backup_source(body.at("source").get<std::string>(),
                                                               run.context.config));
            backup::CreateOptions options;
            options.tag = body.value("tag", "");
            auto labels = body.value("labels", nlohmann::json::object());
            for (const auto& [key, value] : labels.items())
                options.labels[key] =
                    value.is_string() ? value.get<std::string>() : util::dump_json(value);
            // A run's backups belong to its environment: latest:TAG in a rollback of production
            // never finds a staging drill's backup.
            options.labels["run"] = run.variables.at("run_id");
            options.labels["env"] = run.variables.at("env");
            LAUNCHKIT_TRY_ASSIGN(auto offsite,
                                 backup::ResticRepository::configured(run.context, ""));
            LAUNCHKIT_TRY_ASSIGN(auto created, backup::create_backup(run.context, source, options));
            StepOutcome outcome;
            outcome.succeeded = true;
            outcome.outputs = {{"id", created.manifest.id}, {"offsite", nullptr}};
            outcome.message =
                fmt::format("backup {} of {}", created.manifest.id, created.manifest.source);
            if (offsite) {
                // The backup is made: an off-site copy that fails does not fail the run (the
                // upgrade it protects can still be rolled back from here); `backup sync` copies
                // it later.
                nlohmann::json copy;
                if (backup::copy_new_backup(run.context, *offsite, created.manifest, copy,
                                            "warning") == ExitCode::ok) {
                    outcome.outputs["offsite"] = copy["offsite"].value("snapshot", "");
                    outcome.message += ", copied off-site";
                } else {
                    outcome.message += ", NOT yet off-site (`release-manager backup sync`)";
                }
            }
            return outcome;
        }
        case StepKind::restore: {
            // Not here (a new machine, a lost disk): fetched from the off-site repository.
            LAUNCHKIT_TRY_ASSIGN(
                auto manifest,
                backup::find_or_fetch_backup(
                    run.context, body.at("backup").get<std::string>(), run.variables.at("env"),
                    [&] { return backup::ResticRepository::configured(run.context, ""); }));
            backup::RestoreOptions options;
            options.to = body.value("to", "");
            options.safety_backup = body.value("safety_backup", true);
            LAUNCHKIT_TRY_ASSIGN(auto restored,
                                 backup::restore_backup(run.context, manifest, options));
            StepOutcome outcome;
            outcome.succeeded = true;
            outcome.outputs = {{"id", restored.id},
                               {"safety_backup", restored.safety_backup_id.value_or("")}};
            outcome.message = fmt::format("restored {} {}", restored.id, restored.how);
            return outcome;
        }
        default:
            break;
    }
    return fail(ExitCode::environment, "{}: no executor for {} steps", step.where,
                to_string(step.kind));
}

Result<StepOutcome> undo_state_step(const Step& step, const StepRecord& record, StepContext& run) {
    const auto& undo = record.undo;
    if (step.kind == StepKind::flag)
        return set_flag(run, "undo:" + step.name, undo.at("flag").get<std::string>(),
                        undo.at("env").get<std::string>(), undo.at("enabled").get<bool>(),
                        util::json_integer<int>(undo.at("rollout")));
    if (step.kind == StepKind::pause || step.kind == StepKind::resume)
        return set_launch_control(run, "undo:" + step.name, undo.at("control").get<std::string>(),
                                  undo.at("paused").get<bool>(),
                                  fmt::format("rollback of run {}", run.variables.at("run_id")));
    StepOutcome nothing;
    nothing.succeeded = true;
    nothing.message = "nothing to undo";
    return nothing;
}

}  // namespace launchkit::playbook
