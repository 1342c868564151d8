// `feature-flags serve`: an HTTP server (libmicrohttpd, serve/http_server.h) over the state store
// that lets applications read the flags and launch controls operators change: OpenFeature's OFREP,
// the runbooks' /api/feature-flags routes and health checks. Requests answer from an in-memory
// snapshot that a watcher replaces after every commit, made here or by any other process or host.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>

#include "base/error.h"
#include "base/exit_code.h"
#include "core/context.h"

namespace launchkit::serve {

struct FlagServerOptions {
    std::string listen = "127.0.0.1:8016";  // HOST:PORT; port 0 picks a free one
    std::string environment;                // empty: the configuration's default environment
    std::filesystem::path port_file;        // written with the bound port once serving
    std::size_t max_body_bytes = 64 * 1024;
    // `NAME TOKEN` lines (see access_tokens.h); with $LAUNCHKIT_SERVE_TOKEN, who may write.
    std::filesystem::path tokens_file;
    std::string read_access = "open";  // "open", or "token": reads need a token too
    // Event threads, each serving many connections; 0: one per core.
    std::size_t threads = 0;
    // How long a commit may take to be served: the embedded store is looked at this often
    // (etcd is watched).
    std::chrono::milliseconds refresh_poll{100};
};

// Serves until SIGTERM or SIGINT, then stops accepting, finishes the requests in flight and
// returns ok. Exit 2 for a bad --listen or environment, 3 when the store does not answer at
// start or the address cannot be bound.
Result<ExitCode> run_flag_server(Context& context, const FlagServerOptions& options);

}  // namespace launchkit::serve
