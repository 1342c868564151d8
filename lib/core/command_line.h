// The one place an executable's command line becomes a library call: global options, subcommand
// dispatch, --version, shell-completion candidates, and the mapping of errors to exit codes.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>

#include <CLI/CLI.hpp>

#include "base/error.h"
#include "core/context.h"

namespace launchkit {

// What a subcommand does once its options are parsed; returns the exit code to end with.
using CommandAction = std::function<Result<ExitCode>(Context&)>;

// The values a shell may complete for an option or positional (flag names, backup ids, ...),
// read from the state the command would use. Failures mean "no candidates", never an error.
using CompletionSource = std::function<std::vector<std::string>(const Context&)>;

class CommandLine;

// Adds one or more top-level subcommands (with everything below them) to a command line.
using CommandRegistrar = void (*)(CommandLine&);

class CommandLine {
  public:
    CommandLine(std::string tool_name, std::string description);

    CLI::App& app() { return app_; }
    const std::string& tool_name() const { return tool_name_; }

    // Adds a subcommand (or nested subcommand under `parent`) that runs `action` when selected.
    CLI::App* add_command(const std::string& name, const std::string& description,
                          CLI::App* parent = nullptr);
    void set_action(CLI::App* command, CommandAction action);

    // Registers the top-level commands `names` through `registrar` when they are needed: only the
    // one argv selects, or all of them for help, completion, man pages and mistyped commands.
    // Building every command's options took a third of release-manager's start-up.
    void add_commands(std::vector<std::string> names, CommandRegistrar registrar);

    // The example `--help` shows above the global options (the runbooks' commands). A
    // `path` is the subcommand as typed after the tool ("backup restore"); an unknown path is a
    // programming error (std::logic_error), caught by the tests that run every --help. Examples
    // of commands not built for this invocation are skipped.
    void set_example(CLI::App* command, const std::string& example);
    void set_example(const std::string& path, const std::string& example);

    // Completion of an option's (or positional's) value: candidates from `source`, or file names.
    void complete_with(CLI::Option* option, CompletionSource source);
    void complete_values(CLI::Option* option, std::vector<std::string> values);
    void complete_files(CLI::Option* option);
    // The same for every option or positional of that name ("--playbook", "id") in the tree,
    // except under the commands named in `except` (`create` of a new flag offers no names).
    void complete_named(const std::string& name, CompletionSource source,
                        std::set<std::string> except = {});
    void complete_values_named(const std::string& name, std::vector<std::string> values);
    void complete_files_named(const std::set<std::string>& names);
    // The tool without a subcommand runs `name` when `applies` says so for the context (bare
    // `diagnose` runs the configured checklist); otherwise it asks for a subcommand.
    void set_default_command(std::string name, std::function<bool(const Context&)> applies);

    // Parses argv, runs the selected action and returns the process exit code. Never throws.
    int run(int argc, const char* const* argv);

  private:
    // `TOOL: error: MESSAGE` on stderr, made printable (control characters escaped, cut when
    // huge); under --json also {"error": {"code", "message"}} on stdout, for scripts that read
    // only stdout. Returns the exit code.
    int report_error(ExitCode code, std::string_view message, bool json) const;
    // Runs the registrars this invocation needs, then applies the examples set by path.
    void build_commands(int argc, const char* const* argv);
    void apply_example(const std::string& path, const std::string& example, bool all_built);
    int complete(const std::vector<std::string>& words);
    std::string common_footer() const;

    std::string tool_name_;
    CLI::App app_;
    GlobalOptions globals_;
    std::map<const CLI::App*, CommandAction> actions_;
    std::string default_command_;
    std::function<bool(const Context&)> default_applies_;
    std::map<const CLI::Option*, CompletionSource> completions_;
    std::set<const CLI::Option*> file_options_;
    struct NamedCompletion {
        CompletionSource source;
        std::set<std::string> except;
    };
    std::map<std::string, NamedCompletion> named_completions_;
    std::set<std::string> file_option_names_;
    struct PendingCommands {
        std::vector<std::string> names;
        CommandRegistrar registrar;
    };
    std::vector<PendingCommands> pending_commands_;
    std::vector<std::pair<std::string, std::string>> path_examples_;
};

}  // namespace launchkit
