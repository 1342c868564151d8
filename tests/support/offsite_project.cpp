#include "support/offsite_project.h"

#include <catch2/catch.hpp>

#include <cstdlib>

#include "util/process.h"

namespace launchkit::testing {

namespace fs = std::filesystem;

OffsiteProject::OffsiteProject() {
    work.write("data/a.txt", "alpha\n");
    work.write("data/sub/b.txt", std::string(20000, 'b'));
    auto secret = work.write("restic-password", std::string(password) + "\n");
    fs::permissions(secret, fs::perms::owner_read | fs::perms::owner_write);
    work.write("launchkit.yaml",
               "backups:\n  data: {dir: ./data}\n  offsite:\n    restic: "
               "{repository: ./offsite-repo, password_file: restic-password}\n");
    auto wrapper = work.write(
        "bin/restic",
        "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + argv_log.string() +
            "'\n"
            "if [ \"$1\" = backup ] && [ -n \"$KILL_RESTIC_BACKUP\" ]; then kill -9 $$; fi\n"
            "if [ \"$1\" = backup ] && [ -n \"$WRITE_DURING_RESTIC_BACKUP\" ]; then\n"
            "  echo written >> \"$WRITE_DURING_RESTIC_BACKUP\"; fi\n"
            "exec /usr/bin/restic \"$@\"\n");
    fs::permissions(wrapper, fs::perms::owner_all);
}

Environment OffsiteProject::environment(Environment extra) const {
    Environment environment{{"LAUNCHKIT_CONFIG", (work.path() / "launchkit.yaml").string()},
                            {"PATH", (work.path() / "bin").string() + ":" + std::getenv("PATH")},
                            {"RESTIC_CACHE_DIR", (work.path() / "restic-cache").string()}};
    environment.insert(environment.end(), extra.begin(), extra.end());
    return environment;
}

void OffsiteProject::sync_init(const StateFixture& machine, const Environment& environment) const {
    auto synced = machine.run("release-manager", {"backup", "sync", "--init"}, environment);
    INFO(synced.stderr_text);
    REQUIRE(synced.exit_code == 0);
}

std::string OffsiteProject::restic(const std::vector<std::string>& arguments,
                                   const std::filesystem::path& directory) const {
    util::ProcessSpec spec;
    spec.working_directory = directory;
    spec.argv = {"/usr/bin/restic"};
    spec.argv.insert(spec.argv.end(), arguments.begin(), arguments.end());
    spec.environment = {{"RESTIC_REPOSITORY", repository.string()},
                        {"RESTIC_PASSWORD", password},
                        {"RESTIC_CACHE_DIR", (work.path() / "restic-cache").string()}};
    auto result = util::run_process(spec);
    REQUIRE(result);
    INFO(result->stderr_text);
    REQUIRE(result->exit_code == 0);
    return result->stdout_text;
}

nlohmann::json OffsiteProject::snapshots() const {
    return nlohmann::json::parse(restic({"snapshots", "--json", "--no-lock"}));
}

}  // namespace launchkit::testing
