// The text reader's word-at-a-time scans against simple byte-by-byte references, on generated
// lines that put every byte class (spaces, dots, upper- and lower-case letters, digits, line
// ends, controls, non-ASCII) at every offset of an eight-byte word.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/text.h"
#include "parsers/text/text_reader.h"
#include "test_support.h"

using namespace normkit;

namespace {

using normkit::test::Lcg;

bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool lower(char c) { return c >= 'a' && c <= 'z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// append_line_text as its contract says, one byte at a time.
struct Appended {
  std::string out;
  bool non_ascii = false;
  size_t glued = 0, first_glued_end = 0;
};
Appended reference_append(std::string out, std::string_view line) {
  Appended r;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (static_cast<unsigned char>(c) >= 0x80) r.non_ascii = true;
    if (c == ' ') {
      const bool after_space = i > 0 ? line[i - 1] == ' ' : (out.empty() || out.back() == ' ');
      if (after_space) continue;
    }
    out += c;
    if (c == '.' && i >= 2 && i + 2 < line.size() && upper(line[i + 1]) && lower(line[i + 2]) &&
        (lower(line[i - 1]) || digit(line[i - 1])) && line[i - 2] != '.') {
      out += ' ';
      if (r.glued++ == 0) r.first_glued_end = i + 1;
    }
  }
  r.out = std::move(out);
  return r;
}

// Mostly the bytes that matter to the scans, so specials land at every offset.
std::string generated_line(Lcg& rng, size_t length) {
  static const std::vector<std::string> pieces = {" ", " ", "  ", ".", ".", "a", "b", "T", "Q", "7",
                                                  "x", "\xC3\xA9", "\xE2\x80\x94", "\xFF", "-", ")"};
  std::string s;
  while (s.size() < length) s += pieces[rng.next() % pieces.size()];
  return s;
}

}  // namespace

TEST_CASE("append_line_text collapses spaces and separates glued sentences as byte by byte", "[text]") {
  Lcg rng{20261125};
  const std::vector<std::string> befores = {"", "x", "x ", "ab."};
  size_t glued_lines = 0, collapsed_lines = 0;
  for (int round = 0; round < 6000; ++round) {
    const std::string line = generated_line(rng, rng.next() % 70);
    const std::string& before = befores[rng.next() % befores.size()];
    std::string out = before;
    size_t glued = 0, first_end = 12345;
    const bool non_ascii = text::append_line_text(out, line, &glued, &first_end);
    const Appended expected = reference_append(before, line);
    INFO("line '" << line << "' after '" << before << "'");
    CHECK(out == expected.out);
    CHECK(non_ascii == expected.non_ascii);
    CHECK(glued == expected.glued);
    if (glued) CHECK(first_end == expected.first_glued_end);
    glued_lines += glued > 0;
    collapsed_lines += expected.out.size() < before.size() + line.size();
  }
  CHECK(glued_lines > 50);  // both rules were exercised
  CHECK(collapsed_lines > 1000);

  // A glued sentence end at every offset of a long line, and the count carried over lines.
  for (size_t at = 2; at < 40; ++at) {
    const std::string line = std::string(at - 1, 'w') + "e.Th" + std::string(20, 'w');
    std::string out;
    size_t glued = 3, first_end = 777;
    text::append_line_text(out, line, &glued, &first_end);
    CHECK(out == reference_append("", line).out);
    CHECK(glued == 4);
    CHECK(first_end == 777);  // only the first glued end of all is reported
  }
}

