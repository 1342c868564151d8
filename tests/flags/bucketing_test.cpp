#include <catch2/catch.hpp>

#include "flags/bucketing.h"

using namespace launchkit::flags;

TEST_CASE("murmur3_x86_32 matches the reference implementation", "[bucketing]") {
    CHECK(murmur3_x86_32("", 0) == 0u);
    CHECK(murmur3_x86_32("", 1) == 0x514E28B7u);
    CHECK(murmur3_x86_32("hello", 0) == 0x248BFA47u);
    CHECK(murmur3_x86_32("The quick brown fox jumps over the lazy dog", 0) == 0x2E4FF723u);
}

TEST_CASE("rollout buckets equal Unleash's normalized values", "[bucketing]") {
    // From Unleash's client specification (10-flexible-rollout-strategy.json) and its Java/Node
    // clients' cross-client tests.
    CHECK(rollout_bucket("Feature.flexibleRollout.10", "174") == 10);
    CHECK(rollout_bucket("Feature.flexibleRollout.10", "499") == 32);
    CHECK(rollout_bucket("gr1", "123") == 73);
    CHECK(rollout_bucket("groupX", "999") == 25);
}

TEST_CASE("a subject is in the rollout when its bucket is at most the percentage", "[bucketing]") {
    CHECK(in_rollout(10, 10));
    CHECK_FALSE(in_rollout(10, 32));
    CHECK_FALSE(in_rollout(0, 1));
    CHECK(in_rollout(100, 100));
    // Buckets spread evenly: about a quarter of 10,000 subjects fall within 25%.
    int on = 0;
    for (int i = 0; i < 10'000; ++i) on += in_rollout(25, rollout_bucket("f", std::to_string(i)));
    CHECK(on > 2300);
    CHECK(on < 2700);
}
