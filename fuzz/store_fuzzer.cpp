// The store's files as a disk or a person may have left them: state.json and audit.jsonl
// (separated by 0x1E in the input; no state.json when its part is empty), read as every command
// reads them and verified as `feature-flags audit --verify` does. A damaged store is an error,
// never a crash.
#include <string>
#include <string_view>

#include "fuzz_input.h"
#include "store/audit_record.h"
#include "store/file_store.h"

using namespace launchkit;

namespace {

// The log as someone who edits records and then recomputes the chain would leave it: every
// complete line that parses as a record gets its previous_hash and hash recomputed. The chain is
// unkeyed, so such a log verifies, and only a log that verifies reaches the replay of its records
// (apply_record, the key history): a mutated record under its old hash never does.
std::string reseal_log(std::string_view log) {
    std::string resealed;
    std::string previous(store::genesis_hash);
    while (!log.empty()) {
        auto newline = log.find('\n');
        if (newline == std::string_view::npos) {  // a torn tail stays torn
            resealed += log;
            break;
        }
        auto line = log.substr(0, newline);
        log.remove_prefix(newline + 1);
        auto record = store::parse_audit_record(line, {});
        if (!record) {
            resealed += line;
            resealed += '\n';
            continue;
        }
        resealed += store::seal_record(*record, previous);
        previous = record->hash;
    }
    return resealed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [state, audit] = fuzz::split_once(fuzz::as_text(data, size), "\x1e");
    auto directory = fuzz::scratch_directory() / "store";
    // No state text: no state.json, as before a store's first snapshot, when every read replays
    // the whole log (seeds named log-only and resealed-*).
    if (state.empty())
        std::filesystem::remove(directory / "state.json");
    else
        fuzz::write_file(directory / "state.json", state);
    // A second 0x1E right after the first asks for the log resealed (seeds named resealed-*).
    if (audit.starts_with('\x1e'))
        fuzz::write_file(directory / "audit.jsonl", reseal_log(audit.substr(1)));
    else
        fuzz::write_file(directory / "audit.jsonl", audit);
    store::FileStore store(directory);
    (void)store.list("");
    (void)store.audit("");
    (void)store.verify_audit();
    return 0;
}
