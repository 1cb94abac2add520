#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/diagnostics.h"

using namespace normkit;

TEST_CASE("findings print as file:line:col, source line and caret", "[diagnostics]") {
  const std::string src = "first line\n  second <bad> line\nthird";
  LineIndex idx(src);
  Diagnostics diags;
  diags.set_file("doc.xml");
  diags.set_source(&idx);
  diags.error("demo-code", "something is wrong", idx.locate(src.find("<bad>")));
  CHECK(format_text(diags.all()[0]) ==
        "doc.xml:2:10: error: something is wrong [demo-code]\n"
        "  second <bad> line\n"
        "         ^\n");
  diags.warning("w", "careful");
  CHECK(format_text(diags.all()[1]) == "doc.xml: warning: careful [w]\n");
  diags.set_file("");
  diags.note("n", "fyi");
  CHECK(format_text(diags.all()[2]) == "normkit: note: fyi [n]\n");
  CHECK(diags.count(Severity::Error) == 1);
  CHECK(diags.has_errors());
}

TEST_CASE("columns count characters, not bytes, and carets follow tabs", "[diagnostics]") {
  const std::string src = "\tcaf\xC3\xA9 x";
  LineIndex idx(src);
  const SourceLoc loc = idx.locate(src.find('x'));
  CHECK(loc.line == 1);
  CHECK(loc.col == 7);
  Diagnostics diags;
  diags.set_source(&idx);
  diags.error("c", "m", loc);
  CHECK(format_text(diags.all()[0]) == "normkit: error: m [c]\n\tcaf\xC3\xA9 x\n\t     ^\n");
  CHECK(idx.offset_of(loc) == src.find('x'));
}

TEST_CASE("LineIndex handles LF, CRLF and CR line ends", "[diagnostics]") {
  const std::string src = "a\r\nb\rc\nd";
  LineIndex idx(src);
  CHECK(idx.locate(src.find('b')).line == 2);
  CHECK(idx.locate(src.find('c')).line == 3);
  CHECK(idx.locate(src.find('d')).line == 4);
  CHECK(idx.line_text(1) == "a");
  CHECK(idx.line_text(2) == "b");
  CHECK(idx.line_text(5).empty());
}

TEST_CASE("long lines are clipped around the column and control characters hidden", "[diagnostics]") {
  std::string line(10000, 'x');
  line[5000] = '!';
  line[4990] = '\x1b';
  uint32_t caret = 0;
  const std::string clipped = clip_source_line(line, 5001, &caret);
  CHECK(clipped.size() <= 106);
  CHECK(clipped.rfind("...", 0) == 0);
  CHECK(clipped[caret - 1] == '!');
  CHECK(clipped.find('\x1b') == std::string::npos);
  // Never splits a multi-byte character.
  std::string wide;
  for (int i = 0; i < 200; ++i) wide += "\xC3\xA9";
  const std::string w = clip_source_line(wide, 201, &caret);
  CHECK(w.substr(3, 2) == "\xC3\xA9");
}

TEST_CASE("JSON findings are data with every field", "[diagnostics]") {
  Diagnostics diags;
  diags.set_file("a\"b.xml");
  diags.error("x-code", "bad \xFF byte", SourceLoc{3, 4});
  const auto j = nlohmann::json::parse(format_json(diags.all()));
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 1);
  CHECK(j[0]["severity"] == "error");
  CHECK(j[0]["code"] == "x-code");
  CHECK(j[0]["file"] == "a\"b.xml");
  CHECK(j[0]["line"] == 3);
  CHECK(j[0]["col"] == 4);
  CHECK(j[0]["message"].get<std::string>().find("bad ") == 0);  // invalid UTF-8 replaced, not thrown
}

// Diagnostics finds a column's byte from where the last finding on the same line was, so a long
// line is not scanned from its start per finding. Findings in any order must still point where a
// fresh scan points.
TEST_CASE("findings along one line point where they would alone, in any order", "[diagnostics]") {
  std::string line;
  for (int i = 0; i < 400; ++i) line += i % 3 ? "ab\tc " : "\xC3\xA9\xE2\x80\x94\xF0\x9F\x98\x80 ";
  const std::string src = "head\n" + line + "\nlast line\n";
  LineIndex idx(src);
  const auto alone = [&](SourceLoc loc) {
    Diagnostics one;
    one.set_source(&idx);
    return format_text(one.warning("w", "m", loc));
  };
  Diagnostics many;
  many.set_source(&idx);
  std::vector<SourceLoc> locs;
  for (uint32_t col = 1; col < 2200; col += 37) locs.push_back({2, col});  // along the line
  locs.push_back({2, 5});                                                    // back to the start
  locs.push_back({2, 5});                                                    // the same again
  locs.push_back({3, 4});                                                    // another line
  locs.push_back({2, 1900});                                                 // and back
  locs.push_back({2, 100000});                                               // past the end
  locs.push_back({2, 1200});
  for (SourceLoc loc : locs) {
    INFO("line " << loc.line << " col " << loc.col);
    CHECK(format_text(many.warning("w", "m", loc)) == alone(loc));
  }
}
