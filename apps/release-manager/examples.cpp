// --help examples for the commands that do not set their own beside their options, from the
// runbooks (the Release Management Playbook's `node release_manager.mjs ...`).
#include "commands.h"

namespace release_manager {

void add_examples(launchkit::CommandLine& cli) {
    cli.set_example(
        &cli.app(),
        "Examples (the Release Management Playbook's release process):\n"
        "  release-manager create minor\n"
        "  release-manager deploy 5.1.0 production --playbook playbooks/mesh-os-release.yaml "
        "--strategy canary --initial-traffic 5\n"
        "  release-manager rollback production 5.0.0");
    cli.set_example(
        "create",
        "Example (Release Management Playbook: `node release_manager.mjs create minor`):\n"
        "  release-manager create minor\n"
        "  release-manager create --version 5.1.0\n"
        "  release-manager create minor --sign dist/*.tar.gz --key release-signing.key");
    cli.set_example("report",
                    "Example (the Release Management Playbook's post-deployment review):\n"
                    "  release-manager report production -o rollback-INC-42.html");
    cli.set_example("keygen",
                    "Example (the Release Management Playbook's signed release artifacts):\n"
                    "  LAUNCHKIT_SIGNING_PASSWORD=... release-manager keygen -o release-signing");
    cli.set_example("sign",
                    "Example (the Release Management Playbook: signed release artifacts):\n"
                    "  release-manager sign dist/*.tar.gz --key release-signing.key -o "
                    "dist/SHA256SUMS");
    cli.set_example("verify",
                    "Example (before a deploy or a rollback trusts an artifact):\n"
                    "  release-manager verify dist/SHA256SUMS --pubkey-file release-signing.pub");
    cli.set_example("attest",
                    "Example (the Mycelia Rollback Procedures' proof-of-reserves attestation):\n"
                    "  release-manager attest release/mainnet/por.json --predicate-type "
                    "https://mycelia.example/proof-of-reserves/v1 --key release-signing.key\n"
                    "  release-manager attest verify attestation.dsse.json --artifact "
                    "release/mainnet/por.json --pubkey-file release-signing.pub");
    cli.set_example("attest verify",
                    "Example (the Mycelia Rollback Procedures: verify proof of reserves):\n"
                    "  release-manager attest verify attestation.dsse.json --artifact "
                    "release/mainnet/por.json --pubkey-file release-signing.pub");
    cli.set_example("next",
                    "Example (CI: the version the next release gets):\n"
                    "  release-manager next");
    cli.set_example("changelog",
                    "Example (Mycelia Upgrade Playbook: review the changelog before an upgrade):\n"
                    "  release-manager changelog");
    cli.set_example("status",
                    "Example (Release Management Playbook: `release_manager.mjs status 5.0.0`):\n"
                    "  release-manager status 5.0.0 --env production");
    cli.set_example("history",
                    "Example (Mycelia Upgrade Playbook: document current versions):\n"
                    "  release-manager history --env production -n 10");
    cli.set_example("backup",
                    "Example (Artifortress Upgrade and Rollback Runbook: `make db-backup`):\n"
                    "  release-manager backup create sqlite:/var/lib/app/app.db --tag pre-upgrade");
    cli.set_example("backup list",
                    "Example (Mycelia Rollback Procedures: which backups can a rollback use?):\n"
                    "  release-manager backup list --tag pre-upgrade");
    cli.set_example("backup show", "Example:\n  release-manager backup show latest");
    cli.set_example("backup sync",
                    "Example (after an off-site copy failed; the repository from launchkit.yaml):\n"
                    "  release-manager backup sync");
    cli.set_example("backup verify",
                    "Example (Release Management Playbook: verify backup integrity):\n"
                    "  release-manager backup verify --all");
    cli.set_example(
        "verify-backup",
        "Example (Release Management Playbook: `node release_manager.mjs verify-backup`):\n"
        "  release-manager verify-backup");
    cli.set_example("resume",
                    "Example (Zeitwork Platform Upgrade Guide: a threshold paused the upgrade; "
                    "fixed, so go on):\n"
                    "  release-manager resume 20261126T011721042Z-1f67");
    cli.set_example("runs",
                    "Example (Release Management Playbook: review rollback logs):\n"
                    "  release-manager runs --env production");
    cli.set_example("compat",
                    "Example (the Zeitwork Platform Upgrade Guide's compatibility matrix):\n"
                    "  release-manager compat check playbooks/zeitwork-compatibility.yaml "
                    "--upgrade operator=1.3.0");
}

}  // namespace release_manager
