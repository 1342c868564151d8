// etcd's watch through the JSON gateway: a stream of JSON objects, one per line, read until one
// reports a change (or the time runs out), so that waiting on shared state costs no polling.
#include "store/etcd_client.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "probe/http_client.h"
#include "store/etcd_wire.h"
#include "util/bounded_json.h"

namespace launchkit::store {

namespace {

// What a watch stream has said so far (one JSON object per line): whether a change (or a
// compaction, or the watch's end) has come, or an error etcd sent.
struct WatchProgress {
    bool changed = false;
    std::string error{};
};

WatchProgress read_watch_stream(std::string_view body) {
    WatchProgress progress;
    size_t start = 0;
    for (auto end = body.find('\n'); end != std::string_view::npos;
         start = end + 1, end = body.find('\n', start)) {
        auto message = util::parse_json(body.substr(start, end - start));
        if (!message || !message->is_object()) continue;
        if (auto error = message->find("error"); error != message->end()) {
            progress.error =
                error->is_object() ? error->value("message", error->dump()) : error->dump();
            return progress;
        }
        auto result = message->find("result");
        if (result == message->end() || !result->is_object()) continue;
        auto events = result->find("events");
        bool has_events = events != result->end() && events->is_array() && !events->empty();
        auto compacted = result->find("compact_revision");
        bool was_compacted = compacted != result->end() && !compacted->is_null() &&
                             compacted->dump() != "\"0\"" && compacted->dump() != "0";
        if (has_events || was_compacted || result->value("canceled", false)) {
            progress.changed = true;
            return progress;
        }
    }
    return progress;
}

}  // namespace

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
