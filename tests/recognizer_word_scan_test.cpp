// The recognizer's word scans (keyword marking, term linking) against simple byte-by-byte
// references, on generated texts that put every byte class (word bytes of each kind, spaces,
// tabs, line ends, punctuation, NUL, UTF-8) at every offset of a 64-byte chunk, end texts at
// every offset, and put keywords and term forms at starts and ends, across runs of spaces and
// over chunk boundaries.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "parsers/recognizer/keywords.h"
#include "parsers/recognizer/patterns.h"
#include "parsers/recognizer/terms.h"
#include "parsers/recognizer/words.h"
#include "test_support.h"

using namespace normkit;
using namespace normkit::recognizer;

namespace {

using normkit::test::Lcg;

// Pieces of text: keywords and term forms in several spellings, near misses, every byte class.
const std::vector<std::string>& pieces() {
  static const std::vector<std::string> list = {
      " ", " ", " ", "  ", "   ", "\t", "\n", "\r", ".", ",", "(", "-", std::string(1, '\0'), "\x01",
      "a", "Z", "7", "_", "\xC3\xA9", "\xE2\x80\x94", "\xFF", "\x80", "shall", "Shall", "SHALL", "shall not",
      "Shall  Not", "shall\tnot", "shall\nnot", "shallow", "shallé", "_shall", "shall_", "may", "MAY", "mayor",
      "may be considered", "may  be   considered", "May be", "is", "is not recommended", "is  recommended",
      "IS REASONABLE", "not", "must", "should", "can be useful", "might be reasonable", "e.g.", "E.G.x",
      "may-be", "team", "Teams", "surgical care team", "surgical  care team", "policy", "policies",
      "protocol", std::string(70, 'a'), std::string(63, 's'), std::string(64, 'S'), std::string(65, 'p')};
  return list;
}

std::string generated_text(Lcg& rng, size_t length) {
  std::string s;
  while (s.size() < length) s += pieces()[rng.next() % pieces().size()];
  return s;
}

// --- References ---------------------------------------------------------------------------------

// A keyword entry matched at text[i] (the whole entry, runs of spaces for each space, a whole
// word at the end): the bytes matched, or 0.
size_t reference_match(const std::string& text, size_t i, const std::string& entry) {
  size_t t = i;
  for (size_t w = 0; w < entry.size(); ++w) {
    if (entry[w] == ' ') {
      if (t >= text.size() || text[t] != ' ') return 0;
      while (t < text.size() && text[t] == ' ') ++t;
      continue;
    }
    if (t >= text.size() || ascii_lower(text[t]) != entry[w]) return 0;
    ++t;
  }
  if (t < text.size() && is_word_byte(static_cast<unsigned char>(text[t]))) return 0;
  return t - i;
}

struct ReferenceResult {
  bool watched = false;
  bool dirty = false;
};

// KeywordMatcher::mark as its contract says: at every word start outside an earlier match, the
// first entry (by first letter, longest first) that matches there; a word that starts no
// keyword but may start a watched entry sets `watched`; the whitespace rule is checked on the
// bytes outside the matches.
void reference_mark(std::vector<Node>& inlines, const std::vector<KeywordEntry>& entries, std::vector<bool>& used,
                    const WordStartFilter* watch, ReferenceResult& result) {
  std::vector<size_t> order(entries.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  const auto letter = [&](size_t k) {
    const std::string& w = entries[k].word;
    return w.empty() || w[0] < 'a' || w[0] > 'z' ? 26 : w[0] - 'a';
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return letter(a) != letter(b) ? letter(a) < letter(b) : entries[a].word.size() > entries[b].word.size();
  });
  std::vector<Node> out;
  for (Node& n : inlines) {
    if (n.type != NodeType::Text) {
      result.dirty = true;
      if (n.type == NodeType::Emphasis || n.type == NodeType::Strong) {
        ReferenceResult inner{result.watched, false};
        reference_mark(n.children, entries, used, watch, inner);
        result.watched = inner.watched;
      }
      out.push_back(std::move(n));
      continue;
    }
    const std::string& text = n.text;
    size_t last = 0;  // the end of the last match
    for (size_t i = 0; i < text.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (i >= last) {
        if (c == '\t' || c == '\n' || c == '\r') result.dirty = true;
        if (c == ' ' && i + 1 < text.size() && text[i + 1] == ' ') result.dirty = true;
      }
      if (i < last || !is_word_byte(c) || (i > 0 && is_word_byte(static_cast<unsigned char>(text[i - 1])))) continue;
      size_t word_length = 0;
      while (i + word_length < text.size() && is_word_byte(static_cast<unsigned char>(text[i + word_length])))
        ++word_length;
      bool matched = false;
      for (size_t k : order) {
        const KeywordEntry& e = entries[k];
        if (e.word.empty() || e.word[0] != ascii_lower(static_cast<char>(c))) continue;
        const size_t length = reference_match(text, i, e.word);
        if (!length) continue;
        if (length != e.word.size()) result.dirty = true;
        if (i > last) out.emplace_back(NodeType::Text).text = text.substr(last, i - last);
        Node& kw = out.emplace_back(NodeType::Keyword);
        kw.text = text.substr(i, length);
        kw.target = e.word;
        kw.force = e.force;
        kw.loc = n.loc;
        used[k] = true;
        last = i + length;
        matched = true;
        break;
      }
      if (!matched && watch && watch->may_start_byte(c, word_length)) result.watched = true;
    }
    if (last == 0) {
      out.push_back(std::move(n));
    } else if (last < text.size()) {
      out.emplace_back(NodeType::Text).text = text.substr(last);
    }
  }
  inlines = std::move(out);
}

std::string describe(const std::vector<Node>& nodes) {
  std::string s;
  for (const Node& n : nodes) {
    s += "[" + std::to_string(static_cast<int>(n.type)) + " f" + std::to_string(static_cast<int>(n.force)) + " '" +
         n.text + "' -> '" + n.target + "' @" + std::to_string(n.loc.line) + ":" + std::to_string(n.loc.col);
    if (!n.children.empty()) s += " {" + describe(n.children) + "}";
    s += "]";
  }
  return s;
}

std::vector<Node> generated_inlines(Lcg& rng, int depth = 0) {
  std::vector<Node> inlines;
  const size_t count = 1 + rng.next() % 4;
  for (size_t k = 0; k < count; ++k) {
    const uint32_t kind = rng.next() % 10;
    if (kind == 0 && depth < 2) {
      Node& e = inlines.emplace_back(rng.next() % 2 ? NodeType::Emphasis : NodeType::Strong);
      e.children = generated_inlines(rng, depth + 1);
    } else if (kind == 1) {
      inlines.emplace_back(NodeType::Link).text = "link shall";
    } else {
      Node& t = inlines.emplace_back(NodeType::Text);
      t.text = generated_text(rng, rng.next() % 300);
      t.loc = {static_cast<uint32_t>(rng.next() % 100), static_cast<uint32_t>(k)};
    }
  }
  return inlines;
}

}  // namespace

