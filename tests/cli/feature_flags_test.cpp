// Black-box tests of `feature-flags`: the runbooks' commands, exit codes scripts branch on, and
// what an operator sees when a name or date is wrong.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "store/file_store.h"
#include "support/state_fixture.h"

using launchkit::testing::StateFixture;

TEST_CASE_METHOD(StateFixture, "the runbooks' --enable/--disable and get's exit codes",
                 "[cli][flags]") {
    REQUIRE(flags({"create", "feature-name", "--owner", "payments"}).exit_code == 0);
    auto off = flags({"get", "feature-name"});
    CHECK(off.exit_code == 1);
    CHECK_THAT(off.stdout_text, Catch::Contains("feature-name is off in production"));

    auto enabled = flags({"--enable", "feature-name", "--reason", "launch"});
    INFO(enabled.stderr_text);
    REQUIRE(enabled.exit_code == 0);
    CHECK_THAT(enabled.stdout_text, Catch::Contains("off → on in production"));
    CHECK(flags({"get", "feature-name"}).exit_code == 0);

    auto again = flags({"enable", "feature-name"});
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.stdout_text, Catch::Contains("already on"));

    REQUIRE(flags({"--disable", "feature-name"}).exit_code == 0);
    CHECK(flags({"get", "feature-name"}).exit_code == 1);

    auto json = flags({"get", "feature-name", "--json"});
    auto view = nlohmann::json::parse(json.stdout_text);
    CHECK(view["enabled"] == false);
    CHECK(view["owner"] == "payments");
    CHECK(view["updated_by"] == "oncall");
    for (const char* key : {"name", "environment", "enabled", "rollout", "group_id", "description",
                            "owner", "expires", "created_at", "updated_at", "updated_by"})
        CHECK(view.contains(key));
}

TEST_CASE_METHOD(StateFixture, "environments are independent, the default comes from config",
                 "[cli][flags]") {
    REQUIRE(flags({"create", "checkout"}).exit_code == 0);
    REQUIRE(flags({"enable", "checkout", "--env", "staging"}).exit_code == 0);
    CHECK(flags({"get", "checkout", "--env", "staging"}).exit_code == 0);
    CHECK(flags({"get", "checkout"}).exit_code == 1);  // production untouched
    CHECK(flags({"get", "checkout"}, {{"LAUNCHKIT_ENV", "staging"}}).exit_code == 0);

    auto config = state.path() / "launchkit.yaml";
    std::ofstream(config) << "flags:\n  environment: staging\n";
    CHECK(flags({"--config", config.string(), "get", "checkout"}).exit_code == 0);

    auto bad_env = flags({"get", "checkout", "--env", "Prod"});
    CHECK(bad_env.exit_code == 2);
    CHECK_THAT(bad_env.stderr_text, Catch::Contains("invalid environment 'Prod'"));
}

TEST_CASE_METHOD(StateFixture, "unknown and invalid names exit 2 with did-you-mean",
                 "[cli][flags]") {
    REQUIRE(flags({"create", "new-checkout"}).exit_code == 0);
    for (auto command : {"get", "enable", "disable", "delete", "history"}) {
        INFO(command);
        auto typo = flags({command, "new-chekout"});
        CHECK(typo.exit_code == 2);
        CHECK_THAT(typo.stderr_text,
                   Catch::Contains("no such flag 'new-chekout' (did you mean 'new-checkout'?)"));
    }
    auto unrelated = flags({"--enable", "zzz"});
    CHECK(unrelated.exit_code == 2);
    CHECK_THAT(unrelated.stderr_text, Catch::Contains("create it with 'feature-flags create zzz'"));

    for (std::string name :
         std::vector<std::string>{"New-Checkout", "x!", "a b", std::string(129, 'a'), ""}) {
        INFO(name);
        auto invalid = flags({"create", name});
        CHECK(invalid.exit_code == 2);
        CHECK_THAT(invalid.stderr_text, Catch::Contains("invalid flag name"));
    }
    CHECK(flags({"create", std::string(128, 'a')}).exit_code == 0);
    CHECK(flags({"create", "a.b_c-9"}).exit_code == 0);

    auto duplicate = flags({"create", "new-checkout"});
    CHECK(duplicate.exit_code == 2);
    CHECK_THAT(duplicate.stderr_text, Catch::Contains("already exists"));
    CHECK(flags({}).exit_code == 2);
}

