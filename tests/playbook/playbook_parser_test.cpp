#include "playbook/playbook_parser.h"

#include <catch2/catch.hpp>

#include "playbook/step_schema.h"
#include "playbook/variables.h"

using namespace launchkit::playbook;

namespace {

std::string refused(const std::string& yaml) {
    auto parsed = parse_playbook(yaml, "/tmp/p.yaml");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == launchkit::ExitCode::invalid_input);
    return parsed.error().message;
}

}  // namespace

TEST_CASE("the Zeitwork Platform Upgrade Guide's upgrade order comes from needs", "[playbook]") {
    auto parsed = parse_playbook(R"(apiVersion: launchkit/v1
name: zeitwork
steps:
  - {name: edge-proxy, run: [echo, edge], needs: [node-agents]}
  - {name: load-balancer, run: [echo, lb], needs: [node-agents]}
  - {name: node-agents, run: [echo, agents], needs: [operator]}
  - {name: operator, run: [echo, operator], needs: [database-schema]}
  - {name: database-schema, run: [echo, migrate], needs: []}
)",
                                 "/tmp/p.yaml");
    REQUIRE(parsed);
    std::vector<std::string> order;
    for (const auto& step : parsed->steps) order.push_back(step.name);
    CHECK(order == std::vector<std::string>{"database-schema", "operator", "node-agents",
                                            "edge-proxy", "load-balancer"});
}

TEST_CASE("shorthands normalise, paths resolve beside the playbook", "[playbook]") {
    auto parsed = parse_playbook(R"(apiVersion: launchkit/v1
name: shapes
vars: {service: "api-${env}"}
steps:
  - {name: pause, pause: redemption}
  - {name: wait, wait: 30s}
  - {name: check, checklist: checks/pre.yaml}
  - {name: gate, gate: {rules: rules/r.yaml, interval: 1m, count: 5}}
  - {name: go, run: [make, "deploy-${service}"], on_failure: rollback}
)",
                                 "/srv/playbooks/p.yaml");
    REQUIRE(parsed);
    CHECK(parsed->steps[0].body == nlohmann::json{{"control", "redemption"}, {"reason", ""}});
    CHECK(parsed->steps[1].body["duration"] == "30s");
    CHECK(parsed->steps[2].body["file"] == "/srv/playbooks/checks/pre.yaml");
    REQUIRE(parsed->steps[3].gate);
    CHECK(parsed->steps[3].gate->rules == "/srv/playbooks/rules/r.yaml");
    CHECK(parsed->steps[3].gate->count == 5);
    CHECK(parsed->steps[4].on_failure == OnFailure::rollback);
    CHECK(parsed->steps[4].body["working_directory"] == "/srv/playbooks");
    CHECK(parsed->vars.at("service") == "api-${env}");
}

TEST_CASE("a backup source written as a number is a name, not a crash", "[playbook]") {
    // Found by the playbook harness: `source: 1` passed the text check, then was read back from
    // its JSON form as a string, which a number is not (std::terminate).
    auto parsed = parse_playbook(
        "apiVersion: launchkit/v1\nname: p\nsteps:\n  - {name: b, backup: {source: 1}}\n",
        "/tmp/p.yaml");
    REQUIRE(parsed);
    CHECK(parsed->steps[0].body["source"] == "1");
}

TEST_CASE("a rolling deploy's batch_size is a count or a percentage, nothing else", "[playbook]") {
    auto step = [](const std::string& size) {
        return "apiVersion: launchkit/v1\nname: p\nsteps:\n  - {name: a, deploy: {strategy: "
               "rolling, targets: [n1, n2], batch_size: \"" +
               size + "\", run_batch: [x]}}\n";
    };
    for (const char* size : {"1", "10000", "1%", "40%", "100%"}) {
        INFO(size);
        CHECK(parse_playbook(step(size), "/tmp/p.yaml"));
    }
    // Each of these ran as batches of one, or (a huge or negative percentage) cast a double out
    // of size_t's range.
    for (const char* size : {"", "0", "ten", "2 ", "-5%", "0%", "101%", "1e308%", "2.5", "10001",
                             "99999999999999999999", "%"}) {
        INFO(size);
        CHECK_THAT(refused(step(size)), Catch::Contains("steps[0].deploy.batch_size") &&
                                            Catch::Contains("is not a batch size"));
    }
    CHECK(parse_batch_size("40%")->percent);
    CHECK(parse_batch_size("40%")->amount == 40);
    CHECK_FALSE(parse_batch_size("7")->percent);
}

