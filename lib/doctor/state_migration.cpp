#include "doctor/state_migration.h"

#include <fmt/format.h>

#include "core/output.h"
#include "flags/flag_commands.h"
#include "playbook/run_journal.h"
#include "store/etcd_log.h"
#include "store/etcd_store.h"
#include "store/file_store.h"
#include "store/open_store.h"
#include "util/bounded_json.h"
#include "util/file_io.h"
#include "version/release_ledger.h"

namespace launchkit::doctor {
namespace {

// The whole lines of a JSON-lines file; a last line without its newline was cut short by a
// crash, never acknowledged, and is left out (as every reader of these files does).
Result<std::vector<std::string>> whole_lines(const std::filesystem::path& path) {
    std::vector<std::string> lines;
    if (!std::filesystem::exists(path)) return lines;
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(path));
    size_t start = 0;
    for (auto end = text.find('\n'); end != std::string::npos;
         start = end + 1, end = text.find('\n', start))
        if (end > start) lines.push_back(text.substr(start, end - start));
    return lines;
}

// Puts every pair, 100 to a transaction (etcd allows 128 operations in one).
Result<void> put_all(store::EtcdClient& client,
                     const std::vector<std::pair<std::string, std::string>>& pairs) {
    constexpr size_t batch = 100;
    for (size_t start = 0; start < pairs.size(); start += batch) {
        store::EtcdTransaction transaction;
        for (size_t i = start; i < std::min(pairs.size(), start + batch); ++i)
            transaction.success.push_back(
                store::EtcdOperation{.kind = store::EtcdOperation::Kind::put,
                                     .key = pairs[i].first,
                                     .value = pairs[i].second});
        LAUNCHKIT_TRY(client.transact(transaction));
    }
    return {};
}

struct MigrationReport {
    std::string target{};
    std::int64_t records = 0;
    size_t keys = 0;
    size_t ledger_entries = 0;
    size_t runs = 0;
    size_t events = 0;
};

Result<MigrationReport> migrate(const Context& context, const StoreMigrateOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto location, store::parse_etcd_location(options.to));
    LAUNCHKIT_TRY_ASSIGN(auto settings, store::etcd_settings(context, location.endpoints));

    // Everything local is read and checked before the first write to etcd.
    store::FileStore source(context.state_dir / "store");
    LAUNCHKIT_TRY_ASSIGN(auto verification, source.verify_audit());
    if (!verification.intact)
        return fail(ExitCode::said_no,
                    "{}: the audit chain is damaged ({}); not copying it — see 'release-manager "
                    "doctor'",
                    source.location(), verification.problem);
    LAUNCHKIT_TRY_ASSIGN(auto audit_lines,
                         whole_lines(context.state_dir / "store" / "audit.jsonl"));
    if (static_cast<std::int64_t>(audit_lines.size()) != verification.records)
        return fail(ExitCode::environment,
                    "{}: {} records in the log but {} verified; was it written to meanwhile?",
                    source.location(), audit_lines.size(), verification.records);
    LAUNCHKIT_TRY_ASSIGN(auto entries, source.list(""));
    LAUNCHKIT_TRY_ASSIGN(auto revision, source.revision());

    version::ReleaseLedger local_ledger(context.state_dir);
    LAUNCHKIT_TRY_ASSIGN(auto ledger_entries, local_ledger.read());
    LAUNCHKIT_TRY_ASSIGN(auto ledger_lines, whole_lines(local_ledger.path()));

    struct RunCopy {
        std::string id;
        std::string environment;
        std::vector<std::string> lines;
    };
    std::vector<RunCopy> runs;
    for (const auto& id : playbook::list_run_ids(context.state_dir)) {
        playbook::RunJournal journal(context.state_dir, id);
        LAUNCHKIT_TRY_ASSIGN(auto state, journal.replay_if_started());
        if (!state) continue;  // killed before its first event: it did nothing
        LAUNCHKIT_TRY_ASSIGN(auto lines, whole_lines(journal.location()));
        runs.push_back(RunCopy{id, state->started.env, std::move(lines)});
    }

