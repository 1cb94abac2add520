#include "parsers/text/text_reader.h"

#include <libxml/uri.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <unordered_map>

#include "core/text.h"
#include "parsers/recognizer/grading.h"

namespace normkit::text {

using recognizer::BlockHint;
using recognizer::SourceAnchor;
using recognizer::SourceBlock;

namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return is_upper(c) || is_lower(c); }

std::string_view strip(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Counts of one kind of artefact, reported once with the first position.
struct Tally {
  size_t count = 0;
  SourceLoc first;
  void add(SourceLoc at) {
    if (count++ == 0) first = at;
  }
};

// --- Decoding -------------------------------------------------------------------------------------

// True when NUL and control bytes are too frequent for text (the same test detect_encoding makes).
bool mostly_control(std::string_view b) {
  const size_t probe = std::min<size_t>(b.size(), 4096);
  size_t bad = 0;
  for (size_t i = 0; i < probe; ++i) {
    const unsigned char c = static_cast<unsigned char>(b[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++bad;
  }
  return probe > 0 && bad * 20 > probe;
}

// Line and code-point column of byte `offset` in undecoded bytes (for errors before decoding).
SourceLoc locate_bytes(std::string_view b, size_t offset) {
  SourceLoc loc{1, 1};
  for (size_t i = 0; i < offset && i < b.size(); ++i) {
    if (b[i] == '\n') {
      ++loc.line;
      loc.col = 1;
    } else if ((static_cast<unsigned char>(b[i]) & 0xC0) != 0x80) {
      ++loc.col;
    }
  }
  return loc;
}

// Valid multi-byte UTF-8 sequences and invalid bytes, to tell UTF-8 with a few broken bytes from
// Windows-1252.
void utf8_census(std::string_view b, size_t* valid_multi, size_t* invalid) {
  *valid_multi = *invalid = 0;
  size_t i = 0;
  while (i < b.size()) {
    const size_t bad_before = i;
    size_t bad = 0;
    if (is_valid_utf8(b.substr(i), &bad)) {
      // Count multi-byte starts in the valid rest.
      for (size_t k = i; k < b.size(); ++k)
        if ((static_cast<unsigned char>(b[k]) & 0xC0) == 0xC0) ++*valid_multi;
      return;
    }
    for (size_t k = i; k < i + bad; ++k)
      if ((static_cast<unsigned char>(b[k]) & 0xC0) == 0xC0) ++*valid_multi;
    ++*invalid;
    i = bad_before + bad + 1;
  }
}

// --- Cleaning: control characters, invisible characters, ligatures --------------------------------

struct Cleaned {
  std::string owned;       // empty when the input needed no cleaning
  std::string_view text;   // the cleaned text (owned or the input)
  std::vector<uint32_t> page_breaks;  // line numbers that start after a form feed
};

// End of the run of printable ASCII bytes (0x20..0x7E) that starts at `i`.
size_t printable_ascii_run(std::string_view in, size_t i) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  while (i + 8 <= in.size()) {
    uint64_t w;
    std::memcpy(&w, in.data() + i, 8);
    const uint64_t below_space = (w - kOnes * 0x20) & ~w & kHigh;  // some byte < 0x20
    const uint64_t x = w ^ (kOnes * 0x7F);
    const uint64_t del = (x - kOnes) & ~x & kHigh;                  // some byte == 0x7F
    if ((w & kHigh) | below_space | del) break;
    i += 8;
  }
  while (i < in.size() && static_cast<unsigned char>(in[i]) >= 0x20 && static_cast<unsigned char>(in[i]) < 0x7F) ++i;
  return i;
}

// The first byte at or after `i` that is not printable ASCII (or the end). Runs of printable
// ASCII are skipped sixteen (SSE2) or eight bytes at a time; line ends stop the run (telling
// them apart word-wise cost more than a stop per line).
size_t next_odd_byte(std::string_view in, size_t i) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kLow7 = 0x7F7F7F7F7F7F7F7FULL, kHigh = ~kLow7;
  const size_t n = in.size();
#if defined(__SSE2__)
  // Sixteen bytes a step: as signed bytes, non-ASCII ones are negative, so one comparison finds
  // them and the controls below 0x20; DEL is the other odd byte.
  const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F);
  while (i + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in.data() + i));
    const int odd = _mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del)));
    if (odd) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(odd)));
    i += 16;
  }
#endif
  while (i + 8 <= n) {
    uint64_t w;
    std::memcpy(&w, in.data() + i, 8);
    const uint64_t low7 = w & kLow7;
    // High bit of a byte set when it is >= 0x80, or 0x7F (low bits all set), or below 0x20.
    const uint64_t odd = (w | (low7 + kOnes) | ~(low7 + kOnes * (0x80 - 0x20))) & kHigh;
    if (odd) return i + static_cast<size_t>(__builtin_ctzll(odd)) / 8;
    i += 8;
  }
  return printable_ascii_run(in, i);
}

// True when the non-ASCII byte in[i] starts a sequence clean() removes or replaces (no-break
// space, soft hyphen, zero-width characters, a stray BOM, ligatures).
bool starts_cleaned_sequence(std::string_view in, size_t i) {
  const size_t n = in.size();
  const unsigned char c = static_cast<unsigned char>(in[i]);
  const unsigned char c1 = i + 1 < n ? static_cast<unsigned char>(in[i + 1]) : 0;
  const unsigned char c2 = i + 2 < n ? static_cast<unsigned char>(in[i + 2]) : 0;
  if (c == 0xC2 && (c1 == 0xA0 || c1 == 0xAD)) return true;
  if (c == 0xE2 && c1 == 0x80 && (c2 == 0x8B || c2 == 0x8C || c2 == 0x8D)) return true;
  return c == 0xEF && ((c1 == 0xBB && c2 == 0xBF) || (c1 == 0xAC && c2 >= 0x80 && c2 <= 0x86));
}

