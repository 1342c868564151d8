#include "sign/signing_commands.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "core/output.h"
#include "sign/attestation.h"
#include "sign/checksums.h"
#include "sign/minisign.h"
#include "sign/release_verification.h"
#include "util/bounded_json.h"
#include "util/file_io.h"
#include "util/sha256.h"
#include "util/strings.h"
#include "util/time.h"

namespace launchkit::sign {

namespace {

namespace fs = std::filesystem;

// The password, never echoed: a file's first line, else $LAUNCHKIT_SIGNING_PASSWORD.
Result<std::optional<std::string>> read_password(const PasswordSource& source) {
    if (!source.file.empty()) {
        LAUNCHKIT_TRY_ASSIGN(
            auto text, util::read_file_at_most(source.file, max_key_bytes, "--password-file"));
        auto password = std::string(util::trim(util::split(text, '\n').front()));
        if (password.empty())
            return fail(ExitCode::invalid_input, "--password-file {}: empty", source.file.string());
        return password;
    }
    const char* from_environment = std::getenv("LAUNCHKIT_SIGNING_PASSWORD");
    if (from_environment && *from_environment) return std::string(from_environment);
    return std::optional<std::string>();
}

// --pubkey KEY (the base64 line) or --pubkey-file FILE, exactly one.
Result<PublicKey> given_public_key(const std::string& key, const fs::path& file) {
    if (key.empty() == file.empty())
        return fail(ExitCode::invalid_input, "give --pubkey KEY or --pubkey-file FILE");
    if (key.empty()) return read_public_key_file(file, "--pubkey-file");
    return read_public_key(key, "--pubkey");
}

// The secret key of --key, decrypted with the password when it is encrypted.
Result<SecretKey> given_secret_key(const fs::path& path, const PasswordSource& source) {
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file_at_most(path, max_key_bytes, "--key"));
    std::optional<std::string> password;
    if (secret_key_is_encrypted(text)) {
        LAUNCHKIT_TRY_ASSIGN(password, read_password(source));
    }
    return read_secret_key(text, password, path.string());
}

fs::path with_suffix(const fs::path& path, std::string_view suffix) {
    return fs::path(path.string() + std::string(suffix));
}

}  // namespace

Result<ExitCode> run_keygen(Context& context, const KeygenOptions& options) {
    auto public_path = with_suffix(options.output, ".pub");
    auto secret_path = with_suffix(options.output, ".key");
    LAUNCHKIT_TRY_ASSIGN(auto password, read_password(options.password));
    if (!password && !options.unencrypted)
        return fail(ExitCode::invalid_input,
                    "keygen: the secret key is encrypted with a password: set "
                    "$LAUNCHKIT_SIGNING_PASSWORD or give --password-file (or --unencrypted for a "
                    "key kept in a secret store)");
    if (password && options.unencrypted)
        return fail(ExitCode::invalid_input, "keygen: --unencrypted with a password given");
    if (!options.force)
        for (const auto& path : {public_path, secret_path})
            if (fs::exists(path))
                return fail(ExitCode::invalid_input, "keygen: {} exists (--force replaces it)",
                            path.string());
    auto pair = generate_key_pair();
    LAUNCHKIT_TRY_ASSIGN(auto secret_text, secret_key_file(pair.secret_key, password));
    LAUNCHKIT_TRY(util::write_file_atomically(secret_path, secret_text, 0600));
    LAUNCHKIT_TRY(util::write_file_atomically(public_path, public_key_file(pair.public_key), 0644));
    auto id = key_id_text(pair.public_key.key_id);
    if (context.json) {
        print_json(*context.out, {{"key_id", id},
                                  {"public_key", public_path.string()},
                                  {"secret_key", secret_path.string()},
                                  {"encrypted", password.has_value()}});
    } else {
        *context.out << fmt::format(
            "key {}: public {}, secret {} ({})\n", id, public_path.string(), secret_path.string(),
            password ? "encrypted" : "unencrypted: keep it in a secret store");
    }
    return ExitCode::ok;
}

Result<PreparedSignature> prepare_signature(Context& context, const SignOptions& options) {
    if (options.files.empty()) return fail(ExitCode::invalid_input, "sign: no files to sign");
    LAUNCHKIT_TRY_ASSIGN(auto key, given_secret_key(options.key, options.password));
    auto folder =
        options.output.parent_path().empty() ? fs::path(".") : options.output.parent_path();
    PreparedSignature prepared;
    prepared.checksums = options.output;
    prepared.files = options.files.size();
    LAUNCHKIT_TRY_ASSIGN(prepared.checksums_text, write_checksums(options.files, folder));
    prepared.trusted_comment =
        options.trusted_comment.empty()
            ? fmt::format("{} of {} file{}, signed by {} at {}", options.output.filename().string(),
                          options.files.size(), options.files.size() == 1 ? "" : "s", context.actor,
                          util::format_rfc3339(context.now()))
            : options.trusted_comment;
    LAUNCHKIT_TRY_ASSIGN(prepared.signature_text,
                         sign_message(key, prepared.checksums_text, prepared.trusted_comment));
    prepared.key_id = key_id_text(key.key_id);
    prepared.checksums_sha256 = util::sha256_hex(prepared.checksums_text);
    return prepared;
}

