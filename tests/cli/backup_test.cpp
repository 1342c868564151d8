// `release-manager backup …` through the real executable: the round trips operators run before an
// upgrade and on rollback, and what happens when the disk fills, the process dies, or the backup
// or its archive has been tampered with.
#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>

#include <nlohmann/json.hpp>

#include "store/file_store.h"
#include "support/crafted_archive.h"
#include "support/state_fixture.h"
#include "util/file_io.h"
#include "util/sha256.h"

using launchkit::testing::Environment;
using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;
namespace fs = std::filesystem;

namespace {

struct BackupFixture : StateFixture {
    TempDir work;

    launchkit::util::ProcessResult backup(std::vector<std::string> arguments,
                                          Environment environment = {}) const {
        return run("release-manager", std::move(arguments), std::move(environment));
    }
    nlohmann::json backup_json(std::vector<std::string> arguments, int expected_exit = 0) const {
        return run_json("release-manager", std::move(arguments), {}, expected_exit);
    }
    fs::path config_dir() const { return work.path() / "config"; }
    void write(const fs::path& path, const std::string& content) const {
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << content;
    }
    std::string read(const fs::path& path) const {
        return launchkit::util::read_file(path).value();
    }
    fs::path backups_dir() const { return state.path() / "backups"; }
    std::vector<std::string> hidden_leftovers(const fs::path& directory) const {
        std::vector<std::string> names;
        if (!fs::exists(directory)) return names;
        for (const auto& entry : fs::directory_iterator(directory)) {
            auto name = entry.path().filename().string();
            if (name.starts_with(".") && name != ".lock") names.push_back(name);
        }
        return names;
    }
    // Replaces a backup's archive and makes its manifest agree, as an attacker with write access
    // to the repository could.
    void replace_archive(const std::string& id,
                         const std::vector<launchkit::testing::CraftedEntry>& entries) const {
        auto folder = backups_dir() / id;
        fs::remove(folder / "data.tar.zst");
        launchkit::testing::write_crafted_archive(folder / "data.tar.zst", entries);
        auto content = read(folder / "data.tar.zst");
        auto manifest = nlohmann::json::parse(read(folder / "manifest.json"));
        manifest["files"][0]["size"] = content.size();
        manifest["files"][0]["sha256"] = launchkit::util::sha256_hex(content);
        manifest["entries"] = entries.size();
        auto text = manifest.dump(2);
        write(folder / "manifest.json", text);
        // ...and records the new manifest's digest in the store, which leaves a record of that in
        // the audit chain but is within such an attacker's reach: the archive's content is what
        // must still be refused.
        launchkit::store::FileStore store(store_dir());
        auto key = "backups/" + id;
        auto entry = store.get(key).value();
        REQUIRE(entry);
        launchkit::store::Mutation put{
            .kind = launchkit::store::MutationKind::put,
            .key = key,
            .value = {{"manifest_sha256", launchkit::util::sha256_hex(text)}},
            .expected_revision = entry->mod_revision};
        REQUIRE(store.commit({put}, {"2026-12-03T12:00:00Z", "mallory", "edit", ""}));
    }
};

}  // namespace

