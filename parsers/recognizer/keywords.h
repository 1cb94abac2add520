// Normative keywords: the default list, the table a document builds from its own word usage plus
// that list, and the marking of keywords in inline content.
//
// Matching is by whole word and case-insensitive ("Shall", "SHALL"), never inside another word
// ("shallow", "mayor"), longest phrase first ("shall not" before "shall", "may be considered"
// before "may").
#pragma once

#include <cstdint>
#include <memory>
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

// The classes of 64 bytes of a text as bit masks, for scans that go from word to word by bit
// scans instead of a look at every byte. Bit k stands for text[base + k]; bytes past the text
// are in no class.
struct ByteClasses {
  uint64_t word = 0;   // is_word_byte
  uint64_t space = 0;  // ' '
  uint64_t low = 0;    // at most 0x0D: tab, LF and CR among them (the others are rare: sorted out by the caller)
};
// `base` is a multiple of 64 below text.size(). Reads no byte outside the text.
ByteClasses classify_chunk(std::string_view text, size_t base);

class KeywordMatcher {
 public:
  // `document_words` override the defaults' force for the same word.
  explicit KeywordMatcher(const std::vector<KeywordUsage>& document_words);

  // Splits the Text nodes of `inlines` (not inside existing keywords, terms or links) into Text
  // and Keyword nodes. Records in `used` (indices into entries()) the words that were marked.
  // With `watch`, sets `*watched` when some word outside the keywords marked may start an entry
  // of `watch` (term linking needs no pass of its own over text where none does; a matcher keeps
  // its union with the last `watch` by address, so `watch` must not change while it lives at one
  // address). With `clean`,
  // sets `*clean` to whether the Text nodes directly in `inlines` hold no tab, line end or double
  // space (the whitespace check after marking can then skip their bytes: pieces of clean text
  // are clean).
  void mark(std::vector<Node>& inlines, std::vector<bool>& used, const WordStartFilter* watch = nullptr,
            bool* watched = nullptr, bool* clean = nullptr) const;

  const std::vector<KeywordEntry>& entries() const { return table_->entries; }
  // True when entry i came from the document's word usage.
  bool from_document(size_t i) const { return i < table_->document_count; }

 private:
  // What the matcher looks up, fixed by the document's words: built once per distinct word list
  // (most documents declare none or the same few) and shared, read-only.
  struct Table {
    explicit Table(const std::vector<KeywordUsage>& document_words);
    std::vector<KeywordEntry> entries;  // the document's words, then the defaults it does not declare
    size_t document_count = 0;
    // Entry indices by first letter (a-z, then the rest), longest word first within a letter:
    // letter L's are order[letter_begin[L], letter_begin[L + 1]).
    std::vector<size_t> order;
    size_t letter_begin[28] = {};
    // A word of the text can start entry i only when it is exactly head[i] bytes long (the
    // entry's leading word bytes): most words are passed over after one look at the filter.
    std::vector<size_t> head;
    // Entry i's leading word is the same as entry head_group[i]'s (the first such in order): a
    // word is compared with a shared leading word once ("is" of five entries).
    std::vector<size_t> head_group;
    WordStartFilter filter;
  };
  // The length of the keyword that starts with the word text[i, i + word_length) (of a letter and
  // length some entry starts with), recorded as a match of inline `node`; 0 when none does.
  size_t match_word(std::string_view text, size_t i, size_t word_length, size_t node, std::vector<bool>& used,
                    bool& dirty) const;
  // The table for `document_words`: from this thread's few most recent, else built.
  static std::shared_ptr<const Table> table_for(const std::vector<KeywordUsage>& document_words);

  std::shared_ptr<const Table> table_;
  // The keywords found in a run of inlines, before its nodes are rebuilt once. A stack: marking
  // the children of an emphasis appends above its parent's entries and takes them off again.
  struct Match {
    size_t node;   // index in the inlines
    size_t begin;  // byte range in the node's text
    size_t length;
    size_t entry;
  };
  mutable std::vector<Match> matches_;
  // filter_ together with the last watched filter: most words start neither, one test says so.
  mutable const WordStartFilter* either_for_ = nullptr;
  mutable WordStartFilter either_;
};

}  // namespace normkit::recognizer
