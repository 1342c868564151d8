#include "support/unleash_client.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "support/temp_dir.h"
#include "util/file_io.h"
#include "util/file_lock.h"
#include "util/process.h"

namespace launchkit::testing {

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path package_source = fs::path(LAUNCHKIT_SOURCE_DIR) / "tests/flags/unleash-client";
const fs::path package_install = fs::path(LAUNCHKIT_BUILD_DIR) / "unleash-client";

std::string read_text(const fs::path& path) {
    auto text = util::read_file(path);
    return text ? *text : std::string();
}

// `npm ci` from the committed lock file, once per build tree (and again when the lock changes);
// the lock serialises test processes that would install at the same time.
fs::path install_unleash_client() {
    fs::create_directories(package_install);
    auto lock = util::FileLock::acquire(package_install / ".install.lock");
    REQUIRE(lock);
    auto wanted_lock = read_text(package_source / "package-lock.json");
    REQUIRE_FALSE(wanted_lock.empty());
    auto installed_marker = package_install / ".installed-lock.json";
    auto modules = package_install / "node_modules";
    if (read_text(installed_marker) == wanted_lock &&
        fs::exists(modules / "unleash-client/package.json"))
        return modules;

    for (const auto* name : {"package.json", "package-lock.json"})
        fs::copy_file(package_source / name, package_install / name,
                      fs::copy_options::overwrite_existing);
    util::ProcessSpec spec;
    spec.argv = {"npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"};
    spec.working_directory = package_install;
    spec.timeout = 300s;
    auto installed = util::run_process(spec);
    INFO("npm ci in " << package_install.string() << ": "
                      << (installed ? installed->stderr_text : installed.error().message));
    REQUIRE(installed);
    REQUIRE(installed->succeeded());
    std::ofstream(installed_marker) << wanted_lock;
    return modules;
}

}  // namespace

nlohmann::json unleash_client_answers(const nlohmann::json& features,
                                      const std::vector<std::string>& flags,
                                      const nlohmann::json& contexts) {
    auto modules = install_unleash_client();
    TempDir work;
    auto input = work.path() / "input.json";
    std::ofstream(input) << nlohmann::json{
        {"features", features},
        {"flags", flags},
        {"contexts", contexts}}.dump();

    util::ProcessSpec spec;
    spec.argv = {"node", (package_source / "evaluate.js").string(), input.string()};
    spec.environment = {{"NODE_PATH", modules.string()}};
    spec.timeout = 120s;
    auto answered = util::run_process(spec);
    INFO("node evaluate.js: " << (answered ? answered->stderr_text : answered.error().message));
    REQUIRE(answered);
    REQUIRE(answered->succeeded());
    auto answers = nlohmann::json::parse(answered->stdout_text);
    REQUIRE(answers.size() == contexts.size());
    return answers;
}

}  // namespace launchkit::testing
