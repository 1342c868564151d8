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

TEST_CASE("a manifest's sizes and counts that are not integers are damage, named", "[backup]") {
    // The fuzzer's find: a file size of 1.2e55, which get<std::uint64_t>() cast undefinedly.
    const std::string head = R"({"format": 1, "id": "x", "source": "dir:/x", "kind": "dir",
                                 "created_at": "2026-12-03T11:10:54Z", )";
    const std::string file = R"("files": [{"path": "data.tar.zst", "sha256": "ab", "size": )";
    for (const std::string& text :
         {head + file + "12000008091290000000000000000000000015372286728091293017}]}",
          head + file + "-1}]}", head + file + "1.5}]}",
          head + file + R"(1}], "source_bytes": 1e300})",
          head + file + R"(1}], "entries": 18446744073709551616})"}) {
        auto parsed = parse_manifest(text, "manifest.json");
        INFO(text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == launchkit::ExitCode::environment);
        CHECK_THAT(parsed.error().message, Catch::Contains("manifest.json"));
    }
    auto whole =
        parse_manifest(head + file + R"(18446744073709551615}], "entries": 3})", "manifest.json");
    REQUIRE(whole);
    CHECK(whole->files.at(0).size == 18446744073709551615u);
    CHECK(whole->entries == 3);
}
