// The runbooks' HTTP writes (`curl -X POST …/api/feature-flags/enable -d '{"name": …}'`): each
// request is validated in full, then made by the same library calls as `feature-flags enable`
// and `launchctl pause`, audited with the token's name as the actor.
#pragma once

#include <string>
#include <string_view>

#include "flags/launch_control.h"
#include "serve/ofrep.h"
#include "store/store.h"

namespace launchkit::serve {

// POST /api/feature-flags/enable|disable: {"name", "env"?, "rollout"? (0-100), "reason"?}.
// 200 with the flag as `feature-flags get --json` shows it and "changed"; 400 naming the field
// at fault; 404 for no such flag; 503 when the store fails.
HttpReply toggle_flag_request(store::Store& store, const std::string& served_environment,
                              std::string_view body, bool enable, const store::ChangeNote& note);

// POST /api/launch-controls/NAME/pause|resume: {"reason"?, "new"? (pause a control never seen)}.
// 200 with the control and "changed"; 400 for a refused name; 503 when the store fails. The
// request's reason is left in `reason_given` (for the announcement a change makes).
HttpReply launch_control_request(store::Store& store, std::string_view name, bool pause,
                                 std::string_view body, const store::ChangeNote& note,
                                 const flags::DeclaredControls& declared,
                                 std::string* reason_given = nullptr);

}  // namespace launchkit::serve
