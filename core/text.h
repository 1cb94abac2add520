// Text helpers shared by every reader and writer: UTF-8 checks, encodings, NFC, whitespace,
// escaping for XML, identifiers and hashing. Escaping for other contexts (HTML, URLs, JSON)
// lives with the generators that need it, each in one place.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace normkit {

// --- Bytes eight at a time -----------------------------------------------------------------

// 0x80 in each byte of `w` that equals `c`, 0 in the others: exact per byte (no carry or borrow
// crosses a byte), so the mask can be walked bit by bit or shifted to pair neighbours. The word
// scans of the readers, the recognizer and the XML writer all use this one test.
constexpr uint64_t bytes_equal(uint64_t w, unsigned char c) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  const uint64_t x = w ^ (kOnes * c);
  return ~(((x & kLow7) + kLow7) | x | kLow7);
}

// Short texts in fixed-size moves instead of a call: a text of one to two words (`Word`: 8 bytes
// for 8 to 16 bytes of text, 4 for 4 to 7) as its first word and its last (overlapping when the
// text is shorter than two words), stored back from the same registers.
template <class Word>
struct EndWords {
  Word head, tail;
  // The two 32-bit halves in one word, for the byte tests above.
  uint64_t packed() const { return head | (uint64_t{tail} << 32); }
};
template <class Word>
inline EndWords<Word> load_end_words(const char* p, size_t n) {
  EndWords<Word> w;
  std::memcpy(&w.head, p, sizeof(Word));
  std::memcpy(&w.tail, p + n - sizeof(Word), sizeof(Word));
  return w;
}
template <class Word>
inline char* store_end_words(char* dst, size_t n, EndWords<Word> w) {
  std::memcpy(dst, &w.head, sizeof(Word));
  std::memcpy(dst + n - sizeof(Word), &w.tail, sizeof(Word));
  return dst + n;
}

// --- Encodings ------------------------------------------------------------------------------

enum class Encoding : uint8_t {
  Utf8,         // no byte-order mark
  Utf8Bom,      // EF BB BF
  Utf16LE,      // BOM FF FE, or ASCII with every other byte NUL
  Utf16BE,
  Utf32LE,
  Utf32BE,
  Windows1252,  // not valid UTF-8, but every byte is a defined cp1252 character
  Binary,       // NUL bytes or control bytes that no text has
};
std::string_view to_string(Encoding);

// Guesses the encoding from a BOM, NUL patterns and UTF-8 validity. Looks at most at the whole
// buffer once; linear time.
Encoding detect_encoding(std::string_view bytes);

// Code points in UTF-8 text: the bytes that are not continuation bytes (10xxxxxx), counted
// eight at a time. Columns in diagnostics are counted this way.
uint32_t count_code_points(std::string_view s);

