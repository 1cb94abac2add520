// Byte-level word rules shared by keyword marking and term linking: both must agree on where a
// word starts and ends, or a keyword and a term could split the same text differently.
#pragma once

namespace normkit::recognizer {

// ASCII lower case; other bytes as they are.
inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Bytes of non-ASCII characters count as word characters, so "shallé" is not "shall".
struct WordBytes {
  bool table[256] = {};
  constexpr WordBytes() {
    for (int c = 0; c < 256; ++c)
      table[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80 || c == '_';
  }
};
inline constexpr WordBytes kWordBytes;
inline bool is_word_byte(unsigned char c) { return kWordBytes.table[c]; }

}  // namespace normkit::recognizer
