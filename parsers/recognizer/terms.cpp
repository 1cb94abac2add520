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
    const char c = forms_[i].text.empty() ? 0 : forms_[i].text[0];
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
    size_t last = 0;
    bool split = false;
    // Only word starts are candidates: after one that matches nothing, the rest of the word
    // is skipped (a term never starts inside a word).
    for (size_t i = 0; i < text.size(); ++i) {
      if (i > 0 && is_word_byte(static_cast<unsigned char>(text[i - 1]))) continue;
      const char c = ascii_lower(text[i]);
      if (c < 'a' || c > 'z') continue;
      bool matched = false;
      for (size_t fi : by_letter_[c - 'a']) {
        const Form& f = forms_[fi];
        if (f.id == skip_id || i + f.text.size() > text.size()) continue;
        size_t k = 0;
        while (k < f.text.size() && ascii_lower(text[i + k]) == f.text[k]) ++k;
        if (k != f.text.size()) continue;
        if (i + k < text.size() && is_word_byte(static_cast<unsigned char>(text[i + k]))) continue;
        if (!building) {
          building = true;
          out.reserve(inlines.size() + 4);
          for (size_t m = 0; m < j; ++m) out.push_back(std::move(inlines[m]));
        }
        if (i > last) out.push_back(Node::make_text(text.substr(last, i - last)));
        Node ref(NodeType::TermRef);
        ref.target = f.id;
        ref.loc = n.loc;
        ref.children.push_back(Node::make_text(text.substr(i, k)));
        out.push_back(std::move(ref));
        ++linked;
        split = true;
        matched = true;
        i += k - 1;
        last = i + 1;
        break;
      }
      if (!matched)
        while (i + 1 < text.size() && is_word_byte(static_cast<unsigned char>(text[i + 1]))) ++i;
    }
    if (!building) continue;
    if (!split) {
      out.push_back(std::move(n));
      continue;
    }
    if (last < text.size()) {
      // The rest keeps the run's own string (no new allocation), as a fresh Text node.
      n.text.erase(0, last);
      n.loc = {};
      n.origin_line = 0;
      out.push_back(std::move(n));
    }
  }
  if (building) inlines = std::move(out);
  return linked;
}

}  // namespace normkit::recognizer
