#include "core/text.h"

#include <openssl/evp.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

namespace normkit {

// --- Encodings ------------------------------------------------------------------------------

std::string_view to_string(Encoding e) {
  switch (e) {
    case Encoding::Utf8: return "UTF-8";
    case Encoding::Utf8Bom: return "UTF-8 with BOM";
    case Encoding::Utf16LE: return "UTF-16LE";
    case Encoding::Utf16BE: return "UTF-16BE";
    case Encoding::Utf32LE: return "UTF-32LE";
    case Encoding::Utf32BE: return "UTF-32BE";
    case Encoding::Windows1252: return "Windows-1252";
    case Encoding::Binary: return "binary";
  }
  return "binary";
}

namespace {

bool all_ascii(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (w & 0x8080808080808080ULL) return false;
  }
  for (; i < n; ++i)
    if (static_cast<unsigned char>(s[i]) & 0x80) return false;
  return true;
}

// The code points of Windows-1252 bytes 0x80..0x9F; 0 marks the five undefined bytes.
constexpr std::array<uint16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void append_code_point(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

constexpr uint32_t kReplacement = 0xFFFD;

// A position at or after `i` with only ASCII bytes before it, that is a non-ASCII byte, or the
// start of eight bytes holding one, or where fewer than eight are left. 32 bytes a step while
// they are all ASCII, as most of every document is (with SSE2: 16 bytes a step, to the very
// byte: non-ASCII characters are scattered through a document, and each stops the step).
inline size_t skip_ascii_words(std::string_view s, size_t i) {
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const char* const p = s.data();
  const size_t n = s.size();
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    const int high = _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
    if (high) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(high)));
  }
#endif
  for (; i + 32 <= n; i += 32) {
    uint64_t w[4];
    std::memcpy(w, p + i, 32);
    if ((w[0] | w[1] | w[2] | w[3]) & kHigh) break;
  }
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & kHigh) break;
  }
  return i;
}

}  // namespace

uint32_t count_code_points(std::string_view s) {
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  size_t n = 0, i = 0;
  // All-ASCII stretches count one per byte.
  i = skip_ascii_words(s, 0);
  n = i;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    // Continuation bytes have bit 7 set and bit 6 clear; their flags (one bit per byte) are
    // summed by a multiplication into the top byte (no popcount instruction needed).
    const uint64_t continuation = (w & ~(w << 1) & kHigh) >> 7;
    n += 8 - static_cast<size_t>((continuation * 0x0101010101010101ULL) >> 56);
  }
  for (; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  return static_cast<uint32_t>(n);
}

bool is_valid_utf8(std::string_view s, size_t* bad_offset) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    i = skip_ascii_words(s, i);
    if (i >= n) break;
    const size_t len = utf8_sequence_length(s, i);
    if (len == 0) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

Encoding detect_encoding(std::string_view b) {
  const auto at = [&](size_t k) { return static_cast<unsigned char>(b[k]); };
  if (b.size() >= 3 && at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return Encoding::Utf8Bom;
  if (b.size() >= 4 && at(0) == 0xFF && at(1) == 0xFE && at(2) == 0 && at(3) == 0)
    return Encoding::Utf32LE;
  if (b.size() >= 4 && at(0) == 0 && at(1) == 0 && at(2) == 0xFE && at(3) == 0xFF)
    return Encoding::Utf32BE;
  if (b.size() >= 2 && at(0) == 0xFF && at(1) == 0xFE) return Encoding::Utf16LE;
  if (b.size() >= 2 && at(0) == 0xFE && at(1) == 0xFF) return Encoding::Utf16BE;

  // Without a BOM, UTF-16 text that is mostly ASCII shows NUL in every other byte.
  const size_t probe = std::min<size_t>(b.size(), 4096) & ~size_t{1};
  size_t nul_even = 0, nul_odd = 0, controls = 0;
  // The probe's bytes before the first non-ASCII one: the UTF-8 check below starts there.
  size_t ascii_prefix = probe;
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL, kLow7 = ~kHigh;
  // Counts NUL and control bytes in b[from, to) one by one, and notes the first non-ASCII one.
  const auto count_bytes = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      const unsigned char c = at(i);
      if (c >= 0x80 && ascii_prefix > i) ascii_prefix = i;
      if (c >= 0x20) continue;
      if (c == 0) (i % 2 ? nul_odd : nul_even)++;
      else if (c != '\t' && c != '\n' && c != '\r' && c != '\f') ++controls;
    }
  };
  size_t start = 0;
