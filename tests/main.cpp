#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>

int main(int argc, char** argv) {
    // As in the executables: a child closing its stdin must not kill the test process.
    std::signal(SIGPIPE, SIG_IGN);
    // Every git the tests run (directly or through launchkit) gets the same identity and none of
    // the developer's own git configuration (signing, hooks, default branch).
    ::setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    ::setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
    ::setenv("GIT_AUTHOR_NAME", "Launchkit Test", 1);
    ::setenv("GIT_AUTHOR_EMAIL", "test@launchkit.invalid", 1);
    ::setenv("GIT_COMMITTER_NAME", "Launchkit Test", 1);
    ::setenv("GIT_COMMITTER_EMAIL", "test@launchkit.invalid", 1);
    ::unsetenv("LAUNCHKIT_CONFIG");
    ::unsetenv("LAUNCHKIT_STATE_DIR");
    ::unsetenv("LAUNCHKIT_ENV");
    ::unsetenv("LAUNCHKIT_ACTOR");
    ::unsetenv("LAUNCHKIT_TEST_CRASH_AT");
    return Catch::Session().run(argc, argv);
}
