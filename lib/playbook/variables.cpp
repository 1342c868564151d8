#include "playbook/variables.h"

#include <fmt/format.h>

namespace launchkit::playbook {
namespace {

// Calls `on_text` for literal runs and `on_name` for each reference, in order.
template <typename Text, typename Name>
bool scan(std::string_view text, Text&& on_text, Name&& on_name) {
    size_t position = 0;
    while (position < text.size()) {
        auto dollar = text.find('$', position);
        if (dollar == std::string_view::npos) {
            on_text(text.substr(position));
            return true;
        }
        on_text(text.substr(position, dollar - position));
        if (text.substr(dollar).starts_with("$${")) {
            on_text("${");
            position = dollar + 3;
            continue;
        }
        if (!text.substr(dollar).starts_with("${")) {
            on_text("$");
            position = dollar + 1;
            continue;
        }
        auto close = text.find('}', dollar + 2);
        if (close == std::string_view::npos) return false;
        on_name(text.substr(dollar + 2, close - dollar - 2));
        position = close + 1;
    }
    return true;
}

}  // namespace

Result<std::string> expand(std::string_view text, const Variables& variables) {
    std::string result;
    std::string missing;
    bool complete = scan(
        text, [&](std::string_view literal) { result += literal; },
        [&](std::string_view name) {
            auto found = variables.find(std::string(name));
            if (found == variables.end()) {
                if (missing.empty()) missing = std::string(name);
                return;
            }
            result += found->second;
        });
    if (!complete) return fail(ExitCode::invalid_input, "'{}': '${{' without a closing '}}'", text);
    if (!missing.empty())
        return fail(ExitCode::invalid_input, "'{}': ${{{}}} is not defined", text, missing);
    return result;
}

Result<nlohmann::json> expand_json(const nlohmann::json& value, const Variables& variables) {
    if (value.is_string()) {
        LAUNCHKIT_TRY_ASSIGN(auto text, expand(value.get<std::string>(), variables));
        return nlohmann::json(text);
    }
    if (value.is_array() || value.is_object()) {
        auto result = value;
        for (auto& [key, item] : result.items()) {
            LAUNCHKIT_TRY_ASSIGN(item, expand_json(item, variables));
            (void)key;
        }
        return result;
    }
    return value;
}

std::set<std::string> references(std::string_view text) {
    std::set<std::string> names;
    bool complete = scan(
        text, [](std::string_view) {},
        [&](std::string_view name) { names.insert(std::string(name)); });
    if (!complete) names.insert("${");
    return names;
}

std::set<std::string> references(const nlohmann::json& value) {
    std::set<std::string> names;
    if (value.is_string()) return references(std::string_view(value.get_ref<const std::string&>()));
    if (value.is_array() || value.is_object())
        for (const auto& item : value) names.merge(references(item));
    return names;
}

}  // namespace launchkit::playbook
