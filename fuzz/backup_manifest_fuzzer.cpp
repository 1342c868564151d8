// Backup manifests (manifest.json beside each backup's data).
#include "backup/backup_manifest.h"
#include "fuzz_input.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    (void)backup::parse_manifest(text, "manifest.json");
    return 0;
}
