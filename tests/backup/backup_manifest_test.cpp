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

TEST_CASE("a directory manifest's tree digests round-trip, and malformed ones are damage",
          "[backup]") {
    launchkit::backup::BackupManifest manifest;
    manifest.id = "20261205T001054.558Z-91d01e";
    manifest.source = "data";
    manifest.created_at = "2026-12-05T00:10:54Z";
    manifest.files.push_back({"data.tar.zst", 127, std::string(64, 'a')});
    manifest.tree_content_sha256 = std::string(64, 'b');
    manifest.tree_state_sha256 = std::string(64, 'c');
    auto text = launchkit::backup::manifest_json(manifest).dump();
    auto parsed = parse_manifest(text, "manifest.json");
    REQUIRE(parsed);
    CHECK(parsed->tree_content_sha256 == manifest.tree_content_sha256);
    CHECK(parsed->tree_state_sha256 == manifest.tree_state_sha256);

    manifest.tree_state_sha256 = "not hex";
    auto damaged = parse_manifest(launchkit::backup::manifest_json(manifest).dump(), "m.json");
    REQUIRE_FALSE(damaged);
    CHECK_THAT(damaged.error().message, Catch::Contains("'tree' digests must be 64 hex digits"));

    // Written before launchkit took the digests: none, and still a valid manifest.
    manifest.tree_content_sha256.clear();
    auto older = parse_manifest(launchkit::backup::manifest_json(manifest).dump(), "m.json");
    REQUIRE(older);
    CHECK(older->tree_content_sha256.empty());
}
