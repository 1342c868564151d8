#include "playbook/preflight.h"

#include <algorithm>
#include <cstdlib>
#include <functional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "backup/restic_repository.h"
#include "decide/decision_rules.h"
#include "flags/flag_repository.h"
#include "flags/launch_control.h"
#include "notify/notification_target.h"
#include "probe/checklist_parser.h"
#include "probe/http_client.h"
#include "sign/release_verification.h"
#include "store/open_store.h"
#include "util/bounded_json.h"

namespace launchkit::playbook {
namespace {

// A value with what is known filled in; nullopt when it still needs a variable only the run
// defines (an earlier step's output).
std::optional<std::string> known_value(const std::string& text, const Variables& known) {
    auto expanded = expand(text, known);
    if (!expanded || expanded->find("${") != std::string::npos) return std::nullopt;
    return *expanded;
}

class Preflight {
  public:
    Preflight(const Context& context, const Playbook& playbook, const PreflightRequest& request)
        : context_(context), playbook_(playbook), request_(request) {}

    void check(const Step& step) {
        if (step.kind == StepKind::deploy) check_strategy(step);
        check_secrets(step, step.body);
        if (step.kind == StepKind::flag) check_flag(step);
        if (step.kind == StepKind::pause || step.kind == StepKind::resume)
            check_launch_control(step);
        if (step.kind == StepKind::checklist) check_checklist(step);
        if (step.kind == StepKind::probe) check_probe(step);
        if (step.kind == StepKind::verify) check_verify(step);
        if (step.kind == StepKind::backup) check_offsite(step);
        if (step.gate) check_gate(step, *step.gate);
    }

    void check_environment() {
        const auto& declared = context_.config.environments;
        if (declared.empty() || declared.contains(request_.environment)) return;
        std::vector<std::string> names;
        for (const auto& [name, unused] : declared) names.push_back(name);
        add("environment '{}' is not declared in {} (environments: {})", request_.environment,
            context_.config.source.string(), fmt::join(names, ", "));
    }

    // The secrets of the notifications this environment's runs send (launchkit.yaml).
    void check_notifications() {
        for (size_t i = 0; i < context_.config.notifications.size(); ++i) {
            const auto& target = context_.config.notifications[i];
            if (!notify::target_covers(target, request_.environment)) continue;
            for (auto [env, file] :
                 {std::pair{target.value("secret_env", ""), target.value("secret_file", "")},
                  std::pair{target.value("username_env", ""), std::string()}}) {
                if (env.empty() && file.empty()) continue;
                if (auto read = probe::read_token({env, file}); !read)
                    add("{}: notifications[{}] ({}): {}", context_.config.source.string(), i,
                        notify::describe_target(target), read.error().message);
            }
        }
    }

    std::vector<std::string> problems() && { return std::move(problems_); }

  private:
    template <typename... Args>
    void add(fmt::format_string<Args...> format, Args&&... args) {
        auto problem = fmt::format(format, std::forward<Args>(args)...);
        // A step that names one variable in several commands has one problem, said once.
        if (std::find(problems_.begin(), problems_.end(), problem) == problems_.end())
            problems_.push_back(std::move(problem));
    }

    void check_strategy(const Step& step) {
        auto strategy =
            request_.strategy.empty() ? step.body.value("strategy", "") : request_.strategy;
        auto needs = [&](std::initializer_list<const char*> keys) {
            for (const char* key : keys)
                if (!step.body.contains(key))
                    add("{}: step '{}' runs as {} but has no {}: the strategy cannot run",
                        step.where, step.name, strategy, key);
        };
        if (strategy == "canary") needs({"set_weight"});
        if (strategy == "rolling") needs({"run_batch"});
        if (strategy == "blue-green") needs({"deploy_green", "switch", "switch_back"});
    }

    // token_env and password_env anywhere in the step's settings: set and not empty now, since a
    // run that finds one missing half-way has already changed things.
    void check_secrets(const Step& step, const nlohmann::json& value) {
        if (value.is_array()) {
            for (const auto& item : value) check_secrets(step, item);
            return;
        }
        if (!value.is_object()) return;
        for (const auto& [key, item] : value.items()) {
            if ((key == "token_env" || key == "password_env" || key == "secret_env" ||
                 key == "username_env") &&
                item.is_string()) {
                auto variable = known_value(item.get<std::string>(), request_.known);
                if (!variable || variable->empty()) continue;
                const char* set = std::getenv(variable->c_str());
                if (set == nullptr || *set == '\0')
                    add("{}: step '{}' needs {} {}, which is not set", step.where, step.name, key,
                        *variable);
                continue;
            }
            if (key == "secret_file" && item.is_string()) {
                auto file = known_value(item.get<std::string>(), request_.known);
                if (!file || file->empty()) continue;
                if (auto read = probe::read_token({"", *file}); !read)
                    add("{}: step '{}': {}", step.where, step.name, read.error().message);
                continue;
            }
            check_secrets(step, item);
        }
    }

