#include "playbook/run_journal.h"

#include <algorithm>
#include <random>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "util/file_io.h"
#include "util/time.h"

namespace launchkit::playbook {
namespace {

void apply_step_event(StepRecord& record, const nlohmann::json& event) {
    auto type = event.value("event", "");
    record.name = event.value("step", "");
    record.phase = event.value("phase", "forward");
    if (type == "step_started") {
        record.status = "running";
        record.started_at = event.value("time", "");
    } else if (type == "step_progress") {
        record.progress = event.value("progress", nlohmann::json(nullptr));
    } else if (type == "step_finished") {
        record.status = event.value("status", "failed");
        record.finished_at = event.value("time", "");
        record.outputs = event.value("outputs", nlohmann::json::object());
        record.undo = event.value("undo", nlohmann::json(nullptr));
        record.decision = event.value("decision", nlohmann::json(nullptr));
        record.message = event.value("message", "");
    }
}

}  // namespace

void note_started(RunState& state, const std::string& phase, const std::string& name) {
    auto& order = phase == "rollback" ? state.rollback_order : state.forward_order;
    if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
}

std::string_view to_string(RunStatus status) {
    switch (status) {
        case RunStatus::running:
            return "running";
        case RunStatus::succeeded:
            return "succeeded";
        case RunStatus::failed:
            return "failed";
        case RunStatus::paused:
            return "paused";
        case RunStatus::rolled_back:
            return "rolled_back";
        case RunStatus::rollback_failed:
            return "rollback_failed";
    }
    return "running";
}

RunJournal::RunJournal(const std::filesystem::path& state_dir, std::string run_id)
    : run_id_(std::move(run_id)), path_(state_dir / "runs" / (run_id_ + ".jsonl")) {}

Result<void> RunJournal::append(const nlohmann::json& event) const {
    LAUNCHKIT_TRY(util::create_directories(path_.parent_path()));
    return util::append_durably(path_, event.dump() + "\n");
}

Result<RunState> RunJournal::replay() const {
    if (!std::filesystem::exists(path_))
        return fail(ExitCode::invalid_input, "no run '{}' (no journal at {})", run_id_,
                    path_.string());
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(path_));
    RunState state;
    state.run_id = run_id_;
    size_t line_number = 0;
    size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        auto line = text.substr(start, end - start);
        start = end + 1;
        ++line_number;
        if (line.empty()) continue;
        auto event = nlohmann::json::parse(line, nullptr, false);
        if (event.is_discarded() || !event.is_object()) {
            // A torn last line is a write the kill interrupted: everything before it stands.
            if (start >= text.size()) break;
            return fail(ExitCode::environment, "{}:{}: not a journal event", path_.string(),
                        line_number);
        }
        auto type = event.value("event", "");
        if (type == "run_started") {
            state.started = event;
        } else if (type.starts_with("step_")) {
            auto phase = event.value("phase", "forward");
            auto& records = phase == "rollback" ? state.rollback : state.steps;
            auto name = event.value("step", "");
            if (type == "step_started") note_started(state, phase, name);
            auto& record = records[name];
            apply_step_event(record, event);
            if (phase == "forward" && type == "step_finished" && record.status == "succeeded")
                state.completed.push_back(record.name);
        } else if (type == "rollback_started") {
            state.rolling_back = true;
            state.rollback_started_at = event.value("time", "");
            state.failure_reason = event.value("reason", "");
            state.failed_step = event.value("failed_step", "");
        } else if (type == "run_paused") {
            state.status = RunStatus::paused;
            state.failure_reason = event.value("reason", "");
            state.failed_step = event.value("failed_step", "");
        } else if (type == "run_continued") {
            state.status = RunStatus::running;
        } else if (type == "run_finished") {
            auto status = event.value("status", "");
            for (auto candidate : {RunStatus::succeeded, RunStatus::failed, RunStatus::rolled_back,
                                   RunStatus::rollback_failed})
                if (to_string(candidate) == status) state.status = candidate;
            state.finished_at = event.value("time", "");
            if (event.contains("reason")) state.failure_reason = event.value("reason", "");
        }
    }
    if (state.started.empty())
        return fail(ExitCode::environment, "{}: no run_started event", path_.string());
    return state;
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
