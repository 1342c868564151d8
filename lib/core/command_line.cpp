#include "core/command_line.h"

#include <algorithm>
#include <csignal>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/manual_page.h"
#include "launchkit_version.h"
#include "util/bounded_json.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace launchkit {
namespace {

constexpr const char* exit_code_help =
    "Exit codes: 0 ok; 1 a check, gate or decision said no; 2 usage or invalid input;\n"
    "            3 environment or runtime failure (I/O error, missing tool, unreachable server,\n"
    "              a deploy stopped by SIGINT, SIGTERM or SIGHUP).";

// The deepest subcommand the user selected.
const CLI::App* selected_command(const CLI::App& app) {
    const CLI::App* current = &app;
    while (true) {
        auto chosen = current->get_subcommands();
        if (chosen.empty()) return current;
        current = chosen.front();
    }
}

// Every subcommand name in the tree, for "did you mean" on a mistyped one.
void collect_command_names(const CLI::App& app, std::vector<std::string>& names) {
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        names.push_back(sub->get_name());
        collect_command_names(*sub, names);
    }
}

// The command as a person would retype it, for audit records: arguments with spaces or quotes
// are single-quoted.
std::string describe_command_line(const std::string& tool_name, int argc, const char* const* argv) {
    std::string text = tool_name;
    for (int i = 1; i < argc; ++i) {
        std::string_view word = argv[i];
        text += ' ';
        bool plain = !word.empty() &&
                     word.find_first_of(" \t\n'\"\\$`;&|<>()*?!#~") == std::string_view::npos;
        if (plain) {
            text += word;
            continue;
        }
        text += '\'';
        for (char c : word) text += c == '\'' ? std::string("'\\''") : std::string(1, c);
        text += '\'';
    }
    return text;
}

}  // namespace

CommandLine::CommandLine(std::string tool_name, std::string description)
    : tool_name_(std::move(tool_name)), app_(std::move(description), tool_name_) {
    app_.set_version_flag("--version",
                          fmt::format("{} (launchkit) {}", tool_name_, LAUNCHKIT_VERSION));
    app_.footer(exit_code_help);
    // Global options are accepted after the subcommand too: `release-manager next --json`.
    app_.fallthrough();
    app_.add_option("--config", globals_.config_path,
                    "Configuration file (default: $LAUNCHKIT_CONFIG, then ./launchkit.yaml)");
    app_.add_option("--state-dir", globals_.state_dir,
                    "State directory (default: $LAUNCHKIT_STATE_DIR, then the config's state_dir, "
                    "then $XDG_STATE_HOME/launchkit)");
    app_.add_option("--store", globals_.store,
                    "Shared state for a fleet: etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: "
                    "$LAUNCHKIT_STORE, then the config's store:, then the state directory)");
    app_.add_option("--etcd-cacert", globals_.etcd_tls.cacert,
                    "CA certificate of an etcd store's members (PEM; default: the config's "
                    "etcd.cacert)");
    app_.add_option("--etcd-cert", globals_.etcd_tls.cert,
                    "Client certificate for an etcd store that asks for one (PEM)");
    app_.add_option("--etcd-key", globals_.etcd_tls.key, "The client certificate's key (PEM)");
    app_.add_option("--actor", globals_.actor,
                    "Who is acting, for ledgers and audit logs (default: $LAUNCHKIT_ACTOR, then "
                    "the login name)");
    app_.add_flag("--json", globals_.json, "Print machine-readable JSON on stdout");
    app_.add_flag("--no-color", globals_.no_color, "Never colour output (also: $NO_COLOR)");
}

std::string CommandLine::common_footer() const {
    return fmt::format(
        "Global options (--json, --state-dir, --store, --config, --actor, --no-color) work here "
        "too; see "
        "'{} --help'.\n{}",
        tool_name_, exit_code_help);
}

CLI::App* CommandLine::add_command(const std::string& name, const std::string& description,
                                   CLI::App* parent) {
    auto* command = (parent ? parent : &app_)->add_subcommand(name, description);
    command->footer(common_footer());
    return command;
}

void CommandLine::set_example(CLI::App* command, const std::string& example) {
    auto text = example + (example.ends_with('\n') ? "\n" : "\n\n");
    command->footer(text + (command == &app_ ? std::string(exit_code_help) : common_footer()));
}

void CommandLine::set_example(const std::string& path, const std::string& example) {
    path_examples_.emplace_back(path, example);
}

void CommandLine::apply_example(const std::string& path, const std::string& example,
                                bool all_built) {
    CLI::App* command = &app_;
    std::istringstream words(path);
    for (std::string word; words >> word;) {
        CLI::App* next = nullptr;
        for (auto* sub : command->get_subcommands([](CLI::App*) { return true; }))
            if (sub->get_name() == word) next = sub;
        if (!next && !all_built && command == &app_) return;  // not needed this time
        if (!next)
            throw std::logic_error(
                fmt::format("{}: no command '{}' for an example", tool_name_, path));
        command = next;
    }
    set_example(command, example);
}

void CommandLine::set_action(CLI::App* command, CommandAction action) {
    actions_[command] = std::move(action);
}

void CommandLine::add_commands(std::vector<std::string> names, CommandRegistrar registrar) {
    pending_commands_.push_back({std::move(names), registrar});
}

