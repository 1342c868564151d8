// Manifests read back from disk: numbers that are not the integers they must be are damage, never
// undefined behaviour (found by the backup_manifest fuzzer: a format of 3.3e27 converted to int).
#include <catch2/catch.hpp>

#include "backup/backup_manifest.h"

using launchkit::backup::parse_manifest;

TEST_CASE("a manifest whose format is not the integer 1 is refused, whatever number it is",
          "[backup]") {
    for (const char* format : {"3.33333e+27", "1.0", "-1e300", "\"1\"", "2"}) {
        auto text = std::string(R"({"format": )") + format +
                    R"(, "id": "x", "source": "dir:/x", "kind": "directory",
                        "created_at": "2026-12-03T11:10:54Z", "files": []})";
        auto parsed = parse_manifest(text, "manifest.json");
        INFO(format);
        REQUIRE_FALSE(parsed);
        CHECK_THAT(parsed.error().message, Catch::Contains("unsupported manifest format"));
    }
}
