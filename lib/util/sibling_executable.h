// Runs a launchkit program installed beside the running one in its place (as git runs
// git-SUBCOMMAND): commands whose libraries would slow every other command's start-up live in
// executables of their own.
#pragma once

#include <filesystem>
#include <string_view>

#include "base/error.h"

namespace launchkit::util {

// Where `name` is: beside this executable (a build tree), else in ../libexec/launchkit (an
// installation). Exit code 3 naming both places when it is in neither.
Result<std::filesystem::path> find_sibling_executable(std::string_view name);

// Replaces this process with `name`, given this process's own arguments (argv[0] becomes its
// path). Returns only when that fails.
Error exec_sibling(std::string_view name, char** argv);

}  // namespace launchkit::util
