#include "util/signal_latch.h"

#include <array>

#include <fmt/format.h>

namespace launchkit::util {
namespace {

constexpr std::array<int, 3> latched_signals{SIGINT, SIGTERM, SIGHUP};

volatile std::sig_atomic_t first_signal = 0;
volatile std::sig_atomic_t signal_count = 0;
std::array<struct sigaction, latched_signals.size()> previous_actions{};

extern "C" void note_signal(int signal) {
    if (first_signal == 0) first_signal = signal;
    signal_count = signal_count + 1;
}

}  // namespace

SignalLatch::SignalLatch() {
    first_signal = 0;
    signal_count = 0;
    struct sigaction action {};
    action.sa_handler = note_signal;
    sigemptyset(&action.sa_mask);
    // No SA_RESTART: a wait in progress returns early, so the runner sees the signal sooner.
    action.sa_flags = 0;
    for (size_t i = 0; i < latched_signals.size(); ++i)
        sigaction(latched_signals[i], &action, &previous_actions[i]);
}

SignalLatch::~SignalLatch() {
    for (size_t i = 0; i < latched_signals.size(); ++i)
        sigaction(latched_signals[i], &previous_actions[i], nullptr);
}

int SignalLatch::first() const {
    return first_signal;
}

int SignalLatch::count() const {
    return signal_count;
}

std::string signal_name(int signal) {
    switch (signal) {
        case SIGINT:
            return "SIGINT";
        case SIGTERM:
            return "SIGTERM";
        case SIGHUP:
            return "SIGHUP";
        default:
            return fmt::format("signal {}", signal);
    }
}

}  // namespace launchkit::util
