// SHA-256 from Nettle (GnuTLS's crypto library), as lowercase hex: the audit log's hash chain and
// backup checksums. Incremental so large files need not fit in memory.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace launchkit::util {

class Sha256 {
  public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(std::string_view data);
    // The digest of everything passed to update(), as 64 lowercase hex digits. Ends the hash.
    std::string hex_digest();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

std::string sha256_hex(std::string_view data);
// 64 lowercase hex digits, as hex_digest() writes them.
bool is_sha256_hex(std::string_view text);

}  // namespace launchkit::util
