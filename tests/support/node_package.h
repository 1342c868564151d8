// npm packages the tests compare launchkit with (the unleash-client SDK, an OpenFeature client),
// each pinned by a package-lock.json under tests/ and installed into the build tree with `npm ci`
// by the first test that needs it; and `node` run with them.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "util/process.h"

namespace launchkit::testing {

// Installs tests/PACKAGE_DIR (relative to tests/) once per build tree and lock file; returns its
// node_modules. Needs Node.js and the npm registry: a test that cannot install fails.
std::filesystem::path install_node_package(const std::string& package_dir);

// `node ARGUMENTS…` with NODE_PATH at `modules`; requires exit 0 and returns what it printed.
std::string run_node(const std::filesystem::path& modules, std::vector<std::string> arguments,
                     std::chrono::seconds timeout = std::chrono::seconds(120));

}  // namespace launchkit::testing
