// Which ids may name a backup's folder: the ones launchkit makes, never a path or a selector.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "backup/backup_repository.h"
#include "util/time.h"

using namespace launchkit::backup;

TEST_CASE("a backup id names a folder, never a path", "[backup]") {
    CHECK(is_backup_id(new_backup_id(std::chrono::system_clock::now())));
    CHECK(is_backup_id("20261125T181950.123Z-3f9a2c"));
    CHECK(is_backup_id("legacy-backup_1"));
    CHECK(is_backup_id(std::string(128, 'a')));
    const std::vector<std::string> bad_ids = {"",
                                              ".",
                                              "..",
                                              "../../escape",
                                              ".hidden",
                                              "a/b",
                                              "/abs",
                                              "latest",
                                              "latest:pre-upgrade",
                                              "tab\there",
                                              "del\x7f",
                                              std::string("nul\0x", 5),
                                              std::string(129, 'a')};
    for (const auto& bad : bad_ids) {
        INFO(bad);
        CHECK_FALSE(is_backup_id(bad));
    }
}
