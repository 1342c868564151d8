#include "store/open_store.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/etcd_store.h"
#include "store/file_store.h"

namespace launchkit::store {

Result<EtcdSettings> etcd_settings(const Context& context, std::vector<std::string> endpoints) {
    EtcdSettings settings;
    settings.endpoints = std::move(endpoints);
    // Files named but missing are refused before any request: a typo must not become "etcd
    // unreachable" or, worse, a connection without the trust anchor meant.
    for (auto [option, file] : {std::pair{"--etcd-cacert", &context.etcd_tls.cacert},
                                std::pair{"--etcd-cert", &context.etcd_tls.cert},
                                std::pair{"--etcd-key", &context.etcd_tls.key}}) {
        std::error_code error;
        if (!file->empty() && !std::filesystem::is_regular_file(*file, error))
            return fail(ExitCode::invalid_input, "{} {}: no such file", option, file->string());
    }
    if (context.etcd_tls.cert.empty() != context.etcd_tls.key.empty())
        return fail(ExitCode::invalid_input,
                    "--etcd-cert and --etcd-key go together (a client certificate and its key)");
    settings.ca_file = context.etcd_tls.cacert;
    settings.cert_file = context.etcd_tls.cert;
    settings.key_file = context.etcd_tls.key;
    const char* username = std::getenv("ETCD_USERNAME");
    const char* password = std::getenv("ETCD_PASSWORD");
    if (username && *username) {
        if (!password || !*password)
            return fail(ExitCode::invalid_input,
                        "ETCD_USERNAME is set but ETCD_PASSWORD is not (etcd users need both)");
        settings.username = username;
        settings.password = password;
    }
    return settings;
}

Result<std::unique_ptr<Store>> open_store(const Context& context) {
    if (!context.store.empty()) {
        LAUNCHKIT_TRY_ASSIGN(auto location, parse_etcd_location(context.store));
        LAUNCHKIT_TRY_ASSIGN(auto settings, etcd_settings(context, std::move(location.endpoints)));
        LAUNCHKIT_TRY_ASSIGN(auto client, EtcdClient::create(std::move(settings)));
        return std::make_unique<EtcdStore>(std::move(client), std::move(location.prefix));
    }
    SnapshotPolicy policy;
#ifdef LAUNCHKIT_TEST_HOOKS
    // Durability tests make every commit rewrite the snapshot, to kill a writer in the middle.
    if (const char* every = std::getenv("LAUNCHKIT_TEST_SNAPSHOT_EVERY"))
        policy.every_records = std::max(1, std::atoi(every));
#endif
    return std::make_unique<FileStore>(context.state_dir / "store", policy);
}

Result<std::optional<SharedCluster>> open_shared_cluster(const Context& context) {
    if (context.store.empty()) return std::optional<SharedCluster>{};
    LAUNCHKIT_TRY_ASSIGN(auto location, parse_etcd_location(context.store));
    LAUNCHKIT_TRY_ASSIGN(auto settings, etcd_settings(context, std::move(location.endpoints)));
    // One client per cluster for the whole process: `release-manager runs` opens every run's
    // journal in turn, and each would otherwise connect (over TLS: shake hands) anew. Commands use
    // it from their one thread; the deploy lock's keep-alive thread has a client of its own. Kept
    // until exit on purpose (through a pointer, so that no destructor runs after libcurl's).
    static std::mutex guard;
    static auto* open_clients = new std::map<std::string, std::shared_ptr<EtcdClient>>();
    auto identity =
        fmt::format("{}|{}|{}|{}|{}", fmt::join(settings.endpoints, ","), settings.ca_file.string(),
                    settings.cert_file.string(), settings.key_file.string(), settings.username);
    std::lock_guard lock(guard);
    auto& client = (*open_clients)[identity];
    if (!client) {
        LAUNCHKIT_TRY_ASSIGN(auto created, EtcdClient::create(std::move(settings)));
        client = std::make_shared<EtcdClient>(std::move(created));
    }
    return std::optional<SharedCluster>(SharedCluster{client, std::move(location.prefix)});
}

ChangeNote change_note(const Context& context, std::string reason) {
    return ChangeNote{util::format_rfc3339(context.now()), context.actor, context.command,
                      std::move(reason)};
}

}  // namespace launchkit::store
