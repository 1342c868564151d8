// What a flag server answers from: one environment's flags, segments and launch controls as read
// at one store revision. Requests read a snapshot in memory; only a commit makes a new one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "flags/flag.h"
#include "flags/flag_evaluation.h"
#include "flags/launch_control.h"
#include "store/store.h"

namespace launchkit::serve {

struct FlagSnapshot {
    std::string environment;
    std::int64_t revision = 0;  // the store revision it was read at
    flags::TargetingSet targeting;
    std::vector<flags::Flag> flags;  // as stored, for the runbooks' API
    std::vector<flags::LaunchControl> launch_controls;
};

// Reads the snapshot at the store's current revision. The revision is read first: a commit
// landing while the rest is read makes the next refresh read again, never skips it.
Result<FlagSnapshot> load_flag_snapshot(store::Store& store, const std::string& environment,
                                        const flags::DeclaredControls& declared);

}  // namespace launchkit::serve
