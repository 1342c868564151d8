// The YAML tree every launchkit file is read into: kinds, lines, plain and quoted scalars, aliases
// expanded under a budget, and each way a document is refused naming its line.
#include <catch2/catch.hpp>

#include <string>

#include "core/yaml_node.h"
#include "core/yaml_reader.h"

using launchkit::ExitCode;
using launchkit::load_yaml;
using launchkit::YamlNode;

TEST_CASE("a document becomes maps, lists and scalars that know their lines", "[core][yaml]") {
    auto root = load_yaml(R"(name: upgrade
steps:
  - name: backup
    timeout: 5m
  - {name: deploy, canary: [10, 50]}
quoted: "null"
empty:
tilde: ~
)",
                          "pb.yaml");
    REQUIRE(root);
    REQUIRE(root->is_map());
    CHECK(root->size() == 5);
    CHECK((*root)["name"].text() == "upgrade");
    CHECK((*root)["name"].is_plain());
    CHECK((*root)["name"].line() == 1);
    const auto& steps = (*root)["steps"];
    REQUIRE(steps.is_sequence());
    CHECK(steps.size() == 2);
    CHECK(steps.line() == 3);
    CHECK(steps[0]["timeout"].text() == "5m");
    CHECK(steps[0]["timeout"].line() == 4);
    CHECK(steps[1]["canary"][1].text() == "50");
    CHECK(steps[1].line() == 5);
    CHECK_FALSE(steps[2]);  // past the end: undefined, not a crash
    CHECK_FALSE((*root)["absent"]);
    CHECK_FALSE(steps["name"]);  // a key of a list: undefined
    // Quoted text stays text; the unquoted forms of null are null.
    CHECK((*root)["quoted"].is_scalar());
    CHECK_FALSE((*root)["quoted"].is_plain());
    CHECK((*root)["quoted"].text() == "null");
    CHECK((*root)["empty"].is_null());
    CHECK((*root)["tilde"].is_null());
    // Entries keep the document's order.
    CHECK(root->entries().front().first.text() == "name");
    CHECK(root->entries().back().first.text() == "tilde");
}

TEST_CASE("only the first document is read, an empty one is null", "[core][yaml]") {
    auto first = load_yaml("---\na: 1\n---\nb: 2\n", "two.yaml");
    REQUIRE(first);
    CHECK((*first)["a"].text() == "1");
    CHECK_FALSE((*first)["b"]);
    auto empty = load_yaml("", "empty.yaml");
    REQUIRE(empty);
    CHECK(empty->is_null());
    auto comment = load_yaml("# nothing yet\n", "comment.yaml");
    REQUIRE(comment);
    CHECK(comment->is_null());
}

TEST_CASE("aliases expand to copies of their anchor", "[core][yaml]") {
    auto root = load_yaml("base: &probe {url: http://a, timeout: 1s}\ncopy: *probe\n", "a.yaml");
    REQUIRE(root);
    CHECK((*root)["copy"]["url"].text() == "http://a");
    CHECK((*root)["copy"]["timeout"].text() == "1s");

    auto unknown = load_yaml("a: 1\nb: *nowhere\n", "a.yaml");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ExitCode::invalid_input);
    CHECK(unknown.error().message ==
          "a.yaml:2: alias '*nowhere' names no anchor defined before it");
    // An alias inside its own anchor would make a loop: its anchor is not defined yet.
    auto loop = load_yaml("a: &self [1, *self]\n", "a.yaml");
    REQUIRE_FALSE(loop);
    CHECK_THAT(loop.error().message, Catch::Contains("'*self' names no anchor"));
}

TEST_CASE("aliases of aliases are refused once they expand past the budget", "[core][yaml]") {
    // Ten levels of ten aliases each: 10^10 values from a few hundred bytes.
    std::string laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int level = 1; level < 10; ++level) {
        laughs += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
        for (int i = 0; i < 10; ++i)
            laughs += std::string(i ? ", " : "") + "*a" + std::to_string(level - 1);
        laughs += "]\n";
    }
    auto refused = load_yaml(laughs, "bomb.yaml");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ExitCode::invalid_input);
    CHECK_THAT(refused.error().message,
               Catch::Contains("more than 2000000 values once its aliases are expanded"));
}

TEST_CASE("nesting is limited however it is written", "[core][yaml]") {
    // Compact lists nest without brackets or indentation: the tree's own count refuses them.
    std::string compact;
    for (int i = 0; i < 70; ++i) compact += "- ";
    compact += "x\n";
    auto refused = load_yaml(compact, "deep.yaml");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message == "deep.yaml:1: nested deeper than 64 levels");
    std::string allowed;
    for (int i = 0; i < 60; ++i) allowed += "- ";
    allowed += "x\n";
    CHECK(load_yaml(allowed, "ok.yaml"));
}

