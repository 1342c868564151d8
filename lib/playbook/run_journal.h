// The journal of one playbook run: an append-only JSON-lines file under the state directory, each
// event fsync'd before the runner goes on, so that a killed run can be resumed from its first
// unfinished step and anyone can read what happened and why. When the state is shared through
// etcd, the events are lines under PREFIX/runs/RUN_ID/ instead, so that any machine can follow,
// resume or abort the run.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "core/context.h"
#include "playbook/run_state.h"
#include "store/etcd_log.h"
#include "store/open_store.h"

namespace launchkit::playbook {

class RunJournal {
  public:
    // The journal of `run_id` in `state_dir`/runs/.
    RunJournal(const std::filesystem::path& state_dir, std::string run_id);
    // The journal of `run_id` in the shared cluster.
    RunJournal(const store::SharedCluster& cluster, std::string run_id);
    // The journal of `run_id` wherever the context's state lives.
    static Result<RunJournal> open(const Context& context, std::string run_id);

    const std::string& run_id() const { return run_id_; }
    // The file, or "etcd http://...: PREFIX/runs/RUN_ID/", for messages.
    std::string location() const;
    // runs/RUN_ID.jsonl; empty when the journal is in etcd.
    const std::filesystem::path& path() const { return path_; }
    // Whether the journal has been created (a run with this id exists).
    Result<bool> exists() const;

    // Appends one event as a JSON line, fsync'd. Other processes append too (a control request
    // from another shell): each event is one write() to a file opened O_APPEND.
    Result<void> append(const RunEvent& event) const;
    // The run as its events say, from the first line on. A torn last line is a write a kill
    // interrupted and is left out; any other line that is not an event is an error naming it.
    Result<RunState> replay() const;
    // As replay(), but nullopt for a journal without one whole event: its process was killed
    // between creating the file and writing run_started, before the run did anything. Lists of
    // runs pass over it; deciding about an environment must not stop at it.
    Result<std::optional<RunState>> replay_if_started() const;
    // The events after position `offset` (0: the beginning), which moves past them: a live
    // runner's way of seeing what other processes appended. Only whole lines are read.
    Result<std::vector<RunEvent>> read_from(size_t& offset) const;
    // The position after the last event now: where a runner that has applied them all reads on.
    Result<size_t> end_position() const;

  private:
    std::string run_id_;
    std::filesystem::path path_;
    std::shared_ptr<store::EtcdLog> shared_;  // set when the journal is in etcd
    std::string index_key_;                   // shared: PREFIX/run-ids/RUN_ID
};

// The run `run_id` wherever the context's state lives (RunJournal::replay_if_started).
Result<std::optional<RunState>> replay_if_started(const Context& context,
                                                  const std::string& run_id);

// A new run id: UTC time to the second and a random suffix ("20261125T214800Z-3fa2").
std::string new_run_id();
// Every run's journal in `state_dir`, oldest first.
std::vector<std::string> list_run_ids(const std::filesystem::path& state_dir);
// Every run wherever the context's state lives, oldest first.
Result<std::vector<std::string>> list_run_ids(const Context& context);

}  // namespace launchkit::playbook
