// A disk that fills up under a flag write and a backup (a tiny tmpfs as the state directory's
// filesystem): exit 3 naming the cause, the old state still there and readable, nothing
// half-written left visible, and everything works again once there is room.
#include <catch2/catch.hpp>

#include <sys/mount.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "support/temp_dir.h"
#include "util/process.h"

using launchkit::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// A tmpfs of `bytes` mounted on a fresh folder for the test's life. Mounting needs root (CI's
// machines run the tests as root); elsewhere mounted() is false and the test says it was skipped.
class TinyFilesystem {
  public:
    explicit TinyFilesystem(size_t bytes) {
        auto options = "size=" + std::to_string(bytes) + ",mode=0700";
        mounted_ = ::mount("tmpfs", folder_.path().c_str(), "tmpfs", 0, options.c_str()) == 0;
    }
    ~TinyFilesystem() {
        if (mounted_) ::umount2(folder_.path().c_str(), MNT_DETACH);
    }
    TinyFilesystem(const TinyFilesystem&) = delete;
    TinyFilesystem& operator=(const TinyFilesystem&) = delete;
    bool mounted() const { return mounted_; }
    const fs::path& path() const { return folder_.path(); }

    // Fills what is left with one file, to be removed to make room again.
    fs::path fill() const {
        auto filler = path() / "filler";
        std::ofstream out(filler, std::ios::binary);
        std::string block(4096, 'x');
        while (out.write(block.data(), static_cast<std::streamsize>(block.size()))) out.flush();
        return filler;
    }

  private:
    TempDir folder_;
    bool mounted_ = false;
};

struct Tools {
    fs::path state;
    launchkit::util::ProcessResult operator()(const std::string& tool,
                                              std::vector<std::string> arguments) const {
        arguments.insert(arguments.begin(), {std::string(LAUNCHKIT_BIN_DIR) + "/" + tool,
                                             "--state-dir", state.string()});
        auto result = launchkit::util::run_process(
            {.argv = arguments, .environment = {{"NO_COLOR", "1"}, {"LAUNCHKIT_ACTOR", "oncall"}}});
        REQUIRE(result);
        return *result;
    }
};

std::vector<std::string> hidden_entries(const fs::path& folder) {
    std::vector<std::string> names;
    if (!fs::exists(folder)) return names;
    for (const auto& entry : fs::directory_iterator(folder)) {
        auto name = entry.path().filename().string();
        if (name.starts_with('.') && name != ".lock") names.push_back(name);
    }
    return names;
}

}  // namespace

TEST_CASE("a full disk fails flag writes and backups with exit 3 and leaves old state",
          "[cli][full-disk]") {
    TinyFilesystem disk(256 * 1024);
    if (!disk.mounted()) {
        WARN("skipped: mounting a tmpfs needs root");
        return;
    }
    Tools tools{disk.path() / "state"};
    REQUIRE(tools("feature-flags", {"create", "dark-mode"}).exit_code == 0);
    TempDir source;
    std::string noise;  // incompressible: the archive needs as much room as the data
    std::mt19937 random(3);
    while (noise.size() < 200 * 1024) noise += static_cast<char>(random() & 0xff);
    source.write("data.bin", noise);
    auto filler = disk.fill();

    // Writes go on while the log's last page has room; the first that needs a new page fails.
    bool enabled = false;
    launchkit::util::ProcessResult failed;
    for (int attempt = 0; attempt < 64; ++attempt) {
        auto toggled = tools("feature-flags", {enabled ? "disable" : "enable", "dark-mode"});
        if (toggled.exit_code != 0) {
            failed = toggled;
            break;
        }
        enabled = !enabled;
    }
    INFO(failed.stderr_text);
    REQUIRE(failed.exit_code == 3);
    CHECK_THAT(failed.stderr_text, Catch::Contains("No space left on device"));
    // The last write that succeeded is what the store says, and its chain is intact.
    auto read = tools("feature-flags", {"get", "dark-mode", "--json"});
    REQUIRE((read.exit_code == 0 || read.exit_code == 1));
    CHECK(nlohmann::json::parse(read.stdout_text)["enabled"] == enabled);
    CHECK(tools("feature-flags", {"audit", "--verify"}).exit_code == 0);
    CHECK(hidden_entries(disk.path() / "state" / "store").empty());

    auto backup = tools("release-manager", {"backup", "create", "dir:" + source.path().string()});
    INFO(backup.stderr_text);
    CHECK(backup.exit_code == 3);
    CHECK_THAT(backup.stderr_text, Catch::Contains("No space left on device"));
    CHECK(nlohmann::json::parse(tools("release-manager", {"backup", "list", "--json"}).stdout_text)
              .empty());
    CHECK(hidden_entries(disk.path() / "state" / "backups").empty());

    // With room again, both work and the chain still verifies.
    fs::remove(filler);
    CHECK(tools("feature-flags", {enabled ? "disable" : "enable", "dark-mode"}).exit_code == 0);
    CHECK(
        tools("release-manager", {"backup", "create", "dir:" + source.path().string()}).exit_code ==
        0);
    CHECK(tools("feature-flags", {"audit", "--verify"}).exit_code == 0);
}
