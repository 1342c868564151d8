#include "commands.h"

namespace release_manager {

void add_repository_options(CLI::App* command, launchkit::version::RepositoryOptions& options) {
    command->add_option("-C,--repo", options.repository, "Git work tree to release (default: .)");
    command->add_option("--tag-prefix", options.tag_prefix,
                        "Release tags are <prefix><version> (default: release.tag_prefix, else v)");
    command->add_option("--path", options.component_path,
                        "Only commits touching this subtree count; CHANGELOG.md and VERSION live "
                        "there (monorepo components)");
    command->add_flag("--allow-shallow", options.allow_shallow,
                      "Compute from a shallow clone anyway (its tags and history are incomplete; "
                      "the answer may be wrong)");
    command->add_option("--branch", options.branch,
                        "The branch released from, for release.branches when HEAD is detached "
                        "(default: the branch HEAD is on)");
}

}  // namespace release_manager