    LAUNCHKIT_TRY_ASSIGN(auto created, store::EtcdClient::create(settings));
    auto client = std::make_shared<store::EtcdClient>(std::move(created));
    auto prefix_end = store::prefix_range_end(location.prefix);
    LAUNCHKIT_TRY_ASSIGN(auto occupied, client->range(location.prefix, prefix_end, 1));
    if (!occupied.kvs.empty()) {
        if (!options.force)
            return fail(ExitCode::said_no,
                        "{} already holds keys under {} (such as {}); not copying over them — "
                        "--force replaces them",
                        client->location(), location.prefix, occupied.kvs.front().key);
        LAUNCHKIT_TRY(client->remove(location.prefix, prefix_end));
    }

    MigrationReport report;
    report.target = options.to;
    LAUNCHKIT_TRY_ASSIGN(auto store_client, store::EtcdClient::create(settings));
    store::EtcdStore target(std::move(store_client), location.prefix);
    LAUNCHKIT_TRY(target.import_copy(audit_lines, entries, revision, verification.head_hash));
    report.records = verification.records;
    report.keys = entries.size();

    std::vector<std::pair<std::string, std::string>> pairs;
    store::EtcdLog ledger(client, location.prefix + "releases/");
    for (size_t i = 0; i < ledger_lines.size(); ++i)
        pairs.emplace_back(ledger.key(static_cast<std::int64_t>(i + 1)), ledger_lines[i]);
    report.ledger_entries = ledger_entries.size();
    for (const auto& run : runs) {
        store::EtcdLog journal(client, location.prefix + "runs/" + run.id + "/");
        for (size_t i = 0; i < run.lines.size(); ++i)
            pairs.emplace_back(journal.key(static_cast<std::int64_t>(i + 1)), run.lines[i]);
        pairs.emplace_back(location.prefix + "run-ids/" + run.id,
                           util::dump_json(nlohmann::json{{"environment", run.environment}}));
        report.events += run.lines.size();
    }
    report.runs = runs.size();
    LAUNCHKIT_TRY(put_all(*client, pairs));

    // The copy, read back as every command will read it.
    LAUNCHKIT_TRY_ASSIGN(auto copied, target.verify_audit());
    if (!copied.intact || copied.records != verification.records)
        return fail(ExitCode::environment, "{}: the copy does not verify: {}", target.location(),
                    copied.problem.empty() ? "record counts differ" : copied.problem);
    LAUNCHKIT_TRY_ASSIGN(auto copied_ledger,
                         version::ReleaseLedger(store::EtcdLog(client, ledger.prefix())).read());
    if (copied_ledger.size() != ledger_entries.size())
        return fail(ExitCode::environment, "{}: {} ledger entries copied, {} read back",
                    ledger.location(), ledger_entries.size(), copied_ledger.size());
    return report;
}

}  // namespace

Result<ExitCode> run_store_migrate(Context& context, const StoreMigrateOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto report, migrate(context, options));
    if (context.json) {
        print_json(*context.out, {{"target", report.target},
                                  {"records", report.records},
                                  {"keys", report.keys},
                                  {"ledger_entries", report.ledger_entries},
                                  {"runs", report.runs},
                                  {"events", report.events}});
    } else {
        *context.out << fmt::format(
            "copied {} to {}: {} audit records, {} keys, {} ledger entries, {} runs ({} events); "
            "the chain verifies there\n",
            context.state_dir.string(), report.target, report.records, report.keys,
            report.ledger_entries, report.runs, report.events);
    }
    return ExitCode::ok;
}

Result<ExitCode> run_store_verify(Context& context) {
    // The same check and output as `feature-flags audit --verify`: one chain, one report.
    return flags::run_audit(context, flags::AuditOptions{.verify = true});
}

}  // namespace launchkit::doctor
