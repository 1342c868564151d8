// Checklists for `diagnose run`, `wait` and playbook health steps.
#include "fuzz_input.h"
#include "probe/checklist_parser.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    (void)probe::parse_checklist(text, "fuzz.yaml");
    return 0;
}
