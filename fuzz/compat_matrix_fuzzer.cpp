// Compatibility matrices for `release-manager compat check`.
#include "fuzz_input.h"
#include "version/compat_matrix.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    (void)version::parse_compatibility_matrix(text, "fuzz.yaml");
    return 0;
}
