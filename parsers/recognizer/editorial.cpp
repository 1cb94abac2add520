#include "parsers/recognizer/editorial.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace normkit::recognizer {

namespace {

struct Wording {
  bool mandatory = false;    // shall, must (and their negations)
  bool strong = false;       // is recommended, is indicated
  bool weak = false;         // is reasonable, may be considered, might be reasonable
};

// The keywords under a provision, nested provisions excluded. `stack` is the caller's, reused
// for every provision (a walk of its own would allocate one per provision); the order of the
// visit does not matter, only which keywords occur.
Wording wording_of(const Node& provision, std::vector<const Node*>& stack) {
  Wording w;
  stack.clear();
  // Keywords are read as they are met; only nodes with nodes below them wait on the stack.
  // (Inlined: it runs for every node below a provision; a call each cost more than its body.)
  const auto meet = [&](const Node& n) __attribute__((always_inline)) {
    if (n.type == NodeType::Provision) return;  // nested provisions speak for themselves
    if (n.type == NodeType::Keyword) {
      if (n.force == Force::Mandatory || n.force == Force::Prohibited) w.mandatory = true;
      const std::string_view word = n.target;  // (compared as views: the length first, inline)
      if (word == "is recommended" || word == "is indicated") w.strong = true;
      if (n.force == Force::Permitted || n.force == Force::Optional) w.weak = true;
    }
    if (!n.children.empty() || !n.title.empty()) stack.push_back(&n);
  };
  for (const Node& c : provision.children) meet(c);
  while (!stack.empty()) {
    const Node& n = *stack.back();
    stack.pop_back();
    for (const Node& c : n.children) meet(c);
    for (const Node& c : n.title) meet(c);
  }
  return w;
}

// "1.3" → 3; 0 when the number has no numeric last part.
unsigned last_part(std::string_view number) {
  const size_t dot = number.rfind('.');
  const std::string_view tail = dot == std::string_view::npos ? number : number.substr(dot + 1);
  if (tail.empty() || tail.size() > 6) return 0;
  unsigned v = 0;
  for (char c : tail) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v;
}

}  // namespace

void check_editorial(const Document& doc, Diagnostics& diags) {
  std::vector<const Node*> stack;
  // Paragraphs and tables hold inline content only: no provision or container below. They are
  // not visited at all (the walk below is walk()'s order without them).
  // (One bit per node type, from is_inline once: a call per node cost more than the test.)
  static const uint32_t passed_over_types = [] {
    uint32_t mask = 1u << static_cast<unsigned>(NodeType::Furniture) | 1u << static_cast<unsigned>(NodeType::Paragraph) |
                    1u << static_cast<unsigned>(NodeType::Table);
    for (unsigned t = 0; t < 32; ++t)
      if (is_inline(static_cast<NodeType>(t))) mask |= 1u << t;
    return mask;
  }();
  const auto passed_over = [](const Node& n) {
    const unsigned t = static_cast<unsigned>(n.type);
    return t >= 32 ? is_inline(n.type) : (passed_over_types >> t & 1) != 0;
  };
  const auto visit = [&](const Node& n) {
    if (n.type == NodeType::Section || n.type == NodeType::Scope || n.type == NodeType::Note) {
      // Numbering gaps among the direct provisions of this container, per kind: the last
      // number seen of each kind (a view of the provision's own number).
      struct Previous {
        unsigned value = 0;
        const std::string* number = nullptr;
      };
      Previous previous[static_cast<size_t>(ProvisionKind::Requirement) + 1];
      for (const Node& c : n.children) {
        if (c.type != NodeType::Provision || c.labeled->number.empty()) continue;
        const unsigned v = last_part(c.labeled->number);
        if (v == 0) continue;
        Previous& p = previous[static_cast<size_t>(c.labeled->kind)];
        if (p.number && v > p.value + 1)
          diags.warning("numbering-gap",
                        std::string(display_name(c.labeled->kind)) + " " + c.labeled->number +
                            " follows " + *p.number + ": a number is missing",
                        c.loc);
        p = {v, &c.labeled->number};
      }
    }
    if (n.type != NodeType::Provision) return true;
    const Labeled& l = *n.labeled;
    // Only standards, guidelines and graded recommendations are checked against their wording.
    const bool checked = l.kind == ProvisionKind::Standard || l.kind == ProvisionKind::Guideline ||
                         (l.kind == ProvisionKind::Recommendation && !l.cls.empty());
    const Wording w = checked ? wording_of(n, stack) : Wording{};
    const std::string_view name = l.label.empty() ? display_name(l.kind) : std::string_view(l.label);
    switch (l.kind) {
      case ProvisionKind::Standard:
        if (!w.mandatory)
          diags.warning("standard-without-mandatory",
                        std::string(name) + " has no mandatory keyword (shall, must): is it a guideline?", n.loc);
        break;
      case ProvisionKind::Guideline:
        if (w.mandatory)
          diags.warning("guideline-with-mandatory",
                        std::string(name) + " uses a mandatory keyword (shall, must): is it a standard?", n.loc);
        break;
      case ProvisionKind::Recommendation:
        if (l.cls.empty()) break;
        if (l.cls != "I" && w.strong)
          diags.warning("class-wording", std::string(name) + " is Class " + l.cls +
                                             " but is worded \"is recommended\", the wording of Class I",
                        n.loc);
        else if (l.cls == "I" && w.weak && !w.strong)
          diags.warning("class-wording", std::string(name) + " is Class I but is worded as a weaker recommendation",
                        n.loc);
        break;
      default:
        break;
    }
    return true;
  };
  std::vector<const Node*> todo;
  for (auto it = doc.body.rbegin(); it != doc.body.rend(); ++it)
    if (!passed_over(*it)) todo.push_back(&*it);
  while (!todo.empty()) {
    const Node& n = *todo.back();
    todo.pop_back();
    if (!visit(n)) continue;
    for (auto it = n.children.rbegin(); it != n.children.rend(); ++it)
      if (!passed_over(*it)) todo.push_back(&*it);
    for (auto it = n.title.rbegin(); it != n.title.rend(); ++it)
      if (!passed_over(*it)) todo.push_back(&*it);
  }
}

}  // namespace normkit::recognizer
