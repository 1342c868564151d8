// The runs of one environment and who may act on them: the per-environment deploy lock that a live
// runner holds for its whole run, and the rule that only the latest run may be resumed or rolled
// back. Shared by deploy, resume, rollback and the controls (abort, promote, pause).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/context.h"
#include "playbook/run_state.h"
#include "store/etcd_lease_lock.h"
#include "util/file_lock.h"

namespace launchkit::playbook {

// The environment's runs, replayed, oldest first. A journal that does not replay is an error:
// it may be the environment's latest run, and deciding without it could undo newer work.
Result<std::vector<RunState>> runs_of(const Context& context, const std::string& environment);

// The environment's deploy lock, held by a live runner for its whole run: a flock'd file in the
// state directory, or with shared state an etcd key under a lease the runner keeps alive
// (PREFIX/locks/deploy-ENV), which a crashed runner's machine lets go after the lease's TTL.
class EnvironmentLock {
  public:
    explicit EnvironmentLock(util::FileLock lock) : file_(std::move(lock)) {}
    explicit EnvironmentLock(std::unique_ptr<store::EtcdLeaseLock> lock)
        : lease_(std::move(lock)) {}

  private:
    std::optional<util::FileLock> file_{};
    std::unique_ptr<store::EtcdLeaseLock> lease_{};
};

// The lease's TTL when the lock is in etcd: $LAUNCHKIT_LOCK_TTL seconds (2 to 3600), else 30.
Result<std::chrono::seconds> lock_ttl();

// The lock for a new run; a second run is refused (exit 1, naming the run in progress and who
// holds the lock), not queued.
Result<EnvironmentLock> lock_environment(const Context& context, const std::string& environment);
// The lock if no live runner holds it; nullopt when one does.
Result<std::optional<EnvironmentLock>> try_lock_environment(const Context& context,
                                                            const std::string& environment);

// Whether a live runner holds the environment's lock now (without taking it).
Result<bool> environment_locked(const Context& context, const std::string& environment);

// Refuses (exit 1) acting on `state` when a newer run of its environment exists in `runs` (the
// environment's, read under its lock, so that no deploy starts in between).
Result<void> check_latest(const std::vector<RunState>& runs, const RunState& state);

// A run named by its id, or an environment's latest run; exit 2 when TARGET is neither.
Result<RunState> find_run(const Context& context, const std::string& target);

}  // namespace launchkit::playbook
