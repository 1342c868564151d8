// launchkit.yaml: environments, backups, release branches, launch controls.
#include "core/config.h"
#include "fuzz_input.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    (void)parse_config(text, "launchkit.yaml");
    return 0;
}
