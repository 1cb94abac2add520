#include "parsers/recognizer/keywords.h"

#include <cctype>
#include <cstring>

#include <algorithm>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

#if defined(__SSE2__)
// The classes of 16 bytes: word, space and low bytes in the low 16 bits of each.
inline void classify_block(__m128i v, uint32_t& word, uint32_t& space, uint32_t& low) {
  // Range tests by one signed compare each: the range is moved to start at -128.
  const __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8(0x80 - 'a')),
                                        _mm_set1_epi8(static_cast<char>(-128 + 26)));
  const __m128i digit =
      _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x80 - '0')), _mm_set1_epi8(static_cast<char>(-128 + 10)));
  const __m128i underscore = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
  // Bytes from 0x80 (UTF-8) are word bytes: their top bit, all the mask reads, is set already.
  word = static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), _mm_or_si128(underscore, v))));
  space = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' '))));
  low = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8('\r')), v)));
}
#endif

// classify_chunk, inlined into the scans.
[[gnu::always_inline]] inline ByteClasses classes_at(std::string_view text, size_t base) {
  ByteClasses bits;
  const char* data = text.data() + base;
  const size_t count = std::min<size_t>(64, text.size() - base);
#if defined(__SSE2__)
  uint32_t word, space, low;
  if (count == 64) {
    for (unsigned part = 0; part < 4; ++part) {
      classify_block(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * part)), word, space, low);
      bits.word |= uint64_t{word} << (16 * part);
      bits.space |= uint64_t{space} << (16 * part);
      bits.low |= uint64_t{low} << (16 * part);
    }
    return bits;
  }
  if (text.size() >= 16) {
    // The full blocks, then the text's last 16 bytes shifted down into place: no read past the end.
    size_t at = 0;
    for (; at + 16 <= count; at += 16) {
      classify_block(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + at)), word, space, low);
      bits.word |= uint64_t{word} << at;
      bits.space |= uint64_t{space} << at;
      bits.low |= uint64_t{low} << at;
    }
    if (at < count) {
      const unsigned shift = static_cast<unsigned>(at + 16 - count);
      classify_block(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + count - 16)), word, space, low);
      bits.word |= uint64_t{word >> shift} << at;
      bits.space |= uint64_t{space >> shift} << at;
      bits.low |= uint64_t{low >> shift} << at;
    }
    return bits;
  }
#endif
  for (size_t k = 0; k < count; ++k) {
    const unsigned char c = static_cast<unsigned char>(data[k]);
    bits.word |= uint64_t{is_word_byte(c)} << k;
    bits.space |= uint64_t{c == ' '} << k;
    bits.low |= uint64_t{c <= '\r'} << k;
  }
  return bits;
}

// Whether text[from, to) breaks the single-space rule (a tab, line end, or two spaces in a row).
bool loose_between(std::string_view text, size_t from, size_t to) {
  for (size_t p = from; p < to; ++p) {
    const char c = text[p];
    if (c == '\t' || c == '\n' || c == '\r' || (c == ' ' && p + 1 < text.size() && text[p + 1] == ' ')) return true;
  }
  return false;
}

}  // namespace

ByteClasses classify_chunk(std::string_view text, size_t base) { return classes_at(text, base); }

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

