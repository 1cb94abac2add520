// Linking mentions of defined terms to their definitions.
//
// A term matches by whole word, case-insensitively (ASCII letters), in its singular and plural
// forms ("protocol", "Protocols", "policy"/"policies") and in the alternates the definition
// lists. Longer terms win over shorter ones ("surgical care team" before "team").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "parsers/recognizer/words.h"

namespace normkit::recognizer {

class TermLinker {
 public:
  // Call after the definitions have their ids (assign_identity).
  explicit TermLinker(const std::vector<Definition>& definitions);

  // Splits Text nodes of `inlines` into Text and TermRef nodes. `skip_id` is the definition
  // being explained, whose own mention is not linked to itself. Returns the mentions linked.
  size_t link(std::vector<Node>& inlines, const std::string& skip_id = {}) const;

  bool empty() const { return forms_.empty(); }
  // The words that can start a mention (KeywordMatcher::mark watches for them).
  const WordStartFilter& filter() const { return filter_; }

 private:
  struct Form {
    std::string text;  // lower-case
    std::string id;    // definition id
    size_t head = 0;   // leading word bytes of text: a mention starts with a word this long
  };
  std::vector<Form> forms_;  // longest first
  std::vector<size_t> by_letter_[26];  // per first letter (a-z): indices into forms_, longest first
  WordStartFilter filter_;  // most words start no form
};

// Plural of an English term's last word: "team" → "teams", "policy" → "policies", "class" → "classes".
std::string plural_of(const std::string& term);

}  // namespace normkit::recognizer