// True when clean() would change something: a control character (tab and form feed included),
// or one of the sequences it removes or replaces. Other non-ASCII text ("°", "•") and line ends
// pass through unchanged, so most input needs no copy.
bool needs_cleaning(std::string_view in) {
  for (size_t i = next_odd_byte(in, 0); i < in.size(); i = next_odd_byte(in, i + 1)) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == '\n' || c == '\r') continue;
    if (c < 0x80 || starts_cleaned_sequence(in, i)) return true;  // control characters and DEL
  }
  return false;
}

Cleaned clean(std::string_view in, Diagnostics& diags) {
  Cleaned out;
  if (!needs_cleaning(in)) {
    out.text = in;
    return out;
  }
  Tally controls, soft_hyphens, ligatures, invisible;
  std::string& s = out.owned;
  s.reserve(in.size());
  uint32_t line = 1, col = 1;
  for (size_t i = 0; i < in.size(); ++i) {
    // Ordinary printable ASCII runs are copied in one go, found eight bytes at a time.
    {
      size_t run = printable_ascii_run(in, i);
      if (run > i) {
        s.append(in.data() + i, run - i);
        col += static_cast<uint32_t>(run - i);
        i = run;
        if (i >= in.size()) break;
      }
    }
    const unsigned char c = static_cast<unsigned char>(in[i]);
    const SourceLoc at{line, col};
    if ((c & 0xC0) != 0x80) ++col;
    if (c == '\n' || (c == '\r' && !(i + 1 < in.size() && in[i + 1] == '\n'))) {
      ++line;
      col = 1;
      s += static_cast<char>(c);
      continue;
    }
    if (c == '\t') { s += ' '; continue; }
    if (c == '\f') { out.page_breaks.push_back(line); continue; }
    if ((c < 0x20 && c != '\r') || c == 0x7F) { controls.add(at); continue; }
    if (c < 0x80) { s += static_cast<char>(c); continue; }
    const unsigned char c1 = i + 1 < in.size() ? static_cast<unsigned char>(in[i + 1]) : 0;
    const unsigned char c2 = i + 2 < in.size() ? static_cast<unsigned char>(in[i + 2]) : 0;
    if (c == 0xC2 && c1 == 0xA0) { s += ' '; ++i; continue; }                       // no-break space
    if (c == 0xC2 && c1 == 0xAD) { soft_hyphens.add(at); ++i; continue; }           // soft hyphen
    if (c == 0xE2 && c1 == 0x80 && (c2 == 0x8B || c2 == 0x8C || c2 == 0x8D)) {     // zero-width
      invisible.add(at);
      i += 2;
      continue;
    }
    if (c == 0xEF && c1 == 0xBB && c2 == 0xBF) { invisible.add(at); i += 2; continue; }  // stray BOM
    if (c == 0xEF && c1 == 0xAC && c2 >= 0x80 && c2 <= 0x86) {                      // ligatures
      static const char* const expansions[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
      s += expansions[c2 - 0x80];
      ligatures.add(at);
      i += 2;
      continue;
    }
    s += static_cast<char>(c);
  }
  if (controls.count)
    diags.warning("control-characters",
                  std::to_string(controls.count) + " NUL or control character(s) removed", controls.first);
  if (soft_hyphens.count)
    diags.note("soft-hyphens", std::to_string(soft_hyphens.count) + " soft hyphen(s) removed", soft_hyphens.first);
  if (invisible.count)
    diags.note("invisible-characters", std::to_string(invisible.count) + " zero-width character(s) removed",
               invisible.first);
  if (ligatures.count)
    diags.note("ligatures", std::to_string(ligatures.count) + " ligature(s) spelled out", ligatures.first);
  out.text = s;
  return out;
}

// NFC in pieces cut between two ASCII characters (where composition cannot cross), so a huge
// line never becomes one huge ICU string.
std::string nfc_in_pieces(std::string_view s) {
  constexpr size_t kPiece = 1 << 20;
  if (s.size() <= kPiece) return nfc(s);
  std::string out;
  out.reserve(s.size());
  size_t begin = 0;
  while (begin < s.size()) {
    size_t end = std::min(s.size(), begin + kPiece);
    while (end < s.size() && !(static_cast<unsigned char>(s[end - 1]) < 0x80 && static_cast<unsigned char>(s[end]) < 0x80))
      ++end;
    out += nfc(s.substr(begin, end - begin));
    begin = end;
  }
  return out;
}

// A provenance URL as a valid xsd:anyURI (RFC 3986): characters outside the URI set, a '%' not
// followed by two hex digits, brackets and a second '#' are percent-encoded. Empty when the text
// has no scheme.
std::string uri_escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto is_hex = [](char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
  size_t scheme = 0;
  while (scheme < s.size() && (is_alpha(s[scheme]) || (scheme > 0 && (is_digit(s[scheme]) || s[scheme] == '+' ||
                                                                      s[scheme] == '-' || s[scheme] == '.'))))
    ++scheme;
  if (scheme == 0 || scheme >= s.size() || s[scheme] != ':') return {};
  std::string out;
  bool fragment = false;
  s = s.substr(0, 2048);
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    bool keep = is_alpha(static_cast<char>(c)) || is_digit(static_cast<char>(c)) ||
                (c < 0x80 && std::strchr("-._~:/?@!$&'()*+,;=", static_cast<char>(c)) && c != 0);
    if (c == '%' && i + 2 < s.size() + 0 && is_hex(s[i + 1]) && is_hex(s[i + 2])) keep = true;
    if (c == '#' && !fragment) {
      fragment = true;
      keep = true;
    }
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// --- Lines ------------------------------------------------------------------------------------------

struct Line {
  std::string_view text;  // without the line end; leading/trailing spaces kept until classified
  uint32_t number = 0;
  uint32_t indent = 0;    // leading spaces, once classified (then `text` is without them)
  enum Kind : uint8_t { Content, Blank, PageNumber, IdLine, RunningHead, Provenance } kind = Content;
  bool standalone = false;  // the kept copy of a running head: never joined with its neighbours
  bool page_start = false;  // after a form feed or a lone page number
};

// Physical lines: each ends at '\n', '\r' or "\r\n"; an empty text is one empty line, and a final
// line end starts no further line.
void split_lines(std::string_view text, std::vector<Line>& lines) {
  {
    size_t count = 1;
    for (const char* p = text.data(), *end = text.data() + text.size();
         p < end && (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))); ++p)
      ++count;
    lines.reserve(count);
  }
  size_t i = 0;
  uint32_t number = 1;
  const bool any_cr = !text.empty() && std::memchr(text.data(), '\r', text.size());
  while (i <= text.size()) {
    // The line ends at the first '\n' or '\r' (memchr for both: '\r' is rare).
    size_t e = text.size();
    if (i < text.size()) {
      if (const void* nl = std::memchr(text.data() + i, '\n', text.size() - i))
        e = static_cast<size_t>(static_cast<const char*>(nl) - text.data());
      if (const void* cr = any_cr ? std::memchr(text.data() + i, '\r', e - i) : nullptr)
        e = static_cast<size_t>(static_cast<const char*>(cr) - text.data());
    }
    Line l;
    l.text = text.substr(i, e - i);
    l.number = number++;
    lines.push_back(l);
    if (e >= text.size()) break;
    i = e + ((text[e] == '\r' && e + 1 < text.size() && text[e + 1] == '\n') ? 2 : 1);
    if (i == text.size()) break;
  }
}

