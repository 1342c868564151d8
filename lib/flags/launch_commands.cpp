#include "flags/launch_commands.h"

#include <thread>

#include "core/output.h"
#include "flags/launch_control.h"
#include "flags/names.h"
#include "notify/control_announcements.h"
#include "store/open_store.h"
#include "util/duration.h"
#include "util/strings.h"

namespace launchkit::flags {
namespace {

std::string state_word(const LaunchControl& control, bool color) {
    return control.paused ? colorize("paused", Color::red, color)
                          : colorize("running", Color::green, color);
}

std::string describe(const LaunchControl& control) {
    if (control.never_paused()) return "running (never paused)";
    std::string text = fmt::format("{} since {} by {}", control.paused ? "paused" : "running",
                                   control.since, control.by);
    if (!control.reason.empty()) text += fmt::format(": {}", control.reason);
    return util::printable(text);
}

// The stored record plus what a script needs to tell a never-paused control apart.
nlohmann::json control_json(const LaunchControl& control) {
    auto json = to_json(control);
    json["never_paused"] = control.never_paused();
    return json;
}

nlohmann::json change_json(const LaunchChange& change) {
    auto json = control_json(change.after);
    json["changed"] = change.changed;
    json["created"] = change.created;
    return json;
}

// A name never paused is running, but one typo away from a control that exists it is most likely
// a typo: say so on stderr, without changing the answer.
void note_likely_typo(Context& context, store::Store& store, const LaunchControl& control) {
    if (!control.never_paused() || context.config.launch_controls.contains(control.name)) return;
    auto controls = list_launch_controls(store, context.config.launch_controls);
    if (!controls) return;
    std::vector<std::string> names;
    for (const auto& other : *controls)
        if (other.name != control.name) names.push_back(other.name);
    if (auto close = util::closest_match(control.name, names))
        *context.err << fmt::format(
            "note: '{}' has never been paused, so it is running; did you mean '{}'?\n",
            control.name, *close);
}

}  // namespace

Result<ExitCode> run_pause(Context& context, const PauseOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(
        auto change,
        pause_launch_control(*store, options.name, store::change_note(context, options.reason),
                             options.create_new, context.config.launch_controls));
    if (change.changed)
        notify::announce_control(context, *store, notify::NoticeKind::control_paused, options.name,
                                 options.reason);
    if (context.json) {
        print_json(*context.out, change_json(change));
    } else if (change.changed) {
        *context.out << fmt::format("{}: {}\n", options.name,
                                    colorize("paused", Color::red, context.color));
    } else {
        // Keep the first pause's record: the on-call engineer needs to know who paused it first
        // and why, not who repeated the command.
        *context.out << fmt::format("{} was already {} (kept; nothing changed)\n", options.name,
                                    describe(change.after));
    }
    return ExitCode::ok;
}

Result<ExitCode> run_resume(Context& context, const ResumeOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(
        auto change,
        resume_launch_control(*store, options.name, store::change_note(context, options.reason),
                              context.config.launch_controls));
    if (change.changed)
        notify::announce_control(context, *store, notify::NoticeKind::control_resumed, options.name,
                                 options.reason);
    if (context.json) {
        print_json(*context.out, change_json(change));
    } else if (change.changed) {
        *context.out << fmt::format("{}: {} (was {})\n", options.name,
                                    colorize("running", Color::green, context.color),
                                    describe(change.before));
    } else {
        *context.out << fmt::format("{} is already {} (nothing changed)\n", options.name,
                                    describe(change.after));
    }
    return ExitCode::ok;
}

Result<ExitCode> run_launch_status(Context& context, const LaunchStatusOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    if (!options.name.empty()) {
        LAUNCHKIT_TRY_ASSIGN(auto control, find_launch_control(*store, options.name,
                                                               context.config.launch_controls));
        note_likely_typo(context, *store, control);
        if (context.json)
            print_json(*context.out, control_json(control));
        else
            *context.out << fmt::format("{} is {}\n", control.name, describe(control));
        return control.paused ? ExitCode::said_no : ExitCode::ok;
    }
    LAUNCHKIT_TRY_ASSIGN(auto controls,
                         list_launch_controls(*store, context.config.launch_controls));
    if (context.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& control : controls) list.push_back(control_json(control));
        print_json(*context.out, {{"controls", std::move(list)}});
        return ExitCode::ok;
    }
    if (controls.empty()) {
        *context.out << "no launch controls yet: everything is running "
                        "('launchctl pause NAME' creates one)\n";
        return ExitCode::ok;
    }
    Table table({"NAME", "STATE", "SINCE", "BY", "REASON"});
    for (const auto& control : controls)
        table.add_row({control.name, state_word(control, context.color), control.since, control.by,
                       control.reason});
    table.render(*context.out, context.color);
    return ExitCode::ok;
}

