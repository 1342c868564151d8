// The small values typed on command lines and in files: durations ("1h30m"), gate conditions
// ("> 2%", "< baseline * 1.2"), status ranges, sizes, dates, impact ranges, `--var` assignments.
// The first byte picks the parser, so one corpus covers them all.
#include "decide/decision_matrix.h"
#include "decide/threshold_rule.h"
#include "fuzz_input.h"
#include "probe/check.h"
#include "probe/filesystem_probe.h"
#include "util/duration.h"
#include "util/time.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    auto text = fuzz::as_text(data + 1, size - 1);
    switch (data[0] % 8) {
        case 0:
            if (auto duration = util::parse_duration(text)) {
                (void)util::format_duration(*duration);
            }
            break;
        case 1:
            (void)decide::parse_condition(text);
            break;
        case 2:
            (void)probe::parse_status_range(text);
            break;
        case 3:
            (void)probe::parse_size(text);
            break;
        case 4:
            (void)util::parse_date(text);
            break;
        case 5:
            (void)util::parse_rfc3339(text);
            break;
        case 6:
            (void)decide::parse_impact_range(text);
            break;
        default:
            (void)probe::parse_json_expectation(text);
            break;
    }
    return 0;
}
