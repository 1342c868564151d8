#include "util/progress_meter.h"

#include <fmt/format.h>

namespace launchkit::util {

std::string format_bytes(std::uint64_t bytes) {
    static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) return fmt::format("{} B", bytes);
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    return fmt::format("{:.1f} {}", value, units[unit]);
}

ProgressMeter::ProgressMeter(std::ostream* err, std::string label, bool interactive)
    : err_(err), label_(std::move(label)), interactive_(interactive) {}

double ProgressMeter::seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressMeter::advance(std::uint64_t bytes) {
    bytes_ += bytes;
    if (err_ == nullptr || finished_) return;
    auto now = std::chrono::steady_clock::now();
    if (now < next_print_) return;
    next_print_ = now + (interactive_ ? std::chrono::milliseconds(250) : std::chrono::seconds(5));
    print();
}

void ProgressMeter::print() {
    double elapsed = seconds();
    auto rate = elapsed > 0 ? static_cast<std::uint64_t>(static_cast<double>(bytes_) / elapsed) : 0;
    auto line = fmt::format("{}: {} in {:.0f} s, {}/s", label_, format_bytes(bytes_), elapsed,
                            format_bytes(rate));
    if (interactive_)
        *err_ << "\r\033[K" << line << std::flush;
    else
        *err_ << line << '\n' << std::flush;
    printed_ = true;
}

void ProgressMeter::finish() {
    if (finished_) return;
    finished_ = true;
    if (err_ != nullptr && printed_ && interactive_) *err_ << "\r\033[K" << std::flush;
}

}  // namespace launchkit::util
