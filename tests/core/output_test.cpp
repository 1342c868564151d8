#include <catch2/catch.hpp>

#include <sstream>

#include "core/output.h"

using namespace launchkit;

TEST_CASE("tables pad columns to the widest cell, counting characters not bytes", "[output]") {
    Table table({"NAME", "STATE", "REASON"});
    table.add_row({"redemption", "paused", "incident 42"});
    table.add_row({"café", "running"});  // a short row is padded with empty cells
    std::ostringstream out;
    table.render(out, false);
    CHECK(out.str() ==
          "NAME        STATE    REASON\n"
          "redemption  paused   incident 42\n"
          "café        running\n");
}

TEST_CASE("colour is applied only when enabled", "[output]") {
    CHECK(colorize("ok", Color::green, false) == "ok");
    CHECK(colorize("ok", Color::green, true) == "\x1b[32mok\x1b[0m");
    Table table({"A"});
    table.add_row({"x"});
    std::ostringstream coloured;
    table.render(coloured, true);
    CHECK(coloured.str() == "\x1b[1mA\x1b[0m\nx\n");
}
