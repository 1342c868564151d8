// A run's journal (runs/RUN_ID.jsonl) as a kill, a disk or a person may have left it, replayed
// as `release-manager runs RUN_ID`, `resume` and `rollback` do, and read from the start as a
// live runner reads what other shells appended.
#include "fuzz_input.h"
#include "playbook/run_journal.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto state_dir = fuzz::scratch_directory() / "state";
    playbook::RunJournal journal(state_dir, "20261203T120000Z-f022");
    fuzz::write_file(journal.path(), fuzz::as_text(data, size));
    (void)journal.replay();
    size_t offset = 0;
    (void)journal.read_from(offset);
    return 0;
}
