#include "doctor/state_doctor.h"

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "backup/backup_operations.h"
#include "backup/backup_repository.h"
#include "core/output.h"
#include "playbook/environment_runs.h"
#include "playbook/run_journal.h"
#include "store/file_store.h"
#include "store/open_store.h"
#include "util/strings.h"
#include "version/release_ledger.h"

namespace launchkit::doctor {
namespace {

namespace fs = std::filesystem;

// A state directory holds a few thousand files at most; past this many the walk stops and says so.
constexpr size_t max_walked_entries = 200'000;
// Problems listed per check; the rest are counted.
constexpr size_t max_listed_problems = 10;

void add_problem(DoctorCheck& check, std::string problem) {
    if (check.problems.size() < max_listed_problems)
        check.problems.push_back(std::move(problem));
    else if (check.problems.size() == max_listed_problems)
        check.problems.push_back("… and more");
}

// Every entry under the state directory (symlinks not followed), at most max_walked_entries.
std::vector<fs::path> walk(const fs::path& root, bool& cut) {
    std::vector<fs::path> entries;
    std::error_code error;
    cut = false;
    for (fs::recursive_directory_iterator
             it(root, fs::directory_options::skip_permission_denied, error),
         end;
         !error && it != end; it.increment(error)) {
        if (entries.size() == max_walked_entries) {
            cut = true;
            break;
        }
        entries.push_back(it->path());
    }
    return entries;
}

// Inodes of the files some process holds an flock on, with its pid, from /proc/locks. Read, not
// tried: taking a lock, even for a moment, could make a deploy starting then refuse to run.
std::map<ino_t, long> held_locks() {
    std::map<ino_t, long> held;
    std::ifstream locks("/proc/locks");
    std::string line;
    while (std::getline(locks, line)) {
        // "1: FLOCK  ADVISORY  WRITE 4242 00:3a:1234567 0 EOF"
        auto fields = util::split_whitespace(line);
        if (fields.size() < 6 || fields[1] != "FLOCK") continue;  // POSIX locks, waiters ("->")
        auto device_inode = fields[5];
        auto colon = device_inode.rfind(':');
        if (colon == std::string::npos) continue;
        held[static_cast<ino_t>(std::strtoull(device_inode.c_str() + colon + 1, nullptr, 10))] =
            std::strtol(fields[4].c_str(), nullptr, 10);
    }
    return held;
}

std::optional<long> holder_of(const fs::path& path, const std::map<ino_t, long>& held) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return std::nullopt;
    auto found = held.find(info.st_ino);
    if (found == held.end()) return std::nullopt;
    return found->second;
}

DoctorCheck check_permissions(const fs::path& root, const std::vector<fs::path>& entries) {
    DoctorCheck check;
    check.name = "permissions";
    size_t open = 0;
    auto inspect = [&](const fs::path& path) {
        struct stat info {};
        if (::lstat(path.c_str(), &info) != 0 || S_ISLNK(info.st_mode)) return;
        if ((info.st_mode & 077) == 0) return;
        ++open;
        add_problem(check, fmt::format("{} is {:04o}: others may read or change it", path.string(),
                                       info.st_mode & 07777));
    };
    inspect(root);
    for (const auto& entry : entries) inspect(entry);
    if (open == 0) {
        check.detail = fmt::format("{} and its {} private to its owner", root.string(),
                                   util::count_of(entries.size(), "entry", "entries"));
        return check;
    }
    check.result = CheckResult::failed;
    check.detail = fmt::format(
        "{} readable or writable by others (flags, journals and backups "
        "hold what a deploy did and the data it saved): chmod -R go-rwx {}",
        util::count_of(open, "entry", "entries"), root.string());
    return check;
}

DoctorCheck check_store(const Context& context) {
    DoctorCheck check;
    check.name = "store";
    std::unique_ptr<store::Store> opened;
    if (context.store.empty()) {
        auto directory = context.state_dir / "store";
        if (!fs::exists(directory)) {
            check.detail = "no store yet (no flag or launch control was ever set)";
            return check;
        }
        opened = std::make_unique<store::FileStore>(directory);
    } else {
        // The shared store (etcd) the commands use instead of the state directory's.
        auto shared = store::open_store(context);
        if (!shared) {
            check.result = CheckResult::failed;
            check.detail = "the shared store cannot be opened";
            add_problem(check, shared.error().message);
            return check;
        }
        opened = std::move(*shared);
    }
    auto& store = *opened;
    auto entries = store.list("");
    if (!entries) {
        check.result = CheckResult::failed;
        check.detail =
            "the store cannot be read; every flag and launch-control command refuses "
            "to run until it is restored";
        add_problem(check, entries.error().message);
        return check;
    }
    auto verification = store.verify_audit();
    if (!verification || !verification->intact) {
        check.result = CheckResult::failed;
        check.detail = "the audit chain is broken: the history of changes cannot be trusted";
        add_problem(check, verification ? verification->problem : verification.error().message);
        return check;
    }
    check.detail = fmt::format(
        "{}{}, audit chain of {} intact", context.store.empty() ? "" : store.location() + ": ",
        util::count_of(entries->size(), "key"),
        util::count_of(static_cast<size_t>(verification->records), "record"));
    return check;
}

DoctorCheck check_runs(const Context& context, const std::map<ino_t, long>& held) {
    DoctorCheck check;
    check.name = "runs";
    auto listed = playbook::list_run_ids(context);
    if (!listed) {
        check.result = CheckResult::failed;
        check.detail = "the runs cannot be listed";
        add_problem(check, listed.error().message);
        return check;
    }
    const auto& ids = *listed;
    size_t damaged = 0, dead = 0, live = 0;
    for (const auto& id : ids) {
        auto started = playbook::replay_if_started(context, id);
        if (!started) {
            ++damaged;
            add_problem(check, started.error().message);
            continue;
        }
        if (!*started) continue;  // killed before its first event: it did nothing
        auto& state = *started;
        if (state->status != playbook::RunStatus::running) continue;
        const auto& environment = state->started.env;
        auto lock = context.state_dir / "locks" / ("deploy-" + environment + ".lock");
        bool held_in_etcd = false;
        if (!context.store.empty()) {
            auto locked = playbook::environment_locked(context, environment);
            if (!locked) {
                ++damaged;
                add_problem(check, locked.error().message);
                continue;
            }
            held_in_etcd = *locked;
        }
        if (held_in_etcd || (context.store.empty() && holder_of(lock, held))) {
            ++live;
            continue;
        }
        ++dead;
        add_problem(check,
                    fmt::format("run {} ({} {}) says running but no process runs it: its runner "
                                "died; 'release-manager rollback {}' undoes it, 'release-manager "
                                "abort {} --abandon' leaves things as they are",
                                id, state->started.version, environment, environment, id));
    }
    if (damaged > 0)
        check.result = CheckResult::failed;
    else if (dead > 0)
        check.result = CheckResult::warning;
    check.detail = fmt::format("{}: {} running, {} left by a dead runner, {} damaged",
                               util::count_of(ids.size(), "journal"), live, dead, damaged);
    return check;
}

DoctorCheck check_ledger(const Context& context) {
    DoctorCheck check;
    check.name = "ledger";
    auto entries = version::read_ledger(context);
    if (!entries) {
        check.result = CheckResult::failed;
        check.detail = "the release ledger cannot be read: history and stats refuse to run";
        add_problem(check, entries.error().message);
        return check;
    }
    check.detail = util::count_of(entries->size(), "entry", "entries");
    return check;
}

DoctorCheck check_backups(Context& context, const DoctorOptions& options) {
    DoctorCheck check;
    check.name = "backups";
    auto repository = backup::BackupRepository::in_state_dir(context.state_dir);
    if (!fs::exists(repository.root())) {
        check.detail = "no backups";
        return check;
    }
    auto listing = repository.list();
    if (!listing) {
        check.result = CheckResult::failed;
        check.detail = "the backup repository cannot be read";
        add_problem(check, listing.error().message);
        return check;
    }
    for (const auto& damaged : listing->damaged) add_problem(check, damaged.problem);
    size_t failed = listing->damaged.size();
    if (!options.backups) {
        check.result = failed ? CheckResult::failed : CheckResult::skipped;
        check.detail = fmt::format("{} listed, not verified (--no-backups)",
                                   util::count_of(listing->backups.size(), "backup"));
        return check;
    }
    for (const auto& manifest : listing->backups) {
        auto report = backup::verify_backup(context, repository, manifest);
        if (report.ok) continue;
        ++failed;
        for (const auto& problem : report.problems)
            add_problem(check, fmt::format("{}: {}", manifest.id, problem));
    }
    if (failed > 0) check.result = CheckResult::failed;
    check.detail = fmt::format("{} verified, {} damaged",
                               util::count_of(listing->backups.size(), "backup"), failed);
    return check;
}

// What killed writers leave: the store's and other files' temporaries (".state.json.tmp-…") and
// backups that were being written or deleted. The next writer of each removes them.
DoctorCheck check_leftovers(const std::vector<fs::path>& entries,
                            const std::map<ino_t, long>& held) {
    DoctorCheck check;
    check.name = "leftovers";
    size_t found = 0;
    for (const auto& entry : entries) {
        auto name = entry.filename().string();
        bool temporary = name.starts_with('.') && name.find(".tmp-") != std::string::npos;
        bool staging = name.starts_with(".incomplete-") || name.starts_with(".deleting-");
        if (!temporary && !staging) continue;
        if (staging && name.starts_with(".incomplete-") &&
            holder_of(fs::path(entry.string() + ".lock"), held))
            continue;  // a backup being written now
        ++found;
        add_problem(check, fmt::format("{}: left by a writer that was killed", entry.string()));
    }
    if (found > 0) check.result = CheckResult::warning;
    check.detail = found == 0 ? "none"
                              : fmt::format(
                                    "{} left by killed writers; the next write of each "
                                    "removes them, nothing reads them",
                                    util::count_of(found, "file"));
    return check;
}

DoctorCheck check_locks(const std::vector<fs::path>& entries, const std::map<ino_t, long>& held) {
    DoctorCheck check;
    check.name = "locks";
    std::vector<std::string> holders;
    for (const auto& entry : entries) {
        if (entry.extension() != ".lock") continue;
        if (auto pid = holder_of(entry, held))
            holders.push_back(fmt::format("{} (pid {})", entry.filename().string(), *pid));
    }
    check.detail = holders.empty() ? "none held: no launchkit command is writing"
                                   : fmt::format("held now: {}", fmt::join(holders, ", "));
    return check;
}

}  // namespace