namespace {

// The bytes clean() changes, as the reader's documentation lists them, one byte at a time.
bool reference_needs_cleaning(std::string_view s) {
  const auto at = [&](size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = at(i);
    if ((c < 0x20 && c != '\n' && c != '\r') || c == 0x7F) return true;
    if (c == 0xC2 && (at(i + 1) == 0xA0 || at(i + 1) == 0xAD)) return true;
    if (c == 0xE2 && at(i + 1) == 0x80 && at(i + 2) >= 0x8B && at(i + 2) <= 0x8D) return true;
    if (c == 0xEF && at(i + 1) == 0xBB && at(i + 2) == 0xBF) return true;
    if (c == 0xEF && at(i + 1) == 0xAC && at(i + 2) >= 0x80 && at(i + 2) <= 0x86) return true;
  }
  return false;
}

std::vector<std::string_view> reference_lines(std::string_view s) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\n' && s[i] != '\r') continue;
    lines.push_back(s.substr(start, i - start));
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < s.size() || lines.empty()) lines.push_back(s.substr(start));
  return lines;
}

}  // namespace

TEST_CASE("lines_if_clean splits lines and spots bytes to clean as byte by byte", "[text]") {
  // Line ends of every kind, each byte clean() changes, and characters it keeps that share their
  // lead bytes (U+00A9, U+2014, U+FEFE, U+FB07), among printable ASCII.
  static const std::vector<std::string> pieces = {
      "\n", "\r", "\r\n", "\n\n", "\t", std::string(1, '\0'), "\x7F", "\x0C", "\x01",
      "\xC2\xA0", "\xC2\xAD", "\xE2\x80\x8B", "\xE2\x80\x8D", "\xEF\xBB\xBF", "\xEF\xAC\x81", "\xEF\xAC\x86",
      "\xC2\xA9", "\xE2\x80\x94", "\xEF\xBB\xBE", "\xEF\xAC\x87", "\xC2", "\xE2\x80", "\xEF\xAC",
      "a", "Z", " ", "~", "9"};
  Lcg rng{77};
  size_t clean_cases = 0, dirty_cases = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    // Mostly printable ASCII, so the special pieces fall at every offset of a word.
    const size_t length = rng.next() % 48;
    const uint32_t special_per_mille = 20 + rng.next() % 300;
    while (s.size() < length) {
      if (rng.next() % 1000 < special_per_mille) s += pieces[rng.next() % pieces.size()];
      else s += static_cast<char>(0x20 + rng.next() % 0x5F);
    }
    const auto lines = text::lines_if_clean(s);
    INFO("case " << round << ": " << s.size() << " bytes");
    REQUIRE(lines.has_value() == !reference_needs_cleaning(s));
    if (lines) {
      CHECK(*lines == reference_lines(s));
      ++clean_cases;
    } else {
      ++dirty_cases;
    }
  }
  CHECK(clean_cases > 2000);
  CHECK(dirty_cases > 2000);
  CHECK(text::lines_if_clean("")->size() == 1);
}

namespace {

// Line starts as LineIndex documents them, one byte at a time.
std::vector<size_t> reference_line_starts(std::string_view s) {
  std::vector<size_t> starts = {0};
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\n' && s[i] != '\r') continue;
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
    starts.push_back(i + 1);
  }
  return starts;
}

// lines_if_clean_utf8 against the three routines it stands in for, and both LineIndex
// constructors against each other.
void check_clean_utf8_scan(const std::string& s, size_t& clean_cases, size_t& dirty_cases) {
  const auto scanned = text::lines_if_clean_utf8(s);
  const bool expected = is_valid_utf8(s) && !reference_needs_cleaning(s);
  INFO(s.size() << " bytes: " << s);
  REQUIRE(scanned.has_value() == expected);
  REQUIRE(expected == (detect_encoding(s) == Encoding::Utf8 && text::lines_if_clean(s).has_value()));
  if (!scanned) {
    ++dirty_cases;
    return;
  }
  ++clean_cases;
  CHECK(scanned->lines == reference_lines(s));
  REQUIRE(scanned->starts == reference_line_starts(s));
  const LineIndex found(s), given(s, scanned->starts);
  for (uint32_t line = 0; line <= scanned->starts.size() + 1; ++line) CHECK(found.line_text(line) == given.line_text(line));
  for (size_t offset = 0; offset <= s.size() + 1; ++offset) {
    const SourceLoc a = found.locate(offset), b = given.locate(offset);
    CHECK(a.line == b.line);
    CHECK(a.col == b.col);
  }
}

}  // namespace