// Length of the valid UTF-8 sequence at s[i] (1 for ASCII), or 0 when it is invalid: an overlong
// form, a surrogate, a value above U+10FFFF or a cut sequence (what is_valid_utf8 rejects).
inline size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  const size_t n = s.size();
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return (i + 1 < n && (b(i + 1) & 0xC0) == 0x80) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (i + 2 >= n) return 0;
    const unsigned char c1 = b(i + 1);
    if ((c1 & 0xC0) != 0x80 || (b(i + 2) & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (i + 3 >= n) return 0;
    const unsigned char c1 = b(i + 1);
    if ((c1 & 0xC0) != 0x80 || (b(i + 2) & 0xC0) != 0x80 || (b(i + 3) & 0xC0) != 0x80) return 0;
    if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
    if (c == 0xF4 && c1 >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Returns true when `s` is valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
// On failure, `*bad_offset` is the offset of the first bad byte.
bool is_valid_utf8(std::string_view s, size_t* bad_offset = nullptr);

// Converts `bytes` in encoding `enc` to UTF-8 (dropping a BOM). Invalid sequences become U+FFFD
// and are counted in `*replaced`.
std::string to_utf8(std::string_view bytes, Encoding enc, size_t* replaced = nullptr);

// --- Unicode ---------------------------------------------------------------------------------

// Unicode Normalization Form C (ICU); ASCII and already-normalized text is returned as is.
std::string nfc(std::string_view s);
// True when `s` is surely its own NFC without asking ICU: every non-ASCII character is one
// that NFC never changes and that never combines with the character before it: U+0080..U+02FF
// (Latin-1 and Latin Extended, below the combining marks), general punctuation U+2002..U+205F
// (U+2000 and U+2001 decompose to other spaces), the simple arrows U+2190..U+2199, minus U+2212
// and the signs U+2264/U+2265. That is the usual non-ASCII of published text (typographic
// quotes, dashes, bullets, degree signs); a test checks the claim against ICU. False for
// anything else, including invalid UTF-8.
bool is_nfc_without_icu(std::string_view s);

// Full Unicode case folding (ICU), for matching; not for display.
std::string fold_case(std::string_view s);

// ASCII-only lower-casing, for vocabulary words.
std::string ascii_lower(std::string_view s);

// --- Whitespace -----------------------------------------------------------------------------

bool is_xml_space(char c);
// Replaces every run of XML whitespace (space, tab, CR, LF) with one space.
std::string collapse_whitespace(std::string_view s);
std::string_view trim(std::string_view s);

// --- XML escaping ---------------------------------------------------------------------------

// The output of a writer of large texts (core/xml_writer): an append is one bounds check and a
// copy, inlined, where std::string makes a call per append (a writer makes dozens per element).
class OutBuffer {
 public:
  OutBuffer() { grow(0); }
  OutBuffer& operator+=(std::string_view s) {
    char* p = room(s.size());
    std::memcpy(p, s.data(), s.size());
    cur_ = p + s.size();
    return *this;
  }
  OutBuffer& operator+=(char c) {
    if (cur_ == end_) grow(1);
    *cur_++ = c;
    return *this;
  }
  void append(size_t count, char c) {
    char* p = room(count);
    std::memset(p, c, count);
    cur_ = p + count;
  }
  // At least `n` writable bytes at the end: write them from the returned position, then
  // advance_to the first byte not written.
  char* room(size_t n) {
    if (static_cast<size_t>(end_ - cur_) < n) grow(n);
    return cur_;
  }
  void advance_to(char* p) { cur_ = p; }
  size_t size() const { return static_cast<size_t>(cur_ - buf_.get()); }
  size_t capacity() const { return static_cast<size_t>(end_ - buf_.get()); }
  // Takes back what was written after the first `n` bytes (n <= size()).
  void truncate(size_t n) { cur_ = buf_.get() + n; }
  void clear() { cur_ = buf_.get(); }
  // The text written so far; the buffer is empty afterwards.
  std::string take();

 private:
  void grow(size_t n);
  std::unique_ptr<char[]> buf_;  // not zero-filled: every byte up to cur_ was written
  char* cur_ = nullptr;
  char* end_ = nullptr;
};

// Escapes character data; characters XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/FFFF)
// become U+FFFD so output is always well-formed.
void append_xml_text(OutBuffer& out, std::string_view s);
// Escapes an attribute value (quotes, '<', '&', and tab/LF/CR as character references).
void append_xml_attr(OutBuffer& out, std::string_view s);

// --- Identifiers ----------------------------------------------------------------------------

// True when `s` is safe as a file name and a URL fragment: [A-Za-z0-9][A-Za-z0-9._-]{0,127},
// and never contains "..".
bool is_safe_id(std::string_view s);

// Turns any text into a safe id fragment: ASCII letters and digits kept (lower-cased), every
// other run becomes one '-'; accents are stripped first (ICU). Never empty ("x" at worst);
// at most `max_len` bytes.
std::string slugify(std::string_view text, size_t max_len = 48);

// --- Hashing --------------------------------------------------------------------------------

// Lower-case hex SHA-256 of `data` (OpenSSL).
std::string sha256_hex(std::string_view data);
// Raw 32-byte SHA-256.
std::string sha256_raw(std::string_view data);

// SHA-256 fed in parts (a file read back a megabyte at a time); hex() gives what sha256_hex of
// the whole would.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void update(std::string_view data);
  std::string hex();  // once, at the end

 private:
  struct Context;
  Context* context_;
};

}  // namespace normkit
