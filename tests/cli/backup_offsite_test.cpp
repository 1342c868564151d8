// Off-site copies through Debian's restic, run for real against a local repository: a backup is
// copied once it verifies, a new machine finds and restores it from there, a copy that fails
// (no repository, a wrong password, a killed restic) keeps the local backup for `sync`, a byte
// flipped off-site is found by `verify --offsite`, and prune applies its policy there too.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/offsite_project.h"
#include "support/state_fixture.h"
#include "util/file_io.h"

using launchkit::testing::Environment;
using launchkit::testing::OffsiteProject;
using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;
namespace fs = std::filesystem;

TEST_CASE("a backup goes off-site once it verifies, and a new machine restores it from there",
          "[cli][backup][offsite]") {
    StateFixture machine;
    OffsiteProject project;
    auto environment = project.environment();
    auto created_repository =
        machine.run_json("release-manager", {"backup", "sync", "--init"}, environment);
    CHECK(created_repository["ok"] == true);
    CHECK(created_repository["backups"].empty());

    auto made = machine.run_json(
        "release-manager",
        {"backup", "create", "data", "--tag", "pre-upgrade", "--label", "version=1.4.2"},
        environment);
    auto id = made["id"].get<std::string>();
    REQUIRE(made["offsite"].is_object());
    CHECK(made["offsite"]["pending"] == false);
    CHECK(made["offsite"]["data_added"].get<int>() > 0);
    auto snapshots = project.snapshots();
    REQUIRE(snapshots.size() == 1);
    CHECK(snapshots[0]["short_id"] == made["offsite"]["snapshot"]);
    auto tags = snapshots[0]["tags"];
    for (const auto& tag :
         {std::string("launchkit"), "launchkit-id=" + id, std::string("launchkit-source=data"),
          std::string("launchkit-tag=pre-upgrade"), std::string("launchkit-version=1.4.2")})
        CHECK(std::find(tags.begin(), tags.end(), tag) != tags.end());
    auto listed = machine.run_json("release-manager", {"backup", "list"}, environment);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["location"] == "both");

    // The same tree again (read in between, so its access times moved): the same archive, byte
    // for byte, so the repository stores next to nothing for it.
    std::string noise;
    for (unsigned i = 0, x = 12345; i < 300000; ++i)
        noise += static_cast<char>((x = x * 1103515245 + 12345) >> 16);
    project.work.write("data/noise.bin", noise);
    auto first = machine.run_json("release-manager", {"backup", "create", "data"}, environment);
    (void)launchkit::util::read_file(project.work.path() / "data/noise.bin");
    auto second = machine.run_json("release-manager", {"backup", "create", "data"}, environment);
    CHECK(first["files"][0]["sha256"] == second["files"][0]["sha256"]);
    CHECK(first["offsite"]["data_added"].get<std::uint64_t>() > 250000);
    CHECK(second["offsite"]["data_added"].get<std::uint64_t>() < 30000);
    fs::remove(project.work.path() / "data/noise.bin");

    // The password went to restic through its environment only: never in an argv.
    auto argv = launchkit::util::read_file(project.argv_log).value();
    CHECK(argv.find("correct horse") == std::string::npos);
    CHECK(argv.find("restic-password") == std::string::npos);

    // A new machine: an empty state directory, the same launchkit.yaml.
    StateFixture new_machine;
    auto there =
        new_machine.run_json("release-manager", {"backup", "list", "--offsite"}, environment);
    REQUIRE(there.size() == 3);
    CHECK(there[0]["id"] == id);
    CHECK(there[0]["location"] == "off-site");
    CHECK(there[0]["tag"] == "pre-upgrade");
    CHECK(there[0]["labels"]["version"] == "1.4.2");
    auto restored_to = project.work.path() / "restored";
    auto restored = new_machine.run_json(
        "release-manager",
        {"backup", "restore", "latest:pre-upgrade", "--to", restored_to.string(), "--yes"},
        environment);
    CHECK(restored["id"] == id);
    CHECK(launchkit::util::read_file(restored_to / "a.txt").value() == "alpha\n");
    CHECK(launchkit::util::read_file(restored_to / "sub/b.txt").value() == std::string(20000, 'b'));
    // Now it lives in both places, and verifies here like any backup made here.
    auto fetched = new_machine.run_json("release-manager", {"backup", "list"}, environment);
    REQUIRE(fetched.size() == 1);
    CHECK(fetched[0]["location"] == "both");
    CHECK(fetched[0]["damaged"].is_null());
    CHECK(new_machine.run("release-manager", {"backup", "verify", id}, environment).exit_code == 0);
}

