// A directory backup goes off-site as the directory itself, beside its manifest, so that restic
// deduplicates file by file as its own backups do; a new machine rebuilds the archive from the
// restored tree and checks its content against the manifest. A tree written to since its
// backup goes as the archive instead, and a tree that is not what the backup archived is refused.
#include <catch2/catch.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "support/offsite_project.h"
#include "support/state_fixture.h"
#include "util/file_io.h"
#include "util/process.h"

using launchkit::testing::OffsiteProject;
using launchkit::testing::StateFixture;
namespace fs = std::filesystem;

namespace {

// Bytes zstd cannot shrink, so that what restic adds is what was copied.
std::string incompressible(std::size_t size, unsigned seed) {
    std::string bytes;
    bytes.reserve(size);
    for (unsigned x = seed; bytes.size() < size;)
        bytes += static_cast<char>((x = x * 1103515245 + 12345) >> 16);
    return bytes;
}

bool has_tag(const nlohmann::json& snapshot, const std::string& tag) {
    const auto& tags = snapshot["tags"];
    return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

std::vector<nlohmann::json> snapshots_of(const OffsiteProject& project, const std::string& id) {
    std::vector<nlohmann::json> found;
    for (const auto& snapshot : project.snapshots())
        if (has_tag(snapshot, "launchkit-id=" + id)) found.push_back(snapshot);
    return found;
}

}  // namespace

TEST_CASE("a directory goes off-site as itself: restic stores only the files that changed",
          "[cli][backup][offsite]") {
    StateFixture machine;
    OffsiteProject project;
    auto environment = project.environment();
    for (unsigned i = 0; i < 30; ++i)
        project.work.write(fmt::format("data/files/{:02}.bin", i), incompressible(64 * 1024, i));
    project.sync_init(machine, environment);

    auto first = machine.run_json("release-manager", {"backup", "create", "data"}, environment);
    CHECK(first["offsite"]["form"] == "tree");
    CHECK(first["offsite"]["data_added"].get<std::uint64_t>() > 30 * 64 * 1024);
    auto copies = snapshots_of(project, first["id"]);
    REQUIRE(copies.size() == 1);
    CHECK(has_tag(copies[0], "launchkit-form=tree"));
    auto paths = copies[0]["paths"];
    CHECK(std::find(paths.begin(), paths.end(),
                    fs::canonical(project.work.path() / "data").string()) != paths.end());

    // 4 KiB rewritten in one of the 30 files: restic's own incremental backup stores that file
    // again; an archive of the whole tree would have changed in a chunk of about a MiB.
    auto changed = project.work.path() / "data/files/07.bin";
    auto content = launchkit::util::read_file(changed).value();
    content.replace(30000, 4096, incompressible(4096, 99));
    launchkit::util::write_file_atomically(changed, content, 0644).value();
    auto second = machine.run_json("release-manager", {"backup", "create", "data"}, environment);
    CHECK(second["offsite"]["form"] == "tree");
    CHECK(second["offsite"]["data_added"].get<std::uint64_t>() < 64 * 1024 + 32 * 1024);

    // A new machine: the archive rebuilt from the restored tree is the one made here, byte for
    // byte (same libraries, same owner), and restores as any backup.
    StateFixture new_machine;
    auto there =
        new_machine.run_json("release-manager", {"backup", "list", "--offsite"}, environment);
    REQUIRE(there.size() == 2);
    CHECK(there[0]["offsite_form"] == "tree");
    auto restored_to = project.work.path() / "restored";
    auto restored = new_machine.run_json(
        "release-manager",
        {"backup", "restore", first["id"], "--to", restored_to.string(), "--yes"}, environment);
    CHECK(restored["id"] == first["id"]);
    CHECK(launchkit::util::read_file(restored_to / "files/07.bin").value() ==
          incompressible(64 * 1024, 7));
    CHECK(launchkit::util::read_file(restored_to / "a.txt").value() == "alpha\n");
    auto fetched = new_machine.run_json("release-manager", {"backup", "list"}, environment);
    REQUIRE(fetched.size() == 1);
    CHECK(fetched[0]["files"][0]["sha256"] == first["files"][0]["sha256"]);
    CHECK(new_machine.run("release-manager", {"backup", "verify", first["id"]}, environment)
              .exit_code == 0);

    auto verified = machine.run_json("release-manager", {"backup", "verify", "--offsite", "--all"},
                                     environment);
    CHECK(verified["ok"] == true);
    REQUIRE(verified["backups"].size() == 2);
    CHECK_THAT(verified["backups"][1]["check"].get<std::string>(),
               Catch::Contains("directory restored, its content as archived"));
}

TEST_CASE("a directory written to since its backup, or while it is copied, goes as the archive",
          "[cli][backup][offsite]") {
    StateFixture machine;
    OffsiteProject project;
    auto environment = project.environment();
    project.sync_init(machine, environment);

    auto kept = machine.run_json("release-manager", {"backup", "create", "data", "--no-offsite"},
                                 environment);
    project.work.write("data/a.txt", "alpha, changed since\n");
    auto synced = machine.run_json("release-manager", {"backup", "sync"}, environment);
    REQUIRE(synced["backups"].size() == 1);
    CHECK(synced["backups"][0]["form"] == "archive");
    auto listed = machine.run_json("release-manager", {"backup", "list", "--offsite"}, environment);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["offsite_form"] == "archive");

