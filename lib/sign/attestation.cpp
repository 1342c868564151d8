#include "sign/attestation.h"

#include <sodium.h>

#include <cstdlib>

#include <fmt/format.h>

#include "util/bounded_json.h"

namespace launchkit::sign {

namespace {

constexpr size_t max_subjects = 100000;

std::string base64(std::string_view data) {
    std::string text(sodium_base64_encoded_len(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(data.data()),
                      data.size(), sodium_base64_VARIANT_ORIGINAL);
    text.resize(text.size() - 1);  // the terminating NUL
    return text;
}

std::optional<std::string> unbase64(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::string bytes(text.size(), '\0');
    size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                          text.size(), nullptr, &length, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    bytes.resize(length);
    return bytes;
}

bool is_uri(std::string_view text) {
    auto colon = text.find(':');
    return colon != std::string_view::npos && colon > 0 &&
           text.find_first_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

std::string dsse_pae(std::string_view payload_type, std::string_view payload) {
    return fmt::format("DSSEv1 {} {} {} {}", payload_type.size(), payload_type, payload.size(),
                       payload);
}

Result<std::string> make_attestation(const SecretKey& key,
                                     const std::vector<AttestationSubject>& subjects,
                                     std::string_view predicate_type,
                                     const nlohmann::json& predicate) {
    if (sodium_init() < 0) std::abort();
    if (!is_uri(predicate_type))
        return fail(ExitCode::invalid_input, "--predicate-type: '{}' is not a URI", predicate_type);
    if (!predicate.is_object())
        return fail(ExitCode::invalid_input, "--predicate: expected a JSON object");
    if (subjects.empty()) return fail(ExitCode::invalid_input, "attest: no artifacts");
    nlohmann::ordered_json statement = {{"_type", in_toto_statement_type},
                                        {"subject", nlohmann::ordered_json::array()},
                                        {"predicateType", predicate_type},
                                        {"predicate", predicate}};
    for (const auto& subject : subjects)
        statement["subject"].push_back(nlohmann::ordered_json(
            {{"name", subject.name}, {"digest", {{"sha256", subject.sha256}}}}));
    auto payload = statement.dump();
    auto pae = dsse_pae(in_toto_payload_type, payload);
    std::array<unsigned char, 64> signature{};
    crypto_sign_detached(signature.data(), nullptr,
                         reinterpret_cast<const unsigned char*>(pae.data()), pae.size(),
                         key.key.data());
    nlohmann::ordered_json envelope = {
        {"payload", base64(payload)},
        {"payloadType", in_toto_payload_type},
        {"signatures",
         {{{"keyid", key_id_text(key.key_id)},
           {"sig", base64(std::string_view(reinterpret_cast<const char*>(signature.data()),
                                           signature.size()))}}}}};
    return envelope.dump(2) + "\n";
}

Result<VerifiedAttestation> verify_attestation(const PublicKey& key, std::string_view text,
                                               std::string_view where) {
    if (sodium_init() < 0) std::abort();
    auto envelope = util::parse_json(text, ExitCode::invalid_input);
    if (!envelope || !envelope->is_object())
        return fail(ExitCode::invalid_input, "{}: not a DSSE envelope (a JSON object)", where);
    auto payload_type = util::string_member(*envelope, "payloadType");
    auto payload_text = util::string_member(*envelope, "payload");
    auto signatures = envelope->find("signatures");
    if (!payload_type || !payload_text || signatures == envelope->end() || !signatures->is_array())
        return fail(ExitCode::invalid_input,
                    "{}: a DSSE envelope has payload, payloadType and signatures", where);
    if (*payload_type != in_toto_payload_type)
        return fail(ExitCode::said_no, "{}: payloadType is '{}', expected {}", where, *payload_type,
                    in_toto_payload_type);
    auto payload = unbase64(*payload_text);
    if (!payload) return fail(ExitCode::invalid_input, "{}: payload is not base64", where);
    auto pae = dsse_pae(*payload_type, *payload);
    bool signed_by_key = false;
    for (const auto& signature : *signatures) {
        auto signature_text = util::string_member(signature, "sig");
        auto bytes = signature_text ? unbase64(*signature_text) : std::nullopt;
        if (!bytes || bytes->size() != 64) continue;
        if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(bytes->data()),
                                        reinterpret_cast<const unsigned char*>(pae.data()),
                                        pae.size(), key.key.data()) == 0)
            signed_by_key = true;
    }
    if (!signed_by_key)
        return fail(ExitCode::said_no, "{}: no signature by key {} matches the payload", where,
                    key_id_text(key.key_id));
    auto statement = util::parse_json(*payload, ExitCode::invalid_input);
    if (!statement || !statement->is_object() ||
        util::string_member(*statement, "_type") != std::string(in_toto_statement_type))
        return fail(ExitCode::said_no, "{}: the signed payload is not an in-toto Statement v1",
                    where);
    VerifiedAttestation verified;
    verified.predicate_type = util::string_member(*statement, "predicateType").value_or("");
    verified.predicate = statement->value("predicate", nlohmann::json::object());
    auto subjects = statement->find("subject");
    if (subjects == statement->end() || !subjects->is_array() || subjects->empty() ||
        subjects->size() > max_subjects)
        return fail(ExitCode::said_no, "{}: the statement has no subjects", where);
    for (const auto& subject : *subjects) {
        auto name = util::string_member(subject, "name");
        auto digest = subject.is_object() && subject.contains("digest")
                          ? util::string_member(subject["digest"], "sha256")
                          : std::nullopt;
        if (!name || !digest)
            return fail(ExitCode::said_no, "{}: a subject without a name and a sha256 digest",
                        where);
        verified.subjects.push_back({*name, *digest});
    }
    return verified;
}

}  // namespace launchkit::sign