#if defined(__SSE2__)
  // Sixteen bytes a step while no byte below 0x20 is other than a line end (the usual case). As
  // signed bytes, non-ASCII ones are negative: the comparison with 0x20 finds them too.
  {
    const __m128i space = _mm_set1_epi8(0x20), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    for (; start + 16 <= probe; start += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.data() + start));
      const unsigned high = static_cast<unsigned>(_mm_movemask_epi8(v));
      if (high && ascii_prefix == probe) ascii_prefix = start + static_cast<size_t>(__builtin_ctz(high));
      const unsigned below_space = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmplt_epi8(v, space))) & ~high;
      const unsigned line_ends =
          static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr))));
      if (below_space & ~line_ends) count_bytes(start, start + 16);
    }
  }
#endif
  for (size_t i = start; i < probe;) {
    // Eight bytes at a time while no byte below 0x20 is other than a line end (the usual case).
    if (i + 8 <= probe) {
      uint64_t w;
      std::memcpy(&w, b.data() + i, 8);
      // "Some byte is below 0x20 or above 0x7F", exact for the word as a whole: one test for
      // most words, which are printable ASCII.
      if (!(((w - kOnes * 0x20) | w) & kHigh)) {
        i += 8;
        continue;
      }
      if (ascii_prefix == probe && (w & kHigh))
        ascii_prefix = i + static_cast<size_t>(__builtin_ctzll(w & kHigh)) / 8;
      // High bit of each byte below 0x20 (exact per byte: no carries between bytes).
      const uint64_t below_space = ~(w | ((w & kLow7) + kOnes * 0x60)) & kHigh;
      if (!(below_space & ~(bytes_equal(w, '\n') | bytes_equal(w, '\r')))) {
        i += 8;
        continue;
      }
    }
    const size_t end = std::min(probe, i + 8);
    count_bytes(i, end);
    i = end;
  }
  const size_t half = probe / 2;
  if (half >= 2 && nul_odd * 10 >= half * 7 && nul_even * 10 < half) return Encoding::Utf16LE;
  if (half >= 2 && nul_even * 10 >= half * 7 && nul_odd * 10 < half) return Encoding::Utf16BE;
  // Text has few control bytes; executables, images and archives have many.
  if (probe > 0 && (nul_odd + nul_even + controls) * 20 > probe) return Encoding::Binary;

  // The bytes before ascii_prefix are ASCII, so a sequence starts there.
  if (is_valid_utf8(b.substr(ascii_prefix))) return Encoding::Utf8;
  for (unsigned char c : b) {
    if (c >= 0x80 && c <= 0x9F && kCp1252High[c - 0x80] == 0) return Encoding::Binary;
  }
  return Encoding::Windows1252;
}

