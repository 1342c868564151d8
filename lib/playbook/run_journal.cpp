#include "playbook/run_journal.h"

#include <algorithm>
#include <random>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "util/bounded_json.h"
#include "util/file_io.h"
#include "util/time.h"

namespace launchkit::playbook {
namespace {

// The events in `text` (whole lines only), appended to `events`. `last_line_may_be_torn`: the
// text runs to the end of the file, where a write a kill interrupted may have left half a line.
Result<void> parse_lines(std::string_view text, const std::filesystem::path& path,
                         size_t first_line, bool last_line_may_be_torn,
                         std::vector<RunEvent>& events) {
    size_t line_number = first_line;
    size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        bool last = end == std::string_view::npos || end + 1 >= text.size();
        if (end == std::string_view::npos) end = text.size();
        auto line = text.substr(start, end - start);
        start = end + 1;
        ++line_number;
        if (line.empty()) continue;
        auto where = fmt::format("{}:{}", path.string(), line_number);
        auto object = util::parse_json(line);
        if (!object || !object->is_object()) {
            // Only a last line cut short by a crash is skipped; a nested one is damage.
            if (last && last_line_may_be_torn &&
                !(object || object.error().message.starts_with("nested")))
                break;
            return fail(ExitCode::environment, "{}: not a journal event{}", where,
                        object ? "" : ": " + object.error().message);
        }
        LAUNCHKIT_TRY_ASSIGN(auto event, parse_run_event(*object, where));
        events.push_back(std::move(event));
    }
    return {};
}

}  // namespace

RunJournal::RunJournal(const std::filesystem::path& state_dir, std::string run_id)
    : run_id_(std::move(run_id)), path_(state_dir / "runs" / (run_id_ + ".jsonl")) {}

RunJournal::RunJournal(const store::SharedCluster& cluster, std::string run_id)
    : run_id_(std::move(run_id)),
      shared_(std::make_shared<store::EtcdLog>(cluster.client,
                                               cluster.prefix + "runs/" + run_id_ + "/")),
      index_key_(cluster.prefix + "run-ids/" + run_id_) {}

Result<RunJournal> RunJournal::open(const Context& context, std::string run_id) {
    LAUNCHKIT_TRY_ASSIGN(auto cluster, store::open_shared_cluster(context));
    if (cluster) return RunJournal(*cluster, std::move(run_id));
    return RunJournal(context.state_dir, std::move(run_id));
}

std::string RunJournal::location() const {
    return shared_ ? shared_->location() : path_.string();
}

Result<bool> RunJournal::exists() const {
    if (!shared_) return std::filesystem::exists(path_);
    LAUNCHKIT_TRY_ASSIGN(auto first, shared_->read_from(1));
    return !first.empty();
}

Result<void> RunJournal::append(const RunEvent& event) const {
    auto line = util::dump_json(to_json(event));
    if (shared_) {
        // The run's first event also enters it in the index that lists runs, in one transaction.
        std::vector<store::EtcdOperation> with;
        if (const auto* started = std::get_if<RunStarted>(&event))
            with.push_back(store::EtcdOperation{
                .kind = store::EtcdOperation::Kind::put,
                .key = index_key_,
                .value = util::dump_json(nlohmann::json{{"environment", started->env}})});
        LAUNCHKIT_TRY(shared_->append(line, with));
        return {};
    }
    LAUNCHKIT_TRY(util::create_directories(path_.parent_path(), 0700));
    return util::append_line_durably(path_, line + "\n");
}

Result<std::optional<RunState>> RunJournal::replay_if_started() const {
    std::vector<RunEvent> events;
    if (shared_) {
        LAUNCHKIT_TRY_ASSIGN(auto lines, shared_->read_from(1));
        if (lines.empty())
            return fail(ExitCode::invalid_input, "no run '{}' (no journal at {})", run_id_,
                        location());
        for (const auto& line : lines)
            LAUNCHKIT_TRY(parse_lines(line.text, shared_->key(line.sequence), 0, false, events));
    } else {
        if (!std::filesystem::exists(path_))
            return fail(ExitCode::invalid_input, "no run '{}' (no journal at {})", run_id_,
                        path_.string());
        LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(path_));
        LAUNCHKIT_TRY(parse_lines(text, path_, 0, true, events));
    }
    if (events.empty()) return std::nullopt;
    if (!std::holds_alternative<RunStarted>(events.front()))
        return fail(ExitCode::environment, "{}: does not begin with a run_started event",
                    location());
    RunState state;
    state.run_id = run_id_;
    for (const auto& event : events) playbook::apply(state, event);
    return state;
}

