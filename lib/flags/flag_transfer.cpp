#include "flags/flag_transfer.h"

#include <set>

#include <yaml-cpp/yaml.h>

#include "core/output.h"
#include "core/yaml_reader.h"
#include "flags/flag_repository.h"
#include "flags/names.h"
#include "store/open_store.h"
#include "util/bounded_json.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "util/time.h"

namespace launchkit::flags {
namespace {

Result<Flag> parse_flag(const YamlReader& reader, const YamlNode& node, const std::string& field) {
    if (!node.is_map()) return reader.invalid(node, field, "expected a mapping with a name");
    LAUNCHKIT_TRY(reader.only_keys(node, field + ".",
                                   {"name", "description", "owner", "expires", "group_id",
                                    "environments", "created_at", "created_by"}));
    Flag flag;
    if (!node["name"]) return reader.invalid(node, field + ".name", "missing");
    LAUNCHKIT_TRY_ASSIGN(flag.name, reader.text(node["name"], field + ".name"));
    if (auto valid = validate_name(flag.name, "flag name"); !valid)
        return reader.invalid(node["name"], field + ".name", valid.error().message);
    LAUNCHKIT_TRY_ASSIGN(flag.description,
                         reader.text(node["description"], field + ".description"));
    LAUNCHKIT_TRY_ASSIGN(flag.owner, reader.text(node["owner"], field + ".owner"));
    LAUNCHKIT_TRY_ASSIGN(flag.expires, reader.text(node["expires"], field + ".expires"));
    if (!flag.expires.empty() && !util::parse_date(flag.expires))
        return reader.invalid(node["expires"], field + ".expires",
                              fmt::format("'{}' is not a date YYYY-MM-DD (years {} to {})",
                                          flag.expires, util::min_year, util::max_year));
    LAUNCHKIT_TRY_ASSIGN(flag.group_id, reader.text(node["group_id"], field + ".group_id"));
    if (!flag.group_id.empty()) {
        if (auto valid = validate_group_id(flag.group_id); !valid)
            return reader.invalid(node["group_id"], field + ".group_id", valid.error().message);
    }
    const auto& environments = node["environments"];
    if (!environments || environments.is_null()) return flag;
    if (!environments.is_map())
        return reader.invalid(environments, field + ".environments",
                              "expected a mapping of environment name to {enabled, rollout}");
    for (const auto& entry : environments.entries()) {
        auto name = entry.first.text();
        auto environment_field = fmt::format("{}.environments.{}", field, name);
        if (auto valid = validate_name(name, "environment"); !valid)
            return reader.invalid(entry.first, environment_field, valid.error().message);
        const auto& state = entry.second;
        if (!state.is_map())
            return reader.invalid(state, environment_field, "expected {enabled: true|false}");
        LAUNCHKIT_TRY(reader.only_keys(state, environment_field + ".",
                                       {"enabled", "rollout", "updated_at", "updated_by"}));
        FlagEnvironment parsed;
        LAUNCHKIT_TRY_ASSIGN(parsed.enabled,
                             reader.boolean(state["enabled"] ? state["enabled"] : state,
                                            environment_field + ".enabled"));
        if (const auto& rollout = state["rollout"]) {
            LAUNCHKIT_TRY_ASSIGN(auto percent,
                                 reader.integer(rollout, environment_field + ".rollout", 0, 100));
            parsed.rollout = static_cast<int>(percent);
        }
        flag.environments[name] = parsed;
    }
    return flag;
}

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

Result<ImportPlan> plan_import(store::Store& store, const std::vector<Flag>& imported, bool prune,
                               const store::ChangeNote& note) {
    ImportPlan plan;
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
        for (const auto& [environment, state] : incoming.environments)
            LAUNCHKIT_TRY(
                set_environment_state(merged, environment, state.enabled, state.rollout, note));
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

Result<std::vector<Flag>> parse_flag_document(std::string_view text, std::string_view source) {
    YamlReader reader{std::string(source)};
    LAUNCHKIT_TRY_ASSIGN(YamlNode root, reader.load(text));
    if (!root.is_map()) return reader.invalid(root, "document", "expected a mapping with 'flags'");
    LAUNCHKIT_TRY(reader.only_keys(root, "", {"format", "exported_at", "flags"}));
    if (root["format"]) {
        LAUNCHKIT_TRY_ASSIGN(auto format, reader.text(root["format"], "format"));
        if (format != transfer_format)
            return reader.invalid(
                root["format"], "format",
                fmt::format("'{}' is not supported (expected '{}')", format, transfer_format));
    }
    const auto& list = root["flags"];
    if (!list || !(list.is_sequence() || list.is_null()))
        return reader.invalid(list ? list : root, "flags", "expected a list of flags");
    std::vector<Flag> flags;
    std::set<std::string> seen;
    for (size_t i = 0; i < list.size(); ++i) {
        auto field = fmt::format("flags[{}]", i);
        LAUNCHKIT_TRY_ASSIGN(Flag flag, parse_flag(reader, list[i], field));
        if (!seen.insert(flag.name).second)
            return reader.invalid(list[i], field + ".name",
                                  fmt::format("'{}' is listed twice", flag.name));
        flags.push_back(std::move(flag));
    }
    return flags;
}

nlohmann::ordered_json flag_document(const std::vector<Flag>& flags,
                                     const std::string& exported_at) {
    auto text_or_null = [](const std::string& text) {
        return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
    };
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& flag : flags) {
        nlohmann::ordered_json environments = nlohmann::ordered_json::object();
        for (const auto& [name, state] : flag.environments)
            environments[name] = {{"enabled", state.enabled}, {"rollout", state.rollout}};
        list.push_back({{"name", flag.name},
                        {"description", flag.description},
                        {"owner", flag.owner},
                        {"expires", text_or_null(flag.expires)},
                        {"group_id", text_or_null(flag.group_id)},
                        {"environments", std::move(environments)}});
    }
    return {{"format", transfer_format}, {"exported_at", exported_at}, {"flags", std::move(list)}};
}

Result<ExitCode> run_export(Context& context, const ExportOptions& options) {
    if (options.format != "json" && options.format != "yaml")
        return fail(ExitCode::invalid_input, "invalid --format '{}' (expected json or yaml)",
                    options.format);
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(auto flags, list_flags(*store));
    auto document = flag_document(flags, util::format_rfc3339(context.now()));
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
    LAUNCHKIT_TRY_ASSIGN(auto imported, parse_flag_document(text, source));

    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    auto note = store::change_note(context, options.reason);
    ImportPlan plan;
    // Plan against what is stored, commit with CAS on every key; if another writer got in
    // between, plan again against the new state.
    for (int attempt = 0;; ++attempt) {
        LAUNCHKIT_TRY_ASSIGN(plan, plan_import(*store, imported, options.prune, note));
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
    for (const auto& line : plan.details) *context.out << line << '\n';
    *context.out << fmt::format("{}{}: {} created, {} updated, {} unchanged, {} deleted\n",
                                options.dry_run ? "would import " : "imported ",
                                util::count_of(imported.size(), "flag"), plan.created.size(),
                                plan.updated.size(), plan.unchanged.size(), plan.deleted.size());
    return ExitCode::ok;
}

}  // namespace launchkit::flags