    // Written to while restic reads it: that snapshot is forgotten, the archive goes instead.
    auto written = project.work.path() / "data/a.txt";
    auto during = machine.run("release-manager", {"backup", "create", "data", "--json"},
                              project.environment({{"WRITE_DURING_RESTIC_BACKUP", written}}));
    INFO(during.stderr_text);
    REQUIRE(during.exit_code == 0);
    CHECK_THAT(during.stderr_text, Catch::Contains("changed while it was being copied"));
    auto made = nlohmann::json::parse(during.stdout_text);
    CHECK(made["offsite"]["form"] == "archive");
    auto copies = snapshots_of(project, made["id"]);
    REQUIRE(copies.size() == 1);
    CHECK_FALSE(has_tag(copies[0], "launchkit-form=tree"));

    // Both restore on a new machine as they were backed up.
    StateFixture new_machine;
    for (const auto& [id, expected] :
         {std::pair{kept["id"].get<std::string>(), std::string("alpha\n")},
          std::pair{made["id"].get<std::string>(), std::string("alpha, changed since\n")}}) {
        auto restored_to = project.work.path() / ("restored-" + id);
        auto restored = new_machine.run_json(
            "release-manager", {"backup", "restore", id, "--to", restored_to.string(), "--yes"},
            environment);
        CHECK(launchkit::util::read_file(restored_to / "a.txt").value() == expected);
    }
}

TEST_CASE("an off-site directory that is not what its backup archived is refused",
          "[cli][backup][offsite]") {
    StateFixture machine;
    OffsiteProject project;
    auto environment = project.environment();
    project.sync_init(machine, environment);
    auto made = machine.run_json("release-manager", {"backup", "create", "data"}, environment);
    auto id = made["id"].get<std::string>();
    auto copies = snapshots_of(project, id);
    REQUIRE(copies.size() == 1);

    // Someone with the password copies the tree as it is now, under the backup's tags: the
    // later copy is the one a fetch takes.
    project.work.write("data/a.txt", "not what was backed up\n");
    std::vector<std::string> tags;
    for (const auto& tag : copies[0]["tags"]) tags.push_back(tag.get<std::string>());
    std::string joined;
    for (const auto& tag : tags) joined += (joined.empty() ? "" : ",") + tag;
    std::vector<std::string> arguments{"backup", "--quiet", "--tag", joined};
    for (const auto& path : copies[0]["paths"]) arguments.push_back(path.get<std::string>());
    project.restic(arguments);

    StateFixture new_machine;
    auto refused = new_machine.run(
        "release-manager",
        {"backup", "restore", id, "--to", (project.work.path() / "restored").string(), "--yes"},
        environment);
    CHECK(refused.exit_code == 3);
    CHECK_THAT(refused.stderr_text, Catch::Contains("is not the one backup " + id + " archived"));
    CHECK_FALSE(fs::exists(project.work.path() / "restored"));
    CHECK(new_machine.run_json("release-manager", {"backup", "list"}, environment).empty());

    auto verified = machine.run("release-manager", {"backup", "verify", id, "--offsite", "--json"},
                                environment);
    CHECK(verified.exit_code == 1);
    CHECK_THAT(verified.stdout_text, Catch::Contains("is not the one backup"));
    // The id after --offsite would be read as the repository: said so, before anything runs.
    auto misread =
        machine.run("release-manager", {"backup", "verify", "--offsite", id}, environment);
    CHECK(misread.exit_code == 2);
    CHECK_THAT(misread.stderr_text, Catch::Contains("that is a backup id"));
}
