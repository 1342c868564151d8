// SHA-256 on a thread of its own: the caller hands over a copy of the bytes and goes on (reading
// files, feeding the compressor), so hashing a large stream costs its thread a memcpy rather
// than the hash. The bytes are hashed in the order they were handed over.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "util/sha256.h"

namespace launchkit::util {

class BackgroundSha256 {
  public:
    BackgroundSha256();
    ~BackgroundSha256();
    BackgroundSha256(const BackgroundSha256&) = delete;
    BackgroundSha256& operator=(const BackgroundSha256&) = delete;

    void update(std::string_view data);
    // Waits for everything handed over, then as Sha256::hex_digest. Ends the hash.
    std::string hex_digest();

  private:
    static constexpr std::size_t chunk_size = 1 << 20;
    // At most this many chunks exist: a caller faster than the hash waits for one to come back.
    static constexpr std::size_t max_chunks = 4;

    void hand_over();
    void finish();
    void hash_chunks();

    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::vector<char>> ready_;   // filled, waiting to be hashed
    std::vector<std::vector<char>> spare_;  // hashed, to be filled again
    std::size_t chunks_ = 0;
    bool finished_ = false;
    std::vector<char> filling_;
    Sha256 hash_;
    std::thread worker_;
};

}  // namespace launchkit::util
