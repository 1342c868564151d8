// HTTP(S) checks through libcurl's multi interface: every request in flight at once on one
// thread, at most `parallel` at a time, each judged against its expectations.
#pragma once

#include <vector>

#include "probe/check.h"
#include "probe/http_client.h"
#include "probe/probe_result.h"

namespace launchkit::probe {

// `checks` must all be HTTP checks; results come back in the same order. At most `parallel`
// transfers (and curl handles) exist at once, whatever the number of checks.
std::vector<ProbeResult> run_http_probes(const std::vector<const Check*>& checks, int parallel);

// Judges a response against `expect`; returns the first failure, or nothing when it passes.
std::optional<std::string> find_http_failure(const HttpExpectation& expect,
                                             const HttpResponse& response);

}  // namespace launchkit::probe
