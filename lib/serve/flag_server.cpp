#include "serve/flag_server.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "flags/flag_commands.h"
#include "notify/control_announcements.h"
#include "notify/notification_target.h"
#include "serve/http_server.h"
#include "serve/server_state.h"
#include "store/open_store.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace launchkit::serve {

namespace {

using namespace std::chrono_literals;

struct ListenAddress {
    std::string host;
    int port = 0;
};

Result<ListenAddress> parse_listen(std::string_view text) {
    auto colon = text.rfind(':');
    auto bad = [&] {
        return fail(ExitCode::invalid_input,
                    "--listen: '{}' is not HOST:PORT (e.g. 127.0.0.1:8016, [::1]:8016)", text);
    };
    if (colon == std::string_view::npos || colon == 0) return bad();
    ListenAddress address;
    address.host = std::string(text.substr(0, colon));
    if (address.host.front() == '[' && address.host.back() == ']')
        address.host = address.host.substr(1, address.host.size() - 2);
    auto port_text = text.substr(colon + 1);
    if (port_text.empty() || port_text.size() > 5 ||
        port_text.find_first_not_of("0123456789") != std::string_view::npos)
        return bad();
    address.port = std::stoi(std::string(port_text));
    if (address.port > 65535) return bad();
    return address;
}

// Replaces the snapshot after every commit until `stopping`; a store that stops answering marks
// the server not ready (it keeps serving the last snapshot it read).
void refresh_snapshots(store::Store& store, SnapshotHolder& holder, const std::string& environment,
                       const flags::DeclaredControls& declared, std::chrono::milliseconds poll,
                       const std::atomic<bool>& stopping) {
    while (!stopping) {
        auto seen = holder.current()->revision;
        auto changed = store.wait_for_commit(seen, 500ms, poll);
        if (stopping) break;
        if (!changed) {
            holder.set_problem(changed.error().message);
            std::this_thread::sleep_for(poll);
            continue;
        }
        if (!*changed && holder.problem().empty()) continue;
        auto snapshot = load_flag_snapshot(store, environment, declared);
        if (snapshot)
            holder.replace(std::move(*snapshot));
        else
            holder.set_problem(snapshot.error().message);
    }
}

// The tokens of --tokens-file and of $LAUNCHKIT_SERVE_TOKEN (named by
// $LAUNCHKIT_SERVE_TOKEN_NAME, else "token"): the ways a secret reaches the server without argv.
Result<std::vector<AccessToken>> load_tokens(const FlagServerOptions& options) {
    std::vector<AccessToken> tokens;
    if (!options.tokens_file.empty()) {
        LAUNCHKIT_TRY_ASSIGN(tokens, read_access_tokens(options.tokens_file));
    }
    if (const char* secret = std::getenv("LAUNCHKIT_SERVE_TOKEN"); secret && *secret) {
        const char* name = std::getenv("LAUNCHKIT_SERVE_TOKEN_NAME");
        AccessToken token{name && *name ? name : "token", secret};
        if (token.secret.size() < 16)
            return fail(ExitCode::invalid_input,
                        "LAUNCHKIT_SERVE_TOKEN has {} characters; at least 16 are required",
                        token.secret.size());
        for (const auto& other : tokens)
            if (other.name == token.name)
                return fail(ExitCode::invalid_input,
                            "LAUNCHKIT_SERVE_TOKEN_NAME '{}' is also a name in --tokens-file {}",
                            token.name, options.tokens_file.string());
        tokens.push_back(std::move(token));
    }
    if (options.read_access != "open" && options.read_access != "token")
        return fail(ExitCode::invalid_input, "--read-access: expected open or token, got '{}'",
                    options.read_access);
    if (options.read_access == "token" && tokens.empty())
        return fail(
            ExitCode::invalid_input,
            "--read-access token needs tokens: give --tokens-file or LAUNCHKIT_SERVE_TOKEN");
    return tokens;
}

}  // namespace

Result<ExitCode> run_flag_server(Context& context, const FlagServerOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto address, parse_listen(options.listen));
    LAUNCHKIT_TRY_ASSIGN(auto environment,
                         flags::resolve_environment(context, options.environment));
    LAUNCHKIT_TRY_ASSIGN(auto tokens, load_tokens(options));
    // Two connections to the store: the watcher's waits never hold up a write.
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(auto write_store, store::open_store(context));
    const auto& declared = context.config.launch_controls;
    LAUNCHKIT_TRY_ASSIGN(auto first, load_flag_snapshot(*store, environment, declared));
    ServerState state{.snapshots = SnapshotHolder(std::move(first))};
    state.tokens = std::move(tokens);
    state.reads_need_token = options.read_access == "token";
    state.environment = environment;
    state.declared = declared;
    state.write_store = std::move(write_store);
    state.announce_control = [&context](bool paused, const std::string& control,
                                        const std::string& actor, const std::string& reason) {
        auto kind =
            paused ? notify::NoticeKind::control_paused : notify::NoticeKind::control_resumed;
        if (!notify::any_target_hears(context.config.notifications, kind)) return;
        // Each request thread its own context (the actor is the token's name) and its own
        // connection to the store, where a status page incident's id is kept.
        Context announcing = context;
        announcing.actor = actor;
        auto store = store::open_store(announcing);
        if (!store) {
            *context.err << fmt::format("warning: {} of {} not announced: {}\n",
                                        notify::to_string(kind), control,
                                        util::printable(store.error().message));
            return;
        }
        notify::announce_control(announcing, **store, kind, control, reason);
    };
    auto& holder = state.snapshots;

    // SIGTERM and SIGINT are taken by this thread alone (sigtimedwait below), never by a worker.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    HttpServer server;
    add_routes(server, state);
    HttpServerOptions serving{.host = address.host,
                              .port = address.port,
                              .threads = options.threads,
                              .max_body_bytes = options.max_body_bytes};
    auto bound = server.start(serving);
    if (!bound)
        return fail(ExitCode::environment,
                    "--listen {}: cannot listen there (in use, or not an address of this "
                    "machine): {}",
                    options.listen, bound.error().message);
    int port = *bound;
    if (!options.port_file.empty())
        LAUNCHKIT_TRY(util::write_file_atomically(options.port_file, std::to_string(port) + "\n"));
    *context.err << fmt::format(
                        "feature-flags: serving {} at http://{}:{} from {} (revision {}); {} "
                        "token(s), reads {}\n",
                        environment, address.host, port, store->location(),
                        holder.current()->revision, state.tokens.size(), options.read_access)
                 << std::flush;

    std::atomic<bool> stopping{false};
    std::thread refresher([&] {
        refresh_snapshots(*store, holder, environment, declared, options.refresh_poll, stopping);
    });
    int signal = 0;
    while (signal <= 0) signal = sigwaitinfo(&stop_signals, nullptr);
    stopping = true;
    server.stop();  // stops accepting, lets the requests in flight finish
    refresher.join();
    *context.err << fmt::format("feature-flags: {}: stopped serving\n",
                                signal == SIGTERM ? "SIGTERM" : "SIGINT");
    return ExitCode::ok;
}

}  // namespace launchkit::serve