std::string to_utf8(std::string_view b, Encoding enc, size_t* replaced) {
  std::string out;
  size_t bad = 0;
  const auto at = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(b[k])); };
  switch (enc) {
    case Encoding::Utf8Bom:
      b.remove_prefix(std::min<size_t>(3, b.size()));
      [[fallthrough]];
    case Encoding::Utf8:
    case Encoding::Binary: {
      out.reserve(b.size());
      size_t i = 0;
      while (i < b.size()) {
        size_t run = i;
        while (run < b.size()) {
          const size_t len = utf8_sequence_length(b, run);
          if (len == 0) break;
          run += len;
        }
        out.append(b.data() + i, run - i);
        i = run;
        if (i < b.size()) {
          append_code_point(out, kReplacement);
          ++bad;
          ++i;
        }
      }
      break;
    }
    case Encoding::Windows1252:
      out.reserve(b.size() + b.size() / 8);
      for (size_t i = 0; i < b.size(); ++i) {
        const uint32_t c = at(i);
        if (c < 0x80) out += static_cast<char>(c);
        else if (c < 0xA0) {
          const uint32_t cp = kCp1252High[c - 0x80];
          if (cp == 0) ++bad;
          append_code_point(out, cp ? cp : kReplacement);
        } else append_code_point(out, c);
      }
      break;
    case Encoding::Utf16LE:
    case Encoding::Utf16BE: {
      const bool le = enc == Encoding::Utf16LE;
      size_t i = (b.size() >= 2 && ((le && at(0) == 0xFF && at(1) == 0xFE) ||
                                    (!le && at(0) == 0xFE && at(1) == 0xFF)))
                     ? 2 : 0;
      out.reserve(b.size() / 2);
      const auto unit = [&](size_t k) { return le ? at(k) | (at(k + 1) << 8) : (at(k) << 8) | at(k + 1); };
      for (; i + 1 < b.size(); i += 2) {
        uint32_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < b.size()) {
          const uint32_t lo = unit(i + 2);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            append_code_point(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
            i += 2;
            continue;
          }
        }
        if (u >= 0xD800 && u <= 0xDFFF) {
          ++bad;
          u = kReplacement;
        }
        append_code_point(out, u);
      }
      if (b.size() % 2) ++bad;
      break;
    }
    case Encoding::Utf32LE:
    case Encoding::Utf32BE: {
      const bool le = enc == Encoding::Utf32LE;
      for (size_t i = 0; i + 3 < b.size(); i += 4) {
        uint32_t u = le ? at(i) | (at(i + 1) << 8) | (at(i + 2) << 16) | (at(i + 3) << 24)
                        : (at(i) << 24) | (at(i + 1) << 16) | (at(i + 2) << 8) | at(i + 3);
        if (i == 0 && u == 0xFEFF) continue;
        if (u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF)) {
          ++bad;
          u = kReplacement;
        }
        append_code_point(out, u);
      }
      if (b.size() % 4) ++bad;
      break;
    }
  }
  if (replaced) *replaced = bad;
  return out;
}

// --- Unicode ---------------------------------------------------------------------------------

