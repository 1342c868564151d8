#include "flags/flag_completions.h"

#include "flags/flag_repository.h"
#include "flags/launch_control.h"
#include "store/open_store.h"

namespace launchkit::flags {

std::vector<std::string> flag_names(const Context& context) {
    std::vector<std::string> names;
    auto store = store::open_store(context);
    if (!store) return names;
    auto flags = list_flags(**store);
    if (!flags) return names;
    for (const auto& flag : *flags) names.push_back(flag.name);
    return names;
}

std::vector<std::string> launch_control_names(const Context& context) {
    std::vector<std::string> names;
    auto store = store::open_store(context);
    if (!store) return names;
    auto controls = list_launch_controls(**store, context.config.launch_controls);
    if (!controls) return names;
    for (const auto& control : *controls) names.push_back(control.name);
    return names;
}

}  // namespace launchkit::flags