TEST_CASE("an off-site copy that fails keeps the local backup, and sync finishes the job",
          "[cli][backup][offsite]") {
    StateFixture machine;
    OffsiteProject project;
    auto environment = project.environment();

    // No repository there yet.
    auto missing =
        machine.run("release-manager", {"backup", "create", "data", "--json"}, environment);
    CHECK(missing.exit_code == 3);
    CHECK_THAT(missing.stderr_text, Catch::Contains("is here but not yet off-site") &&
                                        Catch::Contains("no restic repository at") &&
                                        Catch::Contains("backup sync --init"));
    auto pending = nlohmann::json::parse(missing.stdout_text);
    CHECK(pending["offsite"]["pending"] == true);
    auto listed = machine.run_json("release-manager", {"backup", "list"}, environment);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["location"] == "local");

    // A server that does not answer: restic's own words, the local backup kept.
    auto unreachable = machine.run(
        "release-manager", {"backup", "create", "data", "--offsite", "rest:http://127.0.0.1:1/"},
        environment);
    CHECK(unreachable.exit_code == 3);
    CHECK_THAT(unreachable.stderr_text,
               Catch::Contains("not yet off-site") && Catch::Contains("connection refused"));
    CHECK(machine.run_json("release-manager", {"backup", "list"}, environment).size() == 2);

    // A repository made with another password.
    launchkit::util::ProcessSpec init;
    init.argv = {"/usr/bin/restic", "init", "--quiet"};
    init.environment = {{"RESTIC_REPOSITORY", project.repository.string()},
                        {"RESTIC_PASSWORD", "not the configured one"}};
    REQUIRE(launchkit::util::run_process(init)->exit_code == 0);
    auto wrong = machine.run("release-manager", {"backup", "create", "data"}, environment);
    CHECK(wrong.exit_code == 3);
    CHECK_THAT(wrong.stderr_text, Catch::Contains("wrong password"));

    // restic killed in the middle of a copy.
    fs::remove_all(project.repository);
    project.sync_init(machine, environment);  // the three pending backups copied
    auto killed = machine.run("release-manager", {"backup", "create", "data"},
                              project.environment({{"KILL_RESTIC_BACKUP", "1"}}));
    CHECK(killed.exit_code == 3);
    CHECK_THAT(killed.stderr_text, Catch::Contains("not yet off-site"));
    listed = machine.run_json("release-manager", {"backup", "list"}, environment);
    REQUIRE(listed.size() == 4);
    CHECK(listed[3]["location"] == "local");
    CHECK(project.snapshots().size() == 3);

    auto synced = machine.run_json("release-manager", {"backup", "sync"}, environment);
    CHECK(synced["ok"] == true);
    REQUIRE(synced["backups"].size() == 1);
    CHECK(synced["backups"][0]["id"] == listed[3]["id"]);
    CHECK(project.snapshots().size() == 4);
    auto again = machine.run("release-manager", {"backup", "sync"}, environment);
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.stdout_text, Catch::Contains("every backup is in"));
    for (const auto& backup : machine.run_json("release-manager", {"backup", "list"}, environment))
        CHECK(backup["location"] == "both");

    // --no-offsite keeps one here only; a password with no source is refused before any backup
    // is made.
    auto local_only = machine.run_json("release-manager",
                                       {"backup", "create", "data", "--no-offsite"}, environment);
    CHECK(local_only["offsite"].is_null());
    project.work.write("launchkit.yaml",
                       "backups:\n  data: {dir: ./data}\n  offsite:\n    restic: {repository: "
                       "./offsite-repo, password_env: NO_SUCH_PASSWORD_VARIABLE}\n");
    auto no_password = machine.run("release-manager", {"backup", "create", "data"}, environment);
    CHECK(no_password.exit_code == 2);
    CHECK_THAT(no_password.stderr_text,
               Catch::Contains("password_env: $NO_SUCH_PASSWORD_VARIABLE is not set"));
    CHECK(machine.run_json("release-manager", {"backup", "list"}, environment).size() == 5);
}

