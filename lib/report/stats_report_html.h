// `release-manager stats --html FILE`: the Release Management Playbook's success metrics week by
// week, each against its target, as one self-contained HTML page (inline CSS and SVG).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "util/time.h"
#include "version/release_ledger.h"

namespace launchkit::report {

// Weeks ending at `now`, covering `window` (at least one week, at most 104).
std::string render_stats_report(const std::vector<version::LedgerEntry>& entries,
                                const std::string& tag_prefix, const std::string& environment,
                                std::chrono::milliseconds window, util::TimePoint now);

}  // namespace launchkit::report
