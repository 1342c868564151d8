#include "serve/flag_snapshot.h"

#include "flags/flag_repository.h"
#include "flags/segment_repository.h"

namespace launchkit::serve {

Result<FlagSnapshot> load_flag_snapshot(store::Store& store, const std::string& environment,
                                        const flags::DeclaredControls& declared) {
    FlagSnapshot snapshot;
    snapshot.environment = environment;
    LAUNCHKIT_TRY_ASSIGN(snapshot.revision, store.revision());
    LAUNCHKIT_TRY_ASSIGN(snapshot.targeting, flags::load_targeting(store, environment));
    LAUNCHKIT_TRY_ASSIGN(snapshot.flags, flags::list_flags(store));
    LAUNCHKIT_TRY_ASSIGN(snapshot.launch_controls, flags::list_launch_controls(store, declared));
    return snapshot;
}

}  // namespace launchkit::serve