TEST_CASE_METHOD(BackupFixture, "back up a config directory, change it, restore it",
                 "[cli][backup]") {
    write(config_dir() / "app.yaml", "version: 1.4.2\n");
    write(config_dir() / "features" / "flags.yaml", "checkout: on\n");
    auto created = backup_json({"backup", "create", "dir:" + config_dir().string(), "--tag",
                                "pre-upgrade", "--label", "version=1.4.2"});
    std::string id = created["id"];
    CHECK(created["kind"] == "dir");
    CHECK(created["tag"] == "pre-upgrade");
    CHECK(created["labels"]["version"] == "1.4.2");
    CHECK(created["target"] == config_dir().string());
    CHECK(created["entries"] == 4);  // the root, app.yaml, features/, features/flags.yaml
    CHECK(created["files"][0]["path"] == "data.tar.zst");
    CHECK(created["tools"].contains("libarchive"));
    CHECK(fs::exists(backups_dir() / id / "manifest.json"));

    auto listed = backup_json({"backup", "list"});
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["id"] == id);
    CHECK(backup_json({"backup", "show", id.substr(0, 12)})["id"] == id);  // a unique prefix
    auto verified = backup_json({"backup", "verify", id});
    CHECK(verified["ok"] == true);
    CHECK(verified["backups"][0]["check"] == "archive readable, 4 entries");
    CHECK(backup_json({"verify-backup"})["backups"][0]["id"] == id);  // the seed's alias: latest

    // The upgrade changes the config; the rollback restores it.
    write(config_dir() / "app.yaml", "version: 2.0.0\n");
    write(config_dir() / "new-only.yaml", "x\n");
    auto refused = backup({"backup", "restore", id});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.stderr_text, Catch::Contains("--yes"));
    CHECK(read(config_dir() / "app.yaml") == "version: 2.0.0\n");

    auto restored = backup_json({"backup", "restore", id, "--yes"});
    CHECK(read(config_dir() / "app.yaml") == "version: 1.4.2\n");
    CHECK(read(config_dir() / "features" / "flags.yaml") == "checkout: on\n");
    CHECK_FALSE(fs::exists(config_dir() / "new-only.yaml"));
    CHECK(hidden_leftovers(work.path()).empty());

    // What the restore replaced was backed up first, and can itself be restored.
    REQUIRE(restored["safety_backup"].is_string());
    auto safety = backup_json({"backup", "show", restored["safety_backup"]});
    CHECK(safety["tag"] == "pre-restore");
    CHECK(safety["labels"]["restoring"] == id);
    CHECK(backup_json({"backup", "show", "latest"})["id"] == id);  // not the safety backup
    backup_json({"backup", "restore", restored["safety_backup"], "--yes", "--no-safety-backup"});
    CHECK(read(config_dir() / "app.yaml") == "version: 2.0.0\n");
    CHECK(backup_json({"backup", "list"}).size() == 2);

    // --to restores elsewhere without touching the source.
    backup_json({"backup", "restore", id, "--to", (work.path() / "copy").string()});
    CHECK(read(work.path() / "copy" / "app.yaml") == "version: 1.4.2\n");
    CHECK(read(config_dir() / "app.yaml") == "version: 2.0.0\n");

    auto table = backup({"backup", "list"});
    CHECK_THAT(table.stdout_text, Catch::StartsWith("ID "));
    CHECK_THAT(table.stdout_text, Catch::Contains("pre-upgrade"));
}

