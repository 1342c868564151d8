#include <memory>

#include "commands.h"
#include "sign/signing_commands.h"

namespace release_manager {

void add_password_option(CLI::App* command, launchkit::sign::PasswordSource& source) {
    command->add_option("--password-file", source.file,
                        "The secret key's password, on the file's first line (else "
                        "$LAUNCHKIT_SIGNING_PASSWORD; never on the command line)");
}

void add_keygen_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::sign::KeygenOptions>();
    auto* command = cli.add_command(
        "keygen",
        "Make a signing key pair in minisign's format (Ed25519): KEYBASE.pub to publish, "
        "KEYBASE.key (mode 0600) encrypted with scrypt under a password");
    command->add_option("-o,--output", options->output, "KEYBASE: the files' path without suffix")
        ->capture_default_str();
    add_password_option(command, options->password);
    command->add_flag("--unencrypted", options->unencrypted,
                      "Leave the secret key unencrypted (a CI key kept in a secret store)");
    command->add_flag("--force", options->force, "Replace existing key files");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::sign::run_keygen(context, *options);
    });
}

void add_sign_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::sign::SignOptions>();
    auto* command = cli.add_command(
        "sign",
        "Sign release artifacts: a SHA256SUMS file (`sha256sum -c` reads it) and its minisign "
        "signature SHA256SUMS.minisig (`minisign -V` checks it)");
    command->add_option("files", options->files, "The artifacts")->required();
    command->add_option("--key", options->key, "The secret key file")->capture_default_str();
    command->add_option("-o,--output", options->output, "The checksums file to write")
        ->capture_default_str();
    command->add_option("--trusted-comment", options->trusted_comment,
                        "The signed comment (default: what, how many, who and when)");
    add_password_option(command, options->password);
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::sign::run_sign(context, *options);
    });
}

void add_verify_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::sign::VerifyOptions>();
    auto* command = cli.add_command(
        "verify",
        "Check a signed SHA256SUMS: the signature by the given public key, then every listed "
        "file's digest; exit 0 all good, 1 naming what does not match, 3 unreadable");
    command->add_option("checksums", options->checksums, "The checksums file")
        ->capture_default_str();
    command->add_option("--pubkey", options->public_key,
                        "The public key's base64 line (as `minisign -P` takes it)");
    command->add_option("--pubkey-file", options->public_key_file, "The public key file (.pub)");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::sign::run_verify(context, *options);
    });
}

void add_attest_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::sign::AttestOptions>();
    auto* command = cli.add_command(
        "attest",
        "Attest release artifacts: an in-toto Statement v1 (each file's SHA-256 a subject) in a "
        "DSSE envelope signed with the release key; `attest verify` checks one");
    command->add_option("files", options->files, "The artifacts the statement is about");
    command->add_option("--predicate-type", options->predicate_type,
                        "The predicate's type, a URI (e.g. https://slsa.dev/provenance/v1)");
    command->add_option("--predicate", options->predicate_file,
                        "The predicate, a JSON object file");
    command->add_option("--key", options->key, "The secret key file")->capture_default_str();
    command->add_option("-o,--output", options->output, "The envelope to write")
        ->capture_default_str();
    add_password_option(command, options->password);
    cli.set_action(
        command, [options](launchkit::Context& context) -> launchkit::Result<launchkit::ExitCode> {
            if (options->files.empty() || options->predicate_type.empty())
                return launchkit::fail(launchkit::ExitCode::invalid_input,
                                       "attest: give the artifacts and --predicate-type");
            return launchkit::sign::run_attest(context, *options);
        });

    auto verify_options = std::make_shared<launchkit::sign::AttestVerifyOptions>();
    auto* verify = cli.add_command(
        "verify",
        "Check an attestation: signed by the key, an in-toto Statement v1, and every --artifact's "
        "SHA-256 among its subjects; exit 1 naming what fails",
        command);
    verify->add_option("envelope", verify_options->envelope, "The DSSE envelope")->required();
    verify->add_option("--artifact", verify_options->artifacts, "A file that must be a subject");
    verify->add_option("--predicate-type", verify_options->predicate_type,
                       "The predicate type it must have");
    verify->add_option("--pubkey", verify_options->public_key, "The public key's base64 line");
    verify->add_option("--pubkey-file", verify_options->public_key_file, "The public key file");
    cli.set_action(verify, [verify_options](launchkit::Context& context) {
        return launchkit::sign::run_attest_verify(context, *verify_options);
    });
}

}  // namespace release_manager