KeywordMatcher::Table::Table(const std::vector<KeywordUsage>& document_words) {
  const std::vector<KeywordEntry>& defaults = default_keywords();
  entries.reserve(document_words.size() + defaults.size());
  for (const KeywordUsage& k : document_words) entries.push_back({k.word, k.force});
  document_count = entries.size();
  for (const KeywordEntry& d : defaults) {
    const bool declared = std::any_of(entries.begin(), entries.begin() + static_cast<long>(document_count),
                                      [&](const KeywordEntry& e) { return e.word == d.word; });
    if (!declared) entries.push_back(d);
  }
  // One list of entry indices by first letter, longest word first within a letter (a stable
  // insertion sort: a few dozen entries).
  std::vector<uint8_t> letters(entries.size());
  for (size_t idx = 0; idx < entries.size(); ++idx) {
    const std::string& w = entries[idx].word;
    letters[idx] = static_cast<uint8_t>(w.empty() || w[0] < 'a' || w[0] > 'z' ? 26 : w[0] - 'a');
  }
  const auto letter_of = [&](size_t idx) { return size_t{letters[idx]}; };
  const auto before = [&](size_t a, size_t b) {
    const size_t la = letter_of(a), lb = letter_of(b);
    return la != lb ? la < lb : entries[a].word.size() > entries[b].word.size();
  };
  order.reserve(entries.size());
  for (size_t idx = 0; idx < entries.size(); ++idx) {
    order.push_back(idx);
    for (size_t k = order.size() - 1; k > 0 && before(order[k], order[k - 1]); --k) std::swap(order[k], order[k - 1]);
  }
  head.resize(entries.size());
  head_group.resize(entries.size());
  size_t at = 0;
  for (size_t letter = 0; letter <= 26; ++letter) {
    letter_begin[letter] = at;
    for (; at < order.size() && letter_of(order[at]) == letter; ++at) {
      const size_t idx = order[at];
      const std::string& w = entries[idx].word;
      head[idx] = filter.add(w);
      head_group[idx] = idx;
      for (size_t k = letter_begin[letter]; k < at; ++k) {
        const size_t other = order[k];
        if (head[other] == head[idx] && w.compare(0, head[idx], entries[other].word, 0, head[idx]) == 0) {
          head_group[idx] = head_group[other];
          break;
        }
      }
    }
  }
  letter_begin[27] = at;
}

std::shared_ptr<const KeywordMatcher::Table> KeywordMatcher::table_for(const std::vector<KeywordUsage>& document_words) {
  // A few tables per thread, most recent first: a corpus mixes a few kinds of document.
  struct Cached {
    std::vector<std::pair<std::string, Force>> words;
    std::shared_ptr<const Table> table;
  };
  thread_local std::vector<Cached> cache;
  const auto same = [&](const Cached& c) {
    if (c.words.size() != document_words.size()) return false;
    for (size_t k = 0; k < c.words.size(); ++k)
      if (c.words[k].first != document_words[k].word || c.words[k].second != document_words[k].force) return false;
    return true;
  };
  for (size_t k = 0; k < cache.size(); ++k)
    if (same(cache[k])) {
      std::rotate(cache.begin(), cache.begin() + static_cast<long>(k), cache.begin() + static_cast<long>(k) + 1);
      return cache.front().table;
    }
  auto table = std::make_shared<const Table>(document_words);
  // A long list (no real document has one) is not kept past its document.
  if (document_words.size() > 64) return table;
  Cached fresh;
  for (const KeywordUsage& k : document_words) fresh.words.emplace_back(k.word, k.force);
  fresh.table = std::move(table);
  constexpr size_t kKept = 4;
  if (cache.size() == kKept) cache.pop_back();
  cache.insert(cache.begin(), std::move(fresh));
  return cache.front().table;
}

KeywordMatcher::KeywordMatcher(const std::vector<KeywordUsage>& document_words)
    : table_(table_for(document_words)) {}

