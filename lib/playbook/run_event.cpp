#include "playbook/run_event.h"

#include <array>

#include <fmt/format.h>

#include "util/bounded_json.h"

namespace launchkit::playbook {
namespace {

template <typename Enum, size_t N>
std::optional<Enum> parse_enum(std::string_view text,
                               const std::array<std::pair<Enum, std::string_view>, N>& names) {
    for (const auto& [value, name] : names)
        if (name == text) return value;
    return std::nullopt;
}

constexpr std::array<std::pair<RunStatus, std::string_view>, 7> run_status_names{{
    {RunStatus::running, "running"},
    {RunStatus::succeeded, "succeeded"},
    {RunStatus::failed, "failed"},
    {RunStatus::paused, "paused"},
    {RunStatus::rolled_back, "rolled_back"},
    {RunStatus::rollback_failed, "rollback_failed"},
    {RunStatus::abandoned, "abandoned"},
}};

constexpr std::array<std::pair<RunControl, std::string_view>, 5> run_control_names{{
    {RunControl::abort, "abort"},
    {RunControl::promote, "promote"},
    {RunControl::promote_full, "promote_full"},
    {RunControl::pause, "pause"},
    {RunControl::resume, "resume"},
}};

// Reads an event's fields by name, remembering the first that is missing or of the wrong type.
class FieldReader {
  public:
    FieldReader(const nlohmann::json& object, const std::string& where)
        : object_(object), where_(where) {}

    std::string text(const char* key, bool required = false) {
        auto found = object_.find(key);
        if (found == object_.end() || found->is_null()) {
            if (required) note(key, "is missing");
            return {};
        }
        if (!found->is_string()) {
            note(key, "expected a string");
            return {};
        }
        return found->get<std::string>();
    }
    std::optional<int> integer(const char* key) {
        auto found = object_.find(key);
        if (found == object_.end() || found->is_null()) return std::nullopt;
        auto number = util::integer_value<int>(*found);
        if (!number) note(key, "expected an integer");
        return number;
    }
    double number(const char* key) {
        auto found = object_.find(key);
        if (found == object_.end() || found->is_null()) return 0;
        if (!found->is_number()) {
            note(key, "expected a number");
            return 0;
        }
        return found->get<double>();
    }
    nlohmann::json any(const char* key, nlohmann::json fallback = nullptr) {
        auto found = object_.find(key);
        return found == object_.end() ? fallback : *found;
    }
    std::vector<std::string> strings(const char* key) {
        std::vector<std::string> values;
        auto found = object_.find(key);
        if (found == object_.end() || found->is_null()) return values;
        if (!found->is_array()) {
            note(key, "expected a list of strings");
            return values;
        }
        for (const auto& item : *found) {
            if (!item.is_string()) {
                note(key, "expected a list of strings");
                return {};
            }
            values.push_back(item.get<std::string>());
        }
        return values;
    }
    std::map<std::string, std::string> string_map(const char* key) {
        std::map<std::string, std::string> values;
        auto found = object_.find(key);
        if (found == object_.end() || found->is_null()) return values;
        if (!found->is_object()) {
            note(key, "expected an object of strings");
            return values;
        }
        for (const auto& [name, value] : found->items()) {
            if (!value.is_string()) {
                note(key, "expected an object of strings");
                return {};
            }
            values[name] = value.get<std::string>();
        }
        return values;
    }
    StepPhase phase() {
        auto text_value = text("phase");
        if (text_value.empty() || text_value == "forward") return StepPhase::forward;
        if (text_value == "rollback") return StepPhase::rollback;
        note("phase", "expected forward or rollback");
        return StepPhase::forward;
    }
    template <typename Enum, size_t N>
    Enum choice(const char* key, const std::array<std::pair<Enum, std::string_view>, N>& names) {
        auto value = text(key, true);
        if (auto parsed = parse_enum(value, names)) return *parsed;
        if (!value.empty()) note(key, fmt::format("unknown value '{}'", value));
        return names.front().first;
    }

    Result<void> result() const {
        if (problem_.empty()) return {};
        return fail(ExitCode::environment, "{}: {}", where_, problem_);
    }

  private:
    void note(const char* key, std::string_view what) {
        if (problem_.empty()) problem_ = fmt::format("field '{}' {}", key, what);
    }

