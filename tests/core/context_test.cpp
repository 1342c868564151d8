// Context::confirm, the one rule for every question launchkit asks: only at a terminal, and only
// "y" or "yes" (any case) is a yes.
#include <catch2/catch.hpp>

#include <sstream>

#include "core/context.h"

using launchkit::Context;

namespace {

bool answer(const std::string& typed, bool interactive, std::string* asked = nullptr) {
    std::istringstream in(typed);
    std::ostringstream err;
    Context context;
    context.in = &in;
    context.err = &err;
    context.interactive = interactive;
    bool yes = context.confirm("Deploy 2.0.0 to production?");
    if (asked) *asked = err.str();
    return yes;
}

}  // namespace

TEST_CASE("confirm: only y or yes at a terminal is a yes", "[core]") {
    std::string asked;
    CHECK(answer("y\n", true, &asked));
    CHECK(asked == "Deploy 2.0.0 to production? [y/N] ");
    CHECK(answer("YES\n", true));
    CHECK(answer("Yes  \n", true));
    CHECK_FALSE(answer("\n", true));
    CHECK_FALSE(answer("no\n", true));
    CHECK_FALSE(answer("yess\n", true));
    CHECK_FALSE(answer("", true));  // end of input
    // No one to ask: nothing is printed, nothing is read, and the answer is no.
    CHECK_FALSE(answer("y\n", false, &asked));
    CHECK(asked.empty());
}