TEST_CASE("lines_if_clean_utf8 agrees with detect_encoding, lines_if_clean and LineIndex", "[text]") {
  // Every byte class: line ends of each kind, controls, NUL, DEL, valid two- to four-byte
  // characters, the sequences clean() changes, invalid UTF-8 (stray continuation, overlong,
  // surrogate, above U+10FFFF, truncated, bytes never in UTF-8), Windows-1252 bytes.
  static const std::vector<std::string> pieces = {
      "\n", "\r", "\r\n", "\n\r", "\t", std::string(1, '\0'), "\x7F", "\x0C", "\x01", "\x1F",
      "\xC2\xA0", "\xC2\xAD", "\xE2\x80\x8B", "\xEF\xBB\xBF", "\xEF\xAC\x81",
      "\xC2\xA9", "\xC3\xA9", "\xDF\xBF", "\xE2\x80\x94", "\xE2\x80\xA2", "\xE0\xA0\x80", "\xED\x9F\xBF",
      "\xEF\xBF\xBD", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "\xEF\xBB\xBE", "\xEF\xAC\x87",
      "\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xF0\x8F\xBF\xBF",
      "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xFE", "\xC2", "\xE2\x80", "\xF0\x90\x80",
      "\xE9", "\x93", "\x81"};
  static const std::vector<std::string> prefixes = {"", "", "", "\xEF\xBB\xBF", "\xFF\xFE", "\xFE\xFF",
                                                    std::string("a\0b\0", 4), std::string("\0a\0b", 4)};
  Lcg rng{1125};
  size_t clean_cases = 0, dirty_cases = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string s = prefixes[rng.next() % prefixes.size()];
    // Mostly printable ASCII (some bytes that look like UTF-16: every other one NUL), so the
    // special pieces fall at every offset of a sixteen-byte step.
    const size_t length = rng.next() % 100;
    const uint32_t special_per_mille = rng.next() % 200;
    const bool sparse = rng.next() % 2;  // then line ends, clean characters and at most one other piece
    while (s.size() < length) {
      if (rng.next() % 1000 < special_per_mille) {
        const size_t k = rng.next() % pieces.size();
        const bool clean_piece = k < 4 || (k >= 15 && k <= 26);
        s += !sparse || clean_piece ? pieces[k] : pieces[15 + k % 12];
      } else {
        s += static_cast<char>(0x20 + rng.next() % 0x5F);
      }
    }
    if (sparse && rng.next() % 2) s.insert(rng.next() % (s.size() + 1), pieces[rng.next() % pieces.size()]);
    check_clean_utf8_scan(s, clean_cases, dirty_cases);
  }
  // Each piece at every offset of three sixteen-byte steps, also straddling their ends.
  for (const std::string& piece : pieces)
    for (size_t at = 0; at < 48; ++at)
      for (size_t tail : {size_t{0}, size_t{1}, size_t{17}}) {
        const std::string s = std::string(at, 'x') + piece + std::string(tail, 'y');
        check_clean_utf8_scan(s, clean_cases, dirty_cases);
        check_clean_utf8_scan(s + "\r\n" + s, clean_cases, dirty_cases);
      }
  // Long clean lines, CRLF files, a text ending in a line end, the empty text.
  check_clean_utf8_scan(std::string(5000, 'w') + "\r\n" + std::string(3000, 'v') + "\xE2\x80\x94\n", clean_cases, dirty_cases);
  check_clean_utf8_scan("", clean_cases, dirty_cases);
  check_clean_utf8_scan("\n", clean_cases, dirty_cases);
  check_clean_utf8_scan("\r", clean_cases, dirty_cases);
  CHECK(clean_cases > 5000);
  CHECK(dirty_cases > 5000);
}
