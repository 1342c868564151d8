// What the flag server's request threads share: the snapshot they answer from, the counters, the
// tokens, and the store that writes go through (one writer at a time in this process; flock or
// etcd's transactions order it against every other process).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "flags/launch_control.h"
#include "serve/access_tokens.h"
#include "serve/flag_snapshot.h"
#include "serve/server_metrics.h"
#include "store/store.h"

namespace launchkit::serve {

class HttpServer;

// The snapshot requests read, and whether the store answered the last time it was read.
class SnapshotHolder {
  public:
    explicit SnapshotHolder(FlagSnapshot first)
        : snapshot_(std::make_shared<const FlagSnapshot>(std::move(first))) {}

    std::shared_ptr<const FlagSnapshot> current() const {
        std::lock_guard lock(mutex_);
        return snapshot_;
    }
    // Keeps the newer of the two: a writer's fresh read and the watcher's may cross.
    void replace(FlagSnapshot next) {
        auto fresh = std::make_shared<const FlagSnapshot>(std::move(next));
        std::lock_guard lock(mutex_);
        if (fresh->revision >= snapshot_->revision) snapshot_ = std::move(fresh);
        problem_.clear();
    }
    void set_problem(std::string problem) {
        std::lock_guard lock(mutex_);
        problem_ = std::move(problem);
    }
    std::string problem() const {
        std::lock_guard lock(mutex_);
        return problem_;
    }

  private:
    mutable std::mutex mutex_;
    std::shared_ptr<const FlagSnapshot> snapshot_;
    std::string problem_;
};

struct ServerState {
    SnapshotHolder snapshots;
    ServerMetrics metrics{};
    std::vector<AccessToken> tokens{};
    bool reads_need_token = false;
    std::string environment{};
    flags::DeclaredControls declared{};
    std::mutex write_mutex{};
    std::unique_ptr<store::Store> write_store{};
    // Tells launchkit.yaml's notification targets that a launch control changed, as `launchctl`
    // does; unset, nothing is announced.
    std::function<void(bool paused, const std::string& control, const std::string& actor,
                       const std::string& reason)>
        announce_control{};
};

// Every route, the error answers and the request counters.
void add_routes(HttpServer& server, ServerState& state);

}  // namespace launchkit::serve