TEST_CASE("classify_chunk gives every byte's class at every offset and text length", "[ingest][keywords]") {
  const auto check = [&](const std::string& text) {
    for (size_t base = 0; base < text.size(); base += 64) {
      const ByteClasses bits = classify_chunk(text, base);
      for (size_t k = 0; k < 64; ++k) {
        const size_t p = base + k;
        const unsigned char c = p < text.size() ? static_cast<unsigned char>(text[p]) : 0;
        const bool inside = p < text.size();
        if (((bits.word >> k) & 1) != (inside && is_word_byte(c)) || ((bits.space >> k) & 1) != (inside && c == ' ') ||
            ((bits.low >> k) & 1) != (inside && c <= 0x0D)) {
          INFO("offset " << p << " of " << text.size() << ", byte " << static_cast<int>(c));
          REQUIRE(false);
        }
      }
    }
  };
  // Every byte value at every offset of two chunks, in texts ending at many offsets after it.
  for (int value = 0; value < 256; ++value)
    for (size_t at = 0; at < 130; at += (value % 7 == 0 ? 1 : 13)) {
      std::string text(at + 1 + value % 66, value % 2 ? 'x' : ' ');
      text[at] = static_cast<char>(value);
      check(text);
    }
  Lcg rng{7};
  for (size_t length = 0; length < 400; ++length)
    for (int round = 0; round < 8; ++round) check(generated_text(rng, length).substr(0, length));
}

