#include "core/context.h"

#include <cstdlib>

#include <pwd.h>
#include <unistd.h>

namespace launchkit {

std::string resolve_actor(const std::optional<std::string>& flag) {
    if (flag && !flag->empty()) return *flag;
    if (const char* env = std::getenv("LAUNCHKIT_ACTOR"); env && *env) return env;
    if (const passwd* entry = ::getpwuid(::geteuid()); entry && entry->pw_name)
        return entry->pw_name;
    if (const char* user = std::getenv("USER"); user && *user) return user;
    return fmt::format("uid:{}", ::geteuid());
}

Result<Context> make_context(const GlobalOptions& options) {
    Context context;
    LAUNCHKIT_TRY_ASSIGN(context.config, discover_config(options.config_path));
    context.state_dir = resolve_state_dir(options.state_dir, context.config);
    context.actor = resolve_actor(options.actor);
    context.json = options.json;
    const char* term = std::getenv("TERM");
    context.color = !options.json && !options.no_color && std::getenv("NO_COLOR") == nullptr &&
                    ::isatty(STDOUT_FILENO) && !(term && std::string_view(term) == "dumb");
    return context;
}

}  // namespace launchkit
