// dir: archives through the library: what a round trip must preserve, and every tar-slip shape an
// archive could take refused before it writes outside the restore target.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup/directory_archive.h"
#include "backup/directory_tree.h"
#include "support/crafted_archive.h"
#include "support/temp_dir.h"
#include "util/file_io.h"

using namespace launchkit::backup;
using launchkit::testing::CraftedEntry;
using launchkit::testing::TempDir;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, const std::string& content, mode_t mode = 0644) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    REQUIRE(::chmod(path.c_str(), mode) == 0);
}

void set_mtime(const fs::path& path, long seconds) {
    timespec times[2] = {{seconds, 0}, {seconds, 0}};
    REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
}

struct stat lstat_of(const fs::path& path) {
    struct stat info {};
    REQUIRE(::lstat(path.c_str(), &info) == 0);
    return info;
}

std::string random_bytes(std::size_t size) {
    std::mt19937 generator(42);
    std::string bytes(size, '\0');
    for (auto& byte : bytes) byte = static_cast<char>(generator());
    return bytes;
}

// Every entry under `root`, relative, with what a restore must reproduce.
std::map<std::string, std::string> describe_tree(const fs::path& root) {
    std::map<std::string, std::string> tree;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
         ++it) {
        auto info = lstat_of(it->path());
        auto relative = fs::relative(it->path(), root).string();
        std::string description = fmt::format("mode={:o} mtime={}", info.st_mode & 07777,
                                              static_cast<long>(info.st_mtim.tv_sec));
        if (S_ISLNK(info.st_mode))
            description += " -> " + fs::read_symlink(it->path()).string();
        else if (S_ISREG(info.st_mode))
            description += " content=" +
                           std::to_string(std::hash<std::string>{}(
                               launchkit::util::read_file(it->path()).value())) +
                           " links=" + std::to_string(info.st_nlink);
        else if (S_ISDIR(info.st_mode))
            description += " dir";
        tree[relative] = description;
    }
    return tree;
}

}  // namespace

TEST_CASE("a directory round-trips with modes, mtimes, symlinks, hard links and empty dirs",
          "[backup][dir]") {
    TempDir temp;
    auto source = temp.path() / "source";
    write(source / "config" / "app.yaml", "port: 8080\n", 0640);
    write(source / "bin" / "run.sh", "#!/bin/sh\necho hi\n", 0755);
    write(source / "secret.key", "k3y", 0600);
    write(source / "data" / "blob.bin", random_bytes(3 << 20));
    write(source / "name with spaces ü.txt", "unicode\n");
    fs::create_directories(source / "empty" / "nested-empty");
    fs::create_symlink("config/app.yaml", source / "current.yaml");
    fs::create_symlink("../config", source / "bin" / "config-link");
    fs::create_hard_link(source / "secret.key", source / "secret.hardlink");
    REQUIRE(::chmod((source / "empty").c_str(), 0700) == 0);
    for (const auto& path : {source / "config" / "app.yaml", source / "bin" / "run.sh",
                             source / "empty" / "nested-empty", source / "empty", source / "bin",
                             source / "config", source / "data"})
        set_mtime(path, 1600000000);
    set_mtime(source / "current.yaml", 1500000000);

    auto archive = temp.path() / "data.tar.zst";
    auto written = write_directory_archive(source, archive, "data.tar.zst", nullptr);
    REQUIRE(written);
    CHECK(written->entries ==
          14);  // the root, 5 directories, 6 files (one a hard link), 2 symlinks
    CHECK(written->file.size == fs::file_size(archive));
    CHECK(written->file.sha256.size() == 64);

    auto target = temp.path() / "restored";
    fs::create_directory(target);
    auto read = read_directory_archive(archive, "data.tar.zst", target, {});
    INFO((read ? "" : read.error().message));
    REQUIRE(read);
    CHECK(read->file.sha256 == written->file.sha256);
    CHECK(read->entries == written->entries);
    CHECK(describe_tree(target) == describe_tree(source));
    CHECK(lstat_of(target / "secret.key").st_ino == lstat_of(target / "secret.hardlink").st_ino);
}

TEST_CASE("the same tree archives to the same bytes", "[backup][dir]") {
    TempDir temp;
    write(temp.path() / "src" / "b.txt", "b");
    write(temp.path() / "src" / "a" / "c.txt", "c");
    auto first =
        write_directory_archive(temp.path() / "src", temp.path() / "1.tar.zst", "1", nullptr);
    auto second =
        write_directory_archive(temp.path() / "src", temp.path() / "2.tar.zst", "2", nullptr);
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->file.sha256 == second->file.sha256);
}

