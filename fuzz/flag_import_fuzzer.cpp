// Flag import files for `feature-flags import` (YAML or JSON).
#include "flags/flag_transfer.h"
#include "fuzz_input.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    (void)flags::parse_flag_document(text, "fuzz.yaml");
    return 0;
}