size_t KeywordMatcher::match_word(std::string_view text, size_t i, size_t word_length, size_t node,
                                  std::vector<bool>& used, bool& dirty) const {
  const Table& table = *table_;
  const char* data = text.data();
  const unsigned char c = static_cast<unsigned char>(data[i]);
  const size_t word_end = i + word_length;
  size_t matched = 0;
  // The leading word compared once per group of entries that share it.
  size_t group_checked = SIZE_MAX;
  bool group_equal = false;
  // The first byte of the next word when a run of spaces follows this one, in lower case
  // (else 1, which no entry holds after a space): most entries of more words are passed over
  // by it ("is" followed by "a" rather than "recommended").
  char next_first = 1;
  const size_t letter = kLetterIndex.table[c];
  for (size_t o = table.letter_begin[letter]; o < table.letter_begin[letter + 1]; ++o) {
    const size_t idx = table.order[o];
    if (table.head[idx] != word_length) continue;
    if (table.head_group[idx] != group_checked) {
      group_checked = table.head_group[idx];
      const std::string& head = table.entries[idx].word;
      size_t k = 1;  // the first letter matched already (the order by letter)
      while (k < word_length && ascii_lower(data[i + k]) == head[k]) ++k;
      group_equal = k == word_length;
      if (group_equal && data[word_end] == ' ') {
        size_t t = word_end + 1;
        while (data[t] == ' ') ++t;
        next_first = ascii_lower(data[t]);
      }
    }
    if (!group_equal) continue;
    const std::string& w = table.entries[idx].word;
    if (w.size() > word_length + 1 && w[word_length] == ' ' && w[word_length + 1] != next_first) continue;
    // The rest of the entry from the word's end (an entry of one word: nothing, a match).
    const size_t total =
        w.size() == word_length ? word_length : match_at(text, word_end, std::string_view(w).substr(word_length));
    if (!total) continue;
    const size_t length = w.size() == word_length ? word_length : word_length + total;
    // Runs of spaces inside the keyword matched one space each: more bytes than the entry.
    if (length != w.size()) dirty = true;
    matches_.push_back({node, i, length, idx});
    used[idx] = true;
    matched = length;
    break;
  }
  return matched;
}

