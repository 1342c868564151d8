#include "flags/flag_commands.h"

#include <charconv>
#include <cstdlib>

#include "core/output.h"
#include "flags/flag_repository.h"
#include "flags/flag_view.h"
#include "flags/names.h"
#include "store/open_store.h"
#include "util/time.h"

namespace launchkit::flags {
namespace {

Result<void> validate_expiry(const std::string& expires) {
    if (expires.empty() || util::parse_date(expires)) return {};
    return fail(ExitCode::invalid_input,
                "invalid --expires '{}' (expected a calendar date YYYY-MM-DD from year {} to {}, "
                "e.g. 2027-03-31)",
                expires, util::min_year, util::max_year);
}

// "25" sets the rollout; "+10" and "-5" move it, clamped to 0..100 so ramps can overshoot.
Result<int> apply_rollout(std::string_view text, int current) {
    auto invalid = [&] {
        return fail(ExitCode::invalid_input,
                    "invalid --rollout '{}' (expected a percentage 0-100, or +N / -N to move it)",
                    text);
    };
    bool relative = !text.empty() && (text.front() == '+' || text.front() == '-');
    std::string_view digits = relative ? text.substr(1) : text;
    int number = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size())
        return invalid();
    if (!relative) {
        if (number > 100) return invalid();
        return number;
    }
    int moved =
        text.front() == '+' ? current + std::min(number, 100) : current - std::min(number, 100);
    return std::clamp(moved, 0, 100);
}

}  // namespace

Result<std::string> resolve_environment(const Context& context, const std::string& option) {
    std::string environment = option;
    if (environment.empty()) {
        if (const char* from_env = std::getenv("LAUNCHKIT_ENV"); from_env && *from_env)
            environment = from_env;
        else if (!context.config.flags.environment.empty())
            environment = context.config.flags.environment;
        else
            environment = "production";
    }
    LAUNCHKIT_TRY(validate_name(environment, "environment"));
    return environment;
}

Result<ExitCode> run_create(Context& context, const CreateFlagOptions& options) {
    LAUNCHKIT_TRY(validate_name(options.name, "flag name"));
    LAUNCHKIT_TRY(validate_expiry(options.expires));
    if (!options.group_id.empty()) LAUNCHKIT_TRY(validate_group_id(options.group_id));
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    Flag flag;
    flag.name = options.name;
    flag.description = options.description;
    flag.owner = options.owner;
    flag.expires = options.expires;
    flag.group_id = options.group_id;
    LAUNCHKIT_TRY_ASSIGN(flag,
                         create_flag(*store, flag, store::change_note(context, options.reason)));
    if (context.json) {
        print_json(*context.out, to_json(flag));
    } else {
        *context.out << fmt::format("created flag '{}' (off in every environment{})\n", flag.name,
                                    flag.expires.empty() ? "" : ", expires " + flag.expires);
    }
    return ExitCode::ok;
}

Result<ExitCode> run_toggle(Context& context, const FlagTarget& target, bool enable) {
    LAUNCHKIT_TRY_ASSIGN(auto environment, resolve_environment(context, target.environment));
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    auto note = store::change_note(context, target.reason);
    LAUNCHKIT_TRY_ASSIGN(auto change, modify_flag(
                                          *store, target.name,
                                          [&](Flag& flag) -> Result<void> {
                                              return set_environment_state(
                                                  flag, environment, enable,
                                                  flag.in(environment).rollout, note);
                                          },
                                          note));
    if (context.json) {
        auto view = flag_view(change.after, environment);
        view["changed"] = change.changed;
        print_json(*context.out, view);
        return ExitCode::ok;
    }
    auto before = describe_state(change.before.in(environment));
    auto after = describe_state(change.after.in(environment));
    if (change.changed) {
        *context.out << fmt::format(
            "{}: {} → {} in {}\n", target.name, before,
            colorize(after, enable ? Color::green : Color::red, context.color), environment);
    } else {
        *context.out << fmt::format("{} is already {} in {} (nothing changed)\n", target.name,
                                    after, environment);
    }
    return ExitCode::ok;
}

