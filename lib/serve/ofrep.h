// OpenFeature's Remote Evaluation Protocol (OFREP, open-feature/protocol service/openapi.yaml)
// over a flag snapshot: what `POST /ofrep/v1/evaluate/flags[/KEY]` answers, as plain functions
// of the snapshot and the request, so the HTTP server only routes.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "serve/flag_snapshot.h"

namespace launchkit::serve {

// Launch controls are served as boolean flags under this prefix: true while running.
inline constexpr std::string_view launch_control_key_prefix = "launch.";

struct HttpReply {
    int status = 200;
    nlohmann::json body;  // null: no body (304)
    std::string etag;     // the bulk answer's entity tag, quoted
};

// One flag (or launch control) for the request's context. 200 with {key, value, reason, variant,
// metadata}; 404 FLAG_NOT_FOUND; 400 PARSE_ERROR (not JSON), INVALID_CONTEXT (a context that is
// not an object of plain values), TARGETING_KEY_MISSING (a share of subjects is asked about
// without a targetingKey, userId or sessionId to bucket by).
HttpReply evaluate_ofrep_flag(const FlagSnapshot& snapshot, std::string_view key,
                              std::string_view request_body);

// Every flag and launch control for the request's context: {"flags": [...]} where each item is
// a success or a per-flag failure. The entity tag is the answer's digest: 304 without a body
// when `if_none_match` lists it.
HttpReply evaluate_ofrep_flags(const FlagSnapshot& snapshot, std::string_view request_body,
                               std::string_view if_none_match);

// GET /ofrep/v1/configuration: launchkit's name and what providers may rely on.
nlohmann::json ofrep_configuration();

}  // namespace launchkit::serve