// split_lines and needs_cleaning in one pass, for text that needs no cleaning (nearly all): the
// scan for bytes clean() would change stops at every line end anyway. Returns false, with
// `lines` in an unspecified state, at the first byte clean() would change.
bool split_lines_if_clean(std::string_view text, std::vector<Line>& lines) {
  const size_t n = text.size();
  lines.reserve(n / 48 + 8);  // a guess (lines of prose are longer); the vector grows past it
  uint32_t number = 1;
  size_t start = 0;
  for (size_t i = next_odd_byte(text, 0); i < n; i = next_odd_byte(text, i + 1)) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || c == '\r') {
      Line& l = lines.emplace_back();
      l.text = text.substr(start, i - start);
      l.number = number++;
      if (c == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
      start = i + 1;
      continue;
    }
    if (c < 0x80 || starts_cleaned_sequence(text, i)) return false;
  }
  if (start < n || lines.empty()) {
    Line& l = lines.emplace_back();
    l.text = text.substr(start);
    l.number = number;
  }
  return true;
}

// Bytes that are already valid UTF-8 needing no cleaning (nearly every input): their physical
// lines as split_lines_if_clean finds them and the line starts as LineIndex finds them, in one
// pass, where detect_encoding, split_lines_if_clean and LineIndex made three. Without a byte
// below 0x20 but line ends, an invalid sequence or a BOM, detect_encoding says Utf8. Returns
// false, with `lines` and `starts` in an unspecified state, at the first byte that says otherwise.
bool split_clean_utf8(std::string_view text, std::vector<Line>& lines, std::vector<size_t>& starts) {
  const size_t n = text.size();
  lines.reserve(n / 32 + 8);  // a guess (lines of prose are longer); the vectors grow past it
  starts.reserve(n / 32 + 8);
  uint32_t number = 1;
  size_t start = 0;
  // Handles the odd byte text[p] (not printable ASCII); returns where the scan goes on, or 0
  // (never a valid resume point: p >= 0) when the bytes are not clean UTF-8.
  const auto odd_byte = [&](size_t p) __attribute__((always_inline)) -> size_t {  // called once a line
    const unsigned char c = static_cast<unsigned char>(text[p]);
    if (c == '\n' || c == '\r') {
      lines.push_back(Line{text.substr(start, p - start), number++});  // push_back is inlined
      starts.push_back(start);
      start = p + (c == '\r' && p + 1 < n && text[p + 1] == '\n' ? 2 : 1);
      return start;
    }
    if (c < 0x80) return 0;  // control characters and DEL
    const size_t length = utf8_sequence_length(text, p);
    if (length == 0 || starts_cleaned_sequence(text, p)) return 0;
    return p + length;
  };
  size_t i = 0;
#if defined(__SSE2__)
  // Thirty-two bytes a step (two SSE2 loads); each odd byte in them is handled where it is,
  // without a new load. As signed bytes, non-ASCII ones are negative: one comparison finds them
  // and the controls.
  const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F);
  const auto odd_bytes = [&](size_t at) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at));
    return static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del))));
  };
  while (i + 32 <= n) {
    uint32_t odd = odd_bytes(i) | odd_bytes(i + 16) << 16;
    size_t resume = i;
    while (odd) {
      const size_t p = i + static_cast<size_t>(__builtin_ctz(odd));
      resume = odd_byte(p);
      if (resume == 0) return false;
      const size_t done = resume - i;  // bytes of this step handled (may pass its end)
      odd = done >= 32 ? 0 : odd & (~0u << done);
    }
    i = std::max(i + 32, resume);
  }
