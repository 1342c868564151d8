// One behaviour for both places state lives: the release ledger, a run's journal and the
// per-environment deploy lock, in a state directory and in etcd (a real one on 127.0.0.1), through
// the same calls the commands make, so that no command can tell which it works against.
#include <catch2/catch.hpp>

#include "playbook/environment_runs.h"
#include "playbook/run_journal.h"
#include "support/state_backends.h"
#include "version/release_ledger.h"

using namespace launchkit;
using launchkit::testing::LocalState;
using launchkit::testing::SharedState;

namespace {

version::LedgerEntry entry(version::LedgerEvent event, std::string version, std::string env) {
    version::LedgerEntry entry;
    entry.time = "2026-12-03T12:00:00Z";
    entry.event = event;
    entry.version = std::move(version);
    entry.tag_prefix = "v";
    entry.environment = std::move(env);
    entry.actor = "ann";
    return entry;
}

playbook::RunStarted started(const std::string& run_id, const std::string& env) {
    playbook::RunStarted event;
    event.time = "2026-12-03T12:00:00Z";
    event.run_id = run_id;
    event.playbook = "api";
    event.version = "1.5.0";
    event.env = env;
    event.tag_prefix = "v";
    event.actor = "ann";
    return event;
}

}  // namespace

TEMPLATE_TEST_CASE("shared state conformance: the ledger appends in order and reads back whole",
                   "[conformance][etcd]", LocalState, SharedState) {
    TestType state;
    auto context = state.context();
    CHECK(version::read_ledger(context)->empty());
    using version::LedgerEvent;
    REQUIRE(version::append_to_ledger(context, entry(LedgerEvent::created, "1.5.0", "")));
    REQUIRE(version::append_to_ledger(context, entry(LedgerEvent::deployed, "1.5.0", "qa")));
    REQUIRE(version::append_to_ledger(context, entry(LedgerEvent::rolled_back, "1.4.0", "qa")));
    auto entries = version::read_ledger(context);
    REQUIRE(entries);
    REQUIRE(entries->size() == 3);
    CHECK((*entries)[1].event == LedgerEvent::deployed);
    CHECK(version::running_version(*entries, "v", "qa") == "1.4.0");
    // An entry that is not a version is refused before anything is written.
    auto bad = version::append_to_ledger(context, entry(LedgerEvent::deployed, "1.5", "qa"));
    CHECK_FALSE(bad);
    CHECK(version::read_ledger(context)->size() == 3);
}

TEMPLATE_TEST_CASE(
    "shared state conformance: a journal replays, lists and is followed from a "
    "position",
    "[conformance][etcd]", LocalState, SharedState) {
    TestType state;
    auto context = state.context();
    auto journal = playbook::RunJournal::open(context, "20261203T120000000Z-0001");
    REQUIRE(journal);
    CHECK_FALSE(*journal->exists());
    CHECK_FALSE(journal->replay());
    CHECK(*journal->end_position() == 0);

    REQUIRE(journal->append(started(journal->run_id(), "qa")));
    REQUIRE(journal->append(playbook::RunContinued{"2026-12-03T12:00:01Z"}));
    CHECK(*journal->exists());
    auto ids = playbook::list_run_ids(context);
    REQUIRE(ids);
    CHECK(*ids == std::vector<std::string>{journal->run_id()});
    auto replayed = journal->replay();
    REQUIRE(replayed);
    CHECK(replayed->started.env == "qa");
    CHECK(replayed->status == playbook::RunStatus::running);

    // A runner follows what other processes append from where it is.
    auto position = *journal->end_position();
    size_t from_start = 0;
    CHECK(journal->read_from(from_start)->size() == 2);
    CHECK(from_start == position);
    auto other = playbook::RunJournal::open(context, journal->run_id());
    REQUIRE(other->append(playbook::ControlRequested{"2026-12-03T12:00:02Z",
                                                     playbook::RunControl::abort, "bob", "stop"}));
    auto fresh = journal->read_from(position);
    REQUIRE(fresh);
    REQUIRE(fresh->size() == 1);
    CHECK(std::holds_alternative<playbook::ControlRequested>(fresh->front()));
    CHECK(journal->read_from(position)->empty());
    auto runs = playbook::runs_of(context, "qa");
    REQUIRE(runs);
    CHECK(runs->size() == 1);
    CHECK(playbook::runs_of(context, "production")->empty());
}

TEMPLATE_TEST_CASE("shared state conformance: one holder of an environment's deploy lock",
                   "[conformance][etcd]", LocalState, SharedState) {
    TestType state;
    auto context = state.context();
    CHECK_FALSE(*playbook::environment_locked(context, "qa"));
    {
        auto held = playbook::try_lock_environment(context, "qa");
        REQUIRE(held);
        REQUIRE(held->has_value());
        CHECK(*playbook::environment_locked(context, "qa"));
        auto second = playbook::try_lock_environment(context, "qa");
        REQUIRE(second);
        CHECK_FALSE(second->has_value());
        auto refused = playbook::lock_environment(context, "qa");
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ExitCode::said_no);
        // Another environment is another lock.
        auto production = playbook::try_lock_environment(context, "production");
        REQUIRE(production);
        CHECK(production->has_value());
    }
    // Let go when its holder ends.
    CHECK_FALSE(*playbook::environment_locked(context, "qa"));
    auto again = playbook::try_lock_environment(context, "qa");
    REQUIRE(again);
    CHECK(again->has_value());
}
