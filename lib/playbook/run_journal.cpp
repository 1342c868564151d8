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

Result<void> RunJournal::append(const RunEvent& event) const {
    LAUNCHKIT_TRY(util::create_directories(path_.parent_path(), 0700));
    return util::append_line_durably(path_, util::dump_json(to_json(event)) + "\n");
}

Result<std::optional<RunState>> RunJournal::replay_if_started() const {
    if (!std::filesystem::exists(path_))
        return fail(ExitCode::invalid_input, "no run '{}' (no journal at {})", run_id_,
                    path_.string());
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(path_));
    std::vector<RunEvent> events;
    LAUNCHKIT_TRY(parse_lines(text, path_, 0, true, events));
    if (events.empty()) return std::nullopt;
    if (!std::holds_alternative<RunStarted>(events.front()))
        return fail(ExitCode::environment, "{}: does not begin with a run_started event",
                    path_.string());
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
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(path_));
    std::vector<RunEvent> events;
    if (offset >= text.size()) return events;
    auto whole = text.rfind('\n');
    if (whole == std::string::npos || whole < offset) return events;  // a line still being written
    std::string_view fresh(text.data() + offset, whole + 1 - offset);
    auto line = static_cast<size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
    LAUNCHKIT_TRY(parse_lines(fresh, path_, line, false, events));
    offset = whole + 1;
    return events;
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

}  // namespace launchkit::playbook
