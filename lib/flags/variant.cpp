#include "flags/variant.h"

#include <random>
#include <set>

#include "flags/bucketing.h"
#include "util/bounded_json.h"
#include "util/strings.h"

namespace launchkit::flags {

namespace {

constexpr std::uint32_t variant_seed = 86028157;

std::optional<std::string> text_of(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number() || value.is_boolean()) return value.dump();
    return std::nullopt;
}

Result<VariantPayload> payload_from_json(const nlohmann::json& json, std::string_view where) {
    if (!json.is_object())
        return fail(ExitCode::invalid_input, "{}: a payload is {{type, value}}", where);
    auto type = json.find("type");
    auto value = json.find("value");
    if (type == json.end() || !type->is_string())
        return fail(ExitCode::invalid_input, "{}.type: expected string, json, csv or number",
                    where);
    VariantPayload payload{type->get<std::string>(), ""};
    if (payload.type != "string" && payload.type != "json" && payload.type != "csv" &&
        payload.type != "number")
        return fail(ExitCode::invalid_input,
                    "{}.type: unknown payload type '{}' (expected string, json, csv or number)",
                    where, util::printable(payload.type, 40));
    auto text = value == json.end() ? std::nullopt : text_of(*value);
    if (!text)
        return fail(ExitCode::invalid_input, "{}.value: expected the payload as a string", where);
    if (text->size() > max_payload_bytes)
        return fail(ExitCode::invalid_input, "{}.value: larger than {} bytes", where,
                    max_payload_bytes);
    payload.value = std::move(*text);
    if (payload.type == "json" && !nlohmann::json::accept(payload.value))
        return fail(ExitCode::invalid_input, "{}.value: a json payload must be valid JSON", where);
    if (payload.type == "number" &&
        !nlohmann::json::parse(payload.value, nullptr, false).is_number())
        return fail(ExitCode::invalid_input,
                    "{}.value: a number payload must be a number, got "
                    "'{}'",
                    where, util::printable(payload.value, 40));
    return payload;
}

std::string random_variant_subject() {
    thread_local std::mt19937 generator{std::random_device{}()};
    return std::to_string(std::uniform_int_distribution<int>(0, 100000)(generator));
}

}  // namespace

Result<std::vector<Variant>> variants_from_json(const nlohmann::json& json,
                                                std::string_view where) {
    std::vector<Variant> variants;
    if (json.is_null()) return variants;
    if (!json.is_array())
        return fail(ExitCode::invalid_input, "{}: expected a list of variants", where);
    if (json.size() > max_variants)
        return fail(ExitCode::invalid_input, "{}: {} variants, more than {}", where, json.size(),
                    max_variants);
    std::set<std::string> names;
    long total = 0;
    for (size_t i = 0; i < json.size(); ++i) {
        const auto& item = json[i];
        auto at = fmt::format("{}[{}]", where, i);
        if (!item.is_object())
            return fail(ExitCode::invalid_input,
                        "{}: a variant is an object with name and "
                        "weight",
                        at);
        for (const auto& [key, unused] : item.items())
            if (key != "name" && key != "weight" && key != "weightType" && key != "stickiness" &&
                key != "payload" && key != "overrides")
                return fail(ExitCode::invalid_input,
                            "{}: unknown key '{}' (expected name, weight, weightType, stickiness, "
                            "payload, overrides)",
                            at, util::printable(key, 80));
        Variant variant;
        auto name = item.find("name");
        if (name == item.end() || !name->is_string() || name->get<std::string>().empty() ||
            name->get<std::string>().size() > 256)
            return fail(ExitCode::invalid_input, "{}.name: expected the variant's name", at);
        variant.name = name->get<std::string>();
        if (!names.insert(variant.name).second)
            return fail(ExitCode::invalid_input, "{}.name: variant '{}' is listed twice", at,
                        variant.name);
        auto weight = item.find("weight");
        auto weight_value = weight == item.end() ? std::nullopt : util::integer_value<int>(*weight);
        if (!weight_value || *weight_value < 0 || *weight_value > variant_weight_total)
            return fail(ExitCode::invalid_input,
                        "{}.weight: expected a whole number from 0 to "
                        "{}",
                        at, variant_weight_total);
        variant.weight = *weight_value;
        total += variant.weight;
        if (auto type = item.find("weightType"); type != item.end() && !type->is_null()) {
            if (!type->is_string() || (*type != "fix" && *type != "variable"))
                return fail(ExitCode::invalid_input, "{}.weightType: expected fix or variable", at);
            variant.fixed_weight = *type == "fix";
        }
        if (auto stickiness = item.find("stickiness");
            stickiness != item.end() && !stickiness->is_null()) {
            if (!stickiness->is_string() || stickiness->get<std::string>().size() > 256)
                return fail(ExitCode::invalid_input,
                            "{}.stickiness: expected default, userId, sessionId or a field", at);
            variant.stickiness = stickiness->get<std::string>();
        }
        if (auto payload = item.find("payload"); payload != item.end() && !payload->is_null()) {
            LAUNCHKIT_TRY_ASSIGN(auto read, payload_from_json(*payload, at + ".payload"));
            variant.payload = std::move(read);
        }
        if (auto overrides = item.find("overrides");
            overrides != item.end() && !overrides->is_null()) {
            if (!overrides->is_array() || overrides->size() > 100)
                return fail(ExitCode::invalid_input,
                            "{}.overrides: expected a list of "
                            "{{contextName, values}}",
                            at);
            for (size_t j = 0; j < overrides->size(); ++j) {
                const auto& entry = (*overrides)[j];
                auto entry_at = fmt::format("{}.overrides[{}]", at, j);
                auto context_name = entry.is_object() ? entry.find("contextName") : entry.end();
                auto values = entry.is_object() ? entry.find("values") : entry.end();
                if (!entry.is_object() || context_name == entry.end() ||
                    !context_name->is_string() || values == entry.end() || !values->is_array() ||
                    values->size() > 1000)
                    return fail(ExitCode::invalid_input,
                                "{}: expected {{contextName, values: [...]}}", entry_at);
                VariantOverride read{context_name->get<std::string>(), {}};
                for (const auto& value : *values) {
                    auto text = text_of(value);
                    if (!text)
                        return fail(ExitCode::invalid_input, "{}.values: expected strings",
                                    entry_at);
                    read.values.push_back(std::move(*text));
                }
                variant.overrides.push_back(std::move(read));
            }
        }
        variants.push_back(std::move(variant));
    }
    if (!variants.empty() && total == 0)
        return fail(ExitCode::invalid_input,
                    "{}: the weights add up to 0; give at least one variant a weight", where);
    return variants;
}

