#include "generators/bundle/extract.h"

#include "core/text.h"
#include "core/validate.h"

namespace normkit::bundle {

namespace {

// Where the text being walked goes, and the mark it carries.
struct Frame {
  const Node* node;
  int section;    // innermost enclosing section, -1 at top level
  int provision;  // innermost enclosing provision (nested provisions included), -1 outside
  int outline;    // innermost enclosing outline item
  MarkKind mark;
  const Node* mark_node;  // the Keyword, TermRef, XRef or Link that set `mark`
};

void append_run(OwnText& out, MarkKind kind, std::string_view text, const Node* mark_node) {
  if (text.empty()) return;
  const auto begin = static_cast<uint32_t>(out.plain.size());
  if (is_valid_utf8(text)) out.plain += text;
  else out.plain += sanitize_utf8(text);
  const auto end = static_cast<uint32_t>(out.plain.size());
  // Consecutive text under the same mark is one run; each keyword is its own run.
  if (!out.marked.empty() && out.marked.back().kind == kind && out.marked.back().end == begin &&
      (kind == MarkKind::None || (kind != MarkKind::Keyword && out.marked.back().mark == mark_node))) {
    out.marked.back().end = end;
    return;
  }
  out.marked.push_back({kind, begin, end, kind == MarkKind::None ? nullptr : mark_node});
}

// Starts a new block in `out`: blocks are separated by one "\n".
void begin_block(OwnText& out) {
  if (!out.plain.empty() && out.plain.back() != '\n') append_run(out, MarkKind::None, "\n", nullptr);
}

void end_text(OwnText& out) {
  // Drop a trailing block separator left by an empty last block.
  if (!out.plain.empty() && out.plain.back() == '\n') {
    out.plain.pop_back();
    MarkedRun& last = out.marked.back();
    --last.end;
    if (last.end == last.begin) out.marked.pop_back();
  }
}

// Walks `roots` iteratively, sending text to `text_of(frame)` and reporting sections, provisions
// and marks through the callbacks. Used for the body and, with no callbacks, for explanations.
template <class TextOf, class OnSection, class OnProvision, class OnMention>
void walk_blocks(const std::vector<Node>& roots, TextOf text_of, OnSection on_section,
                 OnProvision on_provision, OnMention on_mention) {
  std::vector<Frame> stack;
  const auto push_all = [&](const std::vector<Node>& nodes, Frame f) {
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
      f.node = &*it;
      stack.push_back(f);
    }
  };
  push_all(roots, Frame{nullptr, -1, -1, -1, MarkKind::None, nullptr});
  while (!stack.empty()) {
    Frame f = stack.back();
    stack.pop_back();
    const Node& n = *f.node;
    switch (n.type) {
      case NodeType::Furniture:
        break;  // page furniture is not part of the document
      case NodeType::Section: {
        Frame inner = f;
        on_section(n, f, inner);
        push_all(n.children, inner);
        break;
      }
      case NodeType::Provision: {
        Frame inner = f;
        on_provision(n, f, inner);
        push_all(n.children, inner);
        break;
      }
      case NodeType::Paragraph:
      case NodeType::Cell:
        if (OwnText* t = text_of(f)) begin_block(*t);
        push_all(n.children, f);
        break;
      case NodeType::Table:
        if (OwnText* t = text_of(f); t && !n.title.empty()) {
          begin_block(*t);
          append_run(*t, MarkKind::None, plain_text(n.title), nullptr);
        }
        push_all(n.children, f);
        break;
      case NodeType::Text:
        if (OwnText* t = text_of(f)) append_run(*t, f.mark, n.text, f.mark_node);
        break;
      case NodeType::LineBreak:
        if (OwnText* t = text_of(f)) append_run(*t, f.mark, " ", f.mark_node);
        break;
      case NodeType::Keyword:
        if (OwnText* t = text_of(f)) append_run(*t, MarkKind::Keyword, n.text, &n);
        on_mention(MarkKind::Keyword, n, f);
        break;
      case NodeType::TermRef: {
        Frame inner = f;
        inner.mark = MarkKind::Term;
        inner.mark_node = &n;
        on_mention(MarkKind::Term, n, f);
        push_all(n.children, inner);
        break;
      }
      case NodeType::XRef:
      case NodeType::Link: {
        Frame inner = f;
        // The innermost mark wins; an unsafe link keeps its text but loses its target.
        const bool safe = n.type == NodeType::XRef || !is_unsafe_url(n.target);
        if (f.mark == MarkKind::None && safe) {
          inner.mark = n.type == NodeType::XRef ? MarkKind::XRef : MarkKind::Link;
          inner.mark_node = &n;
        }
        push_all(n.children, inner);
        break;
      }
      default:  // List, ListItem, Row, Note, Scope, Emphasis, Strong: containers
        push_all(n.children, f);
        break;
    }
  }
}

}  // namespace

