#include "store/etcd_lease_lock.h"

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

namespace launchkit::store {

// The keep-alive thread and the client it alone uses (a libcurl handle serves one thread).
struct EtcdLeaseLock::Keeper {
    EtcdClient client;
    std::int64_t lease = 0;
    std::chrono::seconds ttl{};
    std::mutex mutex{};
    std::condition_variable wake{};
    bool stopping = false;
    std::atomic<bool> lost{false};
    std::thread thread{};

    Keeper(EtcdClient owned, std::int64_t lease_id, std::chrono::seconds lease_ttl)
        : client(std::move(owned)), lease(lease_id), ttl(lease_ttl) {}

    void run() {
        auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(ttl) / 3;
        std::unique_lock guard(mutex);
        while (!wake.wait_for(guard, interval, [this] { return stopping; })) {
            guard.unlock();
            auto renewed = client.keep_alive(lease);
            guard.lock();
            // A failed round (a member restarting) is retried at the next; a lease etcd says is
            // gone is reported once, as the holder may no longer be alone.
            if (!renewed && renewed.error().message.find("expired") != std::string::npos &&
                !lost.exchange(true))
                std::fprintf(stderr, "warning: lost the etcd lease of a lock: %s\n",
                             renewed.error().message.c_str());
        }
    }
};

EtcdLeaseLock::EtcdLeaseLock(std::string key, std::unique_ptr<Keeper> keeper)
    : key_(std::move(key)), keeper_(std::move(keeper)) {}

Result<LeaseLockAttempt> EtcdLeaseLock::try_acquire(const EtcdSettings& settings, std::string key,
                                                    std::string holder, std::chrono::seconds ttl) {
    LAUNCHKIT_TRY_ASSIGN(auto client, EtcdClient::create(settings));
    LAUNCHKIT_TRY_ASSIGN(auto lease, client.grant_lease(ttl.count()));
    EtcdTransaction transaction;
    transaction.compare.push_back(
        EtcdCompare{.key = key, .target = EtcdCompare::Target::create_revision, .number = 0});
    transaction.success.push_back(EtcdOperation{
        .kind = EtcdOperation::Kind::put, .key = key, .value = holder, .lease = lease.id});
    transaction.failure.push_back(EtcdOperation{.kind = EtcdOperation::Kind::range, .key = key});
    auto result = client.transact(transaction);
    if (!result || !result->succeeded) {
        // Not ours (or unknown): the lease guards nothing; were revoking to fail, it expires.
        (void)client.revoke_lease(lease.id);
        if (!result) return std::unexpected(result.error());
        LeaseLockAttempt refused;
        if (!result->ranges.empty() && !result->ranges.front().empty())
            refused.holder = result->ranges.front().front().value;
        return refused;
    }
    auto keeper = std::make_unique<Keeper>(std::move(client), lease.id, ttl);
    keeper->thread = std::thread([raw = keeper.get()] { raw->run(); });
    LeaseLockAttempt taken;
    taken.lock.reset(new EtcdLeaseLock(std::move(key), std::move(keeper)));
    return taken;
}

EtcdLeaseLock::~EtcdLeaseLock() {
    if (!keeper_) return;
    {
        std::lock_guard guard(keeper_->mutex);
        keeper_->stopping = true;
    }
    keeper_->wake.notify_all();
    keeper_->thread.join();
    // Revoking deletes the key now; were etcd unreachable, the TTL lets go instead.
    (void)keeper_->client.revoke_lease(keeper_->lease);
}

bool EtcdLeaseLock::lost() const {
    return keeper_ && keeper_->lost.load();
}

}  // namespace launchkit::store