#endif
  for (i = next_odd_byte(text, i); i < n; i = next_odd_byte(text, i)) {
    i = odd_byte(i);
    if (i == 0) return false;
  }
  if (start < n || lines.empty()) {
    Line& l = lines.emplace_back();
    l.text = text.substr(start);
    l.number = number;
    starts.push_back(start);
  } else {
    starts.push_back(n);  // a final line end: LineIndex counts the empty line after it
  }
  return true;
}

bool all_digits(std::string_view t) {
  if (t.empty()) return false;
  for (char c : t)
    if (!is_digit(c)) return false;
  return true;
}

bool is_page_number(std::string_view t) {
  if (all_digits(t)) return t.size() <= 4;
  // "Page 3", "Page 3 of 12", "- 3 -"
  if (t.size() < 20 && (t.rfind("Page ", 0) == 0 || t.rfind("page ", 0) == 0)) {
    std::string_view r = t.substr(5);
    size_t i = 0;
    while (i < r.size() && is_digit(r[i])) ++i;
    if (i == 0) return false;
    r.remove_prefix(i);
    if (r.empty()) return true;
    if (r.rfind(" of ", 0) == 0 && all_digits(r.substr(4))) return true;
    return false;
  }
  if (t.size() >= 5 && t.size() <= 9 && t.rfind("- ", 0) == 0 && t.substr(t.size() - 2) == " -")
    return all_digits(strip(t.substr(2, t.size() - 4)));
  return false;
}

// --- List markers -----------------------------------------------------------------------------------

struct Marker {
  bool found = false;
  bool ordered = false;
  std::string_view label;  // in the line: a string is made only for the block that keeps it
  size_t text_offset = 0;  // where the item's text starts in the stripped line
};

Marker list_marker(std::string_view t, bool after_list_item) {
  Marker m;
  // Every marker starts with '-', '*', a bullet's lead byte, '(', a digit or a lower-case
  // letter: other lines (most capitalized sentences) are passed by one test.
  static constexpr auto kMayStartMarker = [] {
    std::array<bool, 256> may{};
    for (unsigned char c : {'-', '*', '(', '\xE2', '\xC2'}) may[c] = true;
    for (int c = '0'; c <= '9'; ++c) may[c] = true;
    for (int c = 'a'; c <= 'z'; ++c) may[c] = true;
    return may;
  }();
  if (t.empty() || !kMayStartMarker[static_cast<unsigned char>(t[0])]) return m;
  const auto after = [&](size_t k) {
    while (k < t.size() && t[k] == ' ') ++k;
    return k;
  };
  if (t.size() >= 2 && (t[0] == '-' || t[0] == '*') && t[1] == ' ') {
    m.found = true;
    m.text_offset = after(1);
    return m;
  }
  // "-STS/SCA ..." (a dash glued to the item) only inside a list.
  if (after_list_item && t.size() >= 2 && t[0] == '-' && is_upper(t[1])) {
    m.found = true;
    m.text_offset = 1;
    return m;
  }
  // Every bullet character starts with 0xE2 or 0xC2: other lines skip the comparisons.
  static constexpr std::string_view bullets[] = {"\xE2\x80\xA2", "\xE2\x97\xA6", "\xE2\x96\xAA", "\xE2\x97\x8F",
                                                 "\xE2\x96\xA0", "\xE2\x80\x93", "\xC2\xB7", "\xE2\x80\xA3"};
  if (!t.empty() && (t[0] == '\xE2' || t[0] == '\xC2')) {
    for (std::string_view b : bullets) {
      const size_t n = b.size();
      if (t.size() > n && t.substr(0, n) == b && t[n] == ' ') {
        m.found = true;
        m.text_offset = after(n);
        return m;
      }
    }
  }
  // "1." "12)" "(3)" "a." "b)" "(c)"
  size_t i = 0;
  const bool paren = !t.empty() && t[0] == '(';
  if (paren) i = 1;
  const size_t start = i;
  while (i < t.size() && is_digit(t[i]) && i - start < 3) ++i;
  bool ok = i > start && !(i < t.size() && is_digit(t[i]));
  if (!ok && (after_list_item || paren) && i == start && i < t.size() && is_lower(t[i])) {
    ++i;
    ok = true;
  }
  if (!ok || i >= t.size()) return m;
  const char close = t[i];
  if (paren ? close != ')' : (close != '.' && close != ')')) return m;
  if (i + 1 >= t.size() || t[i + 1] != ' ') return m;
  m.found = true;
  m.ordered = true;
  m.label = t.substr(start, i - start);
  m.text_offset = after(i + 1);
  return m;
}

// --- Joining wrapped lines ---------------------------------------------------------------------------

constexpr size_t kWrappedLineMin = 70;  // an uppercase next line joins only after a line this long

bool ends_with_year_or_grading(std::string_view t) {
  if (t.empty()) return false;
  size_t end = t.size();
  while (end > 0 && t[end - 1] == '*') --end;
  if (end >= 6 && t[end - 1] == ')' && t[end - 6] == '(' && all_digits(t.substr(end - 5, 4))) return true;
  if (t.back() != ')') return false;
  const size_t from = t.size() > 200 ? t.size() - 200 : 0;
  auto g = recognizer::find_grading(t.substr(from));
  return g && g->end + from >= t.size() - 1;
}

