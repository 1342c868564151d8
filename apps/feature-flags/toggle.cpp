#include <memory>

#include "commands.h"

namespace feature_flags {
namespace {

struct RunbookToggle {
    std::string enable;
    std::string disable;
    launchkit::flags::FlagTarget target;
};

}  // namespace

void add_toggle_commands(launchkit::CommandLine& cli) {
    for (bool enable : {true, false}) {
        auto target = std::make_shared<launchkit::flags::FlagTarget>();
        auto* command = cli.add_command(
            enable ? "enable" : "disable",
            enable ? "Turn a flag on in an environment" : "Turn a flag off in an environment");
        add_target_options(command, *target, true);
        cli.set_action(command, [target, enable](launchkit::Context& context) {
            return launchkit::flags::run_toggle(context, *target, enable);
        });
    }
}

void add_runbook_toggle_options(launchkit::CommandLine& cli) {
    // The runbooks' spelling: `feature-flags --enable NAME` / `--disable NAME`.
    auto runbook = std::make_shared<RunbookToggle>();
    auto& app = cli.app();
    auto* enable = app.add_option("--enable", runbook->enable, "Same as 'enable NAME'");
    auto* disable = app.add_option("--disable", runbook->disable, "Same as 'disable NAME'");
    enable->excludes(disable);
    app.add_option("--env", runbook->target.environment, "Environment for --enable/--disable");
    app.add_option("--reason", runbook->target.reason, "Why, for --enable/--disable");
    cli.set_action(
        &app, [runbook](launchkit::Context& context) -> launchkit::Result<launchkit::ExitCode> {
            if (runbook->enable.empty() && runbook->disable.empty())
                return launchkit::fail(
                    launchkit::ExitCode::invalid_input,
                    "a subcommand is required (or --enable NAME / --disable NAME); "
                    "see 'feature-flags --help'");
            auto target = runbook->target;
            bool enable = !runbook->enable.empty();
            target.name = enable ? runbook->enable : runbook->disable;
            return launchkit::flags::run_toggle(context, target, enable);
        });
}

}  // namespace feature_flags