Result<ExitCode> run_set(Context& context, const SetFlagOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto environment,
                         resolve_environment(context, options.target.environment));
    if (options.expires && *options.expires != "never")
        LAUNCHKIT_TRY(validate_expiry(*options.expires));
    if (options.group_id && !options.group_id->empty())
        LAUNCHKIT_TRY(validate_group_id(*options.group_id));
    if (options.rollout) LAUNCHKIT_TRY(apply_rollout(*options.rollout, 0));
    if (!options.rollout && !options.description && !options.owner && !options.expires &&
        !options.group_id)
        return fail(ExitCode::invalid_input,
                    "nothing to set (give --rollout, --description, --owner, --expires or "
                    "--group-id)");

    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    auto note = store::change_note(context, options.target.reason);
    auto edit = [&](Flag& flag) -> Result<void> {
        if (options.rollout) {
            auto state = flag.in(environment);
            LAUNCHKIT_TRY_ASSIGN(int rollout, apply_rollout(*options.rollout, state.rollout));
            LAUNCHKIT_TRY(set_environment_state(flag, environment, state.enabled, rollout, note));
        }
        if (options.description) flag.description = *options.description;
        if (options.owner) flag.owner = *options.owner;
        if (options.expires) flag.expires = *options.expires == "never" ? "" : *options.expires;
        if (options.group_id) flag.group_id = *options.group_id;
        return {};
    };
    LAUNCHKIT_TRY_ASSIGN(auto change, modify_flag(*store, options.target.name, edit, note));
    if (context.json) {
        auto view = flag_view(change.after, environment);
        view["changed"] = change.changed;
        print_json(*context.out, view);
        return ExitCode::ok;
    }
    if (!change.changed) {
        *context.out << fmt::format("{}: nothing changed\n", options.target.name);
        return ExitCode::ok;
    }
    auto changes = describe_flag_change(to_json(change.before), to_json(change.after));
    for (const auto& line : changes) *context.out << options.target.name << ": " << line << '\n';
    if (options.rollout && !change.after.in(environment).enabled)
        *context.err << fmt::format(
            "note: {} is off in {}; eval answers off for everyone until it is enabled\n",
            options.target.name, environment);
    return ExitCode::ok;
}

Result<ExitCode> run_get(Context& context, const FlagTarget& target) {
    LAUNCHKIT_TRY_ASSIGN(auto environment, resolve_environment(context, target.environment));
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(Flag flag, require_flag(*store, target.name));
    auto state = flag.in(environment);
    if (context.json) {
        print_json(*context.out, flag_view(flag, environment));
    } else {
        *context.out << fmt::format(
            "{} is {} in {}\n", flag.name,
            colorize(describe_state(state), state.serves_anyone() ? Color::green : Color::red,
                     context.color),
            environment);
    }
    return state.serves_anyone() ? ExitCode::ok : ExitCode::said_no;
}

Result<ExitCode> run_list(Context& context, const ListFlagsOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto environment, resolve_environment(context, options.environment));
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(auto flags, list_flags(*store));
    if (context.json) {
        nlohmann::json views = nlohmann::json::array();
        for (const auto& flag : flags) views.push_back(flag_view(flag, environment));
        print_json(*context.out, {{"environment", environment}, {"flags", std::move(views)}});
        return ExitCode::ok;
    }
    if (flags.empty()) {
        *context.out << "no flags yet (create one with 'feature-flags create NAME')\n";
        return ExitCode::ok;
    }
    Table table({"NAME", "STATE", "ROLLOUT", "OWNER", "EXPIRES", "UPDATED", "BY", "DESCRIPTION"});
    for (const auto& flag : flags) {
        auto state = flag.in(environment);
        table.add_row({flag.name,
                       colorize(state.serves_anyone() ? "on" : "off",
                                state.serves_anyone() ? Color::green : Color::red, context.color),
                       describe_rollout(state), flag.owner, flag.expires,
                       state.updated_at, state.updated_by, flag.description});
    }
    *context.out << "environment: " << environment << '\n';
    table.render(*context.out, context.color);
    return ExitCode::ok;
}

Result<ExitCode> run_delete(Context& context, const FlagTarget& target) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(
        Flag deleted, delete_flag(*store, target.name, store::change_note(context, target.reason)));
    if (context.json) {
        print_json(*context.out, to_json(deleted));
    } else {
        *context.out << fmt::format("deleted flag '{}' (its history stays in the audit log)\n",
                                    deleted.name);
    }
    return ExitCode::ok;
}

}  // namespace launchkit::flags