bool is_terminal(std::string_view t) {
  if (t.empty()) return true;
  const char c = t.back();
  if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';') return true;
  return ends_with_year_or_grading(t);
}

bool starts_structure(std::string_view t) {
  static const char* const labels[] = {"Standard ", "Guideline ", "Essential ", "Recommendation ",
                                       "Publication Date:", "Last Updated:", "Abstract:", "Keywords:"};
  for (const char* l : labels)
    if (t.rfind(l, 0) == 0) return true;
  if (t.size() >= 3 && t.size() <= 100) {
    size_t letters = 0;
    for (char c : t) {
      if (is_lower(c)) return false;
      if (is_upper(c)) ++letters;
    }
    return letters >= 3;
  }
  return false;
}

// True when the '.' at line[i] ends a sentence glued to the next ("2007.The"), so a space goes
// after it.
bool glued_after(std::string_view line, size_t i) {
  return i >= 2 && i + 2 < line.size() && is_upper(line[i + 1]) && is_lower(line[i + 2]) &&
         (is_lower(line[i - 1]) || is_digit(line[i - 1])) && line[i - 2] != '.';
}

// First position p >= i where line[p] is a space after a space or a '.' glued to the next
// sentence (the only bytes append_line_text does not copy as they are), sixteen (SSE2) or eight
// bytes at a time; ORs the bytes scanned into `high`. Dots are common, glued ones rare: each dot
// of a block is checked where it is, and the scan goes on.
size_t next_special(std::string_view line, size_t i, uint64_t& high) {
  const size_t n = line.size();
#if defined(__SSE2__)
  // Sixteen bytes a step: a bit per byte for spaces, dots and non-ASCII bytes.
  {
    const __m128i space = _mm_set1_epi8(' '), dot = _mm_set1_epi8('.');
    unsigned space_before = i > 0 && line[i - 1] == ' ' ? 1 : 0;  // the byte before the block
    while (i + 16 <= n) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(line.data() + i));
      const unsigned spaces = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)));
      unsigned special = spaces & ((spaces << 1) | space_before);
      if (_mm_movemask_epi8(v)) high |= 0x80;
      for (unsigned dots = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, dot))); dots; dots &= dots - 1) {
        const int bit = __builtin_ctz(dots);
        if (glued_after(line, i + static_cast<size_t>(bit))) {
          special |= 1u << bit;
          break;
        }
      }
      if (special) return i + static_cast<size_t>(__builtin_ctz(special));
      space_before = spaces >> 15;
      i += 16;
    }
    // The rest of a line of 16 bytes or more: the last 16 bytes, less those already scanned.
    if (i < n && n >= 16) {
      const size_t base = n - 16;
      const unsigned scanned = static_cast<unsigned>(i - base);
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(line.data() + base));
      const unsigned spaces = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space))) >> scanned;
      unsigned special = spaces & ((spaces << 1) | space_before);
      if (static_cast<unsigned>(_mm_movemask_epi8(v)) >> scanned) high |= 0x80;
      unsigned dots = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, dot))) >> scanned;
      for (; dots; dots &= dots - 1) {
        const int bit = __builtin_ctz(dots);
        if (glued_after(line, i + static_cast<size_t>(bit))) {
          special |= 1u << bit;
          break;
        }
      }
      return special ? i + static_cast<size_t>(__builtin_ctz(special)) : n;
    }
  }
#endif
  // High bit of byte 0 set when the byte before the word is a space; carried from word to word.
  uint64_t space_before = i > 0 && line[i - 1] == ' ' ? 0x80 : 0;
  while (i + 8 <= n) {
    uint64_t w;
    std::memcpy(&w, line.data() + i, 8);
    high |= w;
    const uint64_t spaces = bytes_equal(w, ' ');
    uint64_t special = spaces & ((spaces << 8) | space_before);
    for (uint64_t dots = bytes_equal(w, '.'); dots; dots &= dots - 1) {
      const int bit = __builtin_ctzll(dots);
      if (glued_after(line, i + static_cast<size_t>(bit) / 8)) {
        special |= uint64_t{1} << bit;
        break;
      }
    }
    if (special) return i + static_cast<size_t>(__builtin_ctzll(special)) / 8;
    space_before = spaces >> 56;
    i += 8;
  }
  for (; i < n; ++i) {
    const char c = line[i];
    high |= static_cast<unsigned char>(c);
    if ((c == ' ' && i > 0 && line[i - 1] == ' ') || (c == '.' && glued_after(line, i))) return i;
  }
  return n;
}

}  // namespace

bool append_line_text(std::string& out, std::string_view line, size_t* glued, size_t* first_glued_end) {
  uint64_t high = 0;  // OR of the bytes scanned: some byte's bit 7 set when one was non-ASCII
  const size_t n = line.size();
  out.reserve(out.size() + n + 1);
  size_t i = 0;
  if (n > 0 && line[0] == ' ') {
    if (!out.empty() && out.back() != ' ') out += ' ';
    i = 1;
  }
  // Copied run by run; the runs end only at the specials, so most lines are one copy.
  size_t run = i;
  while (i < n) {
    const size_t p = next_special(line, i, high);
    if (p >= n) break;
    if (line[p] == ' ') {  // a second space: dropped
      out.append(line.data() + run, p - run);
    } else {  // a glued sentence end: the '.' and a space
      out.append(line.data() + run, p + 1 - run);
      out += ' ';
      if ((*glued)++ == 0) *first_glued_end = p + 1;
    }
    i = run = p + 1;
  }
  out.append(line.data() + run, n - run);
  return (high & 0x8080808080808080ULL) != 0;
}