Result<void> write_signature(const PreparedSignature& prepared) {
    LAUNCHKIT_TRY(util::write_file_atomically(prepared.checksums, prepared.checksums_text));
    return util::write_file_atomically(signature_path_of(prepared.checksums),
                                       prepared.signature_text);
}

nlohmann::json to_json(const PreparedSignature& prepared) {
    return {{"checksums", prepared.checksums.string()},
            {"signature", signature_path_of(prepared.checksums).string()},
            {"key_id", prepared.key_id},
            {"trusted_comment", prepared.trusted_comment},
            {"checksums_sha256", prepared.checksums_sha256},
            {"files", prepared.files}};
}

Result<ExitCode> run_sign(Context& context, const SignOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto prepared, prepare_signature(context, options));
    LAUNCHKIT_TRY(write_signature(prepared));
    if (context.json) {
        print_json(*context.out, to_json(prepared));
    } else {
        *context.out << fmt::format("signed {} file{} with key {}: {} and {}\n", prepared.files,
                                    prepared.files == 1 ? "" : "s", prepared.key_id,
                                    prepared.checksums.string(),
                                    signature_path_of(prepared.checksums).string());
    }
    return ExitCode::ok;
}

Result<ExitCode> run_verify(Context& context, const VerifyOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto key, given_public_key(options.public_key, options.public_key_file));
    LAUNCHKIT_TRY_ASSIGN(auto verified, verify_checksums_signature({key}, options.checksums));
    LAUNCHKIT_TRY_ASSIGN(auto checked, check_listed_files(verified, options.checksums));
    auto first_bad = first_changed_file(checked, options.checksums);
    auto id = key_id_text(verified.signature.key_id);
    if (context.json) {
        auto files = nlohmann::json::array();
        for (const auto& file : checked)
            files.push_back({{"file", file.name}, {"sha256", file.sha256}, {"ok", file.intact}});
        print_json(*context.out, {{"checksums", options.checksums.string()},
                                  {"key_id", id},
                                  {"trusted_comment", verified.signature.trusted_comment},
                                  {"verified", !first_bad},
                                  {"files", files}});
    } else if (!first_bad) {
        *context.out << fmt::format(
            "{}: signed by key {} ({}); {} file{} intact\n", options.checksums.string(), id,
            verified.signature.trusted_comment, checked.size(), checked.size() == 1 ? "" : "s");
    }
    if (first_bad) {
        *context.err << fmt::format(
            "release-manager: {}: its SHA-256 is not the one {} lists (the file changed after "
            "signing)\n",
            *first_bad, options.checksums.string());
        return ExitCode::said_no;
    }
    return ExitCode::ok;
}

Result<ExitCode> run_attest(Context& context, const AttestOptions& options) {
    nlohmann::json predicate = nlohmann::json::object();
    if (!options.predicate_file.empty()) {
        LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file_at_most(options.predicate_file,
                                                                max_envelope_bytes, "--predicate"));
        auto parsed = util::parse_json(text, ExitCode::invalid_input);
        if (!parsed)
            return fail(ExitCode::invalid_input, "--predicate {}: {}",
                        options.predicate_file.string(), parsed.error().message);
        predicate = std::move(*parsed);
    }
    std::vector<AttestationSubject> subjects;
    for (const auto& file : options.files) {
        LAUNCHKIT_TRY_ASSIGN(auto digest, file_sha256(file));
        subjects.push_back({file.filename().string(), digest});
    }
    LAUNCHKIT_TRY_ASSIGN(auto key, given_secret_key(options.key, options.password));
    LAUNCHKIT_TRY_ASSIGN(auto envelope,
                         make_attestation(key, subjects, options.predicate_type, predicate));
    LAUNCHKIT_TRY(util::write_file_atomically(options.output, envelope));
    if (context.json)
        print_json(*context.out, {{"envelope", options.output.string()},
                                  {"key_id", key_id_text(key.key_id)},
                                  {"predicate_type", options.predicate_type},
                                  {"subjects", subjects.size()}});
    else
        *context.out << fmt::format("attested {} file{} ({}) with key {}: {}\n", subjects.size(),
                                    subjects.size() == 1 ? "" : "s", options.predicate_type,
                                    key_id_text(key.key_id), options.output.string());
    return ExitCode::ok;
}

Result<ExitCode> run_attest_verify(Context& context, const AttestVerifyOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto key, given_public_key(options.public_key, options.public_key_file));
    LAUNCHKIT_TRY_ASSIGN(
        auto verified,
        verify_attestation_file(key, options.envelope, options.artifacts, options.predicate_type));
    if (context.json) {
        auto subjects = nlohmann::json::array();
        for (const auto& subject : verified.subjects)
            subjects.push_back({{"name", subject.name}, {"sha256", subject.sha256}});
        print_json(*context.out, {{"envelope", options.envelope.string()},
                                  {"key_id", key_id_text(key.key_id)},
                                  {"predicate_type", verified.predicate_type},
                                  {"predicate", verified.predicate},
                                  {"subjects", subjects},
                                  {"verified", true}});
    } else {
        *context.out << fmt::format("{}: signed by key {}, {} about {} subject{}{}\n",
                                    options.envelope.string(), key_id_text(key.key_id),
                                    verified.predicate_type, verified.subjects.size(),
                                    verified.subjects.size() == 1 ? "" : "s",
                                    options.artifacts.empty() ? "" : ", every artifact among them");
    }
    return ExitCode::ok;
}

}  // namespace launchkit::sign
