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

TEST_CASE("render_or says what is missing instead of printing headers alone", "[output]") {
    Table table({"ID", "CREATED"});
    std::ostringstream none;
    table.render_or(none, false, "no backups in /var/lib/app");
    CHECK(none.str() == "no backups in /var/lib/app\n");
    std::ostringstream headers;
    table.render_or(headers, false, "");
    CHECK(headers.str() == "ID  CREATED\n");
    table.add_row({"b1", "today"});
    std::ostringstream rows;
    table.render_or(rows, false, "no backups");
    CHECK(rows.str() == "ID  CREATED\nb1  today\n");
}
