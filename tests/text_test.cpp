#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "core/text.h"

using namespace normkit;

// FIPS 180-2 test vectors, so the hashes are checked against known values, not against each other.
TEST_CASE("sha256_hex gives the published digests", "[text]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("Sha256Stream fed in parts gives the digest of the whole", "[text]") {
  const std::string million_a(1000000, 'a');
  Sha256Stream stream;
  for (size_t at = 0; at < million_a.size(); at += 65537) stream.update(std::string_view(million_a).substr(at, 65537));
  CHECK(stream.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

  Sha256Stream empty;
  CHECK(empty.hex() == sha256_hex(""));

  const std::string mixed = std::string("bytes\0with\xff nul", 15);
  Sha256Stream parts;
  parts.update(mixed.substr(0, 6));
  parts.update("");
  parts.update(mixed.substr(6));
  CHECK(parts.hex() == sha256_hex(mixed));
}

// detect_encoding reads eight bytes at a time where it can; its verdict must be the documented
// rule byte by byte: binary when NUL and control bytes (other than tab, line feed, carriage
// return, form feed) are more than 1 in 20 of the first 4,096 bytes; UTF-16 by NULs in
// alternate bytes.
TEST_CASE("detect_encoding counts control bytes wherever they fall", "[text]") {
  const auto rule_says_binary = [](const std::string& b) {
    const size_t probe = std::min<size_t>(b.size(), 4096) & ~size_t{1};
    size_t bad = 0;
    for (size_t i = 0; i < probe; ++i) {
      const unsigned char c = static_cast<unsigned char>(b[i]);
      if (c == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')) ++bad;
    }
    return probe > 0 && bad * 20 > probe;
  };
  uint64_t state = 12345;
  const auto next = [&]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state >> 33);
  };
  size_t binary_cases = 0, text_cases = 0;
  for (int round = 0; round < 400; ++round) {
    const size_t size = 1 + next() % 300;
    const uint32_t control_per_mille = next() % 120;  // around the 1-in-20 threshold
    std::string b;
    for (size_t i = 0; i < size; ++i) {
      const uint32_t r = next() % 1000;
      if (r < control_per_mille) b += static_cast<char>(1 + next() % 8);  // \x01..\x08
      else if (r < control_per_mille + 30) b += "\t\n\r\f"[next() % 4];
      else b += static_cast<char>('a' + next() % 26);
    }
    const bool binary = detect_encoding(b) == Encoding::Binary;
    INFO("case " << round << ", " << size << " bytes");
    CHECK(binary == rule_says_binary(b));
    (binary ? binary_cases : text_cases)++;
  }
  CHECK(binary_cases > 50);  // both verdicts were exercised
  CHECK(text_cases > 50);
}

// nfc() returns text that is_nfc_without_icu accepts as it is, without ICU. That is only right
// if ICU agrees that every character it accepts, alone and after any other it accepts, is
// already NFC; checked here against ICU for all of them.
TEST_CASE("text is_nfc_without_icu accepts is its own NFC, as ICU says", "[text]") {
  std::vector<UChar32> accepted;
  for (UChar32 cp = 0x20; cp < 0x3000; ++cp) {
    icu::UnicodeString one(cp);
    std::string utf8;
    one.toUTF8String(utf8);
    if (is_nfc_without_icu(utf8)) accepted.push_back(cp);
  }
  CHECK(accepted.size() == (0x300 - 0x20) + (0x205F - 0x2002 + 1) + 10 + 3);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* icu_nfc = icu::Normalizer2::getNFCInstance(status);
  REQUIRE(U_SUCCESS(status));
  size_t not_normal = 0;
  for (UChar32 first : accepted) {
    for (UChar32 second : accepted) {
      icu::UnicodeString u;
      u.append(first).append(second);
      if (!icu_nfc->isNormalized(u, status)) ++not_normal;
    }
  }
  CHECK(not_normal == 0);
  CHECK_FALSE(is_nfc_without_icu("e\xCC\x81"));   // a combining mark
  CHECK_FALSE(is_nfc_without_icu("\xE2\x80\x80"));  // U+2000 decomposes to U+2002
  CHECK_FALSE(is_nfc_without_icu("\xC3"));          // cut short
  CHECK(nfc("Caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D \xE2\x89\xA4 \xCB\x9A") ==
        "Caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D \xE2\x89\xA4 \xCB\x9A");
  CHECK(nfc("Cafe\xCC\x81") == "Caf\xC3\xA9");             // e + U+0301 composes
  CHECK(nfc("\xE2\x84\xAB") == "\xC3\x85");                 // U+212B ANGSTROM SIGN -> U+00C5
  CHECK(nfc("\xE1\x84\x80\xE1\x85\xA1") == "\xEA\xB0\x80");  // Hangul jamo compose
}