TEST_CASE("keyword marking agrees with a byte-by-byte reference on generated runs", "[ingest][keywords]") {
  std::vector<KeywordUsage> none;
  std::vector<KeywordUsage> own(4);
  own[0].word = "e.g.";
  own[0].force = Force::Permitted;
  own[1].word = "may-be";
  own[1].force = Force::Optional;
  own[2].word = "shall";  // the document's force overrides the default
  own[2].force = Force::Recommended;
  own[3].word = std::string(65, 'p');
  own[3].force = Force::Mandatory;
  WordStartFilter terms;
  for (const char* form : {"team", "teams", "surgical care team", "policy", "policies", "protocol", "not"})
    terms.add(form);
  terms.add(std::string(70, 'a'));
  Lcg rng{42};
  for (int round = 0; round < 4000; ++round) {
    const std::vector<KeywordUsage>& words = round % 3 == 0 ? own : none;
    KeywordMatcher matcher(words);
    const WordStartFilter* watch = round % 4 == 0 ? nullptr : &terms;
    std::vector<Node> inlines = generated_inlines(rng);
    std::vector<Node> expected = inlines;
    std::vector<bool> used, expected_used(matcher.entries().size(), false);
    bool watched = round % 7 == 0, clean = false;
    ReferenceResult reference{watched, false};
    reference_mark(expected, matcher.entries(), expected_used, watch, reference);
    matcher.mark(inlines, used, watch, &watched, &clean);
    INFO("round " << round << ": " << describe(expected));
    REQUIRE(describe(inlines) == describe(expected));
    REQUIRE(used == expected_used);
    if (watch) REQUIRE(watched == reference.watched);
    REQUIRE(clean == !reference.dirty);
  }
}

TEST_CASE("contains_ci agrees with a byte-by-byte search at every place and text length", "[ingest][patterns]") {
  const auto reference = [](const std::string& s, const std::string& needle) {
    for (size_t i = 0; i + needle.size() <= s.size(); ++i) {
      size_t k = 0;
      while (k < needle.size() && lower(s[i + k]) == needle[k]) ++k;
      if (k == needle.size()) return true;
    }
    return false;
  };
  const std::vector<std::string> needles = {"a", "co", "copyright", "join ", "class ", "in this section", "_x",
                                            "\xC3\xA9t", "7", " ", "aaaaaaaaaaaaaaaaa"};
  Lcg rng{99};
  for (size_t length = 0; length < 90; ++length)
    for (int round = 0; round < 20; ++round) {
      // Mostly the needles' own bytes, so partial and whole matches land at every place.
      static const std::string alphabet = "aAcCoOpPyYjJnN iIsStT_xX7\xC3\xA9\xC3\x89-";
      std::string s;
      while (s.size() < length) s += alphabet[rng.next() % alphabet.size()];
      const std::string& planted = needles[rng.next() % needles.size()];
      if (round % 3 == 0 && planted.size() <= length) {
        const size_t at = rng.next() % (length - planted.size() + 1);
        for (size_t k = 0; k < planted.size(); ++k)
          s[at + k] = rng.next() % 2 && planted[k] >= 'a' && planted[k] <= 'z' ? static_cast<char>(planted[k] - 32)
                                                                                : planted[k];
      }
      for (const std::string& needle : needles) {
        INFO("'" << s << "' / '" << needle << "'");
        REQUIRE(contains_ci(s, needle) == reference(s, needle));
      }
    }
}

