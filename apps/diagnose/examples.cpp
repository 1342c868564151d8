// --help examples, from the runbooks (`pnpm run diagnose`, `ops:lint`, the Artifortress Upgrade and
// Rollback Runbook's curls).
#include "commands.h"

namespace diagnose {

void add_examples(launchkit::CommandLine& cli) {
    cli.set_example(&cli.app(),
                    "Examples (the Mycelia Upgrade Playbook's `pnpm run diagnose` and `ops:lint`; "
                    "the Artifortress Upgrade and Rollback Runbook's health checks):\n"
                    "  diagnose run checks/pre-upgrade.yaml\n"
                    "  diagnose slo checks/slo.yaml\n"
                    "  diagnose probe http://127.0.0.1:8086/health/ready");
    cli.set_example("run",
                    "Example (Mycelia Upgrade Playbook: `pnpm run diagnose` before an upgrade):\n"
                    "  diagnose run checks/pre-upgrade.yaml --tag pre-upgrade");
    cli.set_example(
        "probe",
        "Example (Artifortress Upgrade and Rollback Runbook: verify health/readiness):\n"
        "  diagnose probe http://127.0.0.1:8086/health/ready "
        "--expect-json '/status == \"ready\"'");
    cli.set_example("wait",
                    "Example (Artifortress Upgrade and Rollback Runbook: until readiness is stable "
                    "after the migration):\n"
                    "  diagnose wait checks/ready.yaml --timeout 5m");
    cli.set_example(
        "slo",
        "Example (Mycelia Upgrade Playbook: `pnpm run ops:lint`, check SLO compliance):\n"
        "  diagnose slo checks/slo.yaml");
    cli.set_example("snapshot",
                    "Example (Artifortress Upgrade and Rollback Runbook: record the baseline ops "
                    "snapshot; token from the env):\n"
                    "  ADMIN_TOKEN=... diagnose snapshot rules/ops.yaml -o baseline.json");
    cli.set_example("compare",
                    "Example (Artifortress Upgrade and Rollback Runbook: post-upgrade ops summary "
                    "against the baseline):\n"
                    "  diagnose compare baseline.json rules/ops.yaml");
}

}  // namespace diagnose
