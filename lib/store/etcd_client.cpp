#include "store/etcd_client.h"

#include <charconv>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "probe/http_client.h"
#include "store/etcd_answer.h"
#include "store/etcd_wire.h"
#include "util/bounded_json.h"

namespace launchkit::store {

// One reusable libcurl handle: its connection to the endpoint stays open between requests.
struct EtcdClient::Connection {
    explicit Connection(const probe::CurlLibrary& curl) : transfer(curl) {}
    probe::HttpTransfer transfer;
};

namespace {

nlohmann::json to_json(const EtcdOperation& operation) {
    nlohmann::json request{{"key", encode_base64(operation.key)}};
    switch (operation.kind) {
        case EtcdOperation::Kind::put:
            request["value"] = encode_base64(operation.value);
            if (operation.lease != 0) request["lease"] = std::to_string(operation.lease);
            return {{"request_put", request}};
        case EtcdOperation::Kind::remove:
            if (!operation.range_end.empty())
                request["range_end"] = encode_base64(operation.range_end);
            return {{"request_delete_range", request}};
        case EtcdOperation::Kind::range:
            if (!operation.range_end.empty())
                request["range_end"] = encode_base64(operation.range_end);
            if (operation.limit > 0) request["limit"] = std::to_string(operation.limit);
            if (operation.newest_first) request["sort_order"] = "DESCEND";
            return {{"request_range", request}};
    }
    return {};
}

nlohmann::json to_json(const EtcdCompare& compare) {
    static constexpr const char* targets[] = {"MOD", "CREATE", "VERSION", "VALUE"};
    static constexpr const char* results[] = {"EQUAL", "NOT_EQUAL", "LESS", "GREATER"};
    nlohmann::json json{{"key", encode_base64(compare.key)},
                        {"target", targets[static_cast<int>(compare.target)]},
                        {"result", results[static_cast<int>(compare.result)]}};
    switch (compare.target) {
        case EtcdCompare::Target::mod_revision:
            json["mod_revision"] = std::to_string(compare.number);
            break;
        case EtcdCompare::Target::create_revision:
            json["create_revision"] = std::to_string(compare.number);
            break;
        case EtcdCompare::Target::version:
            json["version"] = std::to_string(compare.number);
            break;
        case EtcdCompare::Target::value:
            json["value"] = encode_base64(compare.value);
            break;
    }
    return json;
}

}  // namespace

std::string prefix_range_end(std::string_view prefix) {
    std::string end(prefix);
    while (!end.empty()) {
        auto last = static_cast<unsigned char>(end.back());
        if (last < 0xff) {
            end.back() = static_cast<char>(last + 1);
            return end;
        }
        end.pop_back();
    }
    return std::string(1, '\0');  // every key: etcd's "\0" range end
}

EtcdClient::EtcdClient(EtcdSettings settings) : settings_(std::move(settings)) {}
EtcdClient::~EtcdClient() = default;
EtcdClient::EtcdClient(EtcdClient&&) noexcept = default;
EtcdClient& EtcdClient::operator=(EtcdClient&&) noexcept = default;

Result<EtcdClient> EtcdClient::create(EtcdSettings settings) {
    if (settings.endpoints.empty()) return fail(ExitCode::invalid_input, "etcd: no endpoint given");
    for (auto& endpoint : settings.endpoints) {
        if (!endpoint.starts_with("http://") && !endpoint.starts_with("https://"))
            return fail(ExitCode::invalid_input,
                        "etcd endpoint '{}': expected http://HOST:PORT or https://HOST:PORT",
                        endpoint);
        while (endpoint.ends_with('/')) endpoint.pop_back();
    }
    return EtcdClient(std::move(settings));
}

std::string EtcdClient::location() const {
    return fmt::format("etcd {}", fmt::join(settings_.endpoints, ","));
}

probe::HttpTransfer& EtcdClient::transfer() {
    return connection_->transfer;
}

probe::HttpRequest EtcdClient::request_to(const std::string& endpoint, std::string_view path,
                                          std::string payload) const {
    probe::HttpRequest request;
    request.method = "POST";
    request.url = endpoint + std::string(path);
    request.body = std::move(payload);
    request.content_type = "application/json";
    request.timeout = settings_.timeout;
    request.ca_file = settings_.ca_file;
    request.client_cert_file = settings_.cert_file;
    request.client_key_file = settings_.key_file;
    request.max_body_bytes = max_answer_bytes;
    // etcd's gateway takes the token as the whole Authorization header, without a scheme.
    if (!token_.empty()) request.headers.emplace_back("Authorization", token_);
    return request;
}

Result<void> EtcdClient::authenticate() {
    token_.clear();
    LAUNCHKIT_TRY_ASSIGN(auto answer,
                         send("/v3/auth/authenticate",
                              {{"name", settings_.username}, {"password", settings_.password}}));
    auto token = answer.find("token");
    if (token == answer.end() || !token->is_string() || token->get<std::string>().empty())
        return fail(ExitCode::environment, "{} gave no token for etcd user '{}'", location(),
                    settings_.username);
    token_ = token->get<std::string>();
    return {};
}

Result<nlohmann::json> EtcdClient::call(std::string_view path, const nlohmann::json& body) {
    if (settings_.username.empty()) return send(path, body);
    if (token_.empty()) LAUNCHKIT_TRY(authenticate());
    auto answer = send(path, body);
    // A token etcd no longer knows (it expired, or the member that issued it restarted): a fresh
    // one, once. Resending is safe: every change compares revisions.
    if (!answer && answer.error().message.find("invalid auth token") != std::string::npos) {
        LAUNCHKIT_TRY(authenticate());
        return send(path, body);
    }
    return answer;
}

Result<nlohmann::json> EtcdClient::send(std::string_view path, const nlohmann::json& body) {
    if (!connection_) {
        LAUNCHKIT_TRY_ASSIGN(const probe::CurlLibrary* curl, probe::load_curl());
        connection_ = std::make_unique<Connection>(*curl);
        if (!connection_->transfer.valid())
            return fail(ExitCode::environment, "cannot create a curl handle");
    }
    auto& transfer = this->transfer();
    const probe::CurlLibrary* curl = probe::load_curl().value();
    std::string payload = body.dump();
    const size_t count = settings_.endpoints.size();
    const auto deadline = std::chrono::steady_clock::now() + settings_.timeout;
    std::vector<std::string> failures;
    // Rounds over the endpoints while a reachable member says the cluster has no leader (an
    // election after a member stopped takes about a second); an unreachable cluster fails at once.
    while (true) {
        failures.clear();
        bool electing = false;
        for (size_t attempt = 0; attempt < count; ++attempt) {
            size_t index = (preferred_ + attempt) % count;
            const auto& endpoint = settings_.endpoints[index];
            transfer.prepare(request_to(endpoint, path, payload));
            auto response = transfer.complete(curl->curl_easy_perform(transfer.handle()));
            if (!response) {
                // Not reached, or no answer in time: the next member may be up. Every change is
                // one transaction comparing revisions, so sending it again cannot apply it twice.
                failures.push_back(fmt::format("{}: {}", endpoint, response.error().message));
                continue;
            }
            auto answer = util::parse_json(response->body);
            if (!answer || !answer->is_object())
                return fail(ExitCode::environment,
                            "{}{} answered HTTP {} with a body that is not a JSON object", endpoint,
                            path, response->status);
            if (response->status >= 200 && response->status <= 299) {
                preferred_ = index;
                return std::move(*answer);
            }
            auto message = error_message(*answer);
            // gRPC's UNAVAILABLE (14): this member cannot serve now ("no leader", "leader
            // changed"); another may.
            auto code = answer->find("code");
            bool unavailable = code != answer->end() && code->is_number_integer() &&
                               code->get<std::int64_t>() == 14;
            if (unavailable || response->status == 503) {
                electing = true;
                failures.push_back(
                    fmt::format("{}: HTTP {} {}", endpoint, response->status, message));
                continue;
            }
            return fail(ExitCode::environment, "{}{}: HTTP {}: {}", endpoint, path,
                        response->status, message.empty() ? "no message" : message);
        }
        if (!electing || std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return fail(ExitCode::environment, "etcd unreachable: {}", fmt::join(failures, "; "));
}

Result<std::optional<EtcdKeyValue>> EtcdClient::get(std::string_view key) {
    LAUNCHKIT_TRY_ASSIGN(auto found, range(key, {}, 1));
    if (found.kvs.empty()) return std::optional<EtcdKeyValue>{};
    return std::optional<EtcdKeyValue>(std::move(found.kvs.front()));
}

Result<EtcdRange> EtcdClient::range(std::string_view key, std::string_view range_end,
                                    std::int64_t limit, std::int64_t revision, bool newest_first) {
    nlohmann::json request{{"key", encode_base64(key)}};
    if (!range_end.empty()) request["range_end"] = encode_base64(range_end);
    if (limit > 0) request["limit"] = std::to_string(limit);
    if (newest_first) request["sort_order"] = "DESCEND";
    if (revision > 0) request["revision"] = std::to_string(revision);
    LAUNCHKIT_TRY_ASSIGN(auto answer, call("/v3/kv/range", request));
    return read_range_answer(answer);
}

Result<std::int64_t> EtcdClient::put(std::string_view key, std::string_view value,
                                     std::int64_t lease) {
    nlohmann::json request{{"key", encode_base64(key)}, {"value", encode_base64(value)}};
    if (lease != 0) request["lease"] = std::to_string(lease);
    LAUNCHKIT_TRY_ASSIGN(auto answer, call("/v3/kv/put", request));
    return header_revision(answer);
}

Result<std::int64_t> EtcdClient::remove(std::string_view key, std::string_view range_end) {
    nlohmann::json request{{"key", encode_base64(key)}};
    if (!range_end.empty()) request["range_end"] = encode_base64(range_end);
    LAUNCHKIT_TRY_ASSIGN(auto answer, call("/v3/kv/deleterange", request));
    return number_field(answer, "deleted");
}

Result<EtcdTransactionResult> EtcdClient::transact(const EtcdTransaction& transaction) {
    nlohmann::json request{{"compare", nlohmann::json::array()},
                           {"success", nlohmann::json::array()},
                           {"failure", nlohmann::json::array()}};
    for (const auto& compare : transaction.compare) request["compare"].push_back(to_json(compare));
    for (const auto& operation : transaction.success)
        request["success"].push_back(to_json(operation));
    for (const auto& operation : transaction.failure)
        request["failure"].push_back(to_json(operation));
    LAUNCHKIT_TRY_ASSIGN(auto answer, call("/v3/kv/txn", request));
    return read_transaction_answer(answer, transaction);
}

Result<EtcdLease> EtcdClient::grant_lease(std::int64_t ttl_seconds) {
    LAUNCHKIT_TRY_ASSIGN(auto answer,
                         call("/v3/lease/grant", {{"TTL", std::to_string(ttl_seconds)}}));
    EtcdLease lease;
    LAUNCHKIT_TRY_ASSIGN(lease.id, number_field(answer, "ID"));
    LAUNCHKIT_TRY_ASSIGN(lease.ttl_seconds, number_field(answer, "TTL"));
    if (lease.id == 0)
        return fail(ExitCode::environment, "etcd granted no lease: {}",
                    error_message(answer).empty() ? "no ID in the answer" : error_message(answer));
    return lease;
}

Result<EtcdLease> EtcdClient::keep_alive(std::int64_t lease) {
    // The gateway answers one keep-alive as {"result": {"ID", "TTL"}}; a TTL of 0 or none means
    // the lease is gone.
    LAUNCHKIT_TRY_ASSIGN(auto answer, call("/v3/lease/keepalive", {{"ID", std::to_string(lease)}}));
    auto found = answer.find("result");
    const auto& result = found != answer.end() && found->is_object() ? *found : answer;
    EtcdLease renewed;
    renewed.id = lease;
    LAUNCHKIT_TRY_ASSIGN(renewed.ttl_seconds, number_field(result, "TTL"));
    if (renewed.ttl_seconds <= 0)
        return fail(ExitCode::environment, "etcd lease {:x} has expired", lease);
    return renewed;
}

Result<void> EtcdClient::revoke_lease(std::int64_t lease) {
    LAUNCHKIT_TRY(call("/v3/lease/revoke", {{"ID", std::to_string(lease)}}));
    return {};
}

}  // namespace launchkit::store
