#include "parsers/recognizer/terms.h"

#include <algorithm>

#include "parsers/recognizer/words.h"

namespace normkit::recognizer {

namespace {

std::string lower_string(const std::string& s) {
  std::string out;
  for (char c : s) out += ascii_lower(c);
  return out;
}

}  // namespace

std::string plural_of(const std::string& term) {
  if (term.empty()) return term;
  const char last = ascii_lower(term.back());
  const char before = term.size() > 1 ? ascii_lower(term[term.size() - 2]) : ' ';
  if (last == 'y' && before != 'a' && before != 'e' && before != 'o' && before != 'u')
    return term.substr(0, term.size() - 1) + "ies";
  if (last == 's' || last == 'x' || last == 'z' || (last == 'h' && (before == 's' || before == 'c')))
    return term + "es";
  return term + "s";
}

TermLinker::TermLinker(const std::vector<Definition>& definitions) {
  for (const Definition& d : definitions) {
    if (d.term.empty() || d.id.empty()) continue;
    std::vector<std::string> texts = {lower_string(d.term), lower_string(plural_of(d.term))};
    for (const std::string& alt : d.alternates) texts.push_back(lower_string(alt));
    for (std::string& t : texts)
      if (std::none_of(forms_.begin(), forms_.end(), [&](const Form& f) { return f.text == t; }))
        forms_.push_back({std::move(t), d.id});
  }
  std::stable_sort(forms_.begin(), forms_.end(),
                   [](const Form& a, const Form& b) { return a.text.size() > b.text.size(); });
  for (size_t i = 0; i < forms_.size(); ++i) {
    Form& f = forms_[i];
    f.head = filter_.add(f.text);
    const char c = f.text.empty() ? 0 : f.text[0];
    if (c >= 'a' && c <= 'z') by_letter_[c - 'a'].push_back(i);
  }
}

size_t TermLinker::link(std::vector<Node>& inlines, const std::string& skip_id) const {
  if (forms_.empty()) return 0;
  size_t linked = 0;
  std::vector<Node> out;  // built only once a mention is found
  bool building = false;
  for (size_t j = 0; j < inlines.size(); ++j) {
    Node& n = inlines[j];
    if (n.type != NodeType::Text) {
      if (n.type == NodeType::Emphasis || n.type == NodeType::Strong) linked += link(n.children, skip_id);
      if (building) out.push_back(std::move(n));
      continue;
    }
    const std::string& text = n.text;
    const size_t size = text.size();
    size_t last = 0;
    bool split = false;
    // Word by word: a mention starts only at a word start, and only where the word is as long
    // as the first word of some form with the same first letter.
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
        i = word_end;
        continue;
      }
      size_t matched = 0;
      for (size_t fi : by_letter_[c - 'a']) {
        const Form& f = forms_[fi];
        if (f.head != word_length || f.id == skip_id || i + f.text.size() > size) continue;
        size_t k = 0;
        while (k < f.text.size() && ascii_lower(text[i + k]) == f.text[k]) ++k;
        if (k != f.text.size()) continue;
        if (i + k < size && is_word_byte(static_cast<unsigned char>(text[i + k]))) continue;
        if (!building) {
          building = true;
          out.reserve(inlines.size() + 4);
          for (size_t m = 0; m < j; ++m) out.push_back(std::move(inlines[m]));
        }
        if (i > last) out.emplace_back(NodeType::Text).text.assign(text, last, i - last);
        Node& ref = out.emplace_back(NodeType::TermRef);
        ref.target = f.id;
        ref.loc = n.loc;
        ref.children.emplace_back(NodeType::Text).text.assign(text, i, k);
        ++linked;
        split = true;
        matched = k;
        break;
      }
      if (matched) {
        i += matched;
        last = i;
      } else {
        i = word_end;
      }
    }
    if (!building) continue;
    if (!split) {
      out.push_back(std::move(n));
      continue;
    }
    if (last < text.size()) {
      // The rest keeps the run's own string (no new allocation) in a fresh Text node: moving the
      // string alone is cheaper than moving the whole node.
      Node& rest = out.emplace_back(NodeType::Text);
      rest.text = std::move(n.text);
      rest.text.erase(0, last);
    }
  }
  if (building) inlines = std::move(out);
  return linked;
}

}  // namespace normkit::recognizer
