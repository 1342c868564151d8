#include "support/node_package.h"

#include <catch2/catch.hpp>

#include <fstream>

#include "util/file_io.h"
#include "util/file_lock.h"

namespace launchkit::testing {

namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
    auto text = util::read_file(path);
    return text ? *text : std::string();
}

}  // namespace

fs::path install_node_package(const std::string& package_dir) {
    auto source = fs::path(LAUNCHKIT_SOURCE_DIR) / "tests" / package_dir;
    auto install =
        fs::path(LAUNCHKIT_BUILD_DIR) / "node-packages" / fs::path(package_dir).filename();
    fs::create_directories(install);
    // Test processes that would install at the same time take turns.
    auto lock = util::FileLock::acquire(install / ".install.lock");
    REQUIRE(lock);
    auto wanted_lock = read_text(source / "package-lock.json");
    REQUIRE_FALSE(wanted_lock.empty());
    auto marker = install / ".installed-lock.json";
    auto modules = install / "node_modules";
    if (read_text(marker) == wanted_lock && fs::exists(modules)) return modules;

    for (const auto* name : {"package.json", "package-lock.json"})
        fs::copy_file(source / name, install / name, fs::copy_options::overwrite_existing);
    util::ProcessSpec spec;
    spec.argv = {"npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"};
    spec.working_directory = install;
    spec.timeout = std::chrono::seconds(300);
    auto installed = util::run_process(spec);
    INFO("npm ci in " << install.string() << ": "
                      << (installed ? installed->stderr_text : installed.error().message));
    REQUIRE(installed);
    REQUIRE(installed->succeeded());
    std::ofstream(marker) << wanted_lock;
    return modules;
}

std::string run_node(const fs::path& modules, std::vector<std::string> arguments,
                     std::chrono::seconds timeout) {
    util::ProcessSpec spec;
    spec.argv = std::move(arguments);
    spec.argv.insert(spec.argv.begin(), "node");
    spec.environment = {{"NODE_PATH", modules.string()}};
    spec.timeout = timeout;
    auto ran = util::run_process(spec);
    INFO("node " << spec.argv[1] << ": " << (ran ? ran->stderr_text : ran.error().message));
    REQUIRE(ran);
    REQUIRE(ran->succeeded());
    return ran->stdout_text;
}

}  // namespace launchkit::testing
