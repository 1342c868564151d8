// A lock kept in etcd: a key created only if absent and bound to a lease that a background thread
// keeps alive. A holder that crashes or loses its machine lets go when the lease's TTL runs out,
// never "forever"; one that ends revokes the lease and lets go at once.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "store/etcd_client.h"

namespace launchkit::store {

class EtcdLeaseLock;

// Either the lock, or what the key holds now (its holder's description).
struct LeaseLockAttempt {
    std::unique_ptr<EtcdLeaseLock> lock{};
    std::string holder{};
};

class EtcdLeaseLock {
  public:
    // Takes the lock at `key`, writing `holder` (who holds it, as JSON) there, if nobody holds
    // it; the lease lives `ttl` past the last keep-alive, sent every third of it.
    static Result<LeaseLockAttempt> try_acquire(const EtcdSettings& settings, std::string key,
                                                std::string holder, std::chrono::seconds ttl);
    // Revokes the lease (the key goes with it).
    ~EtcdLeaseLock();
    EtcdLeaseLock(const EtcdLeaseLock&) = delete;
    EtcdLeaseLock& operator=(const EtcdLeaseLock&) = delete;

    const std::string& key() const { return key_; }
    // Whether a keep-alive found the lease gone (expired while the process stalled): the lock
    // may be another's by now.
    bool lost() const;

  private:
    struct Keeper;
    EtcdLeaseLock(std::string key, std::unique_ptr<Keeper> keeper);

    std::string key_;
    std::unique_ptr<Keeper> keeper_;
};

}  // namespace launchkit::store