Result<ExitCode> run_wait(Context& context, const WaitOptions& options) {
    if (options.until != "running" && options.until != "paused")
        return fail(ExitCode::invalid_input, "invalid --until '{}' (expected running or paused)",
                    options.until);
    LAUNCHKIT_TRY_ASSIGN(auto timeout, util::parse_duration(options.timeout));
    LAUNCHKIT_TRY_ASSIGN(auto interval, util::parse_duration(options.interval));
    if (interval.count() == 0) interval = std::chrono::milliseconds(100);
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    bool want_paused = options.until == "paused";
    // Deadlines run on the steady clock: a wall-clock step must not end or stretch the wait.
    auto deadline = std::chrono::steady_clock::now() + timeout;
    bool announced = false;
    while (true) {
        // The revision before the read: a change committed after it ends the wait below at once.
        LAUNCHKIT_TRY_ASSIGN(auto revision, store->revision());
        LAUNCHKIT_TRY_ASSIGN(auto control, find_launch_control(*store, options.name,
                                                               context.config.launch_controls));
        if (!announced) note_likely_typo(context, *store, control);
        if (control.paused == want_paused) {
            if (context.json)
                print_json(*context.out, control_json(control));
            else
                *context.out << fmt::format("{} is {}\n", control.name, describe(control));
            return ExitCode::ok;
        }
        auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            if (context.json)
                print_json(*context.out, control_json(control));
            else
                *context.out << fmt::format("{} is still {} after {} ({})\n", control.name,
                                            control.paused ? "paused" : "running",
                                            util::format_duration(timeout), describe(control));
            return ExitCode::said_no;
        }
        if (!announced) {
            *context.err << fmt::format("waiting up to {} for {} to be {} (now {})\n",
                                        util::format_duration(timeout), control.name, options.until,
                                        describe(control));
            announced = true;
        }
        // etcd is watched: the next commit anywhere wakes this at once; the embedded store is
        // looked at every --interval.
        auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        LAUNCHKIT_TRY(store->wait_for_commit(revision, remaining, interval));
    }
}

Result<ExitCode> run_launch_history(Context& context, const LaunchStatusOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    std::string prefix(launch_key_prefix);
    if (!options.name.empty()) {
        LAUNCHKIT_TRY(validate_name(options.name, "launch control name"));
        prefix = launch_key(options.name);
    }
    LAUNCHKIT_TRY_ASSIGN(auto records, store->audit(prefix));
    nlohmann::json entries = nlohmann::json::array();
    Table table({"TIME", "NAME", "CHANGE", "BY", "REASON"});
    for (const auto& record : records) {
        for (const auto& change : record.changes) {
            auto name = change.key.substr(launch_key_prefix.size());
            if (!options.name.empty() && name != options.name) continue;
            auto state = [](const nlohmann::json& value) -> std::string {
                return value.is_object() ? value.value("state", "?") : "none";
            };
            auto what = fmt::format("{} → {}", state(change.old_value), state(change.new_value));
            entries.push_back({{"sequence", record.sequence},
                               {"time", record.note.time},
                               {"name", name},
                               {"from", state(change.old_value)},
                               {"to", state(change.new_value)},
                               {"actor", record.note.actor},
                               {"reason", string_or_null(record.note.reason)},
                               {"command", record.note.command}});
            table.add_row({record.note.time, name, what, record.note.actor, record.note.reason});
        }
    }
    if (entries.empty() && !options.name.empty())
        LAUNCHKIT_TRY(find_launch_control(*store, options.name, context.config.launch_controls));
    if (context.json)
        print_json(*context.out, {{"history", std::move(entries)}});
    else if (entries.empty())
        *context.out << "no launch control changes recorded yet\n";
    else
        table.render(*context.out, context.color);
    return ExitCode::ok;
}

}  // namespace launchkit::flags
