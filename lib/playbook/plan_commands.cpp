// `release-manager plan` (the resolved steps, nothing changed) and `release-manager runs`.
#include <functional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/output.h"
#include "notify/notification_target.h"
#include "playbook/deploy_commands.h"
#include "playbook/playbook_parser.h"
#include "playbook/preflight.h"
#include "playbook/run_report.h"
#include "playbook/step_executor.h"
#include "playbook/variables.h"
#include "util/bounded_json.h"
#include "util/strings.h"
#include "version/release_ledger.h"

namespace launchkit::playbook {
namespace {

// A step's settings with what is known before the run filled in; later outputs stay ${...}.
nlohmann::json resolved_body(const Step& step, const Variables& known) {
    std::function<nlohmann::json(const nlohmann::json&)> fill = [&](const nlohmann::json& value) {
        if (value.is_string()) {
            auto text = value.get<std::string>();
            auto expanded = expand(text, known);
            return nlohmann::json(expanded ? *expanded : text);
        }
        if (value.is_array() || value.is_object()) {
            auto copy = value;
            for (auto& item : copy) item = fill(item);
            return copy;
        }
        return value;
    };
    return fill(step.body);
}

std::string text_of(const nlohmann::json& body, const char* key) {
    auto found = body.find(key);
    return found != body.end() && found->is_string() ? found->get<std::string>() : "";
}

// Cut long texts so the table stays one line per step.
std::string shorten(std::string text, size_t limit = 80) {
    if (text.size() > limit) text = text.substr(0, limit - 3) + "...";
    return text;
}

// What the step does, in a few words a person reads at a glance.
std::string summary(const Step& step, const nlohmann::json& body, const PlanOptions& options) {
    switch (step.kind) {
        case StepKind::run:
            if (body.contains("http"))
                return fmt::format("{} {}", body.value("method", "GET"), text_of(body, "http"));
            return shorten(
                fmt::format("{}", fmt::join(body["argv"].get<std::vector<std::string>>(), " ")));
        case StepKind::deploy: {
            auto strategy =
                options.strategy.empty() ? body.value("strategy", "") : options.strategy;
            if (strategy == "canary" && body.contains("steps")) {
                auto weights =
                    canary_weights(body["steps"].get<std::vector<int>>(), options.initial_traffic);
                return fmt::format("canary {}%", fmt::join(weights, "% → "));
            }
            return strategy;
        }
        case StepKind::gate:
            return step.gate->rules.filename().string();
        case StepKind::probe: {
            if (body.contains("url")) return "GET " + text_of(body, "url");
            std::vector<std::string> names;
            for (const auto& check : body.value("checks", nlohmann::json::array()))
                names.push_back(check.value("name", "?"));
            return shorten(fmt::format("{}: {}", util::count_of(names.size(), "check"),
                                       fmt::join(names, ", ")));
        }
        case StepKind::checklist: {
            auto file = std::filesystem::path(text_of(body, "file")).filename().string();
            auto tags = body.value("tags", std::vector<std::string>{});
            return tags.empty() ? file : fmt::format("{} (tags {})", file, fmt::join(tags, ", "));
        }
        case StepKind::backup: {
            auto tag = text_of(body, "tag");
            return fmt::format("back up {}{}", text_of(body, "source"),
                               tag.empty() ? "" : " as " + tag);
        }
        case StepKind::restore: {
            auto to = text_of(body, "to");
            return fmt::format("restore {}{}{}", text_of(body, "backup"),
                               to.empty() ? "" : " to " + to,
                               body.value("safety_backup", true) ? "" : " (no safety backup)");
        }
        case StepKind::flag: {
            std::string text = fmt::format("{} {}", text_of(body, "name"), text_of(body, "state"));
            if (body.contains("rollout"))
                text += fmt::format(" at {}%", util::json_integer<int>(body["rollout"]));
            if (auto env = text_of(body, "env"); !env.empty()) text += " in " + env;
            return text;
        }
        case StepKind::pause:
        case StepKind::resume: {
            auto reason = text_of(body, "reason");
            return shorten(fmt::format("{} {}{}", to_string(step.kind), text_of(body, "control"),
                                       reason.empty() ? "" : ": " + reason));
        }
        case StepKind::wait:
            return "wait " + text_of(body, "duration");
        case StepKind::approve: {
            auto message = text_of(body, "message");
            return shorten(message.empty() ? "a person approves" : message);
        }
        case StepKind::verify: {
            std::vector<std::string> what;
            if (auto checksums = text_of(body, "checksums"); !checksums.empty())
                what.push_back("signed " + std::filesystem::path(checksums).filename().string());
            if (auto attestation = text_of(body, "attestation"); !attestation.empty())
                what.push_back("attestation " +
                               std::filesystem::path(attestation).filename().string());
            return shorten(fmt::format("verify {}", fmt::join(what, ", ")));
        }
        case StepKind::notify: {
            auto what = text_of(body, "template");
            if (what.empty()) what = shorten(text_of(body, "message"), 40);
            std::vector<std::string> where;
            for (const auto& target : body.value("to", nlohmann::json::array()))
                where.push_back(notify::describe_target(target));
            return shorten(fmt::format("{} → {}", what, fmt::join(where, ", ")));
        }
    }
    return "";
}

}  // namespace

Result<ExitCode> run_plan(Context& context, const PlanOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto playbook, load_playbook(options.playbook));
    LAUNCHKIT_TRY_ASSIGN(auto vars, parse_var_assignments(playbook, options.vars));
    override_vars(playbook, vars);
    // What runs there now, as deploy would see it; unknown when the ledger cannot be read.
    std::string previous;
    if (auto entries = version::read_ledger(context))
        previous = version::running_version(*entries, context.config.release.tag_prefix,
                                            options.environment);
    Variables known{{"version", options.version},
                    {"env", options.environment},
                    {"previous_version", previous},
                    {"playbook", playbook.name},
                    {"actor", context.actor},
                    {"strategy", playbook.strategy(options.strategy)},
                    {"run_id", "(new)"},
                    {"run_dir", (context.state_dir / "runs" / "(new).d").string()}};
    for (const auto& [name, value] : playbook.vars)
        known[name] = expand(value, known).value_or(value);
    nlohmann::json steps = nlohmann::json::array();
    Table table({"#", "STEP", "KIND", "NEEDS", "ON FAILURE", "GATE", "WHAT"});
    int number = 0;
    for (const auto& step : playbook.steps) {
        auto body = resolved_body(step, known);
        auto gate = step.gate ? step.gate->rules.filename().string() : "";
        steps.push_back({{"name", step.name},
                         {"kind", to_string(step.kind)},
                         {"needs", step.needs},
                         {"on_failure", to_string(step.on_failure)},
                         {"gate", step.gate ? nlohmann::json(step.gate->rules.string()) : nullptr},
                         {"settings", body}});
        table.add_row({std::to_string(++number), step.name, std::string(to_string(step.kind)),
                       fmt::format("{}", fmt::join(step.needs, ",")),
                       std::string(to_string(step.on_failure)), gate,
                       summary(step, body, options)});
    }
    nlohmann::json rollback = nlohmann::json::array();
    for (const auto& step : playbook.rollback)
        rollback.push_back({{"name", step.name},
                            {"kind", to_string(step.kind)},
                            {"undoes", string_or_null(step.undoes)},
                            {"settings", resolved_body(step, known)}});
    // What deploy would refuse before starting; the run's id and directory are not known yet.
    auto before_run = known;
    before_run.erase("run_id");
    before_run.erase("run_dir");
    auto problems = preflight_problems(
        context, playbook, {options.environment, options.strategy, std::move(before_run)});
    auto exit_code = problems.empty() ? ExitCode::ok : ExitCode::invalid_input;
    if (context.json) {
        print_json(*context.out, {{"playbook", playbook.name},
                                  {"file", playbook.source.string()},
                                  {"version", options.version},
                                  {"env", options.environment},
                                  {"steps", steps},
                                  {"rollback", rollback},
                                  {"problems", problems}});
        return exit_code;
    }
    *context.out << fmt::format("{} ({}) for {} in {}\n\n", playbook.name,
                                playbook.source.filename().string(), options.version,
                                options.environment);
    table.render(*context.out, context.color);
    if (!playbook.rollback.empty()) {
        *context.out << "\nrollback (after undoing flags, launch controls and traffic):\n";
        for (const auto& step : playbook.rollback)
            *context.out << fmt::format("  {} ({}){}\n", step.name, to_string(step.kind),
                                        step.undoes.empty() ? "" : " undoes " + step.undoes);
    }
    if (!problems.empty()) {
        *context.err << fmt::format(
            "\n{} problem{} deploy would refuse (exit 2) before anything "
            "ran:\n",
            problems.size(), problems.size() == 1 ? "" : "s");
        for (const auto& problem : problems) *context.err << "  " << problem << '\n';
    }
    return exit_code;
}

