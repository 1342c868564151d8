#include "flags/names.h"

#include "util/strings.h"

namespace launchkit::flags {
namespace {

bool is_lower_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

Result<void> validate_name(std::string_view name, std::string_view what) {
    bool valid = !name.empty() && name.size() <= 128 && is_lower_alnum(name.front());
    for (char c : name) valid = valid && (is_lower_alnum(c) || c == '.' || c == '_' || c == '-');
    if (!valid)
        return fail(ExitCode::invalid_input,
                    "invalid {} '{}' (expected 1-128 characters: lowercase letters, digits, '.', "
                    "'_' or '-', starting with a letter or digit)",
                    what, name);
    return {};
}

Result<void> validate_group_id(std::string_view group_id) {
    bool valid = !group_id.empty() && group_id.size() <= 256;
    for (char c : group_id) valid = valid && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
    if (!valid)
        return fail(ExitCode::invalid_input,
                    "invalid group id '{}' (expected 1-256 printable characters)", group_id);
    return {};
}

std::unexpected<Error> unknown_name(std::string_view what, std::string_view name,
                                    const std::vector<std::string>& known, std::string_view hint) {
    if (auto suggestion = util::closest_match(name, known))
        return fail(ExitCode::invalid_input, "no such {} '{}' (did you mean '{}'?)", what, name,
                    *suggestion);
    if (hint.empty()) return fail(ExitCode::invalid_input, "no such {} '{}'", what, name);
    return fail(ExitCode::invalid_input, "no such {} '{}' ({})", what, name, hint);
}

}  // namespace launchkit::flags
