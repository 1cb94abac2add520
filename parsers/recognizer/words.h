// Byte-level word rules shared by keyword marking and term linking: both must agree on where a
// word starts and ends, or a keyword and a term could split the same text differently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

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

// A byte's ASCII letter as 0..25 in either case; 26 for every other byte.
struct LetterIndex {
  uint8_t table[256] = {};
  constexpr LetterIndex() {
    for (int c = 0; c < 256; ++c)
      table[c] = static_cast<uint8_t>((c >= 'a' && c <= 'z') ? c - 'a' : (c >= 'A' && c <= 'Z') ? c - 'A' : 26);
  }
};
inline constexpr LetterIndex kLetterIndex;

// Which words of a text can start an entry (a keyword, a term's form): an entry matches whole
// words only, so the word at a match is exactly as long as the entry's leading word bytes. Per
// first letter a-z, bit min(length, 63) of each entry's leading word.
class WordStartFilter {
 public:
  // Records `entry` (lower-case) and returns the length of its leading word.
  size_t add(std::string_view entry) {
    size_t head = 0;
    while (head < entry.size() && is_word_byte(static_cast<unsigned char>(entry[head]))) ++head;
    if (!entry.empty() && entry[0] >= 'a' && entry[0] <= 'z')
      head_lengths_[entry[0] - 'a'] |= uint64_t{1} << (head < 63 ? head : 63);
    return head;
  }
  // `lower_first` is the word's first byte in ASCII lower case.
  bool may_start(char lower_first, size_t word_length) const {
    return lower_first >= 'a' && lower_first <= 'z' &&
           ((head_lengths_[lower_first - 'a'] >> (word_length < 63 ? word_length : 63)) & 1);
  }
  // The same for a word's first byte as written (either case): one table look-up, no range test.
  bool may_start_byte(unsigned char first, size_t word_length) const {
    return (head_lengths_[kLetterIndex.table[first]] >> (word_length < 63 ? word_length : 63)) & 1;
  }
  // Every word that may start an entry of this filter or of `other`.
  void add_all(const WordStartFilter& other) {
    for (size_t k = 0; k < 27; ++k) head_lengths_[k] |= other.head_lengths_[k];
  }

 private:
  uint64_t head_lengths_[27] = {};  // [26]: bytes that are no letter (never a start)
};

}  // namespace normkit::recognizer