TEST_CASE_METHOD(StateFixture, "bad dates and rollouts are refused before anything changes",
                 "[cli][flags]") {
    // 6351-01-31 and 0026-12-03: years a nanosecond clock cannot hold (found by fuzz/values).
    for (auto date :
         {"2026-02-30", "2026-13-01", "next week", "2026-1-5", "6351-01-31", "0026-12-03"}) {
        INFO(date);
        auto bad = flags({"create", "f", "--expires", date});
        CHECK(bad.exit_code == 2);
        CHECK_THAT(bad.stderr_text,
                   Catch::Contains(std::string("invalid --expires '") + date + "'"));
    }
    REQUIRE(flags({"create", "f", "--expires", "2027-03-31"}).exit_code == 0);
    for (auto rollout : {"101", "-", "ten", "5%", "+"}) {
        INFO(rollout);
        auto bad = flags({"set", "f", "--rollout", rollout});
        CHECK(bad.exit_code == 2);
        CHECK_THAT(bad.stderr_text, Catch::Contains("invalid --rollout"));
    }
    CHECK(flags({"set", "f", "--expires", "2027-02-29"}).exit_code == 2);
    CHECK(flags({"set", "f"}).exit_code == 2);  // nothing to set
    auto history = nlohmann::json::parse(flags({"history", "f", "--json"}).stdout_text);
    CHECK(history["history"].size() == 1);  // only the create
}

TEST_CASE_METHOD(StateFixture, "gradual rollout: eval buckets subjects as Unleash does",
                 "[cli][flags]") {
    REQUIRE(flags({"create", "flexible", "--group-id", "Feature.flexibleRollout.10"}).exit_code ==
            0);
    REQUIRE(flags({"enable", "flexible"}).exit_code == 0);
    REQUIRE(flags({"set", "flexible", "--rollout", "10"}).exit_code == 0);

    auto in = flags({"eval", "flexible", "--subject", "174", "--json"});
    CHECK(in.exit_code == 0);
    auto in_json = nlohmann::json::parse(in.stdout_text);
    CHECK(in_json["bucket"] == 10);
    CHECK(in_json["on"] == true);

    auto out = flags({"eval", "flexible", "--subject", "499"});
    CHECK(out.exit_code == 1);
    CHECK_THAT(out.stdout_text,
               Catch::Contains("userId '499' is in bucket 32 of 100, outside the 10 % rollout"));

    // Ramps move relative to the current value and stop at the ends.
    REQUIRE(flags({"set", "flexible", "--rollout", "+25"}).exit_code == 0);
    CHECK(nlohmann::json::parse(flags({"get", "flexible", "--json"}).stdout_text)["rollout"] == 35);
    CHECK(flags({"eval", "flexible", "--subject", "499"}).exit_code == 0);
    REQUIRE(flags({"set", "flexible", "--rollout", "+100"}).exit_code == 0);
    CHECK(nlohmann::json::parse(flags({"get", "flexible", "--json"}).stdout_text)["rollout"] ==
          100);

    // Enabled at 0 % serves no subject: get says off, like every eval.
    REQUIRE(flags({"set", "flexible", "--rollout", "0"}).exit_code == 0);
    auto zero = flags({"get", "flexible"});
    CHECK(zero.exit_code == 1);
    CHECK_THAT(zero.stdout_text,
               Catch::Contains("off (enabled at 0% rollout: no subject gets it)"));
    auto zero_json = nlohmann::json::parse(flags({"get", "flexible", "--json"}).stdout_text);
    CHECK(zero_json["enabled"] == true);
    CHECK(zero_json["on"] == false);
    CHECK(flags({"eval", "flexible", "--subject", "174"}).exit_code == 1);
    CHECK_THAT(flags({"list"}).stdout_text, Catch::Contains("flexible  off"));
    REQUIRE(flags({"set", "flexible", "--rollout", "100"}).exit_code == 0);

    // Off means off for everyone, whatever the rollout.
    REQUIRE(flags({"disable", "flexible"}).exit_code == 0);
    CHECK(flags({"eval", "flexible", "--subject", "174"}).exit_code == 1);
}

