// What every command receives: configuration, state directory, who is acting, where to print and
// read answers, what time it is and how to wait. Passed explicitly (no singletons) so tests can
// build one around a temp dir, string streams and a fake clock.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.h"
#include "util/time.h"

namespace launchkit {

// The options every executable accepts before or after its subcommand.
struct GlobalOptions {
    std::optional<std::filesystem::path> config_path;  // --config
    std::optional<std::filesystem::path> state_dir;    // --state-dir
    std::optional<std::string> store;                  // --store
    EtcdTlsFiles etcd_tls{};                           // --etcd-cacert, --etcd-cert, --etcd-key
    std::optional<std::string> actor;                  // --actor
    bool json = false;                                 // --json
    bool no_color = false;                             // --no-color
};

struct Context {
    Config config;
    std::filesystem::path state_dir;
    // Where shared state lives: empty for the embedded store under state_dir, or an etcd URL.
    std::string store;
    EtcdTlsFiles etcd_tls{};         // TLS files for an etcd store
    std::string actor;               // recorded in ledgers and audit logs
    std::string command;             // the command line as typed, for audit records
    bool json = false;               // machine-readable output on stdout
    bool color = false;              // ANSI colour in human output
    std::ostream* out = &std::cout;  // data
    std::ostream* err = &std::cerr;  // progress, warnings and questions
    std::istream* in = &std::cin;    // answers to questions
    // A person is there to answer (stdin and stderr are terminals); never true in CI or a pipe.
    bool interactive = false;
    std::function<util::TimePoint()> clock = [] { return std::chrono::system_clock::now(); };
    // Every wait of a run (gate intervals, wait steps, retries) goes through here, so a test with
    // a fake clock runs a whole canary in milliseconds.
    std::function<void(std::chrono::milliseconds)> sleep = default_sleep;

    util::TimePoint now() const { return clock(); }
    void sleep_for(std::chrono::milliseconds duration) const { sleep(duration); }
    // Asks a yes/no question on `err` and reads the answer from `in`. Only "y" or "yes" (any case)
    // is a yes; no one to ask (not interactive), an empty line or the end of input is a no.
    bool confirm(std::string_view question) const;

    static void default_sleep(std::chrono::milliseconds duration);
};

// Builds the context from the global options, the environment and the discovered configuration.
Result<Context> make_context(const GlobalOptions& options);

// --actor, else $LAUNCHKIT_ACTOR, else the login name, else "uid:<n>".
std::string resolve_actor(const std::optional<std::string>& flag);

}  // namespace launchkit
