// How text becomes search terms, identically at build time (here, ICU) and in the browser
// (site/search.js, Intl.Segmenter). Both sides must agree byte for byte; a test feeds tricky
// inputs to both (tests/e2e/fold-agreement).
//
//   terms(text) = for each word-like segment of text (ICU word BreakIterator, rule status not
//                 "none"; Intl.Segmenter isWordLike), fold(segment), cut to kMaxTermChars
//   fold(s)     = NFC( replace ς→σ, ß→ss ( remove marks \p{M} ( lower-case ( NFKD(s) ))))
//
// Lower-casing is the locale-independent full mapping (ICU root = JavaScript toLowerCase).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace normkit::site {

// Longest term kept, in code points; longer words are cut (the query side cuts the same way).
inline constexpr size_t kMaxTermChars = 32;

// Case and accent folding of one word (see above).
std::string fold_for_search(std::string_view word);

// Splits text into folded search terms, in order, duplicates kept. Not thread-safe: give each
// thread its own Segmenter.
class Segmenter {
 public:
  Segmenter();
  ~Segmenter();
  Segmenter(const Segmenter&) = delete;
  Segmenter& operator=(const Segmenter&) = delete;
  std::vector<std::string> terms(std::string_view text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace normkit::site
