#include "parsers/recognizer/keywords.h"

#include <cctype>

#include <algorithm>

#include "parsers/recognizer/words.h"

namespace normkit::recognizer {

namespace {

// Case-insensitive match of `word` (lower-case, single spaces) at text[i]; any run of spaces in
// the text matches one space. Returns the length matched in the text, or 0.
size_t match_at(std::string_view text, size_t i, std::string_view word) {
  size_t t = i;
  for (size_t w = 0; w < word.size(); ++w) {
    if (word[w] == ' ') {
      if (t >= text.size() || text[t] != ' ') return 0;
      while (t < text.size() && text[t] == ' ') ++t;
      continue;
    }
    if (t >= text.size() || ascii_lower(text[t]) != word[w]) return 0;
    ++t;
  }
  if (t < text.size() && is_word_byte(static_cast<unsigned char>(text[t]))) return 0;
  return t - i;
}

}  // namespace

const std::vector<KeywordEntry>& default_keywords() {
  static const std::vector<KeywordEntry> list = {
      {"shall not", Force::Prohibited},
      {"shall", Force::Mandatory},
      {"must not", Force::Prohibited},
      {"must", Force::Mandatory},
      {"should not", Force::NotRecommended},
      {"should", Force::Recommended},
      {"is not recommended", Force::NotRecommended},
      {"is recommended", Force::Recommended},
      {"is indicated", Force::Recommended},
      {"is reasonable", Force::Permitted},
      {"can be useful", Force::Permitted},
      {"may be considered", Force::Optional},
      {"might be considered", Force::Optional},
      {"may be reasonable", Force::Optional},
      {"might be reasonable", Force::Optional},
      {"is potentially harmful", Force::Prohibited},
      {"may", Force::Permitted},
  };
  return list;
}

Force force_from_explanation(std::string_view word, std::string_view explanation) {
  std::string e;
  for (char c : explanation) e += ascii_lower(c);
  // A word counts only where it is used affirmatively: "allowed but not required" states no
  // requirement, "not mandatory" no mandate.
  const auto negated_at = [&](size_t pos) {
    std::string_view before = std::string_view(e).substr(0, pos);
    while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
    for (std::string_view neg : {"not", "no", "never", "n't", "neither", "nor", "without"}) {
      if (before.size() >= neg.size() && before.substr(before.size() - neg.size()) == neg &&
          (before.size() == neg.size() || neg == "n't" ||
           !std::isalpha(static_cast<unsigned char>(before[before.size() - neg.size() - 1]))))
        return true;
    }
    return false;
  };
  const auto has = [&](std::string_view s) {
    for (size_t pos = e.find(s); pos != std::string::npos; pos = e.find(s, pos + 1))
      if (!negated_at(pos)) return true;
    return false;
  };
  const auto has_any = [&](std::string_view s) { return e.find(s) != std::string::npos; };
  if (has("prohibit") || has("forbid")) return Force::Prohibited;
  if (has("mandatory") || has("requirement") || has("required")) return Force::Mandatory;
  if (has_any("not recommended")) return Force::NotRecommended;
  if (has("recommend")) return Force::Recommended;
  if (has("permi") || has("allowed") || has("option")) return Force::Permitted;
  for (const KeywordEntry& k : default_keywords())
    if (k.word == word) return k.force;
  return Force::Informative;
}

KeywordMatcher::KeywordMatcher(const std::vector<KeywordUsage>& document_words) {
  for (const KeywordUsage& k : document_words) entries_.push_back({k.word, k.force});
  document_count_ = entries_.size();
  for (const KeywordEntry& d : default_keywords()) {
    const bool declared = std::any_of(entries_.begin(), entries_.end(),
                                      [&](const KeywordEntry& e) { return e.word == d.word; });
    if (!declared) entries_.push_back(d);
  }
  std::vector<size_t> order(entries_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return entries_[a].word.size() > entries_[b].word.size(); });
  head_.resize(entries_.size());
  for (size_t idx : order) {
    const std::string& w = entries_[idx].word;
    head_[idx] = filter_.add(w);
    if (!w.empty() && w[0] >= 'a' && w[0] <= 'z') by_letter_[w[0] - 'a'].push_back(idx);
  }
}

void KeywordMatcher::mark(std::vector<Node>& inlines, std::vector<bool>& used, const WordStartFilter* watch,
                          bool* watched) const {
  used.resize(entries_.size(), false);
  if (watched && *watched) watch = nullptr;  // already seen: nothing more to watch for
  // `out` is built only once a keyword is found: most inline runs have none, or one Text node.
  std::vector<Node> out;
  bool building = false;
  for (size_t j = 0; j < inlines.size(); ++j) {
    Node& n = inlines[j];
    if (n.type != NodeType::Text) {
      if (n.type == NodeType::Emphasis || n.type == NodeType::Strong) {
        mark(n.children, used, watch, watched);
        if (watched && *watched) watch = nullptr;
      }
      if (building) out.push_back(std::move(n));
      continue;
    }
    // A view of the node's own string, NUL-terminated (the word scan relies on it).
    const std::string_view text = n.text;
    const size_t size = text.size();
    size_t last = 0;
    bool split = false;
    // Word by word: a keyword starts only at a word start, and only where the word is as long
    // as the keyword's first word (an entry matches whole words only).
    size_t i = 0;
    while (i < size) {
      if (!is_word_byte(static_cast<unsigned char>(text[i]))) {
        ++i;
        continue;
      }
      // The string's terminating NUL is not a word byte: it ends the last word.
      size_t word_end = i + 1;
      while (is_word_byte(static_cast<unsigned char>(text.data()[word_end]))) ++word_end;
      const size_t word_length = word_end - i;
      const char c = ascii_lower(text[i]);
      if (!filter_.may_start(c, word_length)) {
        if (watch && watch->may_start(c, word_length)) *watched = true, watch = nullptr;
        i = word_end;
        continue;
      }
      size_t matched = 0;
      for (const size_t idx : by_letter_[c - 'a']) {
        if (head_[idx] != word_length) continue;
        const std::string& w = entries_[idx].word;
        const size_t len = match_at(text, i, w);
        if (!len) continue;
        if (!building) {
          building = true;
          out.reserve(inlines.size() + 4);
          for (size_t k = 0; k < j; ++k) out.push_back(std::move(inlines[k]));
        }
        if (i > last) out.emplace_back(NodeType::Text).text.assign(text.data() + last, i - last);
        Node& kw = out.emplace_back(NodeType::Keyword);
        kw.text.assign(text.data() + i, len);
        kw.target = w;
        kw.force = entries_[idx].force;
        kw.loc = n.loc;
        used[idx] = true;
        split = true;
        matched = len;
        break;
      }
      if (matched) {
        i += matched;
        last = i;
      } else {
        if (watch && watch->may_start(c, word_length)) *watched = true, watch = nullptr;
        i = word_end;
      }
    }
    if (!building) continue;
    if (!split) {
      out.push_back(std::move(n));
      continue;
    }
    if (last < size) {
      // The rest keeps the run's own string (no new allocation), as a fresh Text node.
      n.text.erase(0, last);
      n.loc = {};
      n.origin_line = 0;
      out.push_back(std::move(n));
    }
  }
  if (building) inlines = std::move(out);
}

}  // namespace normkit::recognizer
