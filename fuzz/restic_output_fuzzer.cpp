// What restic prints, as launchkit reads it (lib/backup/restic_output.h): `cat config`,
// `snapshots --json` and the lines of `backup --json`, separated by 0x1E. A repository is shared
// with other hosts, so a snapshot's tags and paths are whatever they wrote: every path either
// lands inside the restore target or is refused.
#include <cstdlib>

#include "backup/restic_output.h"
#include "fuzz_input.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [config, rest] = fuzz::split_once(fuzz::as_text(data, size), "\x1e");
    auto [snapshots, backup_lines] = fuzz::split_once(rest, "\x1e");
    if (auto parsed = backup::parse_restic_config(config, "repository"))
        if (parsed->id.empty() || parsed->version < 0 || parsed->version > 1000) std::abort();
    const std::filesystem::path target = "/restore/target";
    if (auto listed = backup::parse_restic_snapshots(snapshots, "repository")) {
        for (const auto& snapshot : *listed) {
            if (snapshot.id.empty()) std::abort();
            (void)snapshot.tag_value("launchkit-id");
            for (const auto& path : snapshot.paths) {
                auto restored = backup::restored_path(target, path);
                if (!restored) continue;
                // Below the target, component by component, and never climbing out of it.
                auto relative = restored->lexically_relative(target);
                if (relative.empty() || relative.is_absolute()) std::abort();
                for (const auto& component : relative)
                    if (component == ".." || component == "." || component.empty()) std::abort();
            }
        }
    }
    for (std::string_view lines = backup_lines; !lines.empty();) {
        auto [line, after] = fuzz::split_once(lines, "\n");
        auto said = backup::parse_restic_backup_message(line);
        if (said.progress && said.summary) std::abort();
        lines = after;
    }
    return 0;
}
