// The bodies of the runbooks' HTTP writes to `feature-flags serve` (lib/serve/runbook_api): POST
// /api/feature-flags/enable|disable and /api/launch-controls/NAME/pause|resume, made against a
// fresh store holding one flag. Input: one byte choosing the route, NAME \n BODY. Every answer is
// a status with a body that writes out; a refused request leaves the store as it was.
#include <cstdlib>

#include "flags/flag_repository.h"
#include "fuzz_input.h"
#include "serve/runbook_api.h"
#include "store/file_store.h"
#include "util/bounded_json.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    int route = data[0] % 4;
    auto [name, body] = fuzz::split_once(fuzz::as_text(data + 1, size - 1), "\n");

    auto directory = fuzz::scratch_directory() / "store";
    std::filesystem::remove_all(directory);
    store::FileStore store(directory);
    const store::ChangeNote note{"2026-01-01T00:00:00Z", "fuzz", "fuzz", ""};
    flags::Flag flag;
    flag.name = "dark-mode";
    if (!flags::create_flag(store, flag, note)) std::abort();
    auto before = store.revision();
    if (!before) std::abort();

    const flags::DeclaredControls declared =
        route % 2 == 0 ? flags::DeclaredControls{} : flags::DeclaredControls{{"redemption", {}}};
    auto reply = route < 2
                     ? serve::toggle_flag_request(store, "production", body, route == 0, note)
                     : serve::launch_control_request(store, name, route == 2, body, note, declared);
    if (reply.status != 200 && reply.status != 400 && reply.status != 404) std::abort();
    (void)util::dump_json(reply.body);
    // Validated in full before the first write: a refusal changed nothing.
    if (reply.status != 200) {
        auto after = store.revision();
        if (!after || *after != *before) std::abort();
    }
    return 0;
}
