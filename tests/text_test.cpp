#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "core/text.h"
#include "test_support.h"

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
TEST_CASE("bytes_equal marks exactly the bytes of a word that equal the byte sought", "[text]") {
  // Every byte value sought, in words whose other bytes are its neighbours (the values a borrow
  // or carry between bytes would confuse), 0x00, 0x7F, 0x80, 0xFF and pseudo-random bytes.
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  for (int c = 0; c < 256; ++c) {
    const unsigned char sought = static_cast<unsigned char>(c);
    const unsigned char fillers[] = {static_cast<unsigned char>(c - 1), static_cast<unsigned char>(c + 1),
                                     static_cast<unsigned char>(c ^ 0x80), 0x00, 0x7F, 0x80, 0xFF};
    for (int round = 0; round < 64; ++round) {
      unsigned char bytes[8];
      for (int k = 0; k < 8; ++k) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        const unsigned pick = static_cast<unsigned>(x >> 59);  // 0..31
        bytes[k] = pick < 12 ? sought : pick < 19 ? fillers[pick - 12] : static_cast<unsigned char>(x >> 40);
      }
      uint64_t w;
      std::memcpy(&w, bytes, 8);
      uint64_t expected = 0;
      for (int k = 0; k < 8; ++k)
        if (bytes[k] == sought) expected |= uint64_t{0x80} << (8 * k);
      INFO("sought " << c << ", word " << std::hex << w);
      CHECK(bytes_equal(w, sought) == expected);
    }
  }
}

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
  normkit::test::Lcg rng{12345};
  const auto next = [&]() { return rng.next(); };
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

namespace {

// UTF-8 validity as its definition says, one sequence at a time.
bool reference_valid_utf8(std::string_view s) {
  const auto at = [&](size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
  const auto cont = [&](size_t k) { return k < s.size() && (at(k) & 0xC0) == 0x80; };
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = at(i);
    size_t len = 0;
    if (c < 0x80) len = 1;
    else if (c >= 0xC2 && c <= 0xDF && cont(i + 1)) len = 2;
    else if (c >= 0xE0 && c <= 0xEF && cont(i + 1) && cont(i + 2) && !(c == 0xE0 && at(i + 1) < 0xA0) &&
             !(c == 0xED && at(i + 1) >= 0xA0)) len = 3;
    else if (c >= 0xF0 && c <= 0xF4 && cont(i + 1) && cont(i + 2) && cont(i + 3) &&
             !(c == 0xF0 && at(i + 1) < 0x90) && !(c == 0xF4 && at(i + 1) >= 0x90)) len = 4;
    if (len == 0) return false;
    i += len;
  }
  return true;
}

// detect_encoding's documented rules, one byte at a time.
Encoding reference_detect_encoding(std::string_view b) {
  const auto at = [&](size_t k) { return static_cast<unsigned char>(b[k]); };
  if (b.size() >= 3 && at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return Encoding::Utf8Bom;
  if (b.size() >= 4 && at(0) == 0xFF && at(1) == 0xFE && at(2) == 0 && at(3) == 0) return Encoding::Utf32LE;
  if (b.size() >= 4 && at(0) == 0 && at(1) == 0 && at(2) == 0xFE && at(3) == 0xFF) return Encoding::Utf32BE;
  if (b.size() >= 2 && at(0) == 0xFF && at(1) == 0xFE) return Encoding::Utf16LE;
  if (b.size() >= 2 && at(0) == 0xFE && at(1) == 0xFF) return Encoding::Utf16BE;
  const size_t probe = std::min<size_t>(b.size(), 4096) & ~size_t{1};
  size_t nul_even = 0, nul_odd = 0, controls = 0;
  for (size_t i = 0; i < probe; ++i) {
    const unsigned char c = at(i);
    if (c == 0) (i % 2 ? nul_odd : nul_even)++;
    else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++controls;
  }
  const size_t half = probe / 2;
  if (half >= 2 && nul_odd * 10 >= half * 7 && nul_even * 10 < half) return Encoding::Utf16LE;
  if (half >= 2 && nul_even * 10 >= half * 7 && nul_odd * 10 < half) return Encoding::Utf16BE;
  if (probe > 0 && (nul_odd + nul_even + controls) * 20 > probe) return Encoding::Binary;
  if (reference_valid_utf8(b)) return Encoding::Utf8;
  for (unsigned char c : b)
    if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D) return Encoding::Binary;
  return Encoding::Windows1252;
}

}  // namespace

// detect_encoding skips words of ASCII and line ends, and checks UTF-8 only from the first
// non-ASCII byte: every byte class (NUL, controls, line ends, valid and broken UTF-8, bytes
// Windows-1252 leaves undefined) at every offset, in inputs around the 4,096-byte probe.
TEST_CASE("detect_encoding gives its documented verdict, as byte by byte", "[text]") {
  static const std::vector<std::string> pieces = {
      "\n", "\r\n", "\t", "\f", std::string(1, '\0'), "\x01", "\x1F", "\xC3\xA9", "\xE2\x80\x94",
      "\xF0\x9F\x98\x80", "\xC3", "\xE2\x80", "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80", "\x81", "\x93",
      "\xFF", "\xA0", "x", "y", " "};
  normkit::test::Lcg rng{4242};
  const auto next = [&]() { return rng.next(); };
  std::vector<size_t> verdicts(8, 0);
  for (int round = 0; round < 6000; ++round) {
    const size_t size = round % 10 == 0 ? 4000 + next() % 200 : next() % 120;
    const uint32_t special_per_mille = next() % 100 < 70 ? next() % 40 : next() % 400;
    std::string b;
    while (b.size() < size) {
      if (next() % 1000 < special_per_mille) b += pieces[next() % pieces.size()];
      else b += static_cast<char>('a' + next() % 26);
    }
    if (round % 7 == 1) {  // UTF-16 shapes: NUL in every other byte
      std::string wide;
      for (char c : b) (wide += c) += '\0';
      b = round % 2 || wide.empty() ? wide : wide.substr(1);
    }
    const Encoding expected = reference_detect_encoding(b);
    INFO("case " << round << ", " << b.size() << " bytes");
    CHECK(detect_encoding(b) == expected);
    ++verdicts[static_cast<size_t>(expected)];
  }
  for (Encoding e : {Encoding::Utf8, Encoding::Windows1252, Encoding::Binary, Encoding::Utf16LE, Encoding::Utf16BE}) {
    INFO(to_string(e));
    CHECK(verdicts[static_cast<size_t>(e)] > 20);  // each verdict was exercised
  }
  // A non-ASCII byte at every offset of an ASCII run, on both sides of the probe's end.
  for (size_t at = 0; at < 4200; at += (at < 64 || (at > 4060 && at < 4130)) ? 1 : 97) {
    std::string valid(4150, 'a'), broken(4150, 'a');
    valid.replace(at, 2, "\xC3\xA9");
    broken[at] = '\xE9';
    INFO("at " << at);
    CHECK(detect_encoding(valid) == Encoding::Utf8);
    CHECK(detect_encoding(broken) == Encoding::Windows1252);
  }
}
