// etcd's watch through the JSON gateway: a stream of JSON objects, one per line, read until one
// reports a change (or the time runs out), so that waiting on shared state costs no polling.
#include "store/etcd_client.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "probe/http_client.h"
#include "store/etcd_answer.h"
#include "store/etcd_wire.h"

namespace launchkit::store {

Result<bool> EtcdClient::wait_for_change(std::string_view key, std::string_view range_end,
                                         std::int64_t start_revision,
                                         std::chrono::milliseconds timeout) {
    if (!connection_) {
        // Opens the connection (and finds a member that answers) the way every request does.
        LAUNCHKIT_TRY(range(key, range_end, 1));
    }
    nlohmann::json create{{"key", encode_base64(key)},
                          {"start_revision", std::to_string(start_revision)}};
    if (!range_end.empty()) create["range_end"] = encode_base64(range_end);
    std::string payload = nlohmann::json{{"create_request", create}}.dump();
    std::vector<std::string> failures;
    const size_t count = settings_.endpoints.size();
    for (size_t attempt = 0; attempt < count; ++attempt) {
        size_t index = (preferred_ + attempt) % count;
        const auto& endpoint = settings_.endpoints[index];
        auto request = request_to(endpoint, "/v3/watch", payload);
        request.timeout = timeout;
        request.stop_when = [](std::string_view body) {
            auto progress = read_watch_stream(body);
            return progress.changed || !progress.error.empty();
        };
        auto& transfer = this->transfer();
        const probe::CurlLibrary* curl = probe::load_curl().value();
        transfer.prepare(std::move(request));
        auto response = transfer.complete(curl->curl_easy_perform(transfer.handle()));
        if (!response) {
            failures.push_back(fmt::format("{}: {}", endpoint, response.error().message));
            continue;
        }
        if (response->status < 200 || response->status > 299) {
            failures.push_back(fmt::format("{}: HTTP {}", endpoint, response->status));
            continue;
        }
        auto progress = read_watch_stream(response->body);
        if (!progress.error.empty())
            return fail(ExitCode::environment, "{}/v3/watch: {}", endpoint, progress.error);
        preferred_ = index;
        return progress.changed;
    }
    return fail(ExitCode::environment, "etcd unreachable: {}", fmt::join(failures, "; "));
}

}  // namespace launchkit::store
