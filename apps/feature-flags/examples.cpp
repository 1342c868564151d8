// --help examples, from the runbooks (the Mycelia Upgrade Playbook's `@mycelia/feature-flags
// --enable`).
#include "commands.h"

namespace feature_flags {

void add_examples(launchkit::CommandLine& cli) {
    cli.set_example(&cli.app(),
                    "Examples (the Mycelia Upgrade Playbook's feature flag upgrade and rollback):\n"
                    "  feature-flags --enable feature-name\n"
                    "  feature-flags set feature-name --rollout 25\n"
                    "  feature-flags --disable feature-name");
    cli.set_example(
        "enable",
        "Example (Mycelia Upgrade Playbook: enable a feature via the CLI):\n"
        "  feature-flags enable btc-mainnet-redemption --env production\n"
        "  feature-flags --enable btc-mainnet-redemption      # the runbook's spelling");
    cli.set_example("disable",
                    "Example (Mycelia Upgrade Playbook: feature flag rollback):\n"
                    "  feature-flags disable btc-mainnet-redemption --reason \"error rate up\"");
    cli.set_example("create",
                    "Example (the Mycelia Rollback Procedures's redemption flag):\n"
                    "  feature-flags create btc-mainnet-redemption --owner payments "
                    "--expires 2027-03-31");
    cli.set_example("set",
                    "Example (Mycelia Upgrade Playbook: gradual rollout):\n"
                    "  feature-flags set btc-mainnet-redemption --rollout 25 --env production");
    cli.set_example("get",
                    "Example (Mycelia Rollback Procedures: verify flag status; exit 1 when off):\n"
                    "  feature-flags get btc-mainnet-redemption --env production");
    cli.set_example("eval",
                    "Examples (is this user in the rollout? which variant, and why?):\n"
                    "  feature-flags eval btc-mainnet-redemption --subject user-42\n"
                    "  feature-flags eval new-checkout --context userId=42 --context region=eu "
                    "--json");
    cli.set_example("strategy",
                    "Example (internal users first, then 10% of Europe on app 2.3 or later):\n"
                    "  feature-flags strategy add new-checkout --strategy default --segment "
                    "internal\n"
                    "  feature-flags strategy add new-checkout --strategy flexibleRollout "
                    "--rollout 10 \\\n"
                    "      --constraint 'region IN eu' --constraint 'appVersion SEMVER_GTE 2.3.0'");
    cli.set_example("segment",
                    "Example:\n  feature-flags segment create internal --constraint 'email "
                    "STR_ENDS_WITH/i @example.com'");
    cli.set_example("variant",
                    "Example (an experiment with a fixed control arm):\n"
                    "  feature-flags variant add new-checkout one-page --payload-type json "
                    "--payload '{\"steps\": 1}'\n"
                    "  feature-flags variant add new-checkout control --weight 500");
    cli.set_example("dependency",
                    "Example (the redemption UI only while redemption itself is on):\n"
                    "  feature-flags dependency add redemption-ui btc-mainnet-redemption");
    cli.set_example(
        "serve",
        "Example (the Mycelia Rollback Procedures' flag check, over HTTP):\n"
        "  feature-flags serve --listen 127.0.0.1:8016 --env production &\n"
        "  curl -f http://127.0.0.1:8016/api/feature-flags/btc_mainnet_redemption\n"
        "  curl -X POST http://127.0.0.1:8016/ofrep/v1/evaluate/flags/launch.redemption");
    cli.set_example("usage",
                    "Example (the Mycelia Upgrade Playbook's \"monitor feature usage\"):\n"
                    "  feature-flags usage feature-name --server http://127.0.0.1:8016");
    cli.set_example("list", "Example:\n  feature-flags list --env production");
    cli.set_example("delete",
                    "Example (the Mycelia Upgrade Playbook's completion: the feature is stable):\n"
                    "  feature-flags delete old-checkout --reason \"fully rolled out in 1.5.0\"");
    cli.set_example("watch",
                    "Example (the Mycelia Rollback Procedures: see the redemption flag go off on "
                    "every host):\n"
                    "  feature-flags watch btc-mainnet-redemption --json\n"
                    "  feature-flags watch --count 1 --timeout 10m   # wait for the next change");
    cli.set_example("history",
                    "Example (Mycelia Upgrade Playbook: document any issues):\n"
                    "  feature-flags history btc-mainnet-redemption");
    cli.set_example("audit",
                    "Example (the Release Management Playbook's compliance audit trail):\n  "
                    "feature-flags audit --verify");
    cli.set_example("stale",
                    "Example (the Mycelia Upgrade Playbook's follow-up review):\n  feature-flags "
                    "stale --days 30");
    cli.set_example(
        "export",
        "Example (Mycelia Rollback Procedures: back up the current state before a rollback):\n"
        "  feature-flags export -o flags-before-rollback.json");
    cli.set_example("import",
                    "Example (restore that state, after a dry run):\n"
                    "  feature-flags import flags-before-rollback.json --dry-run");
}

}  // namespace feature_flags
