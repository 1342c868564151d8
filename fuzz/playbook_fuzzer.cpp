// Playbooks (playbooks/*.yaml), then what a run does with one before its first step: the
// variables filled in (the builtins, then `vars:` from them) and every step's settings expanded.
// A playbook that reads refers to nothing undefined: a step whose settings use no step output
// (`${steps.NAME.…}`, known only once that step ran) always expands; otherwise the harness traps.
#include "fuzz_input.h"
#include "playbook/playbook_parser.h"
#include "playbook/variables.h"

using namespace launchkit;

namespace {

void expand_step(const playbook::Step& step, const playbook::Variables& variables) {
    auto names = playbook::references(step.body);
    bool needs_outputs = false;
    for (const auto& name : names)
        if (name.starts_with("steps.") || name == "${") needs_outputs = true;
    auto expanded = playbook::expand_json(step.body, variables);
    if (!expanded && !needs_outputs) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto parsed = playbook::parse_playbook(fuzz::as_text(data, size), "fuzz.yaml");
    if (!parsed) return 0;
    playbook::Variables variables;
    for (const auto& name : playbook::builtin_variables()) variables[name] = "${" + name + "}x";
    variables["strategy"] = parsed->strategy("");
    // What the runner adds for a deploy's traffic steps and for the rollback.
    for (const char* name : {"weight", "previous_weight", "batch", "batch_number", "batch_count",
                             "failed_step", "failure_reason"})
        variables[name] = "1";
    for (const auto& [name, value] : parsed->vars)
        variables[name] = playbook::expand(value, variables).value_or(value);
    for (const auto& step : parsed->steps) expand_step(step, variables);
    for (const auto& step : parsed->rollback) expand_step(step, variables);
    return 0;
}
