// The probes that block a thread each: TCP connect and commands. The checklist runner runs them on
// a small pool beside the HTTP multi loop.
#pragma once

#include "probe/check.h"
#include "probe/probe_result.h"

namespace launchkit::probe {

ProbeResult run_tcp_probe(const Check& check);
ProbeResult run_command_probe(const Check& check);

}  // namespace launchkit::probe
