// A man page (roff, man(7) macros) written from a tool's CLI11 command tree: every subcommand with
// its options and --help example, so `man release-manager` cannot drift from `--help`.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace launchkit {

// `date` is the page's date (the build's), `version` the package version.
std::string manual_page(const CLI::App& app, const std::string& version, const std::string& date);

}  // namespace launchkit
