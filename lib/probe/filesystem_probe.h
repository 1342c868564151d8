// File-system checks for pre-upgrade checklists: enough free disk for the upgrade and its backup,
// and a recent enough backup file.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "probe/check.h"
#include "probe/probe_result.h"

namespace launchkit::probe {

ProbeResult run_disk_probe(const Check& check);
ProbeResult run_file_age_probe(const Check& check);

// "10GiB", "500MB", "1.5G", "4096" (bytes). K/M/G/T are binary (1024) with or without "iB";
// "KB"/"MB"/... are decimal.
std::optional<std::uint64_t> parse_size(std::string_view text);
std::string format_size(std::uint64_t bytes);

}  // namespace launchkit::probe
