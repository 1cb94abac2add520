// Normative keywords: the default list, the table a document builds from its own word usage plus
// that list, and the marking of keywords in inline content.
//
// Matching is by whole word and case-insensitive ("Shall", "SHALL"), never inside another word
// ("shallow", "mayor"), longest phrase first ("shall not" before "shall", "may be considered"
// before "may").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "parsers/recognizer/words.h"

namespace normkit::recognizer {

struct KeywordEntry {
  std::string word;  // lower-case, single spaces: "shall not"
  Force force = Force::Informative;
};

// normkit's default keywords and their force, used when a document's word usage does not say
// (docs/ingest.md lists them).
const std::vector<KeywordEntry>& default_keywords();

// The force a word-usage explanation states ("... a mandatory requirement" → Mandatory), or the
// default force of `word` when the explanation does not say.
Force force_from_explanation(std::string_view word, std::string_view explanation);

class KeywordMatcher {
 public:
  // `document_words` override the defaults' force for the same word.
  explicit KeywordMatcher(const std::vector<KeywordUsage>& document_words);

  // Splits the Text nodes of `inlines` (not inside existing keywords, terms or links) into Text
  // and Keyword nodes. Records in `used` (indices into entries()) the words that were marked.
  // With `watch`, sets `*watched` when some word outside the keywords marked may start an entry
  // of `watch` (term linking needs no pass of its own over text where none does).
  void mark(std::vector<Node>& inlines, std::vector<bool>& used, const WordStartFilter* watch = nullptr,
            bool* watched = nullptr) const;

  const std::vector<KeywordEntry>& entries() const { return entries_; }
  // True when entry i came from the document's word usage.
  bool from_document(size_t i) const { return i < document_count_; }

 private:
  std::vector<KeywordEntry> entries_;  // longest first within each first letter
  size_t document_count_ = 0;
  std::vector<size_t> by_letter_[26];  // per first letter: entry indices, longest word first
  // A word of the text can start entry i only when it is exactly head_[i] bytes long (the
  // entry's leading word bytes): most words are passed over after one look at the filter.
  std::vector<size_t> head_;
  WordStartFilter filter_;
};

}  // namespace normkit::recognizer