TEST_CASE("a repeated key is found in a large map too", "[core][yaml]") {
    std::string map;
    for (int i = 0; i < 40; ++i) map += "key" + std::to_string(i) + ": " + std::to_string(i) + "\n";
    CHECK(load_yaml(map, "ok.yaml"));
    auto refused = load_yaml(map + "key3: again\n", "big.yaml");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message ==
          "big.yaml:41: key 'key3' appears twice (first at line 4); keep one");
    auto last = load_yaml(map + "key39: again\n", "big.yaml");
    REQUIRE_FALSE(last);
    CHECK(last.error().message ==
          "big.yaml:41: key 'key39' appears twice (first at line 40); keep one");
}

TEST_CASE("every key of a large map is found, in its copies too", "[core][yaml]") {
    // Past a handful of entries a map looks keys up through an index: each key must still answer
    // its own value, an absent one nothing, and an alias's copy the same as its anchor.
    std::string text = "flags: &flags\n";
    for (int i = 0; i < 3000; ++i)
        text += "  flag-" + std::to_string(i) + ": " + std::to_string(i * 7) + "\n";
    text += "copy: *flags\n";
    auto root = load_yaml(text, "flags.yaml");
    REQUIRE(root);
    for (const auto* name : {"flags", "copy"}) {
        const auto& flags = (*root)[name];
        REQUIRE(flags.size() == 3000);
        for (int i = 0; i < 3000; i += 1) {
            const auto& value = flags["flag-" + std::to_string(i)];
            REQUIRE(value.text() == std::to_string(i * 7));
            REQUIRE(value.line() == i + 2);
        }
        CHECK_FALSE(flags["flag-3000"].is_defined());
        CHECK_FALSE(flags["flag"].is_defined());
    }

    // Code that adds to a copy leaves the original as it was, and the first of two entries with
    // one key is the one a lookup answers, as in a small map.
    auto original = (*root)["flags"];
    auto copy = original;
    copy.insert(YamlNode::scalar("added", true), YamlNode::scalar("yes", true));
    copy.insert(YamlNode::scalar("flag-5", true), YamlNode::scalar("second", true));
    CHECK(copy["added"].text() == "yes");
    CHECK(copy["flag-5"].text() == "35");
    CHECK_FALSE(original["added"].is_defined());
    CHECK(original.size() == 3000);
    REQUIRE(original.find("flag-5"));
    CHECK(original.find("flag-5")->first.line() == 7);
}

TEST_CASE("invalid YAML and invalid UTF-8 are refused naming the line", "[core][yaml]") {
    auto unclosed = load_yaml("checks:\n  - {name: a\n", "c.yaml");
    REQUIRE_FALSE(unclosed);
    CHECK(unclosed.error().code == ExitCode::invalid_input);
    CHECK_THAT(unclosed.error().message, Catch::StartsWith("c.yaml:3: invalid YAML: "));
    CHECK_THAT(unclosed.error().message, Catch::Contains("at line 2"));

    auto tab = load_yaml("checks:\n\t- name: a\n", "t.yaml");
    REQUIRE_FALSE(tab);
    CHECK_THAT(tab.error().message, Catch::StartsWith("t.yaml:2: invalid YAML: "));
    CHECK_THAT(tab.error().message, Catch::Contains("(a tab: YAML indents with spaces)"));

    auto latin1 = load_yaml("name: ok\ndescription: caf\xe9\n", "f.yaml");
    REQUIRE_FALSE(latin1);
    CHECK(latin1.error().code == ExitCode::invalid_input);
    CHECK_THAT(latin1.error().message, Catch::StartsWith("f.yaml:2: invalid YAML: "));
    CHECK_THAT(latin1.error().message, Catch::Contains("(byte 26)"));
    CHECK(load_yaml("description: caf\xc3\xa9\n", "utf8.yaml"));
}

TEST_CASE("scalars convert to numbers and booleans as YAML reads them", "[core][yaml]") {
    using launchkit::yaml_boolean;
    using launchkit::yaml_integer;
    using launchkit::yaml_number;
    auto plain = [](const char* text) { return YamlNode::scalar(text, true); };
    CHECK(yaml_integer(plain("42")) == 42);
    CHECK(yaml_integer(plain("0x1F")) == 31);
    CHECK(yaml_integer(YamlNode::scalar("5", false)) == 5);
    CHECK_FALSE(yaml_integer(plain("5s")));
    CHECK_FALSE(yaml_integer(YamlNode::null()));
    CHECK_FALSE(yaml_integer(YamlNode::map()));
    CHECK(yaml_number(plain("0.25")) == 0.25);
    CHECK(yaml_number(plain("1e3")) == 1000.0);
    CHECK_FALSE(yaml_number(plain("fast")));
    CHECK(yaml_boolean(plain("true")) == true);
    CHECK(yaml_boolean(plain("Off")) == false);
    CHECK(yaml_boolean(plain("yes")) == true);
    CHECK_FALSE(yaml_boolean(plain("maybe")));
    auto json = launchkit::YamlReader::scalar_json;
    CHECK(json(plain("3")) == 3);
    CHECK(json(plain("true")) == true);
    CHECK(json(YamlNode::scalar("3", false)) == "3");  // quoted: text
    CHECK(json(YamlNode::null()).is_null());
}
