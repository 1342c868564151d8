// A run's journal (runs/RUN_ID.jsonl) as a kill, a disk or a person may have left it, replayed
// as `release-manager runs RUN_ID`, `resume` and `rollback` do, read from the start as a live
// runner reads what other shells appended, and rendered as `release-manager report` renders it:
// whatever the journal holds, the page runs no script.
#include <cstdlib>

#include "fuzz_input.h"
#include "playbook/run_journal.h"
#include "playbook/run_report.h"
#include "report/run_report_html.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto state_dir = fuzz::scratch_directory() / "state";
    playbook::RunJournal journal(state_dir, "20261203T120000Z-f022");
    fuzz::write_file(journal.path(), fuzz::as_text(data, size));
    auto run = journal.replay();
    size_t offset = 0;
    auto events = journal.read_from(offset);
    if (!run || !events) return 0;
    (void)playbook::to_json(*run);
    auto html = report::render_run_report(*run, *events);
    if (html.find("<script") != std::string::npos) std::abort();
    return 0;
}
