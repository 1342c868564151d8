// An append-only log kept in etcd: the release ledger and each run's journal when the state is
// shared. Line N lives at PREFIX + N zero-padded to 20 digits (keys sort in order), and is
// written by a transaction that creates it only if it does not exist yet, so appenders on many
// machines never overwrite each other and each line is whole or absent.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/etcd_client.h"

namespace launchkit::store {

struct EtcdLogLine {
    std::int64_t sequence = 0;  // 1, 2, 3 ...
    std::string text{};
};

class EtcdLog {
  public:
    EtcdLog(std::shared_ptr<EtcdClient> client, std::string prefix);

    const std::string& prefix() const { return prefix_; }
    // "etcd http://127.0.0.1:2379 PREFIX", for messages.
    std::string location() const;
    // The key of line `sequence`.
    std::string key(std::int64_t sequence) const;

    // Appends `text` after the newest line and returns its sequence; `with` are further
    // operations of the same transaction (an index entry written with a journal's first event).
    Result<std::int64_t> append(std::string_view text, const std::vector<EtcdOperation>& with = {});
    // The lines from `first` on, oldest first.
    Result<std::vector<EtcdLogLine>> read_from(std::int64_t first) const;
    // The newest line's sequence; 0 for an empty log.
    Result<std::int64_t> newest() const;

  private:
    std::shared_ptr<EtcdClient> client_;
    std::string prefix_;
    std::int64_t next_ = 0;  // where the next append tries first; 0: not known yet
};

}  // namespace launchkit::store
