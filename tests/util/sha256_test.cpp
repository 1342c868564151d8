#include <catch2/catch.hpp>

#include "util/background_sha256.h"
#include "util/sha256.h"

using launchkit::util::Sha256;
using launchkit::util::sha256_hex;

TEST_CASE("sha256_hex matches the FIPS 180-2 test vectors", "[sha256]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("incremental hashing equals hashing the whole input", "[sha256]") {
    Sha256 hash;
    hash.update("ab");
    hash.update("");
    hash.update("c");
    CHECK(hash.hex_digest() == sha256_hex("abc"));
}

TEST_CASE("hashing on a background thread gives the digest of the bytes in order", "[sha256]") {
    // Pieces small and large, across and beyond the chunks the background hash takes, so that the
    // caller runs ahead of the hash and waits for chunks to come back.
    std::string all;
    launchkit::util::BackgroundSha256 background;
    unsigned x = 7;
    for (std::size_t size :
         {0u, 1u, 63u, 1000u, (1u << 20) - 5, 1u << 20, 3u << 20, 17u, 9u << 20}) {
        std::string piece(size, '\0');
        for (auto& byte : piece) byte = static_cast<char>((x = x * 1103515245 + 12345) >> 16);
        background.update(piece);
        all += piece;
    }
    CHECK(background.hex_digest() == sha256_hex(all));

    launchkit::util::BackgroundSha256 nothing;
    CHECK(nothing.hex_digest() == sha256_hex(""));
    launchkit::util::BackgroundSha256 abandoned;  // destroyed without a digest: no hang
    abandoned.update("abc");
}