namespace {

// append_line_text with the first glued sentence's position, as a line and code-point column,
// in `glued`. Only the first position is kept: code points are counted for that one alone (a
// long line of glued sentences would otherwise cost quadratic time).
bool append_segment(std::string& out, std::string_view seg, Tally& glued, SourceLoc at) {
  size_t count = 0, first_end = 0;
  const bool non_ascii = append_line_text(out, seg, &count, &first_end);
  if (count) {
    if (glued.count == 0) glued.add({at.line, at.col + count_code_points(seg.substr(0, first_end))});
    else ++glued.count;
    glued.count += count - 1;
  }
  return non_ascii;
}

}  // namespace

std::optional<std::vector<std::string_view>> lines_if_clean(std::string_view text) {
  std::vector<Line> lines;
  if (!split_lines_if_clean(text, lines)) return std::nullopt;
  std::vector<std::string_view> out;
  out.reserve(lines.size());
  for (const Line& l : lines) out.push_back(l.text);
  return out;
}

std::optional<CleanUtf8Lines> lines_if_clean_utf8(std::string_view bytes) {
  std::vector<Line> lines;
  CleanUtf8Lines out;
  if (!split_clean_utf8(bytes, lines, out.starts)) return std::nullopt;
  out.lines.reserve(lines.size());
  for (const Line& l : lines) out.lines.push_back(l.text);
  return out;
}

namespace {

// The blocks of physical lines (of clean text); `page_breaks` are the line numbers that start
// after a form feed.
std::vector<SourceBlock> blocks_of_lines(std::vector<Line>& lines, const std::vector<uint32_t>& page_breaks,
                                         Diagnostics& diags, std::string* url);

}  // namespace

std::vector<SourceBlock> split_blocks(std::string_view utf8, Diagnostics& diags, std::string* url) {
  // Physical lines, found while checking that the text needs no cleaning; else of the cleaned text.
  // (Cleaned is built in place: its view may point into its own short string.)
  std::vector<Line> lines;
  const bool clean_as_is = split_lines_if_clean(utf8, lines);
  if (!clean_as_is) lines.clear();
  const Cleaned cleaned = clean_as_is ? Cleaned{{}, utf8, {}} : clean(utf8, diags);
  if (!clean_as_is) split_lines(cleaned.text, lines);
  return blocks_of_lines(lines, cleaned.page_breaks, diags, url);
}

