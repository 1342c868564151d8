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

TEST_CASE("cells show control characters escaped, keeping only colorize's colours", "[output]") {
    // A stored reason that would return the cursor and erase the row, or hide itself.
    CHECK(terminal_safe("INC-1\rrunning\x1b[2K") == "INC-1\\rrunning\\x1b[2K");
    CHECK(terminal_safe("\x1b[8msecret\x1b[0m") == "\\x1b[8msecret\x1b[0m");
    CHECK(terminal_safe("two\nlines") == "two\\nlines");
    auto paused = colorize("paused", Color::red, true);
    CHECK(terminal_safe(paused) == paused);
    CHECK(terminal_safe("\x1b[31m\x1b[30;40mx") == "\x1b[31m\\x1b[30;40mx");
    CHECK(terminal_safe("café ✓") == "café ✓");

    Table table({"NAME", "STATE", "REASON"});
    table.add_row({"checkout", paused, "INC-1\rcheckout  running\x1b[2K"});
    std::ostringstream out;
    table.render(out, true);
    auto text = out.str();
    CHECK(text.find('\r') == std::string::npos);
    CHECK(text.find("\x1b[2K") == std::string::npos);
    CHECK_THAT(text, Catch::EndsWith("checkout  \x1b[31mpaused\x1b[0m  "
                                     "INC-1\\rcheckout  running\\x1b[2K\n"));
}
