#include "store/etcd_answer.h"

#include <fmt/format.h>

#include "store/etcd_wire.h"
#include "store/store.h"
#include "util/bounded_json.h"

namespace launchkit::store {
namespace {

// A string field, or "" when left out; an error when it is something else.
Result<std::string> text_field(const nlohmann::json& object, std::string_view name) {
    auto found = object.find(name);
    if (found == object.end() || found->is_null()) return std::string();
    if (!found->is_string())
        return fail(ExitCode::environment, "etcd answered {} that is not a string", name);
    return found->get<std::string>();
}

// A revision or version: etcd counts them up from 1, and launchkit adds 1 to the newest it saw to
// wait for the next, so one past max_store_counter (which no etcd reaches) is a damaged answer.
Result<std::int64_t> revision_field(const nlohmann::json& object, std::string_view name) {
    LAUNCHKIT_TRY_ASSIGN(auto number, number_field(object, name));
    if (!is_store_counter(number))
        return fail(ExitCode::environment, "etcd answered {} = {}, expected 0 to 2^62", name,
                    number);
    return number;
}

}  // namespace

Result<bool> flag_field(const nlohmann::json& object, std::string_view name) {
    auto found = object.find(name);
    if (found == object.end() || found->is_null()) return false;
    if (!found->is_boolean())
        return fail(ExitCode::environment, "etcd answered {} that is not true or false", name);
    return found->get<bool>();
}

std::string error_message(const nlohmann::json& answer) {
    if (!answer.is_object()) return {};
    for (const char* name : {"message", "error"}) {
        auto found = answer.find(name);
        if (found == answer.end()) continue;
        if (found->is_string() && !found->get_ref<const std::string&>().empty())
            return found->get<std::string>();
        if (found->is_object()) return error_message(*found);
    }
    return {};
}

Result<EtcdKeyValue> read_key_value(const nlohmann::json& object) {
    if (!object.is_object())
        return fail(ExitCode::environment, "etcd answered a key-value that is not an object");
    EtcdKeyValue kv;
    LAUNCHKIT_TRY_ASSIGN(auto key, text_field(object, "key"));
    LAUNCHKIT_TRY_ASSIGN(kv.key, decode_base64(key, "key"));
    LAUNCHKIT_TRY_ASSIGN(auto value, text_field(object, "value"));
    LAUNCHKIT_TRY_ASSIGN(kv.value, decode_base64(value, "value"));
    LAUNCHKIT_TRY_ASSIGN(kv.create_revision, revision_field(object, "create_revision"));
    LAUNCHKIT_TRY_ASSIGN(kv.mod_revision, revision_field(object, "mod_revision"));
    LAUNCHKIT_TRY_ASSIGN(kv.version, revision_field(object, "version"));
    LAUNCHKIT_TRY_ASSIGN(kv.lease, number_field(object, "lease"));
    return kv;
}

Result<std::vector<EtcdKeyValue>> read_key_values(const nlohmann::json& answer) {
    std::vector<EtcdKeyValue> kvs;
    if (!answer.is_object()) return fail(ExitCode::environment, "etcd answered a non-object");
    auto found = answer.find("kvs");
    if (found == answer.end() || found->is_null()) return kvs;
    if (!found->is_array())
        return fail(ExitCode::environment, "etcd answered kvs that is not a list");
    kvs.reserve(found->size());
    for (const auto& item : *found) {
        LAUNCHKIT_TRY_ASSIGN(auto kv, read_key_value(item));
        kvs.push_back(std::move(kv));
    }
    return kvs;
}

Result<std::int64_t> header_revision(const nlohmann::json& answer) {
    if (!answer.is_object()) return fail(ExitCode::environment, "etcd answered a non-object");
    auto header = answer.find("header");
    if (header == answer.end() || !header->is_object())
        return fail(ExitCode::environment, "etcd answered without a header");
    return revision_field(*header, "revision");
}

Result<EtcdRange> read_range_answer(const nlohmann::json& answer) {
    EtcdRange result;
    LAUNCHKIT_TRY_ASSIGN(result.kvs, read_key_values(answer));
    LAUNCHKIT_TRY_ASSIGN(result.revision, header_revision(answer));
    LAUNCHKIT_TRY_ASSIGN(result.more, flag_field(answer, "more"));
    return result;
}

Result<EtcdTransactionResult> read_transaction_answer(const nlohmann::json& answer,
                                                      const EtcdTransaction& transaction) {
    EtcdTransactionResult result;
    LAUNCHKIT_TRY_ASSIGN(result.revision, header_revision(answer));
    LAUNCHKIT_TRY_ASSIGN(result.succeeded, flag_field(answer, "succeeded"));
    const auto& branch = result.succeeded ? transaction.success : transaction.failure;
    auto responses = answer.find("responses");
    size_t index = 0;
    for (const auto& operation : branch) {
        if (operation.kind == EtcdOperation::Kind::range) {
            if (responses == answer.end() || !responses->is_array() || index >= responses->size() ||
                !(*responses)[index].is_object())
                return fail(ExitCode::environment,
                            "etcd answered a transaction without the result of its range {}",
                            index);
            auto range = (*responses)[index].find("response_range");
            if (range == (*responses)[index].end() || !range->is_object())
                return fail(ExitCode::environment,
                            "etcd answered a transaction whose operation {} is not a range", index);
            LAUNCHKIT_TRY_ASSIGN(auto kvs, read_key_values(*range));
            result.ranges.push_back(std::move(kvs));
        }
        ++index;
    }
    return result;
}

WatchProgress read_watch_stream(std::string_view body) {
    WatchProgress progress;
    size_t start = 0;
    for (auto end = body.find('\n'); end != std::string_view::npos;
         start = end + 1, end = body.find('\n', start)) {
        auto message = util::parse_json(body.substr(start, end - start));
        if (!message || !message->is_object()) continue;
        if (auto error = message->find("error"); error != message->end()) {
            progress.error = error_message(*message);
            if (progress.error.empty()) progress.error = util::dump_json(*error);
            return progress;
        }
        auto result = message->find("result");
        if (result == message->end() || !result->is_object()) continue;
        auto events = result->find("events");
        bool has_events = events != result->end() && events->is_array() && !events->empty();
        auto compacted = number_field(*result, "compact_revision");
        bool was_compacted = !compacted || *compacted != 0;  // unreadable: look again
        auto canceled = flag_field(*result, "canceled");
        if (has_events || was_compacted || !canceled || *canceled) {
            progress.changed = true;
            return progress;
        }
    }
    return progress;
}

}  // namespace launchkit::store