Result<ExitCode> run_runs(Context& context, const RunsOptions& options) {
    if (!options.run_id.empty()) {
        LAUNCHKIT_TRY_ASSIGN(auto journal, RunJournal::open(context, options.run_id));
        LAUNCHKIT_TRY_ASSIGN(auto state, journal.replay());
        auto json = to_json(state);
        if (context.json) {
            print_json(*context.out, json);
            return ExitCode::ok;
        }
        Table table({"STEP", "STATUS", "FINISHED", "DETAIL"});
        for (const auto& step : json["steps"])
            table.add_row(
                {step["step"], step["status"],
                 step["finished_at"].is_null() ? "" : step["finished_at"].get<std::string>(),
                 step["message"]});
        for (const auto& step : json["rollback"])
            table.add_row(
                {"rollback: " + step["step"].get<std::string>(), step["status"],
                 step["finished_at"].is_null() ? "" : step["finished_at"].get<std::string>(),
                 step["message"]});
        table.render(*context.out, context.color);
        *context.out << fmt::format("\nrun {}: {} {} to {}: {}\n", state.run_id,
                                    state.started.playbook, state.started.version,
                                    state.started.env, to_string(state.status));
        return ExitCode::ok;
    }
    nlohmann::json runs = nlohmann::json::array();
    Table table({"RUN", "PLAYBOOK", "VERSION", "ENV", "STATUS", "STARTED", "ACTOR"});
    LAUNCHKIT_TRY_ASSIGN(auto ids, list_run_ids(context));
    for (const auto& id : ids) {
        auto started = replay_if_started(context, id);
        if (!started) {
            // Listed past, never hidden: a damaged journal is news to whoever reads the list.
            *context.err << fmt::format("warning: run {} cannot be read: {}\n", id,
                                        util::printable(started.error().message));
            continue;
        }
        if (!*started) continue;  // killed before its first event: it did nothing
        auto& state = *started;
        if (!options.environment.empty() && state->started.env != options.environment) continue;
        auto json = to_json(*state);
        json.erase("steps");
        json.erase("rollback");
        table.add_row({id, json["playbook"], json["version"], json["env"], json["status"],
                       json["started_at"], json["actor"]});
        runs.push_back(std::move(json));
    }
    if (context.json)
        print_json(*context.out, runs);
    else if (runs.empty())
        *context.out << "no runs\n";
    else
        table.render(*context.out, context.color);
    return ExitCode::ok;
}

}  // namespace launchkit::playbook
