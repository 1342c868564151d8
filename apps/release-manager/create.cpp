#include <memory>

#include "commands.h"

namespace release_manager {

void add_create_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::version::CreateOptions>();
    auto* command = cli.add_command(
        "create",
        "Create a release: CHANGELOG.md section, VERSION file, release commit, annotated tag and a "
        "ledger entry");
    command
        ->add_option("type", options->bump,
                     "patch | minor | major | auto (from Conventional Commits) | release "
                     "(finalise the current pre-release)")
        ->check(CLI::IsMember({"patch", "minor", "major", "auto", "release"}));
    command->add_option("--version", options->version, "Release exactly this SemVer version");
    command->add_option("--pre", options->prerelease_id,
                        "Make a numbered pre-release: --pre rc gives 1.3.0-rc.1, then rc.2");
    command->add_flag("--dry-run", options->dry_run, "Print what would change; change nothing");
    command->add_flag("--allow-dirty", options->allow_dirty,
                      "Release even with uncommitted changes in the work tree");
    command->add_flag("--no-tag", options->no_tag,
                      "Commit the release but create no tag (the next bump still finds the "
                      "release commit)");
    command->add_flag("--no-commit", options->no_commit,
                      "Only write CHANGELOG.md and VERSION: no commit, no tag, no ledger entry");
    options->signing.output.clear();
    auto* sign = command->add_option(
        "--sign", options->signing.files,
        "Sign these artifacts as part of the release: SHA256SUMS and its minisign "
        "signature, the key id and the checksums' digest in the ledger");
    command->add_option("--key", options->signing.key, "With --sign: the secret key file")
        ->capture_default_str()
        ->needs(sign);
    command
        ->add_option("--checksums", options->signing.output,
                     "With --sign: the checksums file to write (default: SHA256SUMS beside "
                     "the first artifact)")
        ->needs(sign);
    add_password_option(command, options->signing.password);
    add_repository_options(command, options->target);
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::version::run_create(context, *options);
    });
}

}  // namespace release_manager