nlohmann::json to_json(const std::vector<Variant>& variants) {
    auto json = nlohmann::json::array();
    for (const auto& variant : variants) {
        nlohmann::json item = {{"name", variant.name},
                               {"weight", variant.weight},
                               {"weightType", variant.fixed_weight ? "fix" : "variable"}};
        if (!variant.stickiness.empty()) item["stickiness"] = variant.stickiness;
        if (variant.payload)
            item["payload"] = {{"type", variant.payload->type}, {"value", variant.payload->value}};
        if (!variant.overrides.empty()) {
            auto overrides = nlohmann::json::array();
            for (const auto& entry : variant.overrides)
                overrides.push_back(
                    {{"contextName", entry.context_name}, {"values", entry.values}});
            item["overrides"] = std::move(overrides);
        }
        json.push_back(std::move(item));
    }
    return json;
}

Result<void> spread_variant_weights(std::vector<Variant>& variants, std::string_view where) {
    if (variants.empty()) return {};
    int fixed = 0;
    int variable = 0;
    for (const auto& variant : variants) {
        if (variant.fixed_weight)
            fixed += variant.weight;
        else
            ++variable;
    }
    if (fixed > variant_weight_total)
        return fail(ExitCode::invalid_input, "{}: fixed weights add up to {}, more than {} (100 %)",
                    where, fixed, variant_weight_total);
    if (variable == 0) {
        if (fixed != variant_weight_total)
            return fail(ExitCode::invalid_input,
                        "{}: every weight is fixed and they add up to {}, not {} (100 %); add a "
                        "variant without a fixed weight to take the rest",
                        where, fixed, variant_weight_total);
        return {};
    }
    int remaining = variant_weight_total - fixed;
    int share = remaining / variable;
    int remainder = remaining % variable;
    for (auto& variant : variants) {
        if (variant.fixed_weight) continue;
        variant.weight = share + (remainder > 0 ? 1 : 0);
        if (remainder > 0) --remainder;
    }
    return {};
}

const Variant* select_variant(std::string_view group_id, std::string_view stickiness,
                              const std::vector<Variant>& variants,
                              const EvaluationContext& context) {
    long total = 0;
    for (const auto& variant : variants) total += variant.weight;
    if (total <= 0) return nullptr;
    for (const auto& variant : variants)
        for (const auto& entry : variant.overrides)
            if (auto value = context.value(entry.context_name))
                for (const auto& wanted : entry.values)
                    if (wanted == *value) return &variant;

    std::string random;
    std::string_view subject;
    if (stickiness.empty() || stickiness == "default") {
        for (std::string_view field : {"userId", "sessionId", "remoteAddress"}) {
            auto value = context.standard(field);
            if (value && !value->empty()) {
                subject = *value;
                break;
            }
        }
    } else if (auto value = context.value(stickiness); value && !value->empty()) {
        subject = *value;
    }
    if (subject.empty()) {
        random = random_variant_subject();
        subject = random;
    }
    std::string key;
    key.reserve(group_id.size() + 1 + subject.size());
    key.append(group_id).append(":").append(subject);
    long target = static_cast<long>(murmur3_x86_32(key, variant_seed) % total) + 1;
    long counter = 0;
    for (const auto& variant : variants) {
        if (variant.weight == 0) continue;
        counter += variant.weight;
        if (counter >= target) return &variant;
    }
    return nullptr;
}

}  // namespace launchkit::flags
