// Catching SIGINT, SIGTERM and SIGHUP for the life of one object, so that a long run stops at
// its next safe point instead of dying in the middle of a traffic change or a restore.
#pragma once

#include <csignal>
#include <string>

namespace launchkit::util {

// While it lives, the three signals are recorded instead of ending the process; the handlers
// before it come back when it goes. One at a time per process.
class SignalLatch {
  public:
    SignalLatch();
    ~SignalLatch();
    SignalLatch(const SignalLatch&) = delete;
    SignalLatch& operator=(const SignalLatch&) = delete;

    // The first signal caught, 0 if none.
    int first() const;
    // How many arrived in all (a second Ctrl-C during a rollback is reported, not obeyed).
    int count() const;
};

// "SIGTERM" for SIGTERM; "signal N" for others.
std::string signal_name(int signal);

}  // namespace launchkit::util
