#include "probe/filesystem_probe.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <sys/stat.h>
#include <sys/statvfs.h>

#include "util/duration.h"
#include "util/strings.h"
#include "util/time.h"

namespace launchkit::probe {
namespace {

using Clock = std::chrono::steady_clock;

std::optional<std::chrono::system_clock::time_point> modified_at(
    const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return std::nullopt;
    // `touch -d 1000-01-01` is a valid mtime, beyond what a time_point's nanoseconds hold.
    return util::from_unix_seconds(info.st_mtim.tv_sec) +
           std::chrono::nanoseconds(info.st_mtim.tv_nsec);
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
    text = util::trim(text);
    size_t split = 0;
    while (split < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[split])) || text[split] == '.'))
        ++split;
    if (split == 0) return std::nullopt;
    double number = 0;
    try {
        size_t used = 0;
        number = std::stod(std::string(text.substr(0, split)), &used);
        if (used != split) return std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
    auto unit = std::string(util::trim(text.substr(split)));
    double scale = 1;
    static constexpr std::pair<const char*, double> units[] = {{"", 1},
                                                               {"B", 1},
                                                               {"K", 1024.0},
                                                               {"KiB", 1024.0},
                                                               {"KB", 1e3},
                                                               {"M", 1048576.0},
                                                               {"MiB", 1048576.0},
                                                               {"MB", 1e6},
                                                               {"G", 1073741824.0},
                                                               {"GiB", 1073741824.0},
                                                               {"GB", 1e9},
                                                               {"T", 1099511627776.0},
                                                               {"TiB", 1099511627776.0},
                                                               {"TB", 1e12}};
    bool known = false;
    for (const auto& [name, factor] : units) {
        if (unit == name) {
            scale = factor;
            known = true;
            break;
        }
    }
    if (!known) return std::nullopt;
    double bytes = number * scale;
    if (!std::isfinite(bytes) || bytes > 1.8e19) return std::nullopt;
    return static_cast<std::uint64_t>(bytes);
}

std::string format_size(std::uint64_t bytes) {
    static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = static_cast<double>(bytes);
    size_t unit = 0;
    while (value >= 1024 && unit + 1 < std::size(units)) {
        value /= 1024;
        ++unit;
    }
    return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

ProbeResult run_disk_probe(const Check& check) {
    const auto& disk = std::get<DiskProbe>(check.probe);
    auto result = result_for(check);
    auto start = Clock::now();
    struct statvfs info {};
    if (::statvfs(disk.path.c_str(), &info) != 0) {
        result.detail = fmt::format("cannot read free space of {}: {}", disk.path.string(),
                                    std::strerror(errno));
        result.latency = elapsed_since(start);
        return result;
    }
    std::uint64_t free_bytes = static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
    std::uint64_t total_bytes = static_cast<std::uint64_t>(info.f_blocks) * info.f_frsize;
    double percent = total_bytes == 0 ? 0
                                      : 100.0 * static_cast<double>(free_bytes) /
                                            static_cast<double>(total_bytes);
    result.latency = elapsed_since(start);
    auto free_text = fmt::format("{} free ({:.1f}%) on {}", format_size(free_bytes), percent,
                                 disk.path.string());
    if (disk.min_free_bytes && free_bytes < *disk.min_free_bytes) {
        result.detail =
            fmt::format("{}, expected at least {}", free_text, format_size(*disk.min_free_bytes));
    } else if (disk.min_free_percent && percent < *disk.min_free_percent) {
        result.detail =
            fmt::format("{}, expected at least {:.1f}%", free_text, *disk.min_free_percent);
    } else {
        result.passed = true;
        result.detail = free_text;
    }
    return result;
}

ProbeResult run_file_age_probe(const Check& check) {
    const auto& file_age = std::get<FileAgeProbe>(check.probe);
    auto result = result_for(check);
    auto start = Clock::now();
    std::error_code error;
    std::optional<std::chrono::system_clock::time_point> newest;
    std::filesystem::path newest_path = file_age.path;
    if (std::filesystem::is_directory(file_age.path, error)) {
        for (const auto& entry : std::filesystem::directory_iterator(file_age.path, error)) {
            auto time = modified_at(entry.path());
            if (time && (!newest || *time > *newest)) {
                newest = time;
                newest_path = entry.path();
            }
        }
        if (!newest) result.detail = fmt::format("{} is empty", file_age.path.string());
    } else {
        newest = modified_at(file_age.path);
        if (!newest) result.detail = fmt::format("{} does not exist", file_age.path.string());
    }
    result.latency = elapsed_since(start);
    if (!newest) return result;
    auto age = util::milliseconds_between(*newest, std::chrono::system_clock::now());
    auto age_text = util::format_duration(std::chrono::duration_cast<std::chrono::seconds>(
        std::max(age, std::chrono::milliseconds(0))));
    if (age > file_age.max_age) {
        result.detail = fmt::format("{} is {} old, expected at most {}", newest_path.string(),
                                    age_text, util::format_duration(file_age.max_age));
    } else {
        result.passed = true;
        result.detail = fmt::format("{} is {} old", newest_path.string(), age_text);
    }
    return result;
}

}  // namespace launchkit::probe
