// Progress of long byte-moving work (backups, restores, verifies) on stderr: bytes so far and rate,
// only once the work has run for a second, so quick commands stay quiet and scripts' stdout clean.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace launchkit::util {

// "1.5 GiB", "12.0 MiB", "512 B".
std::string format_bytes(std::uint64_t bytes);

class ProgressMeter {
  public:
    // `err` null: silent. `interactive`: redraw one line with \r (a TTY); otherwise a line every 5
    // s.
    ProgressMeter(std::ostream* err, std::string label, bool interactive);
    ProgressMeter(const ProgressMeter&) = delete;
    ProgressMeter& operator=(const ProgressMeter&) = delete;
    ~ProgressMeter() { finish(); }

    void advance(std::uint64_t bytes);
    // Ends the redrawn line; further advances print nothing.
    void finish();

    std::uint64_t bytes() const { return bytes_; }
    double seconds() const;

  private:
    void print();

    std::ostream* err_;
    std::string label_;
    bool interactive_;
    bool printed_ = false;
    bool finished_ = false;
    std::uint64_t bytes_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point next_print_ = start_ + std::chrono::seconds(1);
};

}  // namespace launchkit::util
