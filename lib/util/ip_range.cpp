#include "util/ip_range.h"

#include <arpa/inet.h>

#include <charconv>

namespace launchkit::util {

std::optional<IpAddress> parse_ip_address(std::string_view text) {
    if (text.empty() || text.size() > 45) return std::nullopt;  // INET6_ADDRSTRLEN - 1
    std::string terminated(text);
    IpAddress address;
    if (inet_pton(AF_INET, terminated.c_str(), address.bytes.data()) == 1) return address;
    if (inet_pton(AF_INET6, terminated.c_str(), address.bytes.data()) == 1) {
        address.v6 = true;
        return address;
    }
    return std::nullopt;
}

std::optional<IpRange> parse_ip_range(std::string_view text) {
    auto slash = text.find('/');
    auto address = parse_ip_address(text.substr(0, slash));
    if (!address) return std::nullopt;
    int bits = address->v6 ? 128 : 32;
    IpRange range{*address, bits};
    if (slash == std::string_view::npos) return range;
    auto digits = text.substr(slash + 1);
    int prefix = -1;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
        prefix < 0 || prefix > bits)
        return std::nullopt;
    range.prefix_length = prefix;
    return range;
}

bool IpRange::contains(const IpAddress& address) const {
    if (address.v6 != network.v6) return false;
    int full_bytes = prefix_length / 8;
    for (int i = 0; i < full_bytes; ++i)
        if (address.bytes[i] != network.bytes[i]) return false;
    int rest = prefix_length % 8;
    if (rest == 0) return true;
    auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
    return (address.bytes[full_bytes] & mask) == (network.bytes[full_bytes] & mask);
}

}  // namespace launchkit::util
