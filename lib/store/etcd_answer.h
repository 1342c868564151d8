// Reading what etcd's JSON gateway answers: key-values, ranges, transactions and the watch stream.
// Whatever a member, a proxy or a damaged cluster sends, these return an error (exit 3) or a
// value; they never throw and never trust a field's type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "store/etcd_client.h"

namespace launchkit::store {

Result<EtcdKeyValue> read_key_value(const nlohmann::json& object);
// The "kvs" of a range answer (none when left out, as etcd does for an empty range).
Result<std::vector<EtcdKeyValue>> read_key_values(const nlohmann::json& answer);
// The cluster's revision from the answer's header.
Result<std::int64_t> header_revision(const nlohmann::json& answer);
Result<EtcdRange> read_range_answer(const nlohmann::json& answer);
// The outcome of `transaction`: which branch ran and the key-values of each of its ranges.
Result<EtcdTransactionResult> read_transaction_answer(const nlohmann::json& answer,
                                                      const EtcdTransaction& transaction);
// A boolean field; false when left out (the gateway leaves out what is false).
Result<bool> flag_field(const nlohmann::json& object, std::string_view name);
// The message of a gateway error answer, in 3.4's form ("error") or 3.5's ("message"); empty
// when there is none.
std::string error_message(const nlohmann::json& answer);

// What a watch stream has said so far (one JSON object per line): whether a change (or a
// compaction, or the watch's end) has come, or an error etcd sent.
struct WatchProgress {
    bool changed = false;
    std::string error{};
};
WatchProgress read_watch_stream(std::string_view body);

}  // namespace launchkit::store