namespace {

std::vector<SourceBlock> blocks_of_lines(std::vector<Line>& lines, const std::vector<uint32_t>& page_breaks,
                                         Diagnostics& diags, std::string* url) {
  // Provenance lines at the very top.
  for (Line& l : lines) {
    const std::string_view t = strip(l.text);
    if (t.rfind("# source:", 0) == 0) {
      l.kind = Line::Provenance;
      if (url) {
        *url = uri_escape(strip(t.substr(9)));
        // The same URI parser the schema's anyURI check uses (a port must be digits, ...).
        xmlURIPtr parsed = url->empty() ? nullptr : xmlParseURI(url->c_str());
        if (!parsed) {
          url->clear();
          diags.warning("provenance-url", "'# source:' line holds no valid URL; not recorded", {l.number, 1});
        }
        xmlFreeURI(parsed);
      }
      diags.note("provenance", "source URL recorded in <source url>, not content", {l.number, 1});
    } else if (t.rfind("# fidelity:", 0) == 0) {
      l.kind = Line::Provenance;
      diags.note("provenance", "fidelity statement of the source is not content", {l.number, 1});
    } else {
      break;
    }
  }

  // Blank lines, page numbers, id lines; the lines stripped. In the same pass, the candidates for
  // running heads: the same line three times or more, each repeat at a page start or right after
  // the previous occurrence (so a candidate depends only on the lines before it). Only lines at
  // such places are candidates, so the common case costs no allocation per line. Lists and labels
  // are never running heads.
  Tally page_numbers, id_lines, running_heads, joined, hyphenation, glued;
  for (uint32_t pb : page_breaks)
    if (pb - 1 < lines.size()) lines[pb - 1].page_start = true;
  std::unordered_map<std::string_view, std::vector<size_t>> repeats;
  long previous_non_blank = -1;  // the last line before line k that is not blank, of any kind
  // At most one block per content line and one per run of blank lines (running heads, found
  // after this pass, count as content here: the bound only grows), so the vector of blocks is
  // reserved once and never moves them (reserved, not touched: the pages of blocks never built
  // are never used).
  size_t most_blocks = 1;
  bool in_blank_run = false;
  for (size_t k = 0; k < lines.size(); ++k) {
    Line& l = lines[k];
    if (l.kind == Line::Content) {
      const std::string_view t = strip(l.text);
      l.indent = static_cast<uint32_t>(t.data() - l.text.data());
      l.text = t;
      if (t.empty()) l.kind = Line::Blank;
      else if (all_digits(t) && t.size() >= 5 && t.size() <= 12) { l.kind = Line::IdLine; id_lines.add({l.number, 1}); }
      else if (is_page_number(t)) {
        l.kind = Line::PageNumber;
        page_numbers.add({l.number, 1});
        if (k + 1 < lines.size()) lines[k + 1].page_start = true;
      } else if (t.size() >= 8 && t.size() <= 150) {
        const long prev = previous_non_blank;
        const bool at_page_start = l.page_start || (prev >= 0 && lines[prev].kind == Line::PageNumber);
        const bool same_as_previous = prev >= 0 && lines[prev].kind == Line::Content && lines[prev].text == t;
        if ((at_page_start || same_as_previous) && !list_marker(t, false).found) repeats[t].push_back(k);
      }
    }
    if (l.kind != Line::Blank) previous_non_blank = static_cast<long>(k);
    if (l.kind == Line::Content) {
      ++most_blocks;
      in_blank_run = false;
    } else if ((l.kind == Line::Blank || l.kind == Line::IdLine) && !in_blank_run) {
      ++most_blocks;
      in_blank_run = true;
    }
  }
  for (auto& [t, where] : repeats) {
    // The first occurrence anywhere is kept; every candidate after it goes.
    size_t first = lines.size(), total = 0;
    for (size_t k = 0; k < lines.size(); ++k)
      if (lines[k].kind == Line::Content && lines[k].text == t) {
        first = std::min(first, k);
        ++total;
      }
    if (total < 3) continue;
    lines[first].standalone = true;
    for (size_t k : where) {
      if (k == first) continue;
      lines[k].kind = Line::RunningHead;
      running_heads.add({lines[k].number, 1});
    }
  }

  std::vector<SourceBlock> blocks;
  blocks.reserve(most_blocks);
  std::vector<size_t> indent_stack;
  size_t last_line_length = 0;
  char last_line_end = 0;
  bool last_non_ascii = false;
  bool previous_standalone = false;
  const auto finish_block = [&]() {
    if (blocks.empty()) return;
    SourceBlock& b = blocks.back();
    while (!b.text.empty() && b.text.back() == ' ') b.text.pop_back();
    if (last_non_ascii && !is_nfc_without_icu(b.text)) b.text = nfc_in_pieces(b.text);
    last_non_ascii = false;
  };
  const auto blank = [&]() {
    finish_block();
    if (!blocks.empty() && blocks.back().hint != BlockHint::Blank) {
      blocks.emplace_back().hint = BlockHint::Blank;
    }
  };
  for (size_t k = 0; k < lines.size(); ++k) {
    const Line& l = lines[k];
    switch (l.kind) {
      case Line::Provenance:
      case Line::PageNumber:
      case Line::RunningHead:
        continue;
      case Line::Blank:
      case Line::IdLine:
        blank();
        continue;
      case Line::Content:
        break;
    }
    const size_t indent = l.indent;
    const std::string_view t = l.text;  // stripped when classified
    const bool after_item = !blocks.empty() && blocks.back().hint == BlockHint::ListItem;
    const bool after_blank = blocks.empty() || blocks.back().hint == BlockHint::Blank;
    Marker m = list_marker(t, after_item || (!blocks.empty() && blocks.size() >= 2 &&
                                             blocks.back().hint == BlockHint::Blank &&
                                             blocks[blocks.size() - 2].hint == BlockHint::ListItem));
    // Inside a hard-wrapped sentence, "2) the next point" or "- a dash" at a line start is not a
    // list item: the paragraph before it has not ended.
    if (m.found && !after_blank && !after_item && !blocks.empty() && blocks.back().hint == BlockHint::Plain &&
        last_line_length >= kWrappedLineMin && !is_terminal(blocks.back().text))
      m.found = false;
    const SourceLoc at{l.number, static_cast<uint32_t>(indent) + 1};
    if (m.found) {
      finish_block();
      // Nesting by indentation within one run of items.
      const bool continuing = after_item || (blocks.size() >= 2 && after_blank &&
                                             blocks[blocks.size() - 2].hint == BlockHint::ListItem);
      if (!continuing) indent_stack.clear();
      if (indent_stack.empty() || indent > indent_stack.back()) indent_stack.push_back(indent);
      else
        while (indent_stack.size() > 1 && indent < indent_stack.back()) indent_stack.pop_back();
      previous_standalone = false;
      // Built in place: a SourceBlock is large, and moving it in costs as much as filling it.
      SourceBlock& b = blocks.emplace_back();
      b.hint = BlockHint::ListItem;
      b.list_depth = static_cast<int>(indent_stack.size()) - 1;
      b.ordered = m.ordered;
      b.list_label = m.label;
      const std::string_view item = t.substr(m.text_offset);
      b.loc = {l.number, at.col + count_code_points(t.substr(0, m.text_offset))};
      last_non_ascii = append_segment(b.text, item, glued, b.loc);
      last_line_length = t.size();
      last_line_end = t.back();
      continue;
    }
    // A wrapped line continues the block before it.
    if (!after_blank && !blocks.empty() && !starts_structure(t) && !l.standalone && !previous_standalone) {
      SourceBlock& prev = blocks.back();
      const bool long_unterminated = last_line_length >= kWrappedLineMin && !is_terminal(prev.text);
      const bool lower_continuation = is_lower(t[0]) && last_line_length >= 40 && last_line_end != ':' &&
                                      last_line_end != '.';
      if (long_unterminated || lower_continuation) {
        std::string& s = prev.text;
        const bool hyphen = s.size() >= 2 && s.back() == '-' && is_alpha(s[s.size() - 2]) && is_lower(t[0]);
        if (hyphen) {
          s.pop_back();
          hyphenation.add(at);
        } else if (!s.empty() && s.back() != ' ') {
          s += ' ';
        }
        prev.anchors.push_back({static_cast<uint32_t>(s.size()), at});
        last_non_ascii |= append_segment(s, t, glued, at);
        joined.add(at);
        last_line_length = t.size();
        last_line_end = t.back();
        continue;
      }
    }
    finish_block();
    indent_stack.clear();
    previous_standalone = l.standalone;
    SourceBlock& b = blocks.emplace_back();
    b.loc = at;
    last_non_ascii = append_segment(b.text, t, glued, at);
    last_line_length = t.size();
    last_line_end = t.back();
  }
  finish_block();

  if (running_heads.count)
    diags.note("running-head", std::to_string(running_heads.count) +
                                   " repeated running head line(s) removed; the first occurrence is kept",
               running_heads.first);
  if (page_numbers.count)
    diags.note("page-number", std::to_string(page_numbers.count) + " lone page number line(s) removed",
               page_numbers.first);
  if (id_lines.count)
    diags.note("id-line", std::to_string(id_lines.count) + " numeric id line(s) read as separators",
               id_lines.first);
  if (joined.count)
    diags.note("wrapped-lines", std::to_string(joined.count) + " wrapped line(s) joined to the line before",
               joined.first);
  if (hyphenation.count)
    diags.note("hyphenation", std::to_string(hyphenation.count) + " word(s) hyphenated at a line end rejoined",
               hyphenation.first);
  if (glued.count)
    diags.note("glued-sentence", std::to_string(glued.count) + " sentence(s) glued without a space separated",
               glued.first);
  return blocks;
}

// The document of the physical lines of the (decoded, clean) text of `bytes`.
std::optional<Document> recognize_lines(std::string_view bytes, std::vector<Line>& lines, const ReaderOptions& options,
                                        Diagnostics& diags, const std::vector<uint32_t>& page_breaks = {}) {
  recognizer::RecognizerOptions ropt = recognizer::recognizer_options(options, "text", bytes);
  std::string url;
  std::vector<SourceBlock> blocks = blocks_of_lines(lines, page_breaks, diags, &url);
  if (ropt.url.empty()) ropt.url = url;
  bool any = false;
  for (const SourceBlock& b : blocks)
    if (b.hint != BlockHint::Blank) { any = true; break; }
  if (!any) diags.warning("empty-input", "the file has no text; the document is empty");
  return recognizer::recognize(std::move(blocks), ropt, diags);
}

}  // namespace