void KeywordMatcher::mark(std::vector<Node>& inlines, std::vector<bool>& used, const WordStartFilter* watch,
                          bool* watched, bool* clean) const {
  const Table& table = *table_;
  if (used.size() != table.entries.size()) used.resize(table.entries.size(), false);
  if (watched && *watched) watch = nullptr;  // already seen: nothing more to watch for
  bool dirty = false;  // a tab, line end or double space in a Text node of `inlines`
  if (watch && watch != either_for_) {
    either_ = table.filter;
    either_.add_all(*watch);
    either_for_ = watch;
  }
  // The filter of the words worth a closer look: with `watch`, those of either kind.
  const WordStartFilter* first_test = watch ? &either_ : &table.filter;
  // First the keywords of every Text node, then (only when some were found: most inline runs
  // have none) the nodes, each run split once into all its pieces.
  const size_t base = matches_.size();
  for (size_t j = 0; j < inlines.size(); ++j) {
    Node& n = inlines[j];
    if (n.type != NodeType::Text) {
      dirty = true;  // only Text bytes are checked here (other nodes are normalized anyway)
      if (n.type == NodeType::Emphasis || n.type == NodeType::Strong) {
        mark(n.children, used, watch, watched);
        if (watched && *watched) watch = nullptr, first_test = &table.filter;
      }
      continue;
    }
    const std::string_view text = n.text;
    const size_t size = text.size();
    if (size == 0) continue;
    const char* data = text.data();
    const size_t node_matches = matches_.size();
    bool node_loose = false;  // some byte of the node breaks the whitespace rule
    // Word by word, from the starts in the bit masks (a word byte after a non-word byte): a
    // keyword starts only at a word start, and only where the word is as long as the keyword's
    // first word (an entry matches whole words only). 64 bytes at a time, classified one chunk
    // ahead (a word's end and a double space can lie in the next).
    size_t resume = 0;  // the end of the last match: words before it are inside it
    uint64_t carry = 0;  // the last word bit of the previous chunk
    ByteClasses next = classes_at(text, 0);
    for (size_t base = 0; base < size; base += 64) {
      const ByteClasses chunk = next;
      next = base + 64 < size ? classes_at(text, base + 64) : ByteClasses{};
      if (!dirty && !node_loose) {
        if (chunk.space & ((chunk.space >> 1) | (next.space << 63))) node_loose = true;
        for (uint64_t low = chunk.low; low != 0 && !node_loose; low &= low - 1) {
          const char c = data[base + static_cast<size_t>(__builtin_ctzll(low))];
          node_loose = c == '\t' || c == '\n' || c == '\r';
        }
      }
      const uint64_t word = chunk.word;
      uint64_t starts = word & ~((word << 1) | carry);
      carry = word >> 63;
      if (resume > base) starts &= resume - base < 64 ? ~uint64_t{0} << (resume - base) : 0;
      while (starts != 0) {
        const unsigned offset = static_cast<unsigned>(__builtin_ctzll(starts));
        starts &= starts - 1;
        const size_t i = base + offset;
        // The word's end: the first non-word byte from i (the NUL past the text is none).
        size_t word_length;
        if (const uint64_t after = ~word >> offset; after != 0) {
          word_length = static_cast<size_t>(__builtin_ctzll(after));
        } else if (~next.word != 0) {
          word_length = 64 - offset + static_cast<size_t>(__builtin_ctzll(~next.word));
        } else {
          size_t end = base + 128;
          while (is_word_byte(static_cast<unsigned char>(data[end]))) ++end;
          word_length = end - i;
        }
        const unsigned char c = static_cast<unsigned char>(data[i]);
        // Most words start no keyword and no watched entry: one test passes them over.
        if (!first_test->may_start_byte(c, word_length)) continue;
        if (watch && !table.filter.may_start_byte(c, word_length)) {
          *watched = true, watch = nullptr, first_test = &table.filter;  // (either_ said so)
          continue;
        }
        const size_t matched = match_word(text, i, word_length, j, used, dirty);
        if (matched) {
          resume = i + matched;
          starts &= resume - base < 64 ? ~uint64_t{0} << (resume - base) : 0;
        } else if (watch && watch->may_start_byte(c, word_length)) {
          *watched = true, watch = nullptr, first_test = &table.filter;
        }
      }
    }
    // The whitespace rule holds for the bytes outside the keywords found (those inside were
    // judged by their length above).
    if (node_loose && !dirty) {
      size_t from = 0;
      for (size_t m = node_matches; m < matches_.size() && !dirty; ++m) {
        dirty = loose_between(text, from, matches_[m].begin);
        from = matches_[m].begin + matches_[m].length;
      }
      if (!dirty) dirty = loose_between(text, from, size);
    }
  }
  if (clean) *clean = !dirty;
  if (matches_.size() == base) return;
  std::vector<Node> out;
  out.reserve(inlines.size() + 2 * (matches_.size() - base));
  size_t m = base;
  for (size_t j = 0; j < inlines.size(); ++j) {
    Node& n = inlines[j];
    if (m == matches_.size() || matches_[m].node != j) {
      out.push_back(std::move(n));
      continue;
    }
    const std::string& text = n.text;
    size_t last = 0;
    for (; m < matches_.size() && matches_[m].node == j; ++m) {
      const Match& k = matches_[m];
      if (k.begin > last) out.emplace_back(NodeType::Text).text = std::string(text.data() + last, k.begin - last);
      Node& kw = out.emplace_back(NodeType::Keyword);
      kw.text = std::string(text.data() + k.begin, k.length);
      kw.target = table.entries[k.entry].word;
      kw.force = table.entries[k.entry].force;
      kw.loc = n.loc;
      last = k.begin + k.length;
    }
    if (last < text.size()) {
      // The rest keeps the run's own string (no new allocation) in a fresh Text node: moving the
      // string alone is cheaper than moving the whole node.
      Node& rest = out.emplace_back(NodeType::Text);
      rest.text = std::move(n.text);
      rest.text.erase(0, last);
    }
  }
  matches_.resize(base);
  inlines = std::move(out);
}

}  // namespace normkit::recognizer
