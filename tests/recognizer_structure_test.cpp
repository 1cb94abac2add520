// The structure recognizer's own helpers (parsers/recognizer/structure.cpp) against simple
// references on generated inputs.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "parsers/recognizer/patterns.h"
#include "parsers/recognizer/recognizer.h"
#include "parsers/recognizer/structure.h"

using namespace normkit;
using namespace normkit::recognizer;

namespace {

// locate() by its definition: the last anchor at or before `offset` (else the block's start),
// plus one column per byte after it that is not a UTF-8 continuation byte.
SourceLoc reference_locate(const SourceBlock& b, size_t offset) {
  if (offset > b.text.size()) offset = b.text.size();
  SourceLoc base = b.loc;
  size_t from = 0;
  for (const SourceAnchor& a : b.anchors)
    if (a.offset <= offset) {
      base = a.loc;
      from = a.offset;
    }
  for (size_t k = from; k < offset; ++k)
    if ((static_cast<unsigned char>(b.text[k]) & 0xC0) != 0x80) ++base.col;
  return base;
}

}  // namespace

TEST_CASE("locate counts columns as a byte-by-byte count from the nearest anchor does", "[recognizer]") {
  std::mt19937 rng(20261125);
  // Every byte class: ASCII, continuation bytes, lead bytes of 2-, 3- and 4-byte sequences,
  // bytes that are never valid (locate counts bytes, it does not validate).
  const unsigned char classes[] = {'a', ' ', 0x80, 0xBF, 0xC3, 0xE2, 0xF0, 0xFF, 0x00, 0x7F};
  size_t checked = 0;
  for (int round = 0; round < 400; ++round) {
    SourceBlock b;
    b.loc = {static_cast<uint32_t>(1 + round), static_cast<uint32_t>(1 + round % 7)};
    // Lengths around the short-text path (up to 16 bytes counted inline) and beyond it.
    const size_t length = round % 3 == 0 ? rng() % 40 : rng() % 20;
    for (size_t k = 0; k < length; ++k) b.text += static_cast<char>(classes[rng() % std::size(classes)]);
    if (round % 4 == 1 && length > 2) {
      // Ascending anchors, the first sometimes at offset 0.
      for (size_t at = (round % 8 == 1) ? 0 : 1 + rng() % 3; at < length; at += 1 + rng() % 9)
        b.anchors.push_back({static_cast<uint32_t>(at), {static_cast<uint32_t>(100 + at), static_cast<uint32_t>(1 + at % 5)}});
    }
    for (size_t offset = 0; offset <= length + 2; ++offset) {
      const SourceLoc want = reference_locate(b, offset);
      const SourceLoc got = locate(b, offset);
      INFO("round " << round << " offset " << offset << " length " << length);
      CHECK(got.line == want.line);
      CHECK(got.col == want.col);
      ++checked;
    }
  }
  CHECK(checked > 4000);
}

TEST_CASE("furniture_words finds what a contains_ci search for each word finds", "[recognizer]") {
  std::mt19937 rng(1125);
  const std::string_view words[] = {"in this section", "navigation", "membership", "become a member",
                                    "join ", "employment", "career"};
  // Pieces of the words (cut anywhere), their letters in either case, near misses and other bytes.
  const std::string_view filler[] = {" ", "in this", "section", "navigat", "member", "join", "JOIN ",
                                     "Career", "EMPLOY", "x", "\xC3\xA9", "\t", "-", "ion", "c", "e"};
  size_t found = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int parts = 1 + static_cast<int>(rng() % 6);
    for (int p = 0; p < parts; ++p) {
      if (rng() % 3 == 0) {
        std::string w(words[rng() % std::size(words)]);
        if (rng() % 2) w.resize(rng() % (w.size() + 1));  // sometimes cut short, even at the end
        text += w;
      } else {
        text += filler[rng() % std::size(filler)];
      }
    }
    for (char& c : text)
      if (rng() % 3 == 0 && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const FurnitureWords got = furniture_words(text);
    const bool navigation = contains_ci(text, "in this section") || contains_ci(text, "navigation");
    const bool membership = contains_ci(text, "membership") || contains_ci(text, "become a member") ||
                            contains_ci(text, "join ");
    const bool employment = contains_ci(text, "employment") || contains_ci(text, "career");
    INFO("text '" << text << "'");
    CHECK(got.navigation == navigation);
    CHECK(got.membership == membership);
    CHECK(got.employment == employment);
    found += navigation + membership + employment;
  }
  CHECK(found > 300);  // the generator does produce the words
}
