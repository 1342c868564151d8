#include "core/context.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <thread>

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
    context.store = resolve_store(options.store, context.config);
    context.etcd_tls = resolve_etcd_tls(options.etcd_tls, context.config);
    context.actor = resolve_actor(options.actor);
    context.json = options.json;
    const char* term = std::getenv("TERM");
    context.color = !options.json && !options.no_color && std::getenv("NO_COLOR") == nullptr &&
                    ::isatty(STDOUT_FILENO) && !(term && std::string_view(term) == "dumb");
    context.interactive = ::isatty(STDIN_FILENO) && ::isatty(STDERR_FILENO);
    return context;
}

bool Context::confirm(std::string_view question) const {
    if (!interactive || in == nullptr) return false;
    *err << question << " [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(*in, answer)) return false;
    std::transform(answer.begin(), answer.end(), answer.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    while (!answer.empty() && std::isspace(static_cast<unsigned char>(answer.back())))
        answer.pop_back();
    return answer == "y" || answer == "yes";
}

void Context::default_sleep(std::chrono::milliseconds duration) {
    std::this_thread::sleep_for(duration);
}

}  // namespace launchkit