// count_code_points reads eight bytes at a time: put one-, two-, three- and four-byte characters
// at every offset and length, and count them against ICU's decoding.
TEST_CASE("count_code_points counts characters, not bytes, at every offset", "[text]") {
  const std::string text = "a\xC3\xA9" "b\xE2\x80\x94" "cd\xF0\x9F\x98\x80" "efgh\xC2\xB0ijklmnop\xE2\x89\xA4q";
  for (size_t begin = 0; begin <= text.size(); ++begin) {
    for (size_t end = begin; end <= text.size(); ++end) {
      const std::string_view part = std::string_view(text).substr(begin, end - begin);
      // Cut through a character, the continuation bytes left at the start are not characters.
      uint32_t expected = 0;
      for (unsigned char c : part) expected += (c & 0xC0) != 0x80;
      INFO(begin << ".." << end);
      CHECK(count_code_points(part) == expected);
    }
  }
  const std::string whole = text + text + text;
  CHECK(count_code_points(whole) ==
        static_cast<uint32_t>(icu::UnicodeString::fromUTF8(whole).countChar32()));
}

// The ASCII scans skip 32 bytes, then 8, at a time: a non-ASCII byte at any offset of a long run
// must still be seen by is_valid_utf8, count_code_points and is_nfc_without_icu.
TEST_CASE("UTF-8 scans see a non-ASCII byte at every offset of a long ASCII run", "[text]") {
  for (size_t length = 0; length <= 100; ++length) {
    const std::string ascii(length, 'x');
    CHECK(is_valid_utf8(ascii));
    CHECK(count_code_points(ascii) == length);
    CHECK(is_nfc_without_icu(ascii));
    for (size_t at = 0; at <= length; ++at) {
      INFO(length << " bytes, at " << at);
      const std::string composed = ascii.substr(0, at) + "\xC3\xA9" + ascii.substr(at);   // é
      const std::string combining = ascii.substr(0, at) + "\xCC\x81" + ascii.substr(at);  // U+0301
      const std::string broken = ascii.substr(0, at) + "\xFF" + ascii.substr(at);
      CHECK(is_valid_utf8(composed));
      CHECK(count_code_points(composed) == length + 1);
      CHECK(is_nfc_without_icu(composed));
      CHECK(is_valid_utf8(combining));
      CHECK_FALSE(is_nfc_without_icu(combining));
      size_t bad = 12345;
      CHECK_FALSE(is_valid_utf8(broken, &bad));
      CHECK(bad == at);
      CHECK(count_code_points(broken) == length + 1);
    }
  }
}

TEST_CASE("is_safe_id takes letters, digits, '.', '_' and '-', no '..', a letter or digit first", "[text]") {
  CHECK(is_safe_id("nkd3w54pjnk2"));
  CHECK(is_safe_id("std-1.2_a"));
  CHECK(is_safe_id(std::string(128, 'a')));
  CHECK_FALSE(is_safe_id(std::string(129, 'a')));
  CHECK_FALSE(is_safe_id(""));
  CHECK_FALSE(is_safe_id("-a"));
  CHECK_FALSE(is_safe_id(".a"));
  CHECK_FALSE(is_safe_id("a..b"));
  CHECK(is_safe_id("a.b.c"));
  CHECK_FALSE(is_safe_id("a b"));
  CHECK_FALSE(is_safe_id("a/b"));
  CHECK_FALSE(is_safe_id("caf\xC3\xA9"));
  CHECK_FALSE(is_safe_id(std::string("a\0b", 3)));
}
