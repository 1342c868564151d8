#include "flags/bucketing.h"

#include <cstring>
#include <string>

namespace launchkit::flags {
namespace {

constexpr std::uint32_t rotate_left(std::uint32_t value, int bits) {
    return (value << bits) | (value >> (32 - bits));
}

}  // namespace

std::uint32_t murmur3_x86_32(std::string_view data, std::uint32_t seed) {
    constexpr std::uint32_t c1 = 0xcc9e2d51;
    constexpr std::uint32_t c2 = 0x1b873593;
    const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
    const size_t length = data.size();
    const size_t blocks = length / 4;
    std::uint32_t hash = seed;

    for (size_t i = 0; i < blocks; ++i) {
        // Little-endian block reads, as the reference implementation on x86.
        std::uint32_t k = static_cast<std::uint32_t>(bytes[4 * i]) |
                          static_cast<std::uint32_t>(bytes[4 * i + 1]) << 8 |
                          static_cast<std::uint32_t>(bytes[4 * i + 2]) << 16 |
                          static_cast<std::uint32_t>(bytes[4 * i + 3]) << 24;
        k *= c1;
        k = rotate_left(k, 15);
        k *= c2;
        hash ^= k;
        hash = rotate_left(hash, 13);
        hash = hash * 5 + 0xe6546b64;
    }

    const unsigned char* tail = bytes + blocks * 4;
    std::uint32_t k = 0;
    switch (length & 3) {
        case 3:
            k ^= static_cast<std::uint32_t>(tail[2]) << 16;
            [[fallthrough]];
        case 2:
            k ^= static_cast<std::uint32_t>(tail[1]) << 8;
            [[fallthrough]];
        case 1:
            k ^= tail[0];
            k *= c1;
            k = rotate_left(k, 15);
            k *= c2;
            hash ^= k;
    }

    hash ^= static_cast<std::uint32_t>(length);
    hash ^= hash >> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >> 13;
    hash *= 0xc2b2ae35;
    hash ^= hash >> 16;
    return hash;
}

int rollout_bucket(std::string_view group_id, std::string_view subject) {
    std::string key;
    key.reserve(group_id.size() + 1 + subject.size());
    key.append(group_id).append(":").append(subject);
    return static_cast<int>(murmur3_x86_32(key, 0) % 100) + 1;
}

bool in_rollout(int rollout_percent, int bucket) {
    return rollout_percent > 0 && bucket <= rollout_percent;
}

}  // namespace launchkit::flags