TEST_CASE_METHOD(BackupFixture, "named sources come from the configuration", "[cli][backup]") {
    write(config_dir() / "app.yaml", "a: 1\n");
    write(work.path() / "data.txt", "database contents v1\n");
    auto config = work.path() / "launchkit.yaml";
    write(config,
          "backups:\n"
          "  config: {dir: ./config}\n"
          "  db:\n"
          "    command:\n"
          "      backup: [sh, -c, 'cp data.txt /dev/stdout > dump.sql']\n"
          "      output: dump.sql\n"
          "      restore: [sh, -c, 'cp \"$RESTORE_PATH\" data.txt']\n"
          "      file_env: RESTORE_PATH\n");
    auto with_config = [&](std::vector<std::string> arguments) {
        arguments.insert(arguments.begin(), {"--config", config.string()});
        return arguments;
    };
    auto config_backup = backup_json(with_config({"backup", "create", "config"}));
    CHECK(config_backup["source"] == "config");
    CHECK(config_backup["target"] == config_dir().string());

    auto db_backup = backup_json(with_config({"backup", "create", "db", "--tag", "pre-migrate"}));
    CHECK(db_backup["kind"] == "command");
    CHECK(db_backup["files"][0]["path"] == "dump.sql");
    CHECK(read(backups_dir() / db_backup["id"].get<std::string>() / "dump.sql") ==
          "database contents v1\n");

    write(work.path() / "data.txt", "migrated v2\n");
    auto restored = backup_json(
        with_config({"backup", "restore", db_backup["id"].get<std::string>(), "--yes"}));
    CHECK(read(work.path() / "data.txt") == "database contents v1\n");
    // The safety backup ran the user's backup command against the migrated data.
    auto safety_id = restored["safety_backup"].get<std::string>();
    CHECK(read(backups_dir() / safety_id / "dump.sql") == "migrated v2\n");
    CHECK(restored["target"] == "db");
    // It says how it was put back: by the restore command, not "to" the backup command.
    auto said = backup(with_config(
        {"backup", "restore", db_backup["id"].get<std::string>(), "--yes", "--no-safety-backup"}));
    REQUIRE(said.exit_code == 0);
    CHECK_THAT(said.stdout_text,
               Catch::Contains("by running sh -c cp \"$RESTORE_PATH\" data.txt") &&
                   !Catch::Contains("to sh -c"));

    auto listed = backup_json(with_config({"backup", "list", "--source", "db"}));
    CHECK(listed.size() == 2);

    auto unknown = backup({"--config", config.string(), "backup", "create", "dbb"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.stderr_text, Catch::Contains("configured sources: config, db"));

    write(config, "backups:\n  db: {postgres: {host: h, password: hunter2}}\n");
    auto password = backup({"--config", config.string(), "backup", "list"});
    CHECK(password.exit_code == 2);
    CHECK_THAT(password.stderr_text, Catch::Contains("launchkit.yaml:2"));
    CHECK_THAT(password.stderr_text, Catch::Contains("PGPASSWORD"));
    CHECK_THAT(password.stderr_text, !Catch::Contains("hunter2"));
}

TEST_CASE_METHOD(BackupFixture, "bad input is refused before anything is written",
                 "[cli][backup]") {
    struct Case {
        std::vector<std::string> arguments;
        const char* message;
    };
    for (const auto& test : {
             Case{{"backup", "create", "dir:" + (work.path() / "missing").string()},
                  "not a directory"},
             Case{{"backup", "create", "tarball:/x"}, "expected dir:PATH"},
             Case{{"backup", "create", "command:make"}, "configuration's backups: section"},
             Case{{"backup", "create", "postgres:host=db password=hunter2 dbname=app"},
                  "PGPASSWORD"},
             Case{{"backup", "create", "postgres:postgresql://app:hunter2@db/app"}, "PGPASSWORD"},
             Case{{"backup", "create", "postgres:postgresql://db/app?pass%77ord=hunter2"},
                  "PGPASSWORD"},
             Case{{"backup", "create", "dir:/tmp", "--label", "novalue"}, "KEY=VALUE"},
             Case{{"backup", "restore", "nonexistent"}, "no backup 'nonexistent'"},
             Case{{"backup", "verify"}, "--all"},
             Case{{"backup", "prune"}, "no retention policy"},
             Case{{"backup", "prune", "--keep-last", "-1"}, "expected a count"},
             Case{{"backup", "prune", "--keep-last", "0"}, "no retention policy"},
         }) {
        INFO(test.arguments[1] << " " << test.arguments.back());
        auto result = backup(test.arguments);
        CHECK(result.exit_code == 2);
        CHECK_THAT(result.stderr_text, Catch::Contains(test.message));
        CHECK_THAT(result.stderr_text, !Catch::Contains("hunter2"));
    }
    CHECK((!fs::exists(backups_dir()) || fs::is_empty(backups_dir())));
}

TEST_CASE_METHOD(BackupFixture, "verify names the damaged file, restore refuses it",
                 "[cli][backup]") {
    write(config_dir() / "big.txt", std::string(300000, 'x') + "end\n");
    write(config_dir() / "small.txt", "small\n");
    std::string id = backup_json({"backup", "create", "dir:" + config_dir().string()})["id"];
    auto archive = backups_dir() / id / "data.tar.zst";
    auto size = fs::file_size(archive);

    SECTION("a flipped byte") {
        std::fstream file(archive, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>(size / 2));
        file.put('\x7f');
    }
    SECTION("a truncated archive") {
        fs::resize_file(archive, size - 10);
    }
    auto verified = backup({"backup", "verify", id});
    CHECK(verified.exit_code == 1);
    CHECK_THAT(verified.stdout_text, Catch::Contains("FAILED"));
    CHECK_THAT(verified.stdout_text, Catch::Contains(archive.string()));
    auto json = backup_json({"backup", "verify", "--all"}, 1);
    CHECK(json["ok"] == false);
    CHECK_THAT(json["backups"][0]["problems"][0].get<std::string>(),
               Catch::Contains("data.tar.zst"));

    write(config_dir() / "small.txt", "changed since\n");
    auto restore = backup({"backup", "restore", id, "--yes", "--no-safety-backup"});
    CHECK(restore.exit_code != 0);
    CHECK(read(config_dir() / "small.txt") == "changed since\n");
    CHECK(hidden_leftovers(work.path()).empty());
}

TEST_CASE_METHOD(BackupFixture, "a malicious archive in the repository is refused on restore",
                 "[cli][backup][tar-slip]") {
    using Type = launchkit::testing::CraftedEntry::Type;
    write(config_dir() / "app.yaml", "good\n");
    auto outside = work.path() / "outside";
    fs::create_directories(outside);
    std::string id = backup_json({"backup", "create", "dir:" + config_dir().string()})["id"];
    auto entries = GENERATE(
        std::vector<launchkit::testing::CraftedEntry>{{Type::file, "../outside/pwned", "x"}},
        std::vector<launchkit::testing::CraftedEntry>{{Type::file, "/tmp/launchkit-pwned", "x"}},
        std::vector<launchkit::testing::CraftedEntry>{{Type::symlink, "evil", "", "../outside"},
                                                      {Type::file, "evil/pwned", "x"}});
    replace_archive(id, entries);
    CHECK(backup_json({"backup", "verify", id})["ok"] == true);  // the checksums agree...
    auto restore = backup({"backup", "restore", id, "--yes"});
    CHECK(restore.exit_code == 3);  // ...but the content is refused
    CHECK_THAT(restore.stderr_text, Catch::Contains("refused"));
    CHECK_FALSE(fs::exists(outside / "pwned"));
    CHECK_FALSE(fs::exists("/tmp/launchkit-pwned"));
    CHECK(read(config_dir() / "app.yaml") == "good\n");
    CHECK(hidden_leftovers(work.path()).empty());
}

TEST_CASE_METHOD(BackupFixture, "restore recreates only files, directories and links",
                 "[cli][backup][tar-slip]") {
    using Type = launchkit::testing::CraftedEntry::Type;
    write(config_dir() / "app.yaml", "good\n");
    std::string id = backup_json({"backup", "create", "dir:" + config_dir().string()})["id"];
    struct Case {
        std::vector<launchkit::testing::CraftedEntry> entries;
        const char* refused;
    };
    auto test =
        GENERATE(Case{{{Type::character_device, "mem"}}, "'mem' refused: a character device"},
                 Case{{{Type::fifo, "pipe"}}, "'pipe' refused: a FIFO"});
    replace_archive(id, test.entries);
    auto restore = backup({"backup", "restore", id, "--yes"});
    CHECK(restore.exit_code == 3);
    CHECK_THAT(restore.stderr_text, Catch::Contains(test.refused));
    CHECK(read(config_dir() / "app.yaml") == "good\n");
    CHECK(hidden_leftovers(work.path()).empty());
}

TEST_CASE_METHOD(BackupFixture, "restore drops set-id bits and the data of a directory entry",
                 "[cli][backup][tar-slip]") {
    using Type = launchkit::testing::CraftedEntry::Type;
    write(config_dir() / "app.yaml", "good\n");
    std::string id = backup_json({"backup", "create", "dir:" + config_dir().string()})["id"];
    replace_archive(id, {{Type::directory, "a/", "data a directory never has"},
                         {Type::file, "a/tool", "#!/bin/sh\n", "", 06755},
                         {Type::file, "app.yaml", "restored\n"}});
    auto restore = backup({"backup", "restore", id, "--yes"});
    INFO(restore.stderr_text);
    REQUIRE(restore.exit_code == 0);
    CHECK(read(config_dir() / "app.yaml") == "restored\n");
    auto mode = fs::status(config_dir() / "a" / "tool").permissions();
    CHECK((mode & (fs::perms::set_uid | fs::perms::set_gid)) == fs::perms::none);
    CHECK((mode & fs::perms::owner_exec) != fs::perms::none);
    CHECK(hidden_leftovers(work.path()).empty());
}

TEST_CASE_METHOD(BackupFixture, "a full disk fails the backup and leaves nothing behind",
                 "[cli][backup]") {
    std::string noise;
    for (int i = 0; i < 400000; ++i) noise += std::to_string(i * 2654435761u);
    write(config_dir() / "big.bin", noise);
    // RLIMIT_FSIZE: any write past 64 KiB fails with EFBIG, as on a nearly full disk.
    auto command = spec("release-manager", {"backup", "create", "dir:" + config_dir().string()});
    command.argv.insert(command.argv.begin(), {"prlimit", "--fsize=65536", "--"});
    auto result = launchkit::util::run_process(command);
    REQUIRE(result);
    INFO(result->stderr_text);
    CHECK(result->exit_code == 3);
    CHECK_THAT(result->stderr_text, Catch::Contains("File too large"));
    CHECK(backup_json({"backup", "list"}).empty());
    CHECK(hidden_leftovers(backups_dir()).empty());
    // And with room again, the same backup works.
    CHECK(backup({"backup", "create", "dir:" + config_dir().string()}).exit_code == 0);
}

TEST_CASE_METHOD(BackupFixture, "a backup or restore killed midway leaves old state",
                 "[cli][backup][crash]") {
    write(config_dir() / "app.yaml", "v1\n");
    auto killed = backup({"backup", "create", "dir:" + config_dir().string()},
                         {{"LAUNCHKIT_TEST_CRASH_AT", "backup-before-publish"}});
    CHECK(killed.signal == SIGKILL);
    CHECK(backup_json({"backup", "list"}).empty());
    CHECK(hidden_leftovers(backups_dir()).size() == 2);  // the folder and its lock file

    std::string id = backup_json({"backup", "create", "dir:" + config_dir().string()})["id"];
    CHECK(hidden_leftovers(backups_dir()).empty());  // the next backup cleared the abandoned one
    write(config_dir() / "app.yaml", "v2\n");
    auto crashed = backup({"backup", "restore", id, "--yes", "--no-safety-backup"},
                          {{"LAUNCHKIT_TEST_CRASH_AT", "restore-before-swap"}});
    CHECK(crashed.signal == SIGKILL);
    CHECK(read(config_dir() / "app.yaml") == "v2\n");
    // The next restore clears the half-built sibling and completes.
    backup_json({"backup", "restore", id, "--yes", "--no-safety-backup"});
    CHECK(read(config_dir() / "app.yaml") == "v1\n");
    CHECK(hidden_leftovers(work.path()).empty());
}

TEST_CASE_METHOD(BackupFixture, "prune keeps what the policy says, per source",
                 "[cli][backup][retention]") {
    write(config_dir() / "a.txt", "a\n");
    write(work.path() / "other" / "b.txt", "b\n");
    std::vector<std::string> config_ids;
    for (int i = 0; i < 3; ++i)
        config_ids.push_back(
            backup_json({"backup", "create", "dir:" + config_dir().string()})["id"]);
    std::string other_id =
        backup_json({"backup", "create", "dir:" + (work.path() / "other").string()})["id"];

    auto dry = backup_json({"backup", "prune", "--keep-last", "1", "--dry-run"});
    CHECK(dry["dry_run"] == true);
    REQUIRE(dry["remove"].size() == 2);
    CHECK(dry["remove"][0]["id"] == config_ids[1]);
    CHECK(dry["remove"][1]["id"] == config_ids[0]);
    CHECK(dry["keep"].size() == 2);  // the newest of each source
    CHECK(dry["keep"][0]["reasons"][0] == "last snapshot");
    CHECK(backup_json({"backup", "list"}).size() == 4);

    auto all = backup_json({"backup", "prune", "--keep-hourly", "unlimited", "--dry-run"});
    auto before = backup_json({"backup", "list"});
    auto hour = [&](int index) {
        return before[index]["created_at"].get<std::string>().substr(0, 13);
    };
    if (hour(0) == hour(2)) {  // not when the run straddles an hour boundary
        // All in one hour: per source its newest ("hourly snapshot") and, as the unlimited rule
        // still has room, its oldest ("oldest hourly snapshot"); the middle config backup goes.
        REQUIRE(all["remove"].size() == 1);
        CHECK(all["remove"][0]["id"] == config_ids[1]);
        CHECK(all["keep"].size() == 3);
    }

    auto table = backup({"backup", "prune", "--keep-last", "1"});
    CHECK(table.exit_code == 0);
    CHECK_THAT(table.stdout_text, Catch::Contains("2 kept, 2 removed"));
    auto listed = backup_json({"backup", "list"});
    REQUIRE(listed.size() == 2);
    CHECK(listed[0]["id"] == config_ids[2]);
    CHECK(listed[1]["id"] == other_id);
    CHECK(hidden_leftovers(backups_dir()).empty());
}

TEST_CASE_METHOD(BackupFixture,
                 "a symlinked release directory is backed up and restored through "
                 "its link",
                 "[cli][backup]") {
    write(work.path() / "releases" / "5" / "app.conf", "release 5\n");
    auto current = work.path() / "current";
    fs::create_directory_symlink("releases/5", current);
    auto created = backup_json({"backup", "create", "dir:" + current.string()});
    CHECK(created["entries"] == 2);
    write(work.path() / "releases" / "5" / "app.conf", "hot-fixed\n");
    backup_json({"backup", "restore", created["id"], "--yes"});
    CHECK(fs::is_symlink(current));
    CHECK(read(current / "app.conf") == "release 5\n");
    CHECK(hidden_leftovers(work.path() / "releases").empty());

    auto root = backup({"backup", "restore", created["id"], "--to", "/", "--yes"});
    CHECK(root.exit_code == 2);
    CHECK_THAT(root.stderr_text, Catch::Contains("--to DIR"));
}

TEST_CASE_METHOD(BackupFixture, "backing up a directory that holds the repository leaves it out",
                 "[cli][backup]") {
    // --state-dir is inside the directory being backed up.
    auto project = state.path();
    write(project / "app.conf", "x\n");
    backup_json({"backup", "create", "dir:" + project.string()});
    auto second = backup({"backup", "create", "dir:" + project.string(), "--json"});
    CHECK(second.exit_code == 0);
    CHECK_THAT(second.stderr_text, Catch::Contains("the backup repository itself is left out"));
    auto manifest = nlohmann::json::parse(second.stdout_text);
    CHECK(manifest["warnings"].size() == 1);
    // The root, app.conf and the store holding the first backup's record (store/, its audit log
    // and lock file); nothing of backups/.
    CHECK(manifest["entries"] == 5);
}

TEST_CASE_METHOD(BackupFixture, "a manifest edited after its backup was made is damaged",
                 "[cli][backup][hostile]") {
    write(config_dir() / "app.yaml", "good\n");
    auto elsewhere = work.path() / "elsewhere";
    fs::create_directories(elsewhere);
    std::string id = backup_json({"backup", "create", "dir:" + config_dir().string()})["id"];
    auto manifest_path = backups_dir() / id / "manifest.json";
    auto original = read(manifest_path);
    CHECK(backup_json({"backup", "list"})[0]["damaged"].is_null());

    SECTION("its target redirected: verify and list say so, restore refuses it") {
        auto manifest = nlohmann::json::parse(original);
        manifest["target"] = elsewhere.string();
        write(manifest_path, manifest.dump(2) + "\n");
        auto verified = backup_json({"backup", "verify", id}, 1);
        CHECK_THAT(verified["backups"][0]["problems"][0].get<std::string>(),
                   Catch::Contains(manifest_path.string() + ": changed since the backup was made"));
        auto listed = backup_json({"backup", "list"});
        REQUIRE(listed.size() == 1);
        CHECK_THAT(listed[0]["damaged"].get<std::string>(), Catch::Contains("do not restore it"));
        auto human = backup({"backup", "list"});
        CHECK_THAT(human.stdout_text, Catch::Contains("DAMAGED: "));
        auto restore = backup({"backup", "restore", id, "--yes", "--no-safety-backup"});
        CHECK(restore.exit_code == 3);
        CHECK_THAT(restore.stderr_text, Catch::Contains("changed since the backup was made"));
        CHECK(fs::is_empty(elsewhere));
        CHECK(read(config_dir() / "app.yaml") == "good\n");
    }
    SECTION("pruned: its record goes with it") {
        std::string newer = backup_json({"backup", "create", "dir:" + config_dir().string()})["id"];
        REQUIRE(backup({"backup", "prune", "--keep-last", "1"}).exit_code == 0);
        CHECK_FALSE(fs::exists(backups_dir() / id));
        launchkit::store::FileStore store(store_dir());
        CHECK_FALSE(store.get("backups/" + id).value());
        CHECK(store.get("backups/" + newer).value());
    }
}

TEST_CASE_METHOD(BackupFixture, "a manifest with a flipped byte is listed as damaged, not hidden",
                 "[cli][backup][hostile]") {
    write(config_dir() / "app.yaml", "good\n");
    std::string id = backup_json({"backup", "create", "dir:" + config_dir().string()})["id"];
    auto manifest_path = backups_dir() / id / "manifest.json";
    auto flipped = read(manifest_path);
    auto position = GENERATE(as<std::string>{}, "\"created_at\": \"2", "\"files\"");
    auto at = flipped.find(position);
    REQUIRE(at != std::string::npos);
    flipped[at + position.size() - 1] ^= 0x01;  // a digit one off, or a broken key
    write(manifest_path, flipped);
    auto listed = backup_json({"backup", "list"});
    REQUIRE(listed.size() == 1);  // never hidden
    CHECK(listed[0]["id"] == id);
    CHECK(listed[0]["damaged"].is_string());
    CHECK(backup_json({"backup", "verify", "--all"}, 1)["backups"][0]["id"] == id);
}
