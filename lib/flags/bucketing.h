// Gradual-rollout bucketing, identical to Unleash's flexible rollout so a subject's bucket means
// the same in launchkit and in Unleash SDKs: murmur3_x86_32("<group_id>:<subject>", seed 0) % 100
// + 1.
#pragma once

#include <cstdint>
#include <string_view>

namespace launchkit::flags {

// MurmurHash3, x86 32-bit variant (Austin Appleby's reference), over the bytes of `data`.
std::uint32_t murmur3_x86_32(std::string_view data, std::uint32_t seed);

// The subject's bucket, 1..100, for a rollout group.
int rollout_bucket(std::string_view group_id, std::string_view subject);

// Unleash's rule: on when rollout > 0 and bucket <= rollout.
bool in_rollout(int rollout_percent, int bucket);

}  // namespace launchkit::flags