TEST_CASE("verify --offsite finds a byte flipped off-site, and prune forgets there too",
          "[cli][backup][offsite]") {
    StateFixture machine;
    OffsiteProject project;
    auto environment = project.environment();
    project.sync_init(machine, environment);
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        project.work.write("data/a.txt", "version " + std::to_string(i) + "\n");
        ids.push_back(
            machine.run_json("release-manager", {"backup", "create", "data"}, environment)["id"]);
    }
    auto verified = machine.run_json(
        "release-manager", {"backup", "verify", "--offsite", "--all", "--read-data-subset", "100%"},
        environment);
    CHECK(verified["ok"] == true);
    CHECK(verified["backups"].size() == 3);

    auto pruned =
        machine.run_json("release-manager", {"backup", "prune", "--keep-last", "2"}, environment);
    REQUIRE(pruned["remove"].size() == 1);
    CHECK(pruned["remove"][0]["id"] == ids[0]);
    CHECK(pruned["remove"][0]["location"] == "both");
    auto snapshots = project.snapshots();
    CHECK(snapshots.size() == 2);
    for (const auto& snapshot : snapshots) {
        auto tags = snapshot["tags"].dump();
        CHECK(tags.find(ids[0]) == std::string::npos);
    }
    CHECK(machine.run_json("release-manager", {"backup", "list"}, environment).size() == 2);

    // One byte flipped in every data file of the repository.
    for (const auto& entry : fs::recursive_directory_iterator(project.repository / "data")) {
        if (!entry.is_regular_file()) continue;
        fs::permissions(entry.path(), fs::perms::owner_read | fs::perms::owner_write);
        std::fstream file(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
        file.seekg(static_cast<std::streamoff>(entry.file_size() / 2));
        char byte = 0;
        file.read(&byte, 1);
        file.seekp(static_cast<std::streamoff>(entry.file_size() / 2));
        byte = static_cast<char>(byte ^ 0x5a);
        file.write(&byte, 1);
    }
    auto damaged = machine.run(
        "release-manager",
        {"backup", "verify", "--offsite", "--all", "--read-data-subset", "100%", "--json"},
        environment);
    CHECK(damaged.exit_code == 1);
    auto report = nlohmann::json::parse(damaged.stdout_text);
    CHECK(report["ok"] == false);
    CHECK(report["backups"][0]["id"] == "(repository)");
    CHECK_THAT(report.dump(), Catch::Contains("does not match") ||
                                  Catch::Contains("ciphertext verification failed"));
    // A new machine cannot restore from the damaged copy, and keeps nothing half-fetched.
    StateFixture new_machine;
    auto refused = new_machine.run(
        "release-manager",
        {"backup", "restore", ids[2], "--to", (project.work.path() / "restored").string(), "--yes"},
        environment);
    CHECK(refused.exit_code == 3);
    CHECK_FALSE(fs::exists(project.work.path() / "restored"));
    CHECK(new_machine.run_json("release-manager", {"backup", "list"}, environment).empty());
}

TEST_CASE("an off-site snapshot tagged with a path for an id is no backup of launchkit's",
          "[cli][backup][offsite]") {
    StateFixture machine;
    OffsiteProject project;
    auto environment = project.environment();
    project.sync_init(machine, environment);
    // Another host holding the repository's password tags a snapshot as a backup whose id
    // climbs out of the scratch folder `verify --offsite --all` reads copies back into.
    auto escaped = machine.state.path().parent_path() /
                   (machine.state.path().filename().string() + "-escaped");
    project.work.write("hostile/x.txt", "x\n");
    project.restic({"backup", "--tag", "launchkit", "--tag",
                    "launchkit-id=../../../" + escaped.filename().string(),
                    (project.work.path() / "hostile").string()});
    project.work.write("data/a.txt", "kept\n");
    auto id = machine.run_json("release-manager", {"backup", "create", "data"}, environment)["id"];

    auto verified = machine.run_json("release-manager", {"backup", "verify", "--offsite", "--all"},
                                     environment);
    CHECK(verified["ok"] == true);
    REQUIRE(verified["backups"].size() == 1);
    CHECK(verified["backups"][0]["id"] == id);
    CHECK_FALSE(fs::exists(escaped));
    StateFixture new_machine;
    auto listed =
        new_machine.run_json("release-manager", {"backup", "list", "--offsite"}, environment);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["id"] == id);
    auto refused = new_machine.run("release-manager",
                                   {"backup", "restore", "../../../" + escaped.filename().string(),
                                    "--to", (project.work.path() / "restored").string(), "--yes"},
                                   environment);
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.stderr_text, Catch::Contains("is not a valid id"));
    CHECK_FALSE(fs::exists(escaped));
}

