// How etcd's v3 JSON gateway writes things: keys and values in base64, 64-bit numbers as strings
// (and fields that are zero left out); shared by the client's requests and its watch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace launchkit::store {

// Values launchkit keeps in etcd are small documents; a range over a whole prefix may hold many.
inline constexpr size_t max_answer_bytes = 64 * 1024 * 1024;

std::string encode_base64(std::string_view bytes);
// Exit 3 naming `field` when `text` is not base64.
Result<std::string> decode_base64(std::string_view text, std::string_view field);
// A 64-bit number etcd wrote as a string or a number; 0 when the field is left out.
Result<std::int64_t> number_field(const nlohmann::json& object, std::string_view name);

}  // namespace launchkit::store
