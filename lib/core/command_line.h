// The one place an executable's command line becomes a library call: global options, subcommand
// dispatch, --version, shell-completion candidates, and the mapping of errors to exit codes.
#pragma once

#include <functional>
#include <map>
#include <string>

#include <CLI/CLI.hpp>

#include "core/context.h"
#include "core/error.h"

namespace launchkit {

// What a subcommand does once its options are parsed; returns the exit code to end with.
using CommandAction = std::function<Result<ExitCode>(Context&)>;

class CommandLine {
  public:
    CommandLine(std::string tool_name, std::string description);

    CLI::App& app() { return app_; }
    const std::string& tool_name() const { return tool_name_; }

    // Adds a subcommand (or nested subcommand under `parent`) that runs `action` when selected.
    CLI::App* add_command(const std::string& name, const std::string& description,
                          CLI::App* parent = nullptr);
    void set_action(CLI::App* command, CommandAction action);

    // Parses argv, runs the selected action and returns the process exit code. Never throws.
    int run(int argc, const char* const* argv);

  private:
    int complete(const std::vector<std::string>& words);

    std::string tool_name_;
    CLI::App app_;
    GlobalOptions globals_;
    std::map<const CLI::App*, CommandAction> actions_;
};

}  // namespace launchkit