std::string_view to_string(CheckResult result) {
    switch (result) {
        case CheckResult::ok:
            return "ok";
        case CheckResult::warning:
            return "warning";
        case CheckResult::failed:
            return "failed";
        case CheckResult::skipped:
            return "skipped";
    }
    return "failed";
}

std::vector<DoctorCheck> examine_state(Context& context, const DoctorOptions& options) {
    const auto& root = context.state_dir;
    bool cut = false;
    auto entries = walk(root, cut);
    auto held = held_locks();
    std::vector<DoctorCheck> checks;
    checks.push_back(check_permissions(root, entries));
    if (cut)
        add_problem(checks.back(),
                    fmt::format("only the first {} entries were looked at", max_walked_entries));
    checks.push_back(check_store(context));
    checks.push_back(check_runs(context, held));
    checks.push_back(check_ledger(context));
    checks.push_back(check_backups(context, options));
    checks.push_back(check_leftovers(entries, held));
    checks.push_back(check_locks(entries, held));
    return checks;
}

Result<ExitCode> run_doctor(Context& context, const DoctorOptions& options) {
    if (!fs::is_directory(context.state_dir))
        return fail(ExitCode::invalid_input,
                    "no state directory at {} (nothing to examine; --state-dir names another)",
                    context.state_dir.string());
    auto checks = examine_state(context, options);
    bool ok = std::none_of(checks.begin(), checks.end(), [](const DoctorCheck& check) {
        return check.result == CheckResult::failed;
    });
    if (context.json) {
        auto list = nlohmann::json::array();
        for (const auto& check : checks)
            list.push_back({{"name", check.name},
                            {"result", to_string(check.result)},
                            {"detail", check.detail},
                            {"problems", check.problems}});
        print_json(*context.out,
                   {{"ok", ok}, {"state_dir", context.state_dir.string()}, {"checks", list}});
        return ok ? ExitCode::ok : ExitCode::said_no;
    }
    Table table({"CHECK", "RESULT", "DETAIL"});
    for (const auto& check : checks) {
        auto color = check.result == CheckResult::failed    ? Color::red
                     : check.result == CheckResult::warning ? Color::yellow
                                                            : Color::green;
        table.add_row({check.name,
                       colorize(std::string(to_string(check.result)), color, context.color),
                       check.detail});
        for (const auto& problem : check.problems) table.add_row({"", "", "  " + problem});
    }
    table.render(*context.out, context.color);
    *context.out << colorize(ok ? "state is sound" : "state needs attention",
                             ok ? Color::green : Color::red, context.color)
                 << '\n';
    return ok ? ExitCode::ok : ExitCode::said_no;
}

}  // namespace launchkit::doctor
