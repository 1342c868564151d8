// The release ledger (releases.jsonl) as a kill, a disk or a person may have left it, read as
// `release-manager history` and `stats` read it, the stats computed from what it holds and
// rendered as `stats --html` renders them (a page that runs no script, whatever the ledger says).
#include <chrono>
#include <cstdlib>

#include "fuzz_input.h"
#include "report/stats_report_html.h"
#include "util/time.h"
#include "version/deploy_stats.h"
#include "version/release_ledger.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto state_dir = fuzz::scratch_directory() / "state";
    fuzz::write_file(state_dir / "releases.jsonl", fuzz::as_text(data, size));
    auto entries = version::ReleaseLedger(state_dir).read();
    if (!entries) return 0;
    auto now = util::from_unix_seconds(1'796'000'000);
    auto stats = version::compute_deploy_stats(*entries, "v", "", util::from_unix_seconds(0), now);
    (void)version::success_targets(stats);
    (void)version::to_json(stats);
    auto html = report::render_stats_report(*entries, "v", "", std::chrono::weeks(12), now);
    if (html.find("<script") != std::string::npos) std::abort();
    return 0;
}
