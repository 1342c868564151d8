// `launchctl pause` and `resume` announce themselves where launchkit.yaml's `notifications:` say
// (the Mycelia Rollback Procedures announce the pause of redemption and update the status page).
// A status page incident the pause opened is remembered in the state store, so the resume — from
// any shell or host sharing the store — resolves that same incident.
#pragma once

#include <string>
#include <vector>

#include "core/context.h"
#include "notify/delivery.h"
#include "store/store.h"

namespace launchkit::notify {

// Sends control_paused or control_resumed to the targets that hear it; never fails: what could
// not be delivered is a warning on the context's stderr and in the returned list.
std::vector<Delivery> announce_control(Context& context, store::Store& store, NoticeKind kind,
                                       const std::string& control, const std::string& reason);

}  // namespace launchkit::notify