    // The store, opened once for every step that looks a name up; null when it cannot be opened.
    store::Store* store() {
        if (!store_ && !store_failed_) {
            auto opened = store::open_store(context_);
            if (!opened) {
                add("cannot open the state store to check flags and launch controls: {}",
                    opened.error().message);
                store_failed_ = true;
            } else {
                store_ = std::move(*opened);
            }
        }
        return store_.get();
    }

    // Once launch_controls: is declared, a step may name only a declared or already used control.
    void check_launch_control(const Step& step) {
        if (context_.config.launch_controls.empty()) return;
        auto name = known_value(step.body.value("control", ""), request_.known);
        if (!name || !store()) return;
        if (auto found =
                flags::find_launch_control(*store_, *name, context_.config.launch_controls);
            !found)
            add("{}: step '{}': {}", step.where, step.name, found.error().message);
    }

    void check_flag(const Step& step) {
        if (step.body.value("create", false)) return;
        auto name = known_value(step.body.value("name", ""), request_.known);
        if (!name || !store()) return;
        auto found = flags::find_flag(*store_, *name);
        if (!found)
            add("{}: step '{}': {}", step.where, step.name, found.error().message);
        else if (!*found)
            add("{}: step '{}' sets flag '{}', which does not exist (create it with "
                "`feature-flags create {}`, or give the step create: true)",
                step.where, step.name, *name, *name);
    }

    void check_checklist(const Step& step) {
        auto file = known_value(step.body.value("file", ""), request_.known);
        if (!file) return;
        if (auto parsed = probe::load_checklist(*file); !parsed)
            add("{}: step '{}': {}", step.where, step.name, parsed.error().message);
    }

    void check_probe(const Step& step) {
        if (!step.body.contains("checks")) return;
        // Checks whose settings use a run's outputs are parsed when the step runs.
        auto text = util::dump_json(step.body["checks"]);
        if (text.find("${") != std::string::npos) return;
        nlohmann::json checklist{{"checks", step.body["checks"]}};
        if (auto parsed = probe::parse_checklist(util::dump_json(checklist), step.where); !parsed)
            add("{}: step '{}': {}", step.where, step.name, parsed.error().message);
    }

    // The keys a verify step trusts: the artifacts may come from an earlier step, the keys not.
    void check_verify(const Step& step) {
        auto key = known_value(step.body.value("public_key", ""), request_.known);
        if (!key) return;
        std::vector<std::filesystem::path> keys;
        if (!key->empty())
            keys.push_back(path_beside_playbook(playbook_, *key));
        else
            keys = context_.config.signing_public_keys;
        if (keys.empty())
            add("{}: step '{}' has no public key: give it public_key: FILE or set "
                "signing.public_keys in {}",
                step.where, step.name,
                context_.config.source.empty() ? std::string("launchkit.yaml")
                                               : context_.config.source.string());
        for (const auto& path : keys)
            if (auto read = sign::read_public_key_file(path, "public key"); !read)
                add("{}: step '{}': {}", step.where, step.name, read.error().message);
    }

    // A backup step copies off-site when launchkit.yaml names a repository: its password has
    // a source. (Whether the repository answers is the copy's business; a failed copy leaves
    // the backup here and the run goes on.)
    void check_offsite(const Step& step) {
        if (auto offsite = backup::ResticRepository::configured(context_, ""); !offsite)
            add("{}: step '{}': {}", step.where, step.name, offsite.error().message);
    }

    void check_gate(const Step& step, const GateSpec& gate) {
        auto rules = decide::read_decision_rules(gate.rules);
        if (!rules) {
            add("{}: step '{}' gate: {}", step.where, step.name, rules.error().message);
            return;
        }
        for (const auto& [name, source] : rules->metrics.sources) {
            if (auto token = probe::read_token({source.token_env, source.token_file}); !token)
                add("{}: step '{}' gate: {} source '{}': {}", step.where, step.name,
                    gate.rules.filename().string(), name, token.error().message);
        }
    }

    const Context& context_;
    const Playbook& playbook_;
    const PreflightRequest& request_;
    std::unique_ptr<store::Store> store_;
    bool store_failed_ = false;
    std::vector<std::string> problems_;
};

}  // namespace

std::vector<std::string> preflight_problems(const Context& context, const Playbook& playbook,
                                            const PreflightRequest& request) {
    Preflight preflight(context, playbook, request);
    preflight.check_environment();
    preflight.check_notifications();
    for (const auto& step : playbook.steps) preflight.check(step);
    for (const auto& step : playbook.rollback) preflight.check(step);
    return std::move(preflight).problems();
}

Result<void> check_before_run(const Context& context, const Playbook& playbook,
                              const PreflightRequest& request) {
    auto problems = preflight_problems(context, playbook, request);
    if (problems.empty()) return {};
    if (problems.size() == 1) return fail(ExitCode::invalid_input, "{}", problems.front());
    return fail(ExitCode::invalid_input, "{} problems before anything ran: {}", problems.size(),
                fmt::join(problems, "; "));
}

}  // namespace launchkit::playbook