ExtractedDocument extract_document(const Document& doc) {
  ExtractedDocument out;
  out.doc = &doc;
  out.title = plain_text(doc.meta.title);
  out.subtitle = plain_text(doc.meta.subtitle);
  out.stats.definitions = doc.definitions.size();
  const auto text_of = [&](const Frame& f) -> OwnText* {
    if (f.provision >= 0) return &out.provisions[f.provision].text;
    if (f.section >= 0) return &out.sections[f.section].text;
    return nullptr;  // text outside any section (front matter) belongs to no outline item
  };
  const auto on_section = [&](const Node& n, const Frame& f, Frame& inner) {
    ExtractedSection s;
    s.labeled = n.labeled.get();
    s.title = plain_text(n.title);
    s.parent = f.section;
    s.depth = f.section >= 0 ? out.sections[f.section].depth + 1 : 0;
    s.outline = static_cast<int>(out.outline.size());
    out.outline.push_back({true, static_cast<int>(out.sections.size()), f.outline});
    inner.section = static_cast<int>(out.sections.size());
    inner.provision = -1;
    inner.outline = s.outline;
    out.sections.push_back(std::move(s));
    ++out.stats.sections;
  };
  const auto on_provision = [&](const Node& n, const Frame& f, Frame& inner) {
    ExtractedProvision p;
    p.labeled = n.labeled.get();
    p.title = plain_text(n.title);
    p.section = f.section;
    p.parent_provision = f.provision;
    p.outline = static_cast<int>(out.outline.size());
    out.outline.push_back({false, static_cast<int>(out.provisions.size()), f.outline});
    inner.provision = static_cast<int>(out.provisions.size());
    inner.outline = p.outline;
    out.provisions.push_back(std::move(p));
    switch (n.labeled->kind) {
      case ProvisionKind::Standard: ++out.stats.standards; break;
      case ProvisionKind::Guideline: ++out.stats.guidelines; break;
      case ProvisionKind::Recommendation: ++out.stats.recommendations; break;
      default: ++out.stats.other_provisions; break;
    }
  };
  const auto on_mention = [&](MarkKind kind, const Node& n, const Frame& f) {
    Mention m;
    m.kind = kind;
    m.section = f.section;
    m.provision = f.provision;
    m.as_written = kind == MarkKind::Keyword ? n.text : plain_text(n.children);
    m.target = n.target;
    m.force = n.force;
    out.mentions.push_back(std::move(m));
    ++(kind == MarkKind::Keyword ? out.stats.keywords : out.stats.term_mentions);
  };
  walk_blocks(doc.body, text_of, on_section, on_provision, on_mention);
  for (ExtractedSection& s : out.sections) end_text(s.text);
  for (ExtractedProvision& p : out.provisions) end_text(p.text);
  return out;
}

std::string blocks_text(const std::vector<Node>& blocks) {
  OwnText text;
  walk_blocks(
      blocks, [&](const Frame&) { return &text; },
      [](const Node&, const Frame&, Frame&) {}, [](const Node&, const Frame&, Frame&) {},
      [](MarkKind, const Node&, const Frame&) {});
  end_text(text);
  return text.plain;
}

std::string sanitize_utf8(std::string_view s) {
  if (is_valid_utf8(s)) return std::string(s);
  return to_utf8(s, Encoding::Utf8);
}

}  // namespace normkit::bundle
