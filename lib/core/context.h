// What every command receives: configuration, state directory, who is acting, how to print and what
// time it is. Passed explicitly (no singletons) so tests can build one around a temp dir and a
// buffer.
#pragma once

#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <string>

#include "core/config.h"
#include "util/time.h"

namespace launchkit {

// The options every executable accepts before or after its subcommand.
struct GlobalOptions {
    std::optional<std::filesystem::path> config_path;  // --config
    std::optional<std::filesystem::path> state_dir;    // --state-dir
    std::optional<std::string> actor;                  // --actor
    bool json = false;                                 // --json
    bool no_color = false;                             // --no-color
};

struct Context {
    Config config;
    std::filesystem::path state_dir;
    std::string actor;               // recorded in ledgers and audit logs
    std::string command;             // the command line as typed, for audit records
    bool json = false;               // machine-readable output on stdout
    bool color = false;              // ANSI colour in human output
    std::ostream* out = &std::cout;  // data
    std::ostream* err = &std::cerr;  // progress and warnings
    std::function<util::TimePoint()> clock = [] { return std::chrono::system_clock::now(); };

    util::TimePoint now() const { return clock(); }
};

// Builds the context from the global options, the environment and the discovered configuration.
Result<Context> make_context(const GlobalOptions& options);

// --actor, else $LAUNCHKIT_ACTOR, else the login name, else "uid:<n>".
std::string resolve_actor(const std::optional<std::string>& flag);

}  // namespace launchkit
