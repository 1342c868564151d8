#include "version/release_ledger.h"

#include <map>

#include "store/open_store.h"
#include "util/bounded_json.h"
#include "util/file_io.h"
#include "util/file_lock.h"
#include "version/semver.h"

namespace launchkit::version {
namespace {

Result<LedgerEvent> parse_event(std::string_view text) {
    if (text == "created") return LedgerEvent::created;
    if (text == "deployed") return LedgerEvent::deployed;
    if (text == "rolled_back") return LedgerEvent::rolled_back;
    if (text == "deploy_failed") return LedgerEvent::deploy_failed;
    if (text == "drilled") return LedgerEvent::drilled;
    return fail(ExitCode::environment, "unknown event '{}'", text);
}

Result<LedgerEntry> entry_from_json(const nlohmann::json& json) {
    if (!json.is_object()) return fail(ExitCode::environment, "expected a JSON object");
    LedgerEntry entry;
    auto text = [&](const char* key) -> std::string {
        auto found = json.find(key);
        return found != json.end() && found->is_string() ? found->get<std::string>() : "";
    };
    LAUNCHKIT_TRY_ASSIGN(entry.event, parse_event(text("event")));
    entry.time = text("time");
    entry.version = text("version");
    entry.tag_prefix = text("tag_prefix");
    entry.environment = text("environment");
    entry.tag = text("tag");
    entry.commit = text("commit");
    entry.repository = text("repository");
    entry.actor = text("actor");
    entry.note = text("note");
    entry.run_id = text("run_id");
    entry.started_at = text("started_at");
    entry.outcome = text("outcome");
    entry.rollback_run_id = text("rollback_run_id");
    entry.signing_key_id = text("signing_key_id");
    entry.checksums = text("checksums");
    entry.checksums_sha256 = text("checksums_sha256");
    auto seconds = [&](const char* key) -> std::optional<double> {
        auto found = json.find(key);
        if (found == json.end() || !found->is_number()) return std::nullopt;
        return found->get<double>();
    };
    entry.rollback_seconds = seconds("rollback_seconds");
    entry.recovery_seconds = seconds("recovery_seconds");
    if (entry.version.empty() || entry.time.empty())
        return fail(ExitCode::environment, "missing 'version' or 'time'");
    return entry;
}

}  // namespace

std::string_view to_string(LedgerEvent event) {
    switch (event) {
        case LedgerEvent::created:
            return "created";
        case LedgerEvent::deployed:
            return "deployed";
        case LedgerEvent::rolled_back:
            return "rolled_back";
        case LedgerEvent::deploy_failed:
            return "deploy_failed";
        case LedgerEvent::drilled:
            return "drilled";
    }
    return "created";
}

nlohmann::json to_json(const LedgerEntry& entry) {
    auto json = nlohmann::json{{"time", entry.time},
                               {"event", to_string(entry.event)},
                               {"version", entry.version},
                               {"tag_prefix", entry.tag_prefix},
                               {"environment", entry.environment},
                               {"tag", entry.tag},
                               {"commit", entry.commit},
                               {"repository", entry.repository},
                               {"actor", entry.actor},
                               {"note", entry.note},
                               {"run_id", entry.run_id},
                               {"started_at", entry.started_at},
                               {"outcome", entry.outcome}};
    if (entry.event == LedgerEvent::created && !entry.signing_key_id.empty()) {
        json["signing_key_id"] = entry.signing_key_id;
        json["checksums"] = entry.checksums;
        json["checksums_sha256"] = entry.checksums_sha256;
    }
    if (entry.event == LedgerEvent::drilled) {
        json["rollback_run_id"] = entry.rollback_run_id;
        json["rollback_seconds"] = entry.rollback_seconds ? nlohmann::json(*entry.rollback_seconds)
                                                          : nlohmann::json(nullptr);
        json["recovery_seconds"] = entry.recovery_seconds ? nlohmann::json(*entry.recovery_seconds)
                                                          : nlohmann::json(nullptr);
    }
    return json;
}

ReleaseLedger::ReleaseLedger(const std::filesystem::path& state_dir)
    : state_dir_(state_dir), path_(state_dir / "releases.jsonl") {}

ReleaseLedger::ReleaseLedger(store::EtcdLog log)
    : shared_(std::make_shared<store::EtcdLog>(std::move(log))) {}

Result<ReleaseLedger> ReleaseLedger::open(const Context& context) {
    LAUNCHKIT_TRY_ASSIGN(auto cluster, store::open_shared_cluster(context));
    if (!cluster) return ReleaseLedger(context.state_dir);
    return ReleaseLedger(store::EtcdLog(cluster->client, cluster->prefix + "releases/"));
}

std::string ReleaseLedger::location() const {
    return shared_ ? shared_->location() : path_.string();
}

Result<void> ReleaseLedger::append(const LedgerEntry& entry) const {
    if (auto valid = parse_semver(entry.version); !valid) return std::unexpected(valid.error());
    if (shared_) {
        LAUNCHKIT_TRY(shared_->append(util::dump_json(to_json(entry))));
        return {};
    }
    LAUNCHKIT_TRY(util::create_directories(state_dir_, 0700));
    LAUNCHKIT_TRY_ASSIGN(auto lock, util::FileLock::acquire(state_dir_ / "releases.lock"));
    return util::append_line_durably(path_, util::dump_json(to_json(entry)) + "\n");
}

Result<std::vector<LedgerEntry>> ReleaseLedger::read() const {
    std::vector<LedgerEntry> entries;
    if (shared_) {
        LAUNCHKIT_TRY_ASSIGN(auto lines, shared_->read_from(1));
        for (const auto& line : lines) {
            auto where = shared_->key(line.sequence);
            auto json = util::parse_json(line.text);
            if (!json)
                return fail(ExitCode::environment, "{}: corrupt ledger entry ({})", where,
                            json.error().message);
            auto entry = entry_from_json(*json);
            if (!entry)
                return fail(ExitCode::environment, "{}: corrupt ledger entry: {}", where,
                            entry.error().message);
            entries.push_back(std::move(*entry));
        }
        return entries;
    }
    if (!std::filesystem::exists(path_)) return entries;
    LAUNCHKIT_TRY_ASSIGN(std::string text, util::read_file(path_));
    size_t line_number = 0;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        bool unterminated = end == std::string::npos;
        if (unterminated) end = text.size();
        ++line_number;
        std::string_view line(text.data() + start, end - start);
        start = end + 1;
        if (line.empty()) continue;
        auto json = util::parse_json(line);
        // A last line without its newline that is not whole was cut short by a crash: never
        // acknowledged, it is not an entry.
        if (!json && unterminated) break;
        if (!json)
            return fail(ExitCode::environment, "{}:{}: corrupt ledger entry ({})", path_.string(),
                        line_number, json.error().message);
        auto entry = entry_from_json(*json);
        if (!entry)
            return fail(ExitCode::environment, "{}:{}: corrupt ledger entry: {}", path_.string(),
                        line_number, entry.error().message);
        entries.push_back(std::move(*entry));
    }
    return entries;
}

