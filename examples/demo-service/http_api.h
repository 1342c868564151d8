// The demo service's HTTP API: the health, metrics and ops endpoints the runbooks curl, and
// the admin calls a playbook's deploy steps make to change which release runs.
#pragma once

#include <string>

#include <httplib.h>

#include "service_state.h"

namespace demo {

// Routes every endpoint to `state`; admin endpoints need "Authorization: Bearer <admin_token>"
// (an empty token turns them off).
void add_routes(httplib::Server& server, ServiceState& state, std::string admin_token);

}  // namespace demo