TEST_CASE_METHOD(StateFixture, "list, history, delete and the audit log through the CLI",
                 "[cli][flags]") {
    REQUIRE(flags({"create", "a", "--description", "first flag"}).exit_code == 0);
    REQUIRE(flags({"create", "b"}).exit_code == 0);
    REQUIRE(flags({"enable", "b", "--reason", "INC-7 mitigation"}).exit_code == 0);

    auto list = flags({"list"});
    CHECK_THAT(list.stdout_text, Catch::Contains("NAME") && Catch::Contains("first flag"));
    auto list_json = nlohmann::json::parse(flags({"list", "--json"}).stdout_text);
    REQUIRE(list_json["flags"].size() == 2);
    CHECK(list_json["flags"][1]["enabled"] == true);

    auto history = flags({"history", "b"});
    CHECK_THAT(history.stdout_text, Catch::Contains("production: off → on") &&
                                        Catch::Contains("INC-7 mitigation") &&
                                        Catch::Contains("oncall"));

    REQUIRE(flags({"delete", "a", "--reason", "cleanup"}).exit_code == 0);
    CHECK(flags({"get", "a"}).exit_code == 2);
    auto after_delete = flags({"history", "a"});  // history outlives the flag
    CHECK(after_delete.exit_code == 0);
    CHECK_THAT(after_delete.stdout_text, Catch::Contains("deleted") && Catch::Contains("cleanup"));

    auto audit = nlohmann::json::parse(flags({"audit", "--json"}).stdout_text);
    REQUIRE(audit["audit"].size() == 4);
    CHECK(audit["audit"][2]["command"] == "feature-flags --state-dir " + state.path().string() +
                                              " enable b --reason 'INC-7 mitigation'");
    auto verify = flags({"audit", "--verify"});
    CHECK(verify.exit_code == 0);
    CHECK_THAT(verify.stdout_text, Catch::Contains("intact (4 records"));
}

