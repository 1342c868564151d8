// Flags and launch controls behave the same in a state directory and in etcd: the same library
// calls the commands make, against both (a real etcd on 127.0.0.1), with two handles on one
// store standing for two machines.
#include <catch2/catch.hpp>

#include <thread>

#include "flags/flag_repository.h"
#include "flags/launch_control.h"
#include "store/open_store.h"
#include "support/state_backends.h"

using namespace launchkit;
using launchkit::testing::LocalState;
using launchkit::testing::SharedState;

namespace {

store::ChangeNote note(std::string actor, std::string reason = "") {
    return {"2026-12-03T12:00:00Z", std::move(actor), "test", std::move(reason)};
}

std::unique_ptr<store::Store> open(const Context& context) {
    auto opened = store::open_store(context);
    REQUIRE(opened);
    return std::move(*opened);
}

flags::FlagEdit enable_in(std::string environment, int rollout, const store::ChangeNote& change) {
    return [environment, rollout, change](flags::Flag& flag) -> Result<void> {
        flags::set_environment_state(flag, environment, true, rollout, change);
        return {};
    };
}

}  // namespace

TEMPLATE_TEST_CASE("flag conformance: create, change, list and delete, seen by every handle",
                   "[flags][conformance]", LocalState, SharedState) {
    TestType state;
    auto context = state.context();
    auto laptop = open(context);
    auto runner = open(context);

    flags::Flag created;
    created.name = "dark-mode";
    created.owner = "web";
    REQUIRE(flags::create_flag(*laptop, created, note("ann")));
    auto again = flags::create_flag(*runner, created, note("bob"));
    REQUIRE_FALSE(again);
    CHECK(again.error().code == ExitCode::invalid_input);
    CHECK_THAT(again.error().message, Catch::Contains("already exists"));

    auto enabled = flags::modify_flag(
        *runner, "dark-mode", enable_in("production", 25, note("bob")), note("bob", "canary"));
    REQUIRE(enabled);
    CHECK(enabled->changed);
    CHECK_FALSE(enabled->before.in("production").enabled);
    auto seen = flags::require_flag(*laptop, "dark-mode");
    REQUIRE(seen);
    CHECK(seen->owner == "web");
    CHECK(seen->created_by == "ann");
    CHECK(seen->in("production").enabled);
    CHECK(seen->in("production").rollout == 25);
    CHECK(seen->in("production").updated_by == "bob");
    CHECK_FALSE(seen->in("staging").enabled);

    // The same edit again changes nothing and writes nothing.
    auto same = flags::modify_flag(*laptop, "dark-mode", enable_in("production", 25, note("ann")),
                                   note("ann"));
    REQUIRE(same);
    CHECK_FALSE(same->changed);
    CHECK(laptop->audit("flags/")->size() == 2);

    auto missing = flags::modify_flag(*laptop, "dark-mod",
                                      enable_in("production", 100, note("ann")), note("ann"));
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ExitCode::invalid_input);
    CHECK_THAT(missing.error().message, Catch::Contains("dark-mode"));  // did you mean

    flags::Flag second;
    second.name = "search-v2";
    REQUIRE(flags::create_flag(*runner, second, note("bob")));
    auto listed = flags::list_flags(*laptop);
    REQUIRE(listed);
    REQUIRE(listed->size() == 2);
    CHECK((*listed)[0].name == "dark-mode");
    CHECK((*listed)[1].name == "search-v2");

    auto deleted = flags::delete_flag(*laptop, "search-v2", note("ann", "done"));
    REQUIRE(deleted);
    CHECK(deleted->name == "search-v2");
    CHECK_FALSE(*flags::find_flag(*runner, "search-v2"));
    auto history = *runner->audit("flags/");
    REQUIRE(history.size() == 4);
    CHECK(history[1].note.actor == "bob");
    CHECK(history[1].note.reason == "canary");
    CHECK(history[3].changes[0].key == "flags/search-v2");
    CHECK(runner->verify_audit()->intact);
}

TEMPLATE_TEST_CASE("flag conformance: concurrent edits of one flag from many handles all land",
                   "[flags][conformance]", LocalState, SharedState) {
    TestType state;
    auto context = state.context();
    flags::Flag created;
    created.name = "regions";
    REQUIRE(flags::create_flag(*open(context), created, note("ann")));

    // Each writer enables the flag in an environment of its own: a lost update would drop one.
    constexpr int writers = 8;
    std::vector<std::thread> threads;
    std::vector<char> succeeded(writers, 0);  // not vector<bool>: one byte per thread
    for (int writer = 0; writer < writers; ++writer)
        threads.emplace_back([&, writer] {
            auto store = store::open_store(context);
            if (!store) return;
            auto change = note("writer-" + std::to_string(writer));
            auto environment = "region-" + std::to_string(writer);
            succeeded[writer] = static_cast<char>(
                flags::modify_flag(**store, "regions", enable_in(environment, 50, change), change)
                    .has_value());
        });
    for (auto& thread : threads) thread.join();
    for (int writer = 0; writer < writers; ++writer) CHECK(succeeded[writer]);

    auto store = open(context);
    auto flag = flags::require_flag(*store, "regions");
    REQUIRE(flag);
    CHECK(flag->environments.size() == writers);
    for (int writer = 0; writer < writers; ++writer)
        CHECK(flag->in("region-" + std::to_string(writer)).enabled);
    CHECK(store->audit("flags/")->size() == writers + 1);
    CHECK(store->verify_audit()->intact);
}

TEMPLATE_TEST_CASE("launch control conformance: pause and resume, seen by every handle",
                   "[flags][conformance]", LocalState, SharedState) {
    TestType state;
    auto context = state.context();
    auto laptop = open(context);
    auto service = open(context);
    const flags::DeclaredControls none;

    auto never = flags::find_launch_control(*service, "redemption", none);
    REQUIRE(never);
    CHECK_FALSE(never->paused);
    CHECK(never->never_paused());

    auto paused =
        flags::pause_launch_control(*laptop, "redemption", note("ann", "incident 42"), true, none);
    REQUIRE(paused);
    CHECK(paused->changed);
    CHECK(paused->created);
    auto seen = flags::find_launch_control(*service, "redemption", none);
    REQUIRE(seen);
    CHECK(seen->paused);
    CHECK(seen->by == "ann");
    CHECK(seen->reason == "incident 42");

    // Pausing again keeps who paused it and why.
    auto again =
        flags::pause_launch_control(*service, "redemption", note("bob", "me too"), true, none);
    REQUIRE(again);
    CHECK_FALSE(again->changed);
    CHECK(flags::find_launch_control(*laptop, "redemption", none)->by == "ann");

    // A name one typo away from an existing control is refused unless it is meant as new.
    auto typo = flags::pause_launch_control(*laptop, "redemptoin", note("ann"), false, none);
    REQUIRE_FALSE(typo);
    CHECK(typo.error().code == ExitCode::invalid_input);

    auto resumed = flags::resume_launch_control(*service, "redemption", note("bob", "fixed"), none);
    REQUIRE(resumed);
    CHECK(resumed->changed);
    auto listed = flags::list_launch_controls(*laptop);
    REQUIRE(listed);
    REQUIRE(listed->size() == 1);
    CHECK_FALSE((*listed)[0].paused);
    CHECK((*listed)[0].by == "bob");
    CHECK(laptop->audit("launch/")->size() == 2);
    CHECK(laptop->verify_audit()->intact);
}
