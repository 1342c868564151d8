// in-toto statements in DSSE envelopes: DSSE's PAE exactly as its specification writes it, a round
// trip, and every tampering refused with its reason.
#include <catch2/catch.hpp>

#include <string>

#include <sodium.h>
#include <nlohmann/json.hpp>

#include "sign/attestation.h"

using namespace launchkit::sign;
using launchkit::ExitCode;

namespace {

std::string base64(const std::string& data) {
    std::string text(sodium_base64_encoded_len(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(data.data()),
                      data.size(), sodium_base64_VARIANT_ORIGINAL);
    text.pop_back();
    return text;
}

std::string unbase64(const std::string& text) {
    std::string bytes(text.size(), '\0');
    size_t length = 0;
    REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(),
                              text.data(), text.size(), nullptr, &length, nullptr,
                              sodium_base64_VARIANT_ORIGINAL) == 0);
    bytes.resize(length);
    return bytes;
}

}  // namespace

TEST_CASE("DSSE's pre-authentication encoding is the specification's", "[sign][attest]") {
    // The example of DSSE's protocol.md.
    CHECK(dsse_pae("http://example.com/HelloWorld", "hello world") ==
          "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    CHECK(dsse_pae("", "") == "DSSEv1 0  0 ");
}

TEST_CASE("an attestation verifies, and each tampering is refused with its reason",
          "[sign][attest]") {
    auto pair = generate_key_pair();
    std::vector<AttestationSubject> subjects = {{"por.json", std::string(64, 'a')},
                                                {"app.tar", std::string(64, 'b')}};
    auto envelope = make_attestation(pair.secret_key, subjects, "https://example.com/por/v1",
                                     {{"reserves", 100}});
    REQUIRE(envelope);
    auto verified = verify_attestation(pair.public_key, *envelope, "por.dsse.json");
    REQUIRE(verified);
    CHECK(verified->predicate_type == "https://example.com/por/v1");
    CHECK(verified->predicate == nlohmann::json({{"reserves", 100}}));
    REQUIRE(verified->subjects.size() == 2);
    CHECK(verified->subjects[1].name == "app.tar");
    auto json = nlohmann::json::parse(*envelope);
    auto statement = nlohmann::json::parse(unbase64(json["payload"]));
    CHECK(statement["_type"] == "https://in-toto.io/Statement/v1");
    CHECK(json["signatures"][0]["keyid"] == key_id_text(pair.public_key.key_id));

    auto refused = [&](nlohmann::json changed, const std::string& says,
                       ExitCode code = ExitCode::said_no) {
        auto result = verify_attestation(pair.public_key, changed.dump(), "por.dsse.json");
        INFO(says);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == code);
        CHECK_THAT(result.error().message, Catch::Contains(says));
    };
    auto payload_changed = json;
    statement["subject"][0]["digest"]["sha256"] = std::string(64, 'c');
    payload_changed["payload"] = base64(statement.dump());
    refused(payload_changed, "no signature by key");
    auto type_changed = json;
    type_changed["payloadType"] = "application/json";
    refused(type_changed, "payloadType is 'application/json'");
    auto signature_flipped = json;
    auto sig = unbase64(json["signatures"][0]["sig"]);
    sig[5] = static_cast<char>(sig[5] ^ 1);
    signature_flipped["signatures"][0]["sig"] = base64(sig);
    refused(signature_flipped, "no signature by key");
    auto other = generate_key_pair();
    auto wrong_key = verify_attestation(other.public_key, *envelope, "por.dsse.json");
    REQUIRE_FALSE(wrong_key);
    CHECK_THAT(wrong_key.error().message, Catch::Contains(key_id_text(other.public_key.key_id)));
    auto truncated =
        verify_attestation(pair.public_key, envelope->substr(0, envelope->size() / 2), "t");
    REQUIRE_FALSE(truncated);
    CHECK(truncated.error().code == ExitCode::invalid_input);

    // A statement signed properly but not in-toto's is refused too.
    nlohmann::json not_in_toto = json;
    auto bare = std::string(R"({"hello": "world"})");
    std::array<unsigned char, 64> raw{};
    auto pae = dsse_pae("application/vnd.in-toto+json", bare);
    crypto_sign_detached(raw.data(), nullptr, reinterpret_cast<const unsigned char*>(pae.data()),
                         pae.size(), pair.secret_key.key.data());
    not_in_toto["payload"] = base64(bare);
    not_in_toto["signatures"][0]["sig"] =
        base64(std::string(reinterpret_cast<char*>(raw.data()), 64));
    refused(not_in_toto, "not an in-toto Statement v1");

    CHECK_FALSE(make_attestation(pair.secret_key, subjects, "not a uri", nlohmann::json::object()));
    CHECK_FALSE(
        make_attestation(pair.secret_key, subjects, "https://x/y", nlohmann::json::array()));
    CHECK_FALSE(make_attestation(pair.secret_key, {}, "https://x/y", nlohmann::json::object()));
}
