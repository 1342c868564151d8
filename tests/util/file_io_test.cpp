#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/temp_dir.h"
#include "util/file_io.h"
#include "util/file_lock.h"

using namespace launchkit;
using launchkit::testing::TempDir;

TEST_CASE("write_file_atomically replaces content, keeps the mode and leaves no temp file",
          "[file_io]") {
    TempDir dir;
    auto path = dir.path() / "data.txt";
    REQUIRE(util::write_file_atomically(path, "first\n", 0600));
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);

    REQUIRE(util::write_file_atomically(path, "second\n"));
    CHECK(*util::read_file(path) == "second\n");
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                        std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("file errors name the path and are environment failures", "[file_io]") {
    TempDir dir;
    auto missing = util::read_file(dir.path() / "missing");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ExitCode::environment);
    CHECK_THAT(missing.error().message, Catch::Contains("missing"));

    auto no_dir = util::write_file_atomically(dir.path() / "no" / "such" / "file", "x");
    REQUIRE_FALSE(no_dir);
    CHECK(no_dir.error().code == ExitCode::environment);
}

TEST_CASE("append_durably appends", "[file_io]") {
    TempDir dir;
    auto path = dir.path() / "log";
    REQUIRE(util::append_durably(path, "a\n"));
    REQUIRE(util::append_durably(path, "b\n"));
    CHECK(*util::read_file(path) == "a\nb\n");
}

TEST_CASE("a file lock can be taken again once released", "[file_io]") {
    TempDir dir;
    {
        auto lock = util::FileLock::acquire(dir.path() / "lock");
        REQUIRE(lock);
    }
    auto again = util::FileLock::acquire(dir.path() / "lock");
    CHECK(again);
    auto bad = util::FileLock::acquire(dir.path() / "no" / "lock");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ExitCode::environment);
}

TEST_CASE("read_file_from reads the tail from an offset", "[file_io]") {
    TempDir dir;
    auto path = dir.path() / "log";
    REQUIRE(util::write_file_atomically(path, "first\nsecond\n"));
    CHECK(*util::read_file_from(path, 6) == "second\n");
    CHECK(util::read_file_from(path, 13)->empty());
    CHECK(*util::read_file_from(path, 0) == *util::read_file(path));
}

TEST_CASE("remove_tree removes a tree with read-only and unlistable directories", "[file_io]") {
    TempDir dir;
    auto root = dir.path() / "restored";
    // As root, modes stop nothing: the removal runs as nobody then, in a child process.
    bool as_root = ::geteuid() == 0;
    if (as_root) {
        REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
        REQUIRE(::mkdir(root.c_str(), 0755) == 0);
        REQUIRE(::chown(root.c_str(), 65534, 65534) == 0);
    }
    auto remove_as_owner = [&]() -> bool {
        auto inner = root / "tree";
        if (::mkdir(inner.c_str(), 0755) != 0) return false;
        std::filesystem::create_directories(inner / "read-only" / "deeper");
        if (!util::write_file_atomically(inner / "read-only" / "deeper" / "f", "x", 0400))
            return false;
        std::filesystem::create_symlink("/", inner / "read-only" / "to-root");
        ::chmod((inner / "read-only" / "deeper").c_str(), 0500);
        ::chmod((inner / "read-only").c_str(), 0000);
        // Plain remove_all cannot, as the owner: the reason remove_tree exists.
        std::error_code error;
        std::filesystem::remove_all(inner, error);
        if (!error) return false;
        return !util::remove_tree(inner) && !std::filesystem::exists(inner) &&
               std::filesystem::exists("/");
    };
    if (!as_root) {
        std::filesystem::create_directory(root);
        CHECK(remove_as_owner());
        return;
    }
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        bool ok = ::setgid(65534) == 0 && ::setuid(65534) == 0 && remove_as_owner();
        ::_exit(ok ? 0 : 1);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
