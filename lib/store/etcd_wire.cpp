#include "store/etcd_wire.h"

#include <charconv>

#include <nettle/base64.h>

#include "util/bounded_json.h"

namespace launchkit::store {

std::string encode_base64(std::string_view bytes) {
    std::string text(BASE64_ENCODE_RAW_LENGTH(bytes.size()), '\0');
    base64_encode_raw(text.data(), bytes.size(), reinterpret_cast<const uint8_t*>(bytes.data()));
    return text;
}

Result<std::string> decode_base64(std::string_view text, std::string_view field) {
    std::string bytes(BASE64_DECODE_LENGTH(text.size()), '\0');
    base64_decode_ctx context;
    base64_decode_init(&context);
    size_t length = bytes.size();
    if (!base64_decode_update(&context, &length, reinterpret_cast<uint8_t*>(bytes.data()),
                              text.size(), text.data()) ||
        !base64_decode_final(&context))
        return fail(ExitCode::environment, "etcd answered a {} that is not base64", field);
    bytes.resize(length);
    return bytes;
}

// etcd's gateway writes 64-bit numbers as strings and leaves out fields that are zero or false.
Result<std::int64_t> number_field(const nlohmann::json& object, std::string_view name) {
    auto found = object.find(name);
    if (found == object.end() || found->is_null()) return std::int64_t{0};
    if (auto number = util::integer_value<std::int64_t>(*found)) return *number;
    if (found->is_string()) {
        const auto& text = found->get_ref<const std::string&>();
        std::int64_t value = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error == std::errc() && end == text.data() + text.size()) return value;
    }
    return fail(ExitCode::environment, "etcd answered {} = {}, expected a 64-bit integer", name,
                util::dump_json(*found));
}

}  // namespace launchkit::store