Result<void> ReleaseLedger::record_deploy(const std::string& version, const std::string& tag_prefix,
                                          const std::string& environment, const std::string& actor,
                                          const std::string& time, const std::string& note) const {
    return append(LedgerEntry{.time = time,
                              .event = LedgerEvent::deployed,
                              .version = version,
                              .tag_prefix = tag_prefix,
                              .environment = environment,
                              .actor = actor,
                              .note = note});
}

Result<void> ReleaseLedger::record_rollback(const std::string& version,
                                            const std::string& tag_prefix,
                                            const std::string& environment,
                                            const std::string& actor, const std::string& time,
                                            const std::string& reason) const {
    return append(LedgerEntry{.time = time,
                              .event = LedgerEvent::rolled_back,
                              .version = version,
                              .tag_prefix = tag_prefix,
                              .environment = environment,
                              .actor = actor,
                              .note = reason});
}

Result<std::vector<LedgerEntry>> read_ledger(const Context& context) {
    LAUNCHKIT_TRY_ASSIGN(auto ledger, ReleaseLedger::open(context));
    return ledger.read();
}

Result<void> append_to_ledger(const Context& context, const LedgerEntry& entry) {
    LAUNCHKIT_TRY_ASSIGN(auto ledger, ReleaseLedger::open(context));
    return ledger.append(entry);
}

std::vector<LedgerEntry> current_deployments(const std::vector<LedgerEntry>& entries,
                                             const std::string& tag_prefix) {
    std::map<std::string, LedgerEntry> latest;  // by environment, so output is sorted
    for (const auto& entry : entries) {
        if (entry.event == LedgerEvent::created || entry.event == LedgerEvent::deploy_failed ||
            entry.event == LedgerEvent::drilled || entry.tag_prefix != tag_prefix)
            continue;
        latest[entry.environment] = entry;
    }
    std::vector<LedgerEntry> result;
    for (auto& [environment, entry] : latest) result.push_back(std::move(entry));
    return result;
}

std::string running_version(const std::vector<LedgerEntry>& entries, const std::string& tag_prefix,
                            const std::string& environment) {
    for (const auto& entry : current_deployments(entries, tag_prefix))
        if (entry.environment == environment) return entry.version;
    return {};
}

}  // namespace launchkit::version
