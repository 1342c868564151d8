// IPv4 and IPv6 addresses and CIDR ranges ("10.0.0.0/8", "2001:db8::/32"), for the
// remoteAddress strategy and the IN_CIDR constraint.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace launchkit::util {

struct IpAddress {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};  // IPv4 in the first 4

    bool operator==(const IpAddress&) const = default;
};

struct IpRange {
    IpAddress network{};
    int prefix_length = 0;  // bits that must match: 32 or 128 for a single address

    bool contains(const IpAddress& address) const;
};

// A textual address as inet_pton reads it (dotted quad; RFC 4291 forms); nothing otherwise.
std::optional<IpAddress> parse_ip_address(std::string_view text);
// An address ("10.1.2.3", a range of one) or a range "ADDRESS/BITS"; host bits may be set
// ("10.1.2.3/8" is 10.0.0.0/8), as Unleash's SDKs read them. Nothing for anything else.
std::optional<IpRange> parse_ip_range(std::string_view text);

}  // namespace launchkit::util
