// The YAML tree every launchkit file is read into (lib/core/yaml_node.h): libyaml's events, the
// limits and the alias budget, then every node walked as the readers walk them.
#include <cstdlib>

#include "core/yaml_node.h"
#include "core/yaml_reader.h"
#include "fuzz_input.h"

using namespace launchkit;

namespace {

// What every reader relies on: a parsed node has a line, a size that matches its kind, and a
// lookup of each of its keys finds that key's first entry.
void walk(const YamlNode& node, int depth) {
    if (depth > max_yaml_depth + 1 || node.line() < 1) std::abort();
    if (node.is_scalar()) {
        (void)yaml_integer(node);
        (void)yaml_number(node);
        (void)yaml_boolean(node);
        (void)YamlReader::scalar_json(node);
    }
    if (node.size() != node.items().size() + node.entries().size()) std::abort();
    for (const auto& item : node.items()) walk(item, depth + 1);
    for (const auto& [key, value] : node.entries()) {
        if (!key.is_scalar() || !node[key.text()].is_defined()) std::abort();
        walk(value, depth + 1);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto root = load_yaml(fuzz::as_text(data, size), "fuzz.yaml");
    if (root && !root->is_null()) walk(*root, 0);
    return 0;
}
