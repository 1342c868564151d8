// etcd's v3 API as launchkit uses it, through the JSON gateway every etcd since 3.4 serves
// (/v3/kv/range, /v3/kv/put, /v3/kv/deleterange, /v3/kv/txn, /v3/lease/*): keys and values are
// base64 in the JSON, 64-bit numbers are strings. Spoken over the project's one libcurl client,
// so TLS, timeouts and body limits behave as everywhere else. Several endpoints: a request that
// cannot reach one tries the next.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "probe/http_client.h"

namespace launchkit::store {

struct EtcdSettings {
    // "http://127.0.0.1:2379" or "https://...", tried in this order.
    std::vector<std::string> endpoints{};
    std::chrono::milliseconds timeout{10'000};  // per request, the whole transfer
    std::filesystem::path ca_file{};            // trust anchor for https endpoints
    std::filesystem::path cert_file{};          // client certificate, for a cluster that asks
    std::filesystem::path key_file{};           // its key
    // An etcd user (etcd with authentication): from ETCD_USERNAME and ETCD_PASSWORD, never argv.
    std::string username{};
    std::string password{};
};

// One key as etcd holds it.
struct EtcdKeyValue {
    std::string key{};
    std::string value{};
    std::int64_t create_revision = 0;
    std::int64_t mod_revision = 0;
    std::int64_t version = 0;
    std::int64_t lease = 0;
};

struct EtcdRange {
    std::vector<EtcdKeyValue> kvs{};
    std::int64_t revision = 0;  // the cluster's revision when it was read
    bool more = false;          // a limit cut the answer short
};

// A condition of a transaction on one key's revisions or value. Comparing mod_revision with 0
// means "the key does not exist".
struct EtcdCompare {
    enum class Target { mod_revision, create_revision, version, value };
    enum class Result { equal, not_equal, less, greater };
    std::string key{};
    Target target = Target::mod_revision;
    Result result = Result::equal;
    std::int64_t number = 0;  // for the revision and version targets
    std::string value{};      // for Target::value
};

// One operation of a transaction.
struct EtcdOperation {
    enum class Kind { put, remove, range };
    Kind kind = Kind::range;
    std::string key{};
    std::string range_end{};    // remove/range: up to (excluding) this key; "" is the key alone
    std::string value{};        // put
    std::int64_t lease = 0;     // put: attach to this lease
    std::int64_t limit = 0;     // range: at most this many keys (0: all)
    bool newest_first = false;  // range: in descending key order
};

struct EtcdTransaction {
    std::vector<EtcdCompare> compare{};
    std::vector<EtcdOperation> success{};
    std::vector<EtcdOperation> failure{};
};

struct EtcdTransactionResult {
    bool succeeded = false;
    std::int64_t revision = 0;  // after the transaction
    // The key-values of each range operation of the branch that ran, in order.
    std::vector<std::vector<EtcdKeyValue>> ranges{};
};

struct EtcdLease {
    std::int64_t id = 0;
    std::int64_t ttl_seconds = 0;
};

// The end of the range that holds every key starting with `prefix` (etcd's "prefix" convention:
// the prefix with its last byte incremented).
std::string prefix_range_end(std::string_view prefix);

class EtcdClient {
  public:
    // An error (exit 2) when there is no endpoint or one is not an http(s) URL.
    static Result<EtcdClient> create(EtcdSettings settings);
    ~EtcdClient();
    EtcdClient(EtcdClient&&) noexcept;
    EtcdClient& operator=(EtcdClient&&) noexcept;

    // "etcd http://a:2379,http://b:2379", for messages.
    std::string location() const;
    // What this client was created with: a second client for another thread.
    const EtcdSettings& settings() const { return settings_; }

    // One key; nullopt when it does not exist.
    Result<std::optional<EtcdKeyValue>> get(std::string_view key);
    // Keys from `key` up to `range_end` (every key with the prefix: prefix_range_end), sorted;
    // `limit` 0 for all of them; as of the cluster's `revision` when not 0, so that several reads
    // see one moment; `newest_first`: in descending key order (with limit 1, the last key).
    Result<EtcdRange> range(std::string_view key, std::string_view range_end,
                            std::int64_t limit = 0, std::int64_t revision = 0,
                            bool newest_first = false);
    // The cluster's revision after the write.
    Result<std::int64_t> put(std::string_view key, std::string_view value, std::int64_t lease = 0);
    // How many keys were deleted.
    Result<std::int64_t> remove(std::string_view key, std::string_view range_end = {});
    Result<EtcdTransactionResult> transact(const EtcdTransaction& transaction);

    // Waits until a key from `key` up to `range_end` ("" for the key alone) changes at a cluster
    // revision of at least `start_revision` (etcd's watch), or `timeout` passes: true when one
    // did (or etcd compacted that history away: look again), false when the time passed.
    Result<bool> wait_for_change(std::string_view key, std::string_view range_end,
                                 std::int64_t start_revision, std::chrono::milliseconds timeout);

    Result<EtcdLease> grant_lease(std::int64_t ttl_seconds);
    // The lease's remaining TTL; an error when it has expired or was revoked.
    Result<EtcdLease> keep_alive(std::int64_t lease);
    Result<void> revoke_lease(std::int64_t lease);

  private:
    struct Connection;
    explicit EtcdClient(EtcdSettings settings);
    // POSTs `body` to `path` on the first endpoint that answers; an unreachable cluster is exit
    // 3 naming every endpoint tried, an error etcd reports is exit 3 with its message.
    Result<nlohmann::json> call(std::string_view path, const nlohmann::json& body);
    // One request, as call() without authenticating first.
    Result<nlohmann::json> send(std::string_view path, const nlohmann::json& body);
    // Trades the user's name and password for a token (/v3/auth/authenticate).
    Result<void> authenticate();
    // The request to `path` on `endpoint`, with TLS files and the token.
    probe::HttpRequest request_to(const std::string& endpoint, std::string_view path,
                                  std::string payload) const;
    probe::HttpTransfer& transfer();

    EtcdSettings settings_;
    std::unique_ptr<Connection> connection_;
    size_t preferred_ = 0;  // the endpoint that answered last
    std::string token_{};   // from authenticate(); sent with every request
};

}  // namespace launchkit::store