std::optional<Document> read_text(std::string_view bytes, const ReaderOptions& options, Diagnostics& diags) {
  const LineIndex* previous = diags.source();
  // Nearly every input is valid UTF-8 that needs no cleaning: one pass finds that, its lines and
  // its line starts. Anything else is decoded and cleaned first.
  std::vector<Line> lines;
  std::vector<size_t> line_starts;
  if (split_clean_utf8(bytes, lines, line_starts)) {
    const LineIndex index(bytes, std::move(line_starts));
    diags.set_source(&index);
    std::optional<Document> doc = recognize_lines(bytes, lines, options, diags);
    diags.set_source(previous);
    return doc;
  }
  Encoding enc = detect_encoding(bytes);
  const bool valid_utf8 = enc == Encoding::Utf8;  // detect_encoding checked the whole buffer
  if (enc == Encoding::Binary && mostly_control(bytes)) {
    size_t at = 0;
    while (at < bytes.size()) {
      const unsigned char c = static_cast<unsigned char>(bytes[at]);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') break;
      ++at;
    }
    diags.error("binary-input",
                "not text: NUL or control bytes (first at byte " + std::to_string(at) + "); nothing ingested",
                locate_bytes(bytes, at));
    return std::nullopt;
  }
  if (enc == Encoding::Binary || enc == Encoding::Windows1252) {
    // Not valid UTF-8. Mostly valid multi-byte UTF-8 with a few broken bytes is UTF-8 damaged in
    // transit; no multi-byte sequence at all is a legacy single-byte encoding.
    size_t valid_multi = 0, invalid = 0;
    utf8_census(bytes, &valid_multi, &invalid);
    // Windows-1252 text almost never contains a valid multi-byte UTF-8 sequence by accident.
    enc = valid_multi > 0 || enc == Encoding::Binary ? Encoding::Utf8 : Encoding::Windows1252;
  }
  size_t replaced = 0;
  std::string decoded_storage;
  std::string_view decoded = bytes;
  // detect_encoding said Utf8 only for valid UTF-8; the census above may say so for damaged text.
  if (!valid_utf8) {
    decoded_storage = to_utf8(bytes, enc, &replaced);
    decoded = decoded_storage;
  }
  LineIndex index(decoded);
  diags.set_source(&index);
  if (enc != Encoding::Utf8)
    diags.note("encoding", "decoded as " + std::string(to_string(enc)), {1, 1});
  if (replaced) {
    size_t bad = 0;
    is_valid_utf8(bytes, &bad);
    diags.warning("invalid-utf8",
                  std::to_string(replaced) + " invalid byte sequence(s) replaced with U+FFFD",
                  enc == Encoding::Utf8 ? locate_bytes(bytes, bad) : SourceLoc{});
  }

  lines.clear();
  const bool clean_as_is = split_lines_if_clean(decoded, lines);
  if (!clean_as_is) lines.clear();
  const Cleaned cleaned = clean_as_is ? Cleaned{{}, decoded, {}} : clean(decoded, diags);
  if (!clean_as_is) split_lines(cleaned.text, lines);
  std::optional<Document> doc = recognize_lines(bytes, lines, options, diags, cleaned.page_breaks);
  diags.set_source(previous);
  return doc;
}

int sniff_text(std::string_view bytes) {
  const Encoding enc = detect_encoding(bytes.substr(0, 1 << 16));
  return enc == Encoding::Binary && mostly_control(bytes) ? 0 : 10;
}

}  // namespace normkit::text
