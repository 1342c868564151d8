#include "flags/flag_transfer.h"

#include <set>

#include <yaml-cpp/yaml.h>

#include "core/output.h"
#include "core/yaml_reader.h"
#include "flags/flag_commands.h"
#include "flags/flag_repository.h"
#include "flags/names.h"
#include "flags/segment_repository.h"
#include "flags/unleash_format.h"
#include "flags/unleash_import.h"
#include "store/open_store.h"
#include "util/bounded_json.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "util/time.h"

namespace launchkit::flags {
namespace {

void emit_yaml(YAML::Emitter& out, const nlohmann::ordered_json& value) {
    if (value.is_object()) {
        out << YAML::BeginMap;
        for (const auto& [key, item] : value.items()) {
            out << YAML::Key << key << YAML::Value;
            emit_yaml(out, item);
        }
        out << YAML::EndMap;
    } else if (value.is_array()) {
        out << YAML::BeginSeq;
        for (const auto& item : value) emit_yaml(out, item);
        out << YAML::EndSeq;
    } else if (value.is_string()) {
        // Quoted, so a date or "on" stays a string when read back.
        out << YAML::DoubleQuoted << value.get<std::string>();
    } else if (value.is_boolean()) {
        out << value.get<bool>();
    } else if (value.is_null()) {
        out << YAML::Null;
    } else {
        out << util::dump_json(value);
    }
}

struct ImportPlan {
    std::vector<store::Mutation> mutations;
    std::vector<std::string> created, updated, unchanged, deleted;
    std::vector<std::string> details;  // human lines describing each change
};

// Same targeting: what an import compares to decide whether an environment changed.
bool same_targeting(const FlagEnvironment& left, const FlagEnvironment& right) {
    auto strategies = [](const FlagEnvironment& state) {
        if (!state.strategies) return nlohmann::json(nullptr);
        auto json = nlohmann::json::array();
        for (const auto& strategy : *state.strategies) json.push_back(to_json(strategy));
        return json;
    };
    return left.enabled == right.enabled && left.rollout == right.rollout &&
           strategies(left) == strategies(right) &&
           to_json(left.variants) == to_json(right.variants);
}

// Segments and parents a document's flags name must exist, in the document or the store.
Result<void> check_references(store::Store& store, const FlagDocument& document) {
    std::set<std::string> segments;
    for (const auto& segment : document.segments) segments.insert(segment.name);
    LAUNCHKIT_TRY_ASSIGN(auto stored_segments, list_segments(store));
    for (const auto& segment : stored_segments) segments.insert(segment.name);
    std::map<std::string, const Flag*> flags;
    LAUNCHKIT_TRY_ASSIGN(auto stored_flags, list_flags(store));
    for (const auto& flag : stored_flags) flags[flag.name] = &flag;
    for (const auto& flag : document.flags) flags[flag.name] = &flag;
    for (const auto& flag : document.flags) {
        for (const auto& [environment, state] : flag.environments)
            for (const auto& strategy : state.strategies.value_or(std::vector<Strategy>{}))
                for (const auto& segment : strategy.segments)
                    if (!segments.contains(segment))
                        return fail(ExitCode::invalid_input,
                                    "flag '{}' in {}: no such segment '{}' (in the document or "
                                    "the store)",
                                    flag.name, environment, segment);
        for (const auto& dependency : flag.dependencies) {
            auto parent = flags.find(dependency.feature);
            if (parent == flags.end())
                return fail(ExitCode::invalid_input,
                            "flag '{}' depends on '{}', which is neither in the document nor "
                            "the store",
                            flag.name, dependency.feature);
            if (!parent->second->dependencies.empty())
                return fail(ExitCode::invalid_input,
                            "flag '{}' depends on '{}', which depends on another flag itself",
                            flag.name, dependency.feature);
        }
    }
    return {};
}

Result<ImportPlan> plan_import(store::Store& store, const FlagDocument& document, bool prune,
                               const store::ChangeNote& note) {
    const auto& imported = document.flags;
    LAUNCHKIT_TRY(check_references(store, document));
    ImportPlan plan;
    for (const auto& segment : document.segments) {
        auto key = std::string(segment_key_prefix) + segment.name;
        LAUNCHKIT_TRY_ASSIGN(auto current, store.get(key));
        auto value = to_json(segment);
        if (current && current->value == value) continue;
        plan.details.push_back(
            fmt::format("segment {}: {}", segment.name, current ? "changed" : "created"));
        plan.mutations.push_back(
            {store::MutationKind::put, key, std::move(value), current ? current->mod_revision : 0});
    }
    LAUNCHKIT_TRY_ASSIGN(auto entries, store.list(flag_key_prefix));
    std::map<std::string, const store::StoreEntry*> existing;
    for (const auto& entry : entries) existing[entry.key] = &entry;
    std::set<std::string> listed;
    for (const auto& incoming : imported) {
        auto key = flag_key(incoming.name);
        listed.insert(key);
        auto found = existing.find(key);
        Flag merged;
        nlohmann::json before = nullptr;
        if (found == existing.end()) {
            merged.name = incoming.name;
            merged.created_at = note.time;
            merged.created_by = note.actor;
        } else {
            before = found->second->value;
            LAUNCHKIT_TRY_ASSIGN(merged, flag_from_json(before, key));
        }
        merged.description = incoming.description;
        merged.owner = incoming.owner;
        merged.expires = incoming.expires;
        merged.group_id = incoming.group_id;
        merged.dependencies = incoming.dependencies;
        // The document says what each listed environment is: its state, and its strategies
        // (none listed: the rollout alone) and variants.
        for (const auto& [environment, state] : incoming.environments) {
            auto current = merged.in(environment);
            if (merged.environments.contains(environment) && same_targeting(current, state))
                continue;
            if (!merged.environments.contains(environment) &&
                same_targeting(FlagEnvironment{}, state))
                continue;
            auto next = state;
            next.updated_at = note.time;
            next.updated_by = note.actor;
            merged.environments[environment] = std::move(next);
        }
        auto after = to_json(merged);
        if (after == before) {
            plan.unchanged.push_back(incoming.name);
            continue;
        }
        (before.is_null() ? plan.created : plan.updated).push_back(incoming.name);
        for (const auto& line : describe_flag_change(before, after))
            plan.details.push_back(fmt::format("{}: {}", incoming.name, line));
        plan.mutations.push_back({store::MutationKind::put, key, std::move(after),
                                  found == existing.end() ? 0 : found->second->mod_revision});
    }
    if (prune) {
        for (const auto& [key, entry] : existing) {
            if (listed.contains(key)) continue;
            auto name = key.substr(flag_key_prefix.size());
            plan.deleted.push_back(name);
            plan.details.push_back(fmt::format("{}: deleted", name));
            plan.mutations.push_back({store::MutationKind::remove, key, {}, entry->mod_revision});
        }
    }
    return plan;
}

}  // namespace

Result<ExitCode> run_export(Context& context, const ExportOptions& options) {
    if (options.format != "json" && options.format != "yaml")
        return fail(ExitCode::invalid_input, "invalid --format '{}' (expected json or yaml)",
                    options.format);
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(auto flags, list_flags(*store));
    LAUNCHKIT_TRY_ASSIGN(auto segments, list_segments(*store));
    auto document = flag_document(flags, segments, util::format_rfc3339(context.now()));
    std::string text;
    if (options.format == "json") {
        text = document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    } else {
        YAML::Emitter emitter;
        emit_yaml(emitter, document);
        text = std::string(emitter.c_str()) + "\n";
    }
    if (options.output.empty() || options.output == "-") {
        *context.out << text;
        return ExitCode::ok;
    }
    LAUNCHKIT_TRY(util::write_file_atomically(options.output, text));
    *context.err << fmt::format("exported {} to {}\n", util::count_of(flags.size(), "flag"),
                                options.output.string());
    return ExitCode::ok;
}

Result<ExitCode> run_import(Context& context, const ImportOptions& options) {
    bool from_stdin = options.input == "-";
    std::string source = from_stdin ? "<stdin>" : options.input.string();
    if (!from_stdin && !std::filesystem::exists(options.input))
        return fail(ExitCode::invalid_input, "import file '{}' does not exist", source);
    LAUNCHKIT_TRY_ASSIGN(std::string text,
                         util::read_file(from_stdin ? "/dev/stdin" : options.input));
    if (options.format != "auto" && options.format != "launchkit" && options.format != "unleash")
        return fail(ExitCode::invalid_input,
                    "invalid --format '{}' (expected auto, launchkit or unleash)", options.format);
    FlagDocument document;
    std::vector<std::string> notes;
    // Unleash's documents are JSON; launchkit's are JSON or YAML.
    std::optional<nlohmann::json> json;
    if (auto first = text.find_first_not_of(" \t\r\n");
        first != std::string::npos && text[first] == '{')
        if (auto parsed = util::parse_json(text, ExitCode::invalid_input))
            json = std::move(*parsed);
    bool unleash = options.format == "unleash" ||
                   (options.format == "auto" && json && is_unleash_document(*json));
    if (unleash) {
        if (!json)
            return fail(ExitCode::invalid_input, "{}: Unleash's documents are JSON; this is not",
                        source);
        LAUNCHKIT_TRY_ASSIGN(auto environment, resolve_environment(context, options.environment));
        LAUNCHKIT_TRY_ASSIGN(document,
                             flag_document_from_unleash(*json, environment, source, notes));
    } else {
        LAUNCHKIT_TRY_ASSIGN(document, parse_flag_document(text, source));
    }
    const auto& imported = document.flags;

    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    auto note = store::change_note(context, options.reason);
    ImportPlan plan;
    // Plan against what is stored, commit with CAS on every key; if another writer got in
    // between, plan again against the new state.
    for (int attempt = 0;; ++attempt) {
        LAUNCHKIT_TRY_ASSIGN(plan, plan_import(*store, document, options.prune, note));
        if (options.dry_run || plan.mutations.empty()) break;
        LAUNCHKIT_TRY_ASSIGN(auto outcome, store->commit(plan.mutations, note));
        if (outcome.committed) break;
        if (attempt == 100)
            return fail(ExitCode::environment, "{}: gave up importing after {} conflicting writes",
                        store->location(), attempt);
    }
    if (context.json) {
        print_json(*context.out, {{"dry_run", options.dry_run},
                                  {"created", plan.created},
                                  {"updated", plan.updated},
                                  {"unchanged", plan.unchanged},
                                  {"deleted", plan.deleted}});
        return ExitCode::ok;
    }
    for (const auto& note : notes) *context.err << "note: " << terminal_safe(note) << '\n';
    for (const auto& line : plan.details) *context.out << terminal_safe(line) << '\n';
    *context.out << fmt::format("{}{}: {} created, {} updated, {} unchanged, {} deleted\n",
                                options.dry_run ? "would import " : "imported ",
                                util::count_of(imported.size(), "flag"), plan.created.size(),
                                plan.updated.size(), plan.unchanged.size(), plan.deleted.size());
    return ExitCode::ok;
}

}  // namespace launchkit::flags
