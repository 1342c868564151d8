// Who a flag is evaluated for, as Unleash's SDKs describe it: userId, sessionId, remoteAddress,
// environment, appName, currentTime and any custom property. Strategies, constraints and variants
// read their fields from here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace launchkit::flags {

// How many fields a context may carry, and how long a value may be: a context comes from a
// command line, a file or (later) a request body.
inline constexpr size_t max_context_fields = 256;
inline constexpr size_t max_context_value_length = 4096;

class EvaluationContext {
  public:
    // The fields every Unleash SDK knows by name; anything else is a custom property.
    static bool is_standard_field(std::string_view name);

    // Sets a standard field, or a property for any other name.
    void set(std::string name, std::string value);
    void set_property(std::string name, std::string value);

    // A field's value as Unleash resolves it: the standard field of that name, else the property.
    std::optional<std::string_view> value(std::string_view name) const;
    // A standard field only (stickiness `default` reads these, never a property).
    std::optional<std::string_view> standard(std::string_view name) const;

    const std::map<std::string, std::string, std::less<>>& standard_fields() const {
        return standard_;
    }
    const std::map<std::string, std::string, std::less<>>& properties() const {
        return properties_;
    }
    size_t size() const { return standard_.size() + properties_.size(); }

  private:
    std::map<std::string, std::string, std::less<>> standard_;
    std::map<std::string, std::string, std::less<>> properties_;
};

// A context in Unleash's JSON shape: {"userId": "7", "properties": {"region": "eu"}}. Numbers
// and booleans become their text, as the SDKs' String(value) does; null is absent; a list or an
// object where a value belongs is exit 2 naming `where` and the field.
Result<EvaluationContext> context_from_json(const nlohmann::json& json, std::string_view where);
// `key=value` pairs from the command line; a standard field's name sets it, any other a property.
Result<EvaluationContext> context_from_pairs(const std::vector<std::string>& pairs);
nlohmann::json to_json(const EvaluationContext& context);

}  // namespace launchkit::flags
