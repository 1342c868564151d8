// What the targeting subcommands of `feature-flags` do: eval (a context in, the answer, the
// variant and why out), strategy, segment, variant and dependency. Every change is validated in
// full before it is stored, and audited like any flag change.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/context.h"
#include "flags/constraint.h"
#include "flags/flag_commands.h"

namespace launchkit::flags {

struct EvalFlagOptions {
    FlagTarget target{};
    std::string subject{};               // shorthand for --context userId=SUBJECT
    std::vector<std::string> context{};  // NAME=VALUE
    std::string context_file{};          // Unleash's context JSON
};

struct StrategyAddOptions {
    FlagTarget target{};
    std::string strategy{};  // default, flexibleRollout, userWithId, remoteAddress, ...
    std::optional<std::string> rollout{};
    std::optional<std::string> stickiness{};
    std::optional<std::string> group_id{};
    std::optional<std::string> user_ids{};    // comma-separated
    std::optional<std::string> addresses{};   // comma-separated IPs and CIDR ranges
    std::optional<std::string> host_names{};  // comma-separated
    std::vector<std::string> constraints{};   // "[not] FIELD OPERATOR[/i] VALUE[,VALUE...]"
    std::vector<std::string> segments{};
    std::string title{};
};

struct StrategyRemoveOptions {
    FlagTarget target{};
    int position = 0;  // from 1, as `strategy list` numbers them
};

struct SegmentOptions {
    std::string name{};
    std::string description{};
    std::vector<std::string> constraints{};
    std::string reason{};
};

struct VariantAddOptions {
    FlagTarget target{};
    std::string variant{};
    std::optional<int> weight{};  // fixed weight out of 1000; none: shares what is left
    std::string stickiness{};
    std::string payload_type{};  // string, json, number, csv
    std::string payload{};
    std::vector<std::string> overrides{};  // FIELD=VALUE[,VALUE...]
};

struct VariantRemoveOptions {
    FlagTarget target{};
    std::string variant{};
};

struct DependencyOptions {
    std::string name{};
    std::string parent{};
    bool parent_off = false;              // the child needs the parent off
    std::vector<std::string> variants{};  // the child needs one of these variants of the parent
    std::string reason{};
};

// Reads "[not] FIELD OPERATOR[/i] VALUE[,VALUE...]" ("region IN eu,us", "appVersion SEMVER_GTE
// 2.3.0", "not email STR_ENDS_WITH/i @example.com") into a validated constraint.
Result<Constraint> parse_constraint_text(std::string_view text);

// Exit 0 when the flag is on for the context, 1 when off.
Result<ExitCode> run_eval(Context& context, const EvalFlagOptions& options);
Result<ExitCode> run_strategy_add(Context& context, const StrategyAddOptions& options);
Result<ExitCode> run_strategy_list(Context& context, const FlagTarget& target);
Result<ExitCode> run_strategy_remove(Context& context, const StrategyRemoveOptions& options);
Result<ExitCode> run_segment_put(Context& context, const SegmentOptions& options, bool create);
Result<ExitCode> run_segment_list(Context& context);
Result<ExitCode> run_segment_delete(Context& context, const SegmentOptions& options);
Result<ExitCode> run_variant_add(Context& context, const VariantAddOptions& options);
Result<ExitCode> run_variant_remove(Context& context, const VariantRemoveOptions& options);
Result<ExitCode> run_variant_list(Context& context, const FlagTarget& target);
Result<ExitCode> run_dependency_add(Context& context, const DependencyOptions& options);
Result<ExitCode> run_dependency_remove(Context& context, const DependencyOptions& options);

}  // namespace launchkit::flags