Result<RunState> RunJournal::replay() const {
    LAUNCHKIT_TRY_ASSIGN(auto state, replay_if_started());
    if (!state)
        return fail(ExitCode::environment,
                    "{}: run {} never started: it was killed before its first event reached the "
                    "disk, and did nothing",
                    path_.string(), run_id_);
    return std::move(*state);
}

Result<std::vector<RunEvent>> RunJournal::read_from(size_t& offset) const {
    std::vector<RunEvent> events;
    if (shared_) {
        // The position is the number of lines read.
        LAUNCHKIT_TRY_ASSIGN(auto lines, shared_->read_from(static_cast<std::int64_t>(offset) + 1));
        for (const auto& line : lines) {
            LAUNCHKIT_TRY(parse_lines(line.text, shared_->key(line.sequence), 0, false, events));
            offset = static_cast<size_t>(line.sequence);
        }
        return events;
    }
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(path_));
    if (offset >= text.size()) return events;
    auto whole = text.rfind('\n');
    if (whole == std::string::npos || whole < offset) return events;  // a line still being written
    std::string_view fresh(text.data() + offset, whole + 1 - offset);
    auto line = static_cast<size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
    LAUNCHKIT_TRY(parse_lines(fresh, path_, line, false, events));
    offset = whole + 1;
    return events;
}

Result<size_t> RunJournal::end_position() const {
    if (shared_) {
        LAUNCHKIT_TRY_ASSIGN(auto newest, shared_->newest());
        return static_cast<size_t>(newest);
    }
    std::error_code error;
    auto size = std::filesystem::file_size(path_, error);
    if (error && error != std::errc::no_such_file_or_directory)
        return fail(ExitCode::environment, "cannot read {}: {}", path_.string(), error.message());
    return error ? size_t{0} : static_cast<size_t>(size);
}

Result<std::optional<RunState>> replay_if_started(const Context& context,
                                                  const std::string& run_id) {
    LAUNCHKIT_TRY_ASSIGN(auto journal, RunJournal::open(context, run_id));
    return journal.replay_if_started();
}

std::string new_run_id() {
    // Milliseconds, so ids sort in start order even for runs started in the same second (the
    // latest run of an environment is what `rollback ENV` undoes).
    std::random_device device;
    auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    auto millis = now.time_since_epoch().count() % 1000;
    return fmt::format("{:%Y%m%dT%H%M%S}{:03d}Z-{:04x}",
                       std::chrono::floor<std::chrono::seconds>(now), millis, device() & 0xffff);
}

std::vector<std::string> list_run_ids(const std::filesystem::path& state_dir) {
    std::vector<std::string> ids;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(state_dir / "runs", error))
        if (entry.path().extension() == ".jsonl") ids.push_back(entry.path().stem().string());
    std::sort(ids.begin(), ids.end());
    return ids;
}

Result<std::vector<std::string>> list_run_ids(const Context& context) {
    LAUNCHKIT_TRY_ASSIGN(auto cluster, store::open_shared_cluster(context));
    if (!cluster) return list_run_ids(context.state_dir);
    auto prefix = cluster->prefix + "run-ids/";
    LAUNCHKIT_TRY_ASSIGN(auto index,
                         cluster->client->range(prefix, store::prefix_range_end(prefix)));
    std::vector<std::string> ids;
    for (const auto& kv : index.kvs) ids.push_back(kv.key.substr(prefix.size()));
    return ids;  // etcd answers in key order: start order
}

}  // namespace launchkit::playbook
