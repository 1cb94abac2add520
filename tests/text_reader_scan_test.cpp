// The text reader's word-at-a-time scans against simple byte-by-byte references, on generated
// lines that put every byte class (spaces, dots, upper- and lower-case letters, digits, line
// ends, controls, non-ASCII) at every offset of an eight-byte word.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "parsers/text/text_reader.h"

using namespace normkit;

namespace {

struct Lcg {
  uint64_t state;
  uint32_t next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state >> 33);
  }
};

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