    const nlohmann::json& object_;
    const std::string& where_;
    std::string problem_;
};

nlohmann::json fields(const RunStarted& event) {
    nlohmann::json json{{"run_id", event.run_id},
                        {"playbook_file", event.playbook_file},
                        {"playbook_digest", event.playbook_digest},
                        {"playbook", event.playbook},
                        {"version", event.version},
                        {"env", event.env},
                        {"previous_version", event.previous_version},
                        {"tag_prefix", event.tag_prefix},
                        {"actor", event.actor},
                        {"command", event.command},
                        {"strategy", event.strategy},
                        {"approvals", event.approvals},
                        {"vars", event.vars},
                        {"owner_pid", event.owner_pid}};
    if (event.initial_traffic) json["initial_traffic"] = *event.initial_traffic;
    if (event.forced)
        json["forced"] = {{"reason", event.forced->reason},
                          {"skipped", event.forced->skipped},
                          {"unsigned_release", event.forced->unsigned_release}};
    return json;
}
nlohmann::json fields(const StepStarted& event) {
    return {{"step", event.step}, {"phase", to_string(event.phase)}, {"kind", event.kind}};
}
nlohmann::json fields(const StepProgress& event) {
    return {{"step", event.step}, {"phase", to_string(event.phase)}, {"progress", event.progress}};
}
nlohmann::json fields(const TrafficChanged& event) {
    return {
        {"step", event.step}, {"weight", event.weight}, {"previous_weight", event.previous_weight}};
}
nlohmann::json fields(const GateDecided& event) {
    return {{"step", event.step},
            {"label", event.label},
            {"verdict", event.verdict},
            {"reason", event.reason},
            {"decision", event.decision}};
}
nlohmann::json fields(const StepFinished& event) {
    return {{"step", event.step},
            {"phase", to_string(event.phase)},
            {"status", to_string(event.status)},
            {"outputs", event.outputs},
            {"undo", event.undo},
            {"decision", event.decision},
            {"message", event.message},
            {"seconds", event.seconds}};
}
nlohmann::json fields(const RollbackStarted& event) {
    return {{"reason", event.reason}, {"failed_step", event.failed_step}};
}
nlohmann::json fields(const RunPaused& event) {
    return {{"reason", event.reason}, {"failed_step", event.failed_step}};
}
nlohmann::json fields(const RunContinued&) {
    return nlohmann::json::object();
}
nlohmann::json fields(const ControlRequested& event) {
    return {
        {"control", to_string(event.control)}, {"actor", event.actor}, {"reason", event.reason}};
}
nlohmann::json fields(const ControlHandled& event) {
    return {{"control", to_string(event.control)}, {"message", event.message}};
}
nlohmann::json fields(const RunInterrupted& event) {
    return {{"signal", event.signal}, {"action", to_string(event.action)}};
}
nlohmann::json fields(const NotificationSent& event) {
    return {{"target", event.target},     {"notice", event.notice}, {"delivered", event.delivered},
            {"attempts", event.attempts}, {"error", event.error},   {"reference", event.reference}};
}
nlohmann::json fields(const RunFinished& event) {
    return {{"status", to_string(event.status)},
            {"reason", event.reason},
            {"failed_step", event.failed_step}};
}

RunStarted read_run_started(FieldReader& read) {
    RunStarted event;
    event.run_id = read.text("run_id");
    event.playbook_file = read.text("playbook_file", true);
    event.playbook_digest = read.text("playbook_digest");
    event.playbook = read.text("playbook");
    event.version = read.text("version", true);
    event.env = read.text("env", true);
    event.previous_version = read.text("previous_version");
    event.tag_prefix = read.text("tag_prefix");
    event.actor = read.text("actor");
    event.command = read.text("command");
    // Journals before typed events wrote --strategy twice, as strategy and strategy_override.
    auto override_strategy = read.text("strategy_override");
    event.strategy = override_strategy.empty() ? read.text("strategy") : override_strategy;
    event.initial_traffic = read.integer("initial_traffic");
    event.approvals = read.strings("approvals");
    event.vars = read.string_map("vars");
    auto forced = read.any("forced");
    if (forced.is_object()) {
        FieldReader forced_read(forced, "forced");
        event.forced = ForcedPromotion{forced_read.text("reason"), forced_read.strings("skipped"),
                                       forced_read.text("unsigned_release")};
    }
    event.owner_pid = read.integer("owner_pid").value_or(0);
    return event;
}

}  // namespace

std::string_view to_string(RunStatus status) {
    for (const auto& [value, name] : run_status_names)
        if (value == status) return name;
    return "running";
}

std::optional<RunStatus> parse_run_status(std::string_view text) {
    return parse_enum(text, run_status_names);
}

std::string_view to_string(StepPhase phase) {
    return phase == StepPhase::rollback ? "rollback" : "forward";
}

std::string_view to_string(StepStatus status) {
    switch (status) {
        case StepStatus::running:
            return "running";
        case StepStatus::succeeded:
            return "succeeded";
        case StepStatus::failed:
            return "failed";
    }
    return "failed";
}

std::string_view to_string(RunControl control) {
    for (const auto& [value, name] : run_control_names)
        if (value == control) return name;
    return "abort";
}

std::optional<RunControl> parse_run_control(std::string_view text) {
    return parse_enum(text, run_control_names);
}

std::string_view to_string(OnInterrupt action) {
    return action == OnInterrupt::pause ? "pause" : "rollback";
}

std::string_view event_name(const RunEvent& event) {
    static constexpr std::array<std::string_view, std::variant_size_v<RunEvent>> names{
        "run_started",   "step_started",      "step_progress",    "traffic_changed",
        "gate_decided",  "step_finished",     "rollback_started", "run_paused",
        "run_continued", "control_requested", "control_handled",  "run_interrupted",
        "run_finished",  "notification_sent"};
    return names[event.index()];
}

const std::string& event_time(const RunEvent& event) {
    return std::visit([](const auto& typed) -> const std::string& { return typed.time; }, event);
}

nlohmann::json to_json(const RunEvent& event) {
    auto json = std::visit([](const auto& typed) { return fields(typed); }, event);
    json["event"] = event_name(event);
    json["time"] = event_time(event);
    return json;
}

Result<RunEvent> parse_run_event(const nlohmann::json& object, const std::string& where) {
    FieldReader read(object, where);
    auto name = read.text("event", true);
    auto time = read.text("time", true);
    LAUNCHKIT_TRY(read.result());
    RunEvent event;
    if (name == "run_started") {
        event = read_run_started(read);
    } else if (name == "step_started") {
        event = StepStarted{{}, read.text("step", true), read.phase(), read.text("kind")};
    } else if (name == "step_progress") {
        event = StepProgress{{}, read.text("step", true), read.phase(), read.any("progress")};
    } else if (name == "traffic_changed") {
        event = TrafficChanged{{},
                               read.text("step", true),
                               read.integer("weight").value_or(0),
                               read.integer("previous_weight").value_or(0)};
    } else if (name == "gate_decided") {
        event = GateDecided{{},
                            read.text("step", true),
                            read.text("label"),
                            read.text("verdict"),
                            read.text("reason"),
                            read.any("decision")};
    } else if (name == "step_finished") {
        StepFinished finished;
        finished.step = read.text("step", true);
        finished.phase = read.phase();
        auto status = read.text("status", true);
        finished.status = status == "succeeded" ? StepStatus::succeeded : StepStatus::failed;
        finished.outputs = read.any("outputs", nlohmann::json::object());
        finished.undo = read.any("undo");
        finished.decision = read.any("decision");
        finished.message = read.text("message");
        finished.seconds = read.number("seconds");
        event = std::move(finished);
    } else if (name == "rollback_started") {
        event = RollbackStarted{{}, read.text("reason"), read.text("failed_step")};
    } else if (name == "run_paused") {
        event = RunPaused{{}, read.text("reason"), read.text("failed_step")};
    } else if (name == "run_continued") {
        event = RunContinued{};
    } else if (name == "control_requested") {
        event = ControlRequested{
            {}, read.choice("control", run_control_names), read.text("actor"), read.text("reason")};
    } else if (name == "control_handled") {
        event = ControlHandled{{}, read.choice("control", run_control_names), read.text("message")};
    } else if (name == "run_interrupted") {
        event = RunInterrupted{
            {},
            read.text("signal"),
            read.text("action") == "pause" ? OnInterrupt::pause : OnInterrupt::rollback};
    } else if (name == "run_finished") {
        event = RunFinished{{},
                            read.choice("status", run_status_names),
                            read.text("reason"),
                            read.text("failed_step")};
    } else if (name == "notification_sent") {
        auto delivered = read.any("delivered");
        event = NotificationSent{{},
                                 read.text("target"),
                                 read.text("notice"),
                                 delivered.is_boolean() && delivered.get<bool>(),
                                 static_cast<int>(read.integer("attempts").value_or(0)),
                                 read.text("error"),
                                 read.text("reference")};
    } else {
        return fail(ExitCode::environment, "{}: unknown event '{}'", where, name);
    }
    LAUNCHKIT_TRY(read.result());
    std::visit([&time](auto& typed) { typed.time = time; }, event);
    return event;
}

}  // namespace launchkit::playbook