bool is_nfc_without_icu(std::string_view s) {
  const auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(s[k])); };
  size_t i = 0;
  while (i < s.size()) {
    i = skip_ascii_words(s, i);
    if (i >= s.size()) break;
    const uint32_t c = byte(i);
    if (c < 0x80) {
      ++i;
    } else if (c >= 0xC2 && c < 0xCC && i + 1 < s.size() && (byte(i + 1) & 0xC0) == 0x80) {
      i += 2;  // U+0080..U+02FF
    } else if (c == 0xE2 && i + 2 < s.size() && (byte(i + 1) & 0xC0) == 0x80 && (byte(i + 2) & 0xC0) == 0x80) {
      const uint32_t cp = ((c & 0x0Fu) << 12) | ((byte(i + 1) & 0x3Fu) << 6) | (byte(i + 2) & 0x3Fu);
      if (!((cp >= 0x2002 && cp <= 0x205F) || (cp >= 0x2190 && cp <= 0x2199) || cp == 0x2212 ||
            cp == 0x2264 || cp == 0x2265))
        return false;
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

std::string nfc(std::string_view s) {
  if (is_nfc_without_icu(s)) return std::string(s);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* norm = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::string(s);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  if (norm->isNormalized(u, status) && U_SUCCESS(status)) return std::string(s);
  status = U_ZERO_ERROR;
  icu::UnicodeString n = norm->normalize(u, status);
  if (U_FAILURE(status)) return std::string(s);
  std::string out;
  n.toUTF8String(out);
  return out;
}

std::string fold_case(std::string_view s) {
  if (all_ascii(s)) return ascii_lower(s);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  u.foldCase();
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// --- Whitespace -----------------------------------------------------------------------------

bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool in_space = false;
  for (char c : s) {
    if (is_xml_space(c)) {
      if (!in_space) out += ' ';
      in_space = true;
    } else {
      out += c;
      in_space = false;
    }
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_xml_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_xml_space(s.back())) s.remove_suffix(1);
  return s;
}

// --- XML escaping ---------------------------------------------------------------------------

namespace {

// Appends s, replacing characters XML 1.0 forbids with U+FFFD; `escape` handles the rest.
// Bytes that need no attention in either context: printable ASCII other than & < > ".
struct PlainTable {
  bool plain[256] = {};
  constexpr PlainTable() {
    for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '&' && c != '<' && c != '>' && c != '"';
  }
};
constexpr PlainTable kPlain{};

// Room asked for per step: a byte of input becomes at most 6 bytes of output ("&quot;"), and a
// step may end inside a UTF-8 sequence of up to 4 bytes. Steps keep the room bounded whatever
// the input's length.
constexpr size_t kEscapeStep = 4096;
constexpr size_t kMaxEscaped = 6;

char* put_replacement(char* p) {
  p[0] = static_cast<char>(0xEF);  // U+FFFD in UTF-8
  p[1] = static_cast<char>(0xBF);
  p[2] = static_cast<char>(0xBD);
  return p + 3;
}

template <size_t N>
char* put_literal(char* p, const char (&s)[N]) {
  std::memcpy(p, s, N - 1);
  return p + N - 1;
}

// Appends s, replacing characters XML 1.0 forbids with U+FFFD; `escape` writes the rest of the
// ASCII bytes that are not plain and returns the position after them.
template <class Escape>
void append_xml_checked(OutBuffer& out, std::string_view s, Escape escape) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  size_t i = 0;
  while (i < s.size()) {
    const size_t step_end = std::min(s.size(), i + kEscapeStep);
    char* p = out.room((step_end - i) * kMaxEscaped + 8);
    while (i < step_end) {
      // Copy a run of plain bytes at once.
      size_t j = i;
      while (j < step_end && kPlain.plain[byte(j)]) ++j;
      std::memcpy(p, s.data() + i, j - i);
      p += j - i;
      i = j;
      if (i == step_end) break;
      const unsigned char c = byte(i);
      if (c < 0x80) {
        p = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ? put_replacement(p)
                                                                : escape(p, static_cast<char>(c));
        ++i;
        continue;
      }
      const size_t len = utf8_sequence_length(s, i);
      if (len == 0) {
        p = put_replacement(p);
        ++i;
        continue;
      }
      // U+FFFE and U+FFFF are not XML characters.
      if (len == 3 && c == 0xEF && byte(i + 1) == 0xBF && byte(i + 2) >= 0xBE) {
        p = put_replacement(p);
      } else {
        std::memcpy(p, s.data() + i, len);
        p += len;
      }
      i += len;
    }
    out.advance_to(p);
  }
}

}  // namespace

void OutBuffer::grow(size_t n) {
  const size_t used = buf_ ? size() : 0;
  const size_t capacity = buf_ ? static_cast<size_t>(end_ - buf_.get()) : 0;
  const size_t new_capacity = std::max({capacity * 2, used + n, size_t{16384}});
  auto bigger = std::make_unique_for_overwrite<char[]>(new_capacity);
  if (used) std::memcpy(bigger.get(), buf_.get(), used);
  buf_ = std::move(bigger);
  cur_ = buf_.get() + used;
  end_ = buf_.get() + new_capacity;
}

std::string OutBuffer::take() {
  std::string text(buf_.get(), size());
  cur_ = buf_.get();
  return text;
}

void append_xml_text(OutBuffer& out, std::string_view s) {
  append_xml_checked(out, s, [](char* p, char c) {
    switch (c) {
      case '&': return put_literal(p, "&amp;");
      case '<': return put_literal(p, "&lt;");
      case '>': return put_literal(p, "&gt;");
      case '\r': return put_literal(p, "&#13;");
      default: *p = c; return p + 1;
    }
  });
}

void append_xml_attr(OutBuffer& out, std::string_view s) {
  append_xml_checked(out, s, [](char* p, char c) {
    switch (c) {
      case '&': return put_literal(p, "&amp;");
      case '<': return put_literal(p, "&lt;");
      case '>': return put_literal(p, "&gt;");
      case '"': return put_literal(p, "&quot;");
      case '\t': return put_literal(p, "&#9;");
      case '\n': return put_literal(p, "&#10;");
      case '\r': return put_literal(p, "&#13;");
      default: *p = c; return p + 1;
    }
  });
}

// --- Identifiers ----------------------------------------------------------------------------

bool is_safe_id(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  // 1: ASCII letter or digit; 2: '.', '_' or '-'; 0: anything else.
  static constexpr std::array<uint8_t, 256> kClass = [] {
    std::array<uint8_t, 256> t{};
    for (int c = 0; c < 256; ++c)
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) t[c] = 1;
    t['.'] = t['_'] = t['-'] = 2;
    return t;
  }();
  if (kClass[static_cast<unsigned char>(s[0])] != 1) return false;
  bool after_dot = false;  // no ".."
  for (char c : s) {
    if (kClass[static_cast<unsigned char>(c)] == 0 || (c == '.' && after_dot)) return false;
    after_dot = c == '.';
  }
  return true;
}

