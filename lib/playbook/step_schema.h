// The settings each step kind accepts: checked when the playbook is loaded (file:line:field
// errors) and normalised to one JSON shape per kind, shorthands expanded (`pause: redemption`,
// `run: [make, migrate]`, `wait: 30s`) and relative paths made absolute beside the playbook.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/yaml_reader.h"
#include "playbook/playbook.h"

namespace launchkit::playbook {

Result<nlohmann::json> read_step_body(const YamlReader& reader, const YamlNode& node,
                                      const std::string& field, StepKind kind,
                                      const std::filesystem::path& directory);

// A rolling deploy's batch: `amount` targets, or `amount` % of them rounded up.
struct BatchSize {
    int amount = 1;
    bool percent = false;
};
inline constexpr int max_batch_targets = 10'000;
// "4" (1 to max_batch_targets) or "25%" (1 to 100); nullopt for anything else ("0", "ten",
// "-5%", "1e308%"), which a rolling deploy must refuse, not run as batches of one.
std::optional<BatchSize> parse_batch_size(std::string_view text);

// `gate: {rules, interval, count, baseline}` on a step or as a step of its own.
Result<GateSpec> read_gate(const YamlReader& reader, const YamlNode& node, const std::string& field,
                           const std::filesystem::path& directory);

// A command as the steps write it: {argv, env, timeout, working_directory} or just the argv list.
Result<nlohmann::json> read_command(const YamlReader& reader, const YamlNode& node,
                                    const std::string& field,
                                    const std::filesystem::path& directory);

}  // namespace launchkit::playbook