void CommandLine::build_commands(int argc, const char* const* argv) {
    // The top-level command argv names, skipping the global options before it; nothing when an
    // option comes first that needs the whole tree (--help, a tool's own global option).
    std::optional<std::string_view> wanted;
    bool only_version = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view word = argv[i];
        if (!word.starts_with('-')) {
            wanted = word;
            break;
        }
        if (word == "--config" || word == "--state-dir" || word == "--store" || word == "--actor" ||
            word == "--etcd-cacert" || word == "--etcd-cert" || word == "--etcd-key") {
            ++i;
            continue;
        }
        if (word.starts_with("--config=") || word.starts_with("--state-dir=") ||
            word.starts_with("--store=") || word.starts_with("--actor=") ||
            word.starts_with("--etcd-") || word == "--json" || word == "--no-color")
            continue;
        only_version = word == "--version";  // answered before any command is looked at
        break;
    }
    auto lists_wanted = [&](const PendingCommands& pending) {
        return wanted && std::find(pending.names.begin(), pending.names.end(), *wanted) !=
                             pending.names.end();
    };
    // Everything, unless argv names one registered command (or only asks for the version).
    bool all = !only_version &&
               !(wanted && !wanted->starts_with("__") &&
                 std::any_of(pending_commands_.begin(), pending_commands_.end(), lists_wanted));
    for (const auto& pending : pending_commands_) {
        if (!all && !lists_wanted(pending)) continue;
        pending.registrar(*this);
        // A name listed but not registered would make that command unreachable: caught by the
        // tests that run every --help.
        auto registered = app_.get_subcommands([](const CLI::App*) { return true; });
        for (const auto& name : pending.names)
            if (std::none_of(registered.begin(), registered.end(),
                             [&](const CLI::App* sub) { return sub->get_name() == name; }))
                throw std::logic_error(
                    fmt::format("{}: '{}' is listed but was not registered", tool_name_, name));
    }
    pending_commands_.clear();
    for (const auto& [path, example] : path_examples_) apply_example(path, example, all);
}

int CommandLine::run(int argc, const char* const* argv) {
    // A closed stdout pipe (`release-manager history | head`) should end quietly, not kill us
    // mid-write of state; children get SIGPIPE back at spawn.
    std::signal(SIGPIPE, SIG_IGN);
    build_commands(argc, argv);
    // Hidden `__complete WORDS... CURRENT`: the shell completions in completions/ ask the real
    // command tree (command_completion.cpp), so completions cannot drift from the CLI.
    if (argc > 1 && std::string_view(argv[1]) == "__complete")
        return complete(std::vector<std::string>(argv + 2, argv + argc));
    // Hidden `__man DATE [FILE]`: the man page, written at build time from this command tree.
    if (argc > 1 && std::string_view(argv[1]) == "__man") {
        auto page = manual_page(app_, LAUNCHKIT_VERSION, argc > 2 ? argv[2] : "");
        if (argc <= 3) {
            std::cout << page;
            return 0;
        }
        auto written = util::write_file_atomically(argv[3], page);
        if (!written) return report_error(written.error().code, written.error().message, false);
        return 0;
    }
    try {
        app_.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::cout << app_.help();
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        std::cout << app_.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::CallForVersion&) {
        std::cout << app_.version() << '\n';
        return 0;
    } catch (const CLI::ParseError& error) {
        // --help after a subcommand arrives here too, with a success code.
        if (error.get_exit_code() == 0) return app_.exit(error, std::cout, std::cerr);
        std::string message = error.what();
        std::vector<std::string> names;
        collect_command_names(app_, names);
        for (int i = 1; i < argc; ++i) {
            std::string_view word = argv[i];
            if (word.starts_with("-")) continue;
            if (std::find(names.begin(), names.end(), word) != names.end()) continue;
            if (auto suggestion = util::closest_match(word, names)) {
                message += " (did you mean '" + *suggestion + "'?)";
                break;
            }
        }
        bool json = std::any_of(argv + 1, argv + argc, [](const char* word) {
            return std::string_view(word) == "--json";
        });
        report_error(ExitCode::invalid_input, message, json);
        std::cerr << "Run '" << tool_name_ << " --help' for more information.\n";
        return to_int(ExitCode::invalid_input);
    }

    const CLI::App* command = selected_command(app_);
    auto action = actions_.find(command);
    if (action == actions_.end() && command == &app_ && !default_command_.empty()) {
        // Only global options were given: the default command, if the configuration asks for it.
        if (auto context = make_context(globals_); context && default_applies_(*context))
            for (const auto* sub : app_.get_subcommands({}))
                if (sub->get_name() == default_command_) action = actions_.find(sub);
    }
    if (action == actions_.end()) {
        std::cerr << command->help();
        std::cerr << tool_name_ << ": error: a subcommand is required\n";
        return to_int(ExitCode::invalid_input);
    }

    try {
        auto context = make_context(globals_);
        if (!context)
            return report_error(context.error().code, context.error().message, globals_.json);
        context->command = describe_command_line(tool_name_, argc, argv);
        auto outcome = action->second(*context);
        if (!outcome)
            return report_error(outcome.error().code, outcome.error().message, globals_.json);
        std::cout.flush();
        return to_int(*outcome);
    } catch (const std::exception& error) {
        return report_error(ExitCode::environment, error.what(), globals_.json);
    }
}

int CommandLine::report_error(ExitCode code, std::string_view message, bool json) const {
    auto text = util::printable(util::trim(message));
    std::cerr << tool_name_ << ": error: " << text << '\n' << std::flush;
    if (json)
        std::cout << util::dump_json(
                         nlohmann::json{{"error", {{"code", to_int(code)}, {"message", text}}}})
                  << '\n'
                  << std::flush;
    return to_int(code);
}

void CommandLine::set_default_command(std::string name,
                                      std::function<bool(const Context&)> applies) {
    default_command_ = std::move(name);
    default_applies_ = std::move(applies);
}

}  // namespace launchkit