TEST_CASE_METHOD(StateFixture, "audit --verify exits 1 and names the line of an edited record",
                 "[cli][flags][audit]") {
    REQUIRE(flags({"create", "a"}).exit_code == 0);
    REQUIRE(flags({"enable", "a"}).exit_code == 0);
    auto log = store_dir() / "audit.jsonl";
    std::string text;
    {
        std::ifstream in(log);
        text.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto at = text.find("\"enabled\":true");
    REQUIRE(at != std::string::npos);
    text.replace(at, 14, "\"enabled\":null");
    std::ofstream(log, std::ios::trunc) << text;
    auto verify = flags({"audit", "--verify", "--json"});
    CHECK(verify.exit_code == 1);
    auto json = nlohmann::json::parse(verify.stdout_text);
    CHECK(json["intact"] == false);
    CHECK_THAT(json["problem"].get<std::string>(), Catch::Contains("audit.jsonl:2"));
}

TEST_CASE_METHOD(StateFixture, "stale lists expired and untouched flags and exits 1",
                 "[cli][flags]") {
    REQUIRE(flags({"create", "fresh"}).exit_code == 0);
    REQUIRE(
        flags({"create", "expired", "--expires", "2020-01-01", "--owner", "growth"}).exit_code ==
        0);
    auto stale = flags({"stale"});
    CHECK(stale.exit_code == 1);
    CHECK_THAT(stale.stdout_text, Catch::Contains("expired on 2020-01-01") &&
                                      Catch::Contains("growth") && !Catch::Contains("fresh"));
    REQUIRE(flags({"set", "expired", "--expires", "never"}).exit_code == 0);
    auto none = flags({"stale", "--json"});
    CHECK(none.exit_code == 0);
    CHECK(nlohmann::json::parse(none.stdout_text)["stale"].empty());
    CHECK(flags({"stale", "--days", "0"}).exit_code == 2);
}

// A change time is whatever the store holds, a hand-edited 1700 included: from then to now is
// more nanoseconds than 64 bits hold (from 1733 on they do), so days idle are counted in double.
TEST_CASE_METHOD(StateFixture, "stale counts the days since a change dated 1700", "[cli][flags]") {
    REQUIRE(flags({"create", "ancient"}).exit_code == 0);
    {
        launchkit::store::FileStore store(store_dir());
        auto entry = store.get("flags/ancient").value();
        REQUIRE(entry);
        auto value = entry->value;
        value["created_at"] = "1700-01-01T00:00:00Z";
        launchkit::store::Mutation put{.kind = launchkit::store::MutationKind::put,
                                       .key = "flags/ancient",
                                       .value = value,
                                       .expected_revision = entry->mod_revision};
        REQUIRE(store.commit({put}, {"2026-12-03T12:00:00Z", "root", "edit", ""}));
    }
    auto stale = flags({"stale", "--json"});
    INFO(stale.stderr_text);
    CHECK(stale.exit_code == 1);
    auto listed = nlohmann::json::parse(stale.stdout_text)["stale"];
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["last_changed_at"] == "1700-01-01T00:00:00Z");
    // 1700-01-01 to 2026-01-01 is 119,069 days; the test may run in any year up to 2036.
    auto reason = listed[0]["reasons"][0].get<std::string>();
    REQUIRE(reason.starts_with("untouched for "));
    auto days = std::stoll(reason.substr(14));
    CHECK(days >= 119'069);
    CHECK(days < 122'722);
}

TEST_CASE_METHOD(StateFixture, "export and import round-trip, and import is all or nothing",
                 "[cli][flags]") {
    REQUIRE(flags({"create", "a", "--owner", "team-a", "--expires", "2027-01-01"}).exit_code == 0);
    REQUIRE(flags({"enable", "a", "--env", "staging"}).exit_code == 0);
    REQUIRE(flags({"set", "a", "--rollout", "30", "--env", "staging"}).exit_code == 0);
    REQUIRE(flags({"create", "b"}).exit_code == 0);

    for (std::string format : {"json", "yaml"}) {
        INFO(format);
        auto file = state.path() / ("flags." + format);
        REQUIRE(flags({"export", "--format", format, "-o", file.string()}).exit_code == 0);
        StateFixture other;
        auto imported = other.flags({"import", file.string(), "--json"});
        INFO(imported.stderr_text);
        REQUIRE(imported.exit_code == 0);
        CHECK(nlohmann::json::parse(imported.stdout_text)["created"] == nlohmann::json({"a", "b"}));
        auto a = nlohmann::json::parse(
            other.flags({"get", "a", "--env", "staging", "--json"}).stdout_text);
        CHECK(a["enabled"] == true);
        CHECK(a["rollout"] == 30);
        CHECK(a["owner"] == "team-a");
        CHECK(a["expires"] == "2027-01-01");
        // Importing the same document again changes nothing.
        auto again =
            nlohmann::json::parse(other.flags({"import", file.string(), "--json"}).stdout_text);
        CHECK(again["unchanged"].size() == 2);
    }

    auto bad = state.path() / "bad.yaml";
    std::ofstream(bad) << "flags:\n"
                          "  - name: b\n"
                          "    environments: {production: {enabled: true}}\n"
                          "  - name: c\n"
                          "    environments:\n"
                          "      production: {enabled: true, rollout: 150}\n";
    auto refused = flags({"import", bad.string()});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.stderr_text,
               Catch::Contains("bad.yaml:6") &&
                   Catch::Contains("flags[1].environments.production.rollout"));
    CHECK(flags({"get", "b"}).exit_code == 1);  // the valid first entry was not applied
    CHECK(flags({"get", "c"}).exit_code == 2);

    std::ofstream(bad, std::ios::trunc) << "flags:\n  - name: b\n    colour: red\n";
    auto unknown = flags({"import", bad.string()});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.stderr_text, Catch::Contains("flags[0].colour: unknown key"));

    std::ofstream(bad, std::ios::trunc) << "flags:\n  - name: b\n";
    auto dry = flags({"import", bad.string(), "--prune", "--dry-run"});
    CHECK(dry.exit_code == 0);
    CHECK_THAT(dry.stdout_text, Catch::Contains("a: deleted") && Catch::Contains("would import"));
    CHECK(flags({"get", "a", "--env", "staging"}).exit_code == 0);
    REQUIRE(flags({"import", bad.string(), "--prune"}).exit_code == 0);
    CHECK(flags({"get", "a"}).exit_code == 2);
}