TEST_CASE("playbook errors name the file, line and field", "[playbook]") {
    std::string head = "apiVersion: launchkit/v1\nname: p\nsteps:\n";
    CHECK(refused(head + "  - {name: a, run: [x], on_failure: retry}\n") ==
          "/tmp/p.yaml:4: steps[0].on_failure: expected rollback, pause, continue or abort");
    CHECK_THAT(refused(head + "  - {name: a, run: [x], needs: [nope]}\n"),
               Catch::Contains("steps.a.needs: no step named 'nope'"));
    CHECK_THAT(refused(head + "  - {name: a, run: [x]}\n  - {name: a, run: [y]}\n"),
               Catch::Contains("/tmp/p.yaml:5: steps[1].name: a step named 'a' comes earlier"));
    CHECK_THAT(refused(head + "  - {name: a, run: [x], flag: {name: f}}\n"),
               Catch::Contains("a step has one kind"));
    CHECK_THAT(refused(head + "  - {name: a, flag: {name: f, state: on}}\n"),
               Catch::Contains("steps[0].flag.state: expected enabled or disabled"));
    CHECK_THAT(refused(head + "  - {name: a, wait: soon}\n"),
               Catch::Contains("steps[0].wait.duration"));
    CHECK_THAT(refused(head + "  - {name: a, run: {argv: []}}\n"),
               Catch::Contains("steps[0].run.argv: expected a non-empty list"));
    CHECK_THAT(
        refused(head +
                "  - {name: a, deploy: {strategy: canary, steps: [25, 5], set_weight: [x]}}\n"),
        Catch::Contains("steps[0].deploy.steps[1]: expected traffic steps that increase"));
    CHECK_THAT(refused(head + "  - {name: a, run: [x]}\n  - {name: b, run: [echo, "
                              "\"${steps.c.stdout}\"]}\n  - {name: c, run: [x]}\n"),
               Catch::Contains("(step 'c' does not run before this one; add it to needs:)"));
    CHECK_THAT(refused(head + "  - {name: a, run: [echo, \"${version\"]}\n"),
               Catch::Contains("without a closing"));
    CHECK_THAT(
        refused(head + "  - {name: a, run: [x]}\nrollback:\n  - {name: r, run: [y], undoes: zz}\n"),
        Catch::Contains("rollback[0].undoes: no step named 'zz'"));
    CHECK_THAT(refused("apiVersion: launchkit/v1\nname: p\nvars: {version: x}\nsteps: [{name: a, "
                       "run: [x]}]\n"),
               Catch::Contains("vars.version: a builtin variable"));
}

TEST_CASE("variables expand, and $${ stays literal", "[playbook]") {
    Variables variables{{"version", "5.1.0"}, {"steps.backup.id", "abc"}};
    CHECK(*expand("v${version}-${steps.backup.id}", variables) == "v5.1.0-abc");
    CHECK(*expand("cost: $5 and $${HOME}", variables) == "cost: $5 and ${HOME}");
    CHECK(expand("${nope}", variables).error().message == "'${nope}': ${nope} is not defined");
    CHECK(references(std::string_view("${a} ${b} $${c}")) == std::set<std::string>{"a", "b"});
}

TEST_CASE("a run's strategy is --strategy, else its deploy steps', else none", "[playbook]") {
    auto parsed = parse_playbook(R"(apiVersion: launchkit/v1
name: two-tiers
steps:
  - {name: api, deploy: {strategy: canary, steps: [10, 100], set_weight: [x]}}
  - {name: web, deploy: {strategy: rolling, batches: 2, run_batch: [x]}}
  - {name: api-again, deploy: {strategy: canary, steps: [10, 100], set_weight: [x]}}
)",
                                 "/tmp/p.yaml");
    REQUIRE(parsed);
    CHECK(parsed->strategy("") == "canary, rolling");
    CHECK(parsed->strategy("blue-green") == "blue-green");
    auto none = parse_playbook(
        "apiVersion: launchkit/v1\nname: n\nsteps:\n  - {name: a, run: [x]}\n", "/tmp/p.yaml");
    REQUIRE(none);
    CHECK(none->strategy("") == "none");
}
