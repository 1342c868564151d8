#include "util/sibling_executable.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace launchkit::util {

Result<std::filesystem::path> find_sibling_executable(std::string_view name) {
    std::error_code error;
    auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error)
        return fail(ExitCode::environment, "cannot find this executable (/proc/self/exe): {}",
                    error.message());
    auto beside = self.parent_path() / name;
    auto installed = self.parent_path().parent_path() / "libexec/launchkit" / name;
    for (const auto& candidate : {beside, installed})
        if (access(candidate.c_str(), X_OK) == 0) return candidate;
    return fail(ExitCode::environment, "{} is not installed: looked for {} and {}", name,
                beside.string(), installed.string());
}

Error exec_sibling(std::string_view name, char** argv) {
    auto path = find_sibling_executable(name);
    if (!path) return path.error();
    std::vector<char*> arguments;
    std::string program = path->string();
    arguments.push_back(program.data());
    for (char** argument = argv + 1; *argument; ++argument) arguments.push_back(*argument);
    arguments.push_back(nullptr);
    execv(program.c_str(), arguments.data());
    return Error{ExitCode::environment,
                 fmt::format("cannot start {}: {}", program, std::strerror(errno))};
}

}  // namespace launchkit::util