TEST_CASE("a tree's content digest survives a round trip, and its state digest sees any write",
          "[backup][dir]") {
    TempDir temp;
    auto source = temp.path() / "source";
    write(source / "bin" / "run.sh", "#!/bin/sh\n", 0755);
    write(source / "data" / "blob.bin", random_bytes(2 << 20));
    fs::create_symlink("bin/run.sh", source / "run");
    fs::create_hard_link(source / "bin" / "run.sh", source / "run.hardlink");
    auto written = write_directory_archive(source, temp.path() / "1.tar.zst", "1", nullptr);
    REQUIRE(written);
    CHECK(written->content_sha256.size() == 64);
    auto state = read_tree_state(source, {});
    REQUIRE(state);
    CHECK(state->sha256 == written->state_sha256);
    CHECK(state->only_plain_entries);

    // Extracted elsewhere (other inodes and times), the same content.
    auto target = temp.path() / "restored";
    fs::create_directory(target);
    REQUIRE(read_directory_archive(temp.path() / "1.tar.zst", "1", target, {}));
    auto rebuilt = write_directory_archive(target, temp.path() / "2.tar.zst", "2", nullptr);
    REQUIRE(rebuilt);
    CHECK(rebuilt->content_sha256 == written->content_sha256);
    CHECK(rebuilt->state_sha256 != written->state_sha256);

    // The mtime put back, the bytes the same: the state still tells.
    auto path = source / "data" / "blob.bin";
    auto before = lstat_of(path);
    write(path, random_bytes(2 << 20));
    timespec times[2] = {before.st_atim, before.st_mtim};
    REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
    CHECK(read_tree_state(source, {})->sha256 != written->state_sha256);
    // One byte or one permission changed: the content tells.
    write(target / "data" / "blob.bin", random_bytes(2 << 20).replace(100, 1, "x"));
    auto changed = write_directory_archive(target, temp.path() / "3.tar.zst", "3", nullptr);
    CHECK(changed->content_sha256 != written->content_sha256);
    write(target / "data" / "blob.bin", random_bytes(2 << 20), 0600);
    auto chmodded = write_directory_archive(target, temp.path() / "4.tar.zst", "4", nullptr);
    CHECK(chmodded->content_sha256 != written->content_sha256);
    write(target / "data" / "blob.bin", random_bytes(2 << 20), 0644);
    auto back = write_directory_archive(target, temp.path() / "5.tar.zst", "5", nullptr);
    CHECK(back->content_sha256 == written->content_sha256);

    ::mkfifo((source / "fifo").c_str(), 0600);
    CHECK_FALSE(read_tree_state(source, {})->only_plain_entries);
}

TEST_CASE("archives that would write outside the target are refused", "[backup][tar-slip]") {
    TempDir temp;
    auto outside = temp.path() / "outside";
    fs::create_directory(outside);
    write(outside / "secret", "original");
    auto target = temp.path() / "target";
    using Type = CraftedEntry::Type;

    struct Case {
        const char* name;
        std::vector<CraftedEntry> entries;
        const char* message;
        bool allow_external_symlinks = false;
    };
    std::vector<Case> cases = {
        {"absolute path", {{Type::file, (outside / "pwned").string(), "x"}}, "absolute path"},
        {"dot-dot", {{Type::file, "../outside/pwned", "x"}}, "'..'"},
        {"dot-dot inside",
         {{Type::directory, "a"}, {Type::file, "a/../../outside/pwned", "x"}},
         "'..'"},
        {"symlink out", {{Type::symlink, "evil", "", "../outside"}}, "points outside"},
        {"absolute symlink", {{Type::symlink, "evil", "", outside.string()}}, "points outside"},
        {"write through symlink",
         {{Type::symlink, "evil", "", outside.string()}, {Type::file, "evil/pwned", "x"}},
         "through a symlink",
         true},
        {"replace through symlink",
         {{Type::symlink, "evil", "", outside.string()}, {Type::file, "evil/secret", "changed"}},
         "through a symlink",
         true},
        {"hard link out", {{Type::hardlink, "link", "", "../outside/secret"}}, "'..'"},
        {"hard link through symlink",
         {{Type::symlink, "evil", "", outside.string()},
          {Type::hardlink, "link", "", "evil/secret"}},
         "hard link through a symlink",
         true},
    };
    for (const auto& test : cases) {
        DYNAMIC_SECTION(test.name) {
            fs::remove_all(target);
            fs::create_directory(target);
            auto archive = temp.path() / "evil.tar.zst";
            fs::remove(archive);
            launchkit::testing::write_crafted_archive(archive, test.entries);
            ExtractOptions options;
            options.allow_external_symlinks = test.allow_external_symlinks;
            auto result = read_directory_archive(archive, "evil", target, options);
            REQUIRE_FALSE(result);
            CHECK_THAT(result.error().message, Catch::Contains(test.message));
            CHECK(result.error().code == launchkit::ExitCode::environment);
            CHECK_FALSE(fs::exists(outside / "pwned"));
            CHECK(launchkit::util::read_file(outside / "secret").value() == "original");
        }
    }
}

TEST_CASE("a truncated or damaged archive is reported, naming the file", "[backup][dir]") {
    TempDir temp;
    write(temp.path() / "src" / "big.bin", random_bytes(1 << 20));
    write(temp.path() / "src" / "text.txt", std::string(200000, 'a'));
    auto archive = temp.path() / "data.tar.zst";
    REQUIRE(write_directory_archive(temp.path() / "src", archive, "data.tar.zst", nullptr));
    auto size = fs::file_size(archive);

    SECTION("truncated") {
        fs::resize_file(archive, size / 2);
    }
    SECTION("one flipped byte") {
        std::fstream file(archive, std::ios::in | std::ios::out | std::ios::binary);
        file.seekg(static_cast<std::streamoff>(size / 3));
        char byte = 0;
        file.read(&byte, 1);
        file.seekp(static_cast<std::streamoff>(size / 3));
        byte = static_cast<char>(byte ^ 0x20);
        file.write(&byte, 1);
    }
    auto result = read_directory_archive(archive, "data.tar.zst", std::nullopt, {});
    REQUIRE_FALSE(result);
    CHECK_THAT(result.error().message, Catch::Contains(archive.string()));
}

TEST_CASE("archiving a missing directory or an unreadable file fails cleanly", "[backup][dir]") {
    TempDir temp;
    auto missing =
        write_directory_archive(temp.path() / "nope", temp.path() / "a.tar.zst", "a", nullptr);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == launchkit::ExitCode::invalid_input);
    CHECK_THAT(missing.error().message, Catch::Contains("nope"));
}