namespace {

// TermLinker::link as its contract says: at every word start outside an earlier mention, the
// first form (longest first, in the order the definitions give them) that matches there
// case-insensitively as whole words, unless it is the skipped definition's.
void reference_link(std::vector<Node>& inlines, const std::vector<std::pair<std::string, std::string>>& forms,
                    const std::string& skip_id) {
  std::vector<Node> out;
  for (Node& n : inlines) {
    if (n.type != NodeType::Text) {
      if (n.type == NodeType::Emphasis || n.type == NodeType::Strong) reference_link(n.children, forms, skip_id);
      out.push_back(std::move(n));
      continue;
    }
    const std::string& text = n.text;
    size_t last = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (i < last || !is_word_byte(c) || (i > 0 && is_word_byte(static_cast<unsigned char>(text[i - 1])))) continue;
      for (const auto& [form, id] : forms) {
        if (form.empty() || form[0] < 'a' || form[0] > 'z' || id == skip_id || i + form.size() > text.size()) continue;
        size_t k = 0;
        while (k < form.size() && ascii_lower(text[i + k]) == form[k]) ++k;
        if (k != form.size() || (i + k < text.size() && is_word_byte(static_cast<unsigned char>(text[i + k])))) continue;
        if (i > last) out.emplace_back(NodeType::Text).text = text.substr(last, i - last);
        Node& ref = out.emplace_back(NodeType::TermRef);
        ref.target = id;
        ref.loc = n.loc;
        ref.children.emplace_back(NodeType::Text).text = text.substr(i, k);
        last = i + k;
        break;
      }
    }
    if (last == 0) out.push_back(std::move(n));
    else if (last < text.size()) out.emplace_back(NodeType::Text).text = text.substr(last);
  }
  inlines = std::move(out);
}

}  // namespace

TEST_CASE("term linking agrees with a byte-by-byte reference on generated runs", "[ingest][terms]") {
  std::vector<Definition> definitions(5);
  definitions[0].term = "Perfusion Team";
  definitions[1].term = "policy";
  definitions[1].alternates = {"e.g.", "CPB"};
  definitions[2].term = "team";
  definitions[3].term = std::string(65, 'a');
  definitions[4].term = "surgical care team";
  definitions[4].alternates = {"protocol", "not"};
  for (size_t k = 0; k < definitions.size(); ++k) definitions[k].id = "def-" + std::to_string(k);
  const TermLinker linker(definitions);
  // The forms in the linker's order: each definition's term, plural and alternates (lower
  // case, the first of equal texts kept), longest first.
  std::vector<std::pair<std::string, std::string>> forms;
  const auto lower_all = [](std::string s) {
    for (char& c : s) c = ascii_lower(c);
    return s;
  };
  for (const Definition& d : definitions) {
    std::vector<std::string> texts = {lower_all(d.term), lower_all(plural_of(d.term))};
    for (const std::string& alt : d.alternates) texts.push_back(lower_all(alt));
    for (const std::string& t : texts)
      if (std::none_of(forms.begin(), forms.end(), [&](const auto& f) { return f.first == t; })) forms.emplace_back(t, d.id);
  }
  std::stable_sort(forms.begin(), forms.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  Lcg rng{5};
  for (int round = 0; round < 4000; ++round) {
    std::vector<Node> inlines = generated_inlines(rng);
    std::vector<Node> expected = inlines;
    const std::string skip_id = round % 3 == 0 ? "def-" + std::to_string(rng.next() % 5) : "";
    reference_link(expected, forms, skip_id);
    linker.link(inlines, skip_id);
    INFO("round " << round << ": " << describe(expected));
    REQUIRE(describe(inlines) == describe(expected));
  }
}
