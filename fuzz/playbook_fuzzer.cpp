// Playbooks (playbooks/*.yaml).
#include "fuzz_input.h"
#include "playbook/playbook_parser.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    (void)playbook::parse_playbook(text, "fuzz.yaml");
    return 0;
}