std::string slugify(std::string_view text, size_t max_len) {
  std::string ascii;
  if (all_ascii(text)) {
    ascii = std::string(text);
  } else {
    // Decompose, then drop combining marks, so "Ä" gives "a" and "é" gives "e".
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    if (U_SUCCESS(status)) u = nfd->normalize(u, status);
    for (int32_t i = 0; i < u.length();) {
      const UChar32 cp = u.char32At(i);
      i += U16_LENGTH(cp);
      if (u_charType(cp) == U_NON_SPACING_MARK) continue;
      ascii += cp < 0x80 ? static_cast<char>(cp) : ' ';
    }
  }
  std::string out;
  bool dash = false;
  for (char c : ascii) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    if (keep) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      if (out.size() >= max_len) break;
    } else {
      dash = true;
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? std::string("x") : out;
}

// --- Hashing --------------------------------------------------------------------------------

std::string sha256_raw(std::string_view data) {
  // Fetched once: with OpenSSL 3, EVP_sha256() makes EVP_Digest look the algorithm up in the
  // provider tables on every call, which dominated id assignment (one digest per id).
  // The context is reused per thread for the same reason.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local struct Context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
  } context;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const EVP_MD* algorithm = sha256 ? sha256 : EVP_sha256();
  if (!context.ctx || EVP_DigestInit_ex(context.ctx, algorithm, nullptr) != 1 ||
      EVP_DigestUpdate(context.ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(context.ctx, md, &len) != 1)
    EVP_Digest(data.data(), data.size(), md, &len, algorithm, nullptr);
  return std::string(reinterpret_cast<char*>(md), len);
}

namespace {

std::string lower_hex(std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view data) { return lower_hex(sha256_raw(data)); }

struct Sha256Stream::Context {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Context() { EVP_MD_CTX_free(ctx); }
};

Sha256Stream::Sha256Stream() : context_(new Context) {
  if (!context_->ctx || EVP_DigestInit_ex(context_->ctx, EVP_sha256(), nullptr) != 1) {
    delete context_;
    throw std::runtime_error("SHA-256 unavailable");
  }
}

Sha256Stream::~Sha256Stream() { delete context_; }

void Sha256Stream::update(std::string_view data) {
  if (EVP_DigestUpdate(context_->ctx, data.data(), data.size()) != 1) throw std::runtime_error("SHA-256 failed");
}

std::string Sha256Stream::hex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(context_->ctx, md, &len) != 1) throw std::runtime_error("SHA-256 failed");
  return lower_hex(std::string_view(reinterpret_cast<const char*>(md), len));
}

}  // namespace normkit