TEST_CASE("an off-site backup holding a symlink is refused, not read through",
          "[cli][backup][offsite]") {
    StateFixture machine;
    OffsiteProject project;
    auto environment = project.environment();
    project.sync_init(machine, environment);
    // As launchkit lays out an archive's copy (a folder named by the id, from its parent), but
    // its manifest a symlink to a file of whichever machine restores it.
    const std::string id = "20261205T120000.000Z-abcdef";
    fs::create_directories(project.work.path() / id);
    fs::create_symlink("/etc/passwd", project.work.path() / id / "manifest.json");
    project.restic({"backup", "--tag", "launchkit", "--tag", "launchkit-id=" + id, id},
                   project.work.path());
    StateFixture new_machine;
    auto refused = new_machine.run(
        "release-manager",
        {"backup", "restore", id, "--to", (project.work.path() / "restored").string(), "--yes"},
        environment);
    CHECK(refused.exit_code == 3);
    CHECK_THAT(refused.stderr_text,
               Catch::Contains("holds manifest.json, which is not a regular file"));
    CHECK_FALSE(fs::exists(project.work.path() / "restored"));
    CHECK(new_machine.run_json("release-manager", {"backup", "list"}, environment).empty());
    auto verified = machine.run("release-manager", {"backup", "verify", id, "--offsite", "--json"},
                                environment);
    CHECK(verified.exit_code == 1);
    CHECK_THAT(verified.stdout_text, Catch::Contains("not a regular file"));
}

TEST_CASE("a playbook's backup goes off-site, and a new machine's restore step fetches it",
          "[cli][backup][offsite][playbook]") {
    StateFixture machine;
    OffsiteProject project;
    auto environment = project.environment();
    project.work.write("upgrade.yaml", R"(apiVersion: launchkit/v1
name: upgrade
steps:
  - name: backup-data
    backup: {source: data, tag: pre-upgrade}
  - {name: migrate, run: [sh, -c, "echo migrated > data/a.txt"]}
)");
    project.work.write("recover.yaml", R"(apiVersion: launchkit/v1
name: recover
steps:
  - name: restore-data
    restore: {backup: "latest:pre-upgrade", safety_backup: false}
)");
    auto deploy = [&](const StateFixture& on, const std::string& playbook,
                      const std::string& version) {
        auto result = on.run_in(project.work.path(), "release-manager",
                                {"deploy", version, "production", "--playbook",
                                 (project.work.path() / playbook).string(), "--json"},
                                environment);
        INFO(result.stderr_text);
        REQUIRE(result.exit_code == 0);
        return nlohmann::json::parse(result.stdout_text);
    };
    // The repository is not there yet: the backup is made, the run goes on, and says so.
    auto first = deploy(machine, "upgrade.yaml", "1.0.0");
    CHECK_THAT(first["steps"][0]["message"].get<std::string>(),
               Catch::Contains("NOT yet off-site"));
    project.sync_init(machine, environment);
    project.work.write("data/a.txt", "alpha\n");
    auto second = deploy(machine, "upgrade.yaml", "1.1.0");
    CHECK_THAT(second["steps"][0]["message"].get<std::string>(),
               Catch::Contains("copied off-site"));
    CHECK(second["steps"][0]["outputs"]["offsite"].get<std::string>().size() >= 8);
    CHECK(launchkit::util::read_file(project.work.path() / "data/a.txt").value() == "migrated\n");

    // A new machine: its restore step finds production's latest pre-upgrade backup off-site.
    StateFixture new_machine;
    deploy(new_machine, "recover.yaml", "1.1.1");
    CHECK(launchkit::util::read_file(project.work.path() / "data/a.txt").value() == "alpha\n");
}
