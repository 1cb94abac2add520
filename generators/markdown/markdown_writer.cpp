#include "generators/markdown/markdown_writer.h"

#include <cmark.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>

#include "core/text.h"
#include "core/validate.h"
#include "parsers/markdown/cmark_arena.h"
#include "parsers/markdown/front_matter.h"
#include "parsers/markdown/markdown_blocks.h"

namespace normkit::markdown {

namespace {

// --- cmark tree helpers ----------------------------------------------------------------------

// A new tree's root, in the current arena (an MdArenaScope must be alive).
cmark_node* md_new_document() { return cmark_node_new_with_mem(CMARK_NODE_DOCUMENT, &md_arena_mem); }

cmark_node* md_add(cmark_node* parent, cmark_node_type type) {
  cmark_node* n = cmark_node_new_with_mem(type, &md_arena_mem);
  if (!cmark_node_append_child(parent, n)) {
    // Not allowed here (should not happen with the shapes below): keep the tree valid.
    cmark_node_free(n);
    return nullptr;
  }
  return n;
}

// cmark wants NUL-terminated strings; one reused buffer saves an allocation per text node.
const char* md_cstr(std::string_view s) {
  thread_local std::string buffer;
  buffer.assign(s);
  return buffer.c_str();
}

// --- Text that needs no escaping ------------------------------------------------------------
//
// cmark's CommonMark renderer looks at every character of a TEXT node to decide whether it needs a
// backslash (commonmark.c outc), which is about a third of its work. Most of our text needs none.
// Such text goes into the tree as an inline HTML node instead: cmark writes those characters as
// they are (LITERAL), so the bytes are the same as for a TEXT node, and the decision is made here
// once per string with a table instead of once per character with a dozen comparisons.
//
// What the renderer (cmark 0.30, width 0) escapes in a TEXT node, and so what keeps text out:
//  - anywhere: * _ [ ] # < > \ ` ~ ! & and control characters;
//  - at the start of a line's content (only leading digits keep that state alive): - + = and,
//    after a digit, . and ) — so text starting with a digit, - + = . ) is kept out;
//  - runs of spaces (it collapses them) and a space at the start of a line (it drops it).
// Text inside links stays TEXT: cmark merges a link's TEXT children to detect autolinks.
struct PlainTable {
  bool special[256] = {};
  constexpr PlainTable() {
    for (int c = 0; c < 0x20; ++c) special[c] = true;
    for (unsigned char c : std::string_view("*_[]#<>\\`~!&")) special[c] = true;
  }
};
constexpr PlainTable kPlain;

bool md_plain_text(std::string_view s, bool line_start) {
  if (s.empty()) return false;
  const unsigned char first = static_cast<unsigned char>(s[0]);
  if ((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '=' || first == '.' ||
      first == ')')
    return false;
  if (first == ' ' && line_start) return false;
  bool space = false;
  for (unsigned char c : s) {
    if (kPlain.special[c]) return false;
    if (c == ' ') {
      if (space) return false;
      space = true;
    } else {
      space = false;
    }
  }
  return true;
}

// Whether text appended to `parent` now would start a line of output.
bool md_at_line_start(cmark_node* parent) {
  const cmark_node_type pt = cmark_node_get_type(parent);
  if (pt != CMARK_NODE_PARAGRAPH && pt != CMARK_NODE_HEADING) return false;
  cmark_node* last = cmark_node_last_child(parent);
  if (!last) return true;
  const cmark_node_type lt = cmark_node_get_type(last);
  return lt == CMARK_NODE_LINEBREAK || lt == CMARK_NODE_SOFTBREAK;
}

// cmark copies `s` (NUL-terminated, `size` bytes).
void md_text_node(cmark_node* parent, const char* s, size_t size) {
  const bool in_link = cmark_node_get_type(parent) == CMARK_NODE_LINK;
  const bool plain = !in_link && md_plain_text(std::string_view(s, size), md_at_line_start(parent));
  cmark_node* n = md_add(parent, plain ? CMARK_NODE_HTML_INLINE : CMARK_NODE_TEXT);
  if (n) cmark_node_set_literal(n, s);
}

void md_text(cmark_node* parent, std::string_view s) {
  if (s.empty() || !parent) return;
  md_text_node(parent, md_cstr(s), s.size());
}

// A model string is NUL-terminated already: no copy through md_cstr (cmark reads up to the
// first NUL either way).
void md_text_str(cmark_node* parent, const std::string& s) {
  if (s.empty() || !parent) return;
  md_text_node(parent, s.c_str(), s.size());
}

void md_html_inline(cmark_node* parent, std::string_view s) {
  if (!parent) return;
  cmark_node* n = md_add(parent, CMARK_NODE_HTML_INLINE);
  if (n) cmark_node_set_literal(n, md_cstr(s));
}

void md_anchor(cmark_node* parent, std::string_view id) {
  if (id.empty() || !is_safe_id(id)) return;
  md_html_inline(parent, "<a id=\"" + std::string(id) + "\"></a>");
}

// An anchor whose id may carry further, already escaped attributes (see provision()).
void md_anchor_raw(cmark_node* parent, std::string_view id_and_attrs) {
  if (id_and_attrs.empty() || !parent) return;
  const std::string_view id = id_and_attrs.substr(0, id_and_attrs.find('"'));
  if (!is_safe_id(id)) return;
  thread_local std::string tag;
  tag.assign("<a id=\"").append(id_and_attrs).append("\"></a>");
  cmark_node* n = md_add(parent, CMARK_NODE_HTML_INLINE);
  if (n) cmark_node_set_literal(n, tag.c_str());
}

cmark_node* md_strong_text(cmark_node* parent, std::string_view s) {
  cmark_node* strong = md_add(parent, CMARK_NODE_STRONG);
  md_text(strong, s);
  return strong;
}

// The rendered text lives in the arena; the copy outlives it.
std::string md_render(cmark_node* root) {
  const char* rendered = cmark_render_commonmark(root, CMARK_OPT_DEFAULT, 0);
  return rendered ? std::string(rendered) : std::string();
}

// --- Inline content --------------------------------------------------------------------------

// Model inlines → cmark inlines under `parent`, iteratively, with `prefix` and `suffix` text
// around them. Keywords are plain words (the reader marks them again from word usage); term
// mentions and cross-references link to the anchors of their targets; unsafe links keep their
// text only. Adjacent text (text, keywords, prefix, suffix) becomes one cmark node: fewer nodes
// for cmark to render, and its escaping sees the text as the reader will ("&" + "amp;" in two
// nodes would not be escaped).
void md_inlines(cmark_node* parent, const std::vector<Node>& inlines, std::string_view prefix = {},
                std::string_view suffix = {}) {
  struct Frame {
    const Node* node;
    cmark_node* parent;
  };
  // Reused between calls (md_inlines never calls itself).
  thread_local std::string run;
  thread_local std::vector<Frame> stack;
  run.assign(prefix);
  stack.clear();
  cmark_node* run_parent = parent;
  const auto flush = [&] {
    if (!run.empty() && run_parent) md_text_node(run_parent, run.c_str(), run.size());
    run.clear();
  };
  for (auto it = inlines.rbegin(); it != inlines.rend(); ++it) stack.push_back({&*it, parent});
  while (!stack.empty()) {
    const Frame f = stack.back();
    stack.pop_back();
    if (!f.parent) continue;
    const Node& n = *f.node;
    if (n.type == NodeType::Text || n.type == NodeType::Keyword) {
      if (f.parent != run_parent) {
        flush();
        run_parent = f.parent;
      }
      run += n.text;
      continue;
    }
    flush();
    cmark_node* container = nullptr;
    switch (n.type) {
      case NodeType::LineBreak: md_add(f.parent, CMARK_NODE_LINEBREAK); break;
      case NodeType::Emphasis: container = md_add(f.parent, CMARK_NODE_EMPH); break;
      case NodeType::Strong: container = md_add(f.parent, CMARK_NODE_STRONG); break;
      case NodeType::TermRef:
      case NodeType::XRef:
        if (is_safe_id(n.target)) {
          container = md_add(f.parent, CMARK_NODE_LINK);
          if (container) cmark_node_set_url(container, ("#" + n.target).c_str());
          if (n.children.empty()) md_text_str(container, n.target);
        } else {
          container = f.parent;
        }
        break;
      case NodeType::Link:
        if (is_unsafe_url(n.target)) {
          container = f.parent;
        } else {
          container = md_add(f.parent, CMARK_NODE_LINK);
          if (container) cmark_node_set_url(container, n.target.c_str());
        }
        break;
      default: break;  // blocks never appear among inlines
    }
    if (!container) continue;
    for (auto it = n.children.rbegin(); it != n.children.rend(); ++it)
      stack.push_back({&*it, container});
  }
  if (!suffix.empty()) {
    if (run_parent != parent) {
      flush();
      run_parent = parent;
    }
    run += suffix;
  }
  flush();
}

// One table cell's inlines as CommonMark text on one line, '|' escaped for a pipe table.
std::string md_cell_text(const std::vector<Node>& inlines) {
  MdArenaScope arena;
  cmark_node* doc = md_new_document();
  cmark_node* para = md_add(doc, CMARK_NODE_PARAGRAPH);
  md_inlines(para, inlines);
  std::string rendered = md_render(doc);
  while (!rendered.empty() && rendered.back() == '\n') rendered.pop_back();
  std::string out;
  out.reserve(rendered.size());
  for (char c : rendered) {
    if (c == '\n') {
      out += ' ';
      continue;
    }
    if (c == '|') out += '\\';
    out += c;
  }
  return out.empty() ? std::string(" ") : out;
}

// --- Labels and grading ----------------------------------------------------------------------

std::string class_display(std::string_view cls) {
  if (cls == "III-no-benefit") return "Class III: No Benefit";
  if (cls == "III-harm") return "Class III: Harm";
  return "Class " + std::string(cls);
}

std::string grading_annotation(const Labeled& l) {
  std::string out;
  if (!l.cls.empty()) out += class_display(l.cls);
  if (!l.level.empty()) {
    if (!out.empty()) out += ", ";
    out += "Level " + l.level;
  }
  return out.empty() ? out : "(" + out + ")";
}

std::string provision_label(const Node& n) {
  const Labeled& l = *n.labeled;
  if (!l.label.empty()) return l.label;
  std::string label(display_name(l.kind));
  if (!l.number.empty()) label += " " + l.number;
  return label;
}

std::string capitalized(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  for (char& c : out)
    if (c == '-') c = ' ';
  return out;
}

// "shall" → "Shall", "is recommended" → "Is recommended".
std::string capitalized_word(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// --- Blocks ----------------------------------------------------------------------------------

class BlockWriter {
 public:
  explicit BlockWriter(cmark_node* root) : root_(root) {}

  void blocks(const std::vector<Node>& nodes, cmark_node* parent, int heading_level, size_t first = 0) {
    for (size_t i = first; i < nodes.size(); ++i) block(nodes[i], parent, heading_level);
  }

 private:
  cmark_node* root_;

  // A paragraph with optional lead-in: anchor, bold label, then inlines, then a trailer.
  cmark_node* paragraph(cmark_node* parent, const Node* para, std::string_view anchor,
                        std::string_view bold_label, std::string_view trailer) {
    cmark_node* p = md_add(parent, CMARK_NODE_PARAGRAPH);
    if (!p) return nullptr;
    md_anchor_raw(p, anchor);
    if (!bold_label.empty()) md_strong_text(p, bold_label);
    const bool space = !bold_label.empty() && para && !para->children.empty();
    thread_local std::string tail;
    tail.clear();
    if (!trailer.empty()) (tail += ' ') += trailer;
    static const std::vector<Node> kNone;
    md_inlines(p, para ? para->children : kNone, space ? " " : "", tail);
    return p;
  }

  void block(const Node& n, cmark_node* parent, int heading_level) {
    // The model bounds depth at kMaxDepth, so this recursion is bounded by it as well.
    switch (n.type) {
      case NodeType::Section: section(n, parent, heading_level); break;
      case NodeType::Provision: provision(n, parent, heading_level); break;
      case NodeType::Paragraph: paragraph(parent, &n, "", "", ""); break;
      case NodeType::List: list(n, parent, heading_level); break;
      case NodeType::Table: table(n, parent); break;
      case NodeType::Note: {
        cmark_node* quote = md_add(parent, CMARK_NODE_BLOCK_QUOTE);
        labeled_blocks(n.children, quote, n.text.empty() ? "Note:" : capitalized(n.text) + ":",
                       heading_level);
        break;
      }
      case NodeType::Scope: labeled_blocks(n.children, parent, "Scope:", heading_level); break;
      case NodeType::Furniture: break;  // not part of the document (docs/authoring.md)
      default:
        if (is_inline(n.type)) {
          cmark_node* p = md_add(parent, CMARK_NODE_PARAGRAPH);
          md_inlines(p, std::vector<Node>{n});
        }
        break;
    }
  }

  // Blocks whose first paragraph starts with a bold lead-in ("Note:", "Scope:").
  void labeled_blocks(const std::vector<Node>& children, cmark_node* parent, std::string_view label,
                      int heading_level) {
    if (!parent) return;
    size_t first = 0;
    if (!children.empty() && children[0].type == NodeType::Paragraph) {
      paragraph(parent, &children[0], "", label, "");
      first = 1;
    } else {
      paragraph(parent, nullptr, "", label, "");
    }
    for (size_t i = first; i < children.size(); ++i) block(children[i], parent, heading_level);
  }

  void section(const Node& n, cmark_node* parent, int heading_level) {
    const Labeled& l = *n.labeled;
    // Headings only live at the top level of the document in this layout.
    cmark_node* h = md_add(root_, CMARK_NODE_HEADING);
    cmark_node_set_heading_level(h, std::min(heading_level, 6));
    std::string lead;
    if (!l.label.empty()) {
      // "Standard 1: Title": the recognizer reads label and number from the text.
      md_anchor(h, l.id);
      lead = l.label + ": ";
    } else if (!l.number.empty() && is_safe_id(l.id)) {
      // A number without a label rides on the anchor: "1. Title" would read as part of the title.
      md_html_inline(h, "<a id=\"" + l.id + "\" data-number=\"" + escape_anchor_attr(l.number) + "\"></a>");
    } else {
      md_anchor(h, l.id);
    }
    md_inlines(h, n.title, lead);
    blocks(n.children, root_, heading_level + 1);
  }

  void provision(const Node& n, cmark_node* parent, int heading_level) {
    const Labeled& l = *n.labeled;
    // The grading scheme is not in the text; it rides on the anchor.
    const std::string anchor = !l.grading.empty() && is_safe_id(l.id)
                                   ? l.id + "\" data-grading=\"" + escape_anchor_attr(l.grading)
                                   : l.id;
    std::string label = provision_label(n) + ":";
    const std::string annotation = grading_annotation(l);
    size_t first = 0;
    if (!n.title.empty()) {
      // "**Standard 1.1: Title**" on its own line, then the content.
      cmark_node* p = md_add(parent, CMARK_NODE_PARAGRAPH);
      md_anchor_raw(p, anchor);
      cmark_node* strong = md_add(p, CMARK_NODE_STRONG);
      md_inlines(strong, n.title, label + " ");
      if (!annotation.empty()) md_text(p, " " + annotation);
    } else if (!n.children.empty() && n.children[0].type == NodeType::Paragraph) {
      paragraph(parent, &n.children[0], anchor, label, annotation);
      first = 1;
    } else {
      paragraph(parent, nullptr, anchor, label, annotation);
    }
    for (size_t i = first; i < n.children.size(); ++i) block(n.children[i], parent, heading_level);
  }

  void list(const Node& n, cmark_node* parent, int heading_level) {
    // CommonMark numbers lists with digits only; lettered and roman lists become bullet lists
    // whose items start with "a)", which the reader turns back into labels.
    const bool decimal = n.flag && (n.list_style == ListStyle::Decimal || n.list_style == ListStyle::None);
    bool labels_are_sequence = decimal;
    int start = 1;
    if (decimal && !n.children.empty()) {
      for (size_t i = 0; i < n.children.size(); ++i) {
        const std::string& label = n.children[i].text;
        if (label.empty()) continue;
        char* end = nullptr;
        const long v = std::strtol(label.c_str(), &end, 10);
        if (*end != '\0' || v < 0 || v > 999999999) {
          labels_are_sequence = false;
          break;
        }
        if (i == 0) start = static_cast<int>(v);
        else if (v != start + static_cast<long>(i)) labels_are_sequence = false;
      }
    }
    cmark_node* l = md_add(parent, CMARK_NODE_LIST);
    if (!l) return;
    const bool ordered = decimal && labels_are_sequence;
    cmark_node_set_list_type(l, ordered ? CMARK_ORDERED_LIST : CMARK_BULLET_LIST);
    if (ordered) {
      cmark_node_set_list_start(l, start);
      cmark_node_set_list_delim(l, CMARK_PERIOD_DELIM);
    }
    bool tight = true;
    for (const Node& item : n.children)
      if (item.children.size() > 1) tight = false;
    cmark_node_set_list_tight(l, tight ? 1 : 0);
    for (const Node& item : n.children) {
      cmark_node* it = md_add(l, CMARK_NODE_ITEM);
      if (!it) continue;
      const std::string marker = (!ordered && !item.text.empty()) ? item.text + ")" : "";
      if (!item.children.empty() && is_inline(item.children[0].type)) {
        // Inline content: one paragraph, without copying it into a Paragraph node first.
        cmark_node* p = md_add(it, CMARK_NODE_PARAGRAPH);
        md_inlines(p, item.children, marker.empty() ? "" : marker + " ");
        continue;
      }
      const std::vector<Node>* content = &item.children;
      size_t first = 0;
      if (!marker.empty()) {
        if (!content->empty() && (*content)[0].type == NodeType::Paragraph) {
          cmark_node* p = md_add(it, CMARK_NODE_PARAGRAPH);
          md_inlines(p, (*content)[0].children, marker + ((*content)[0].children.empty() ? "" : " "));
          first = 1;
        } else {
          md_text(md_add(it, CMARK_NODE_PARAGRAPH), marker);
        }
      }
      for (size_t i = first; i < content->size(); ++i) block((*content)[i], it, heading_level);
    }
  }

  void table(const Node& n, cmark_node* parent) {
    if (!n.title.empty()) {
      cmark_node* p = md_add(parent, CMARK_NODE_PARAGRAPH);
      md_inlines(p, n.title, "Table: ");
    }
    size_t columns = 0;
    for (const Node& row : n.children) columns = std::max(columns, row.children.size());
    if (columns == 0) return;
    std::string text;
    bool header_done = false;
    auto emit_row = [&](const Node* row) {
      text += '|';
      for (size_t c = 0; c < columns; ++c) {
        text += ' ';
        text += row && c < row->children.size() ? md_cell_text(row->children[c].children) : " ";
        text += " |";
      }
      text += '\n';
    };
    auto emit_delimiter = [&] {
      text += '|';
      for (size_t c = 0; c < columns; ++c) text += " --- |";
      text += '\n';
      header_done = true;
    };
    for (const Node& row : n.children) {
      if (!header_done) {
        // A pipe table needs a header row; an empty one stands in when the source has none.
        emit_row(row.flag ? &row : nullptr);
        emit_delimiter();
        if (row.flag) continue;
      }
      emit_row(&row);
    }
    cmark_node* html = md_add(parent, CMARK_NODE_HTML_BLOCK);
    if (html) cmark_node_set_literal(html, text.c_str());
  }
};

// --- Document parts --------------------------------------------------------------------------

std::string front_matter(const Document& doc) {
  std::string out = "---\n";
  out += "work: " + yaml_scalar(doc.work) + "\n";
  out += "edition: " + yaml_scalar(doc.edition) + "\n";
  out += "type: " + yaml_scalar(to_string(doc.type)) + "\n";
  out += "lang: " + yaml_scalar(doc.lang) + "\n";
  // Every term mention is written as a link, so the reader links no others.
  out += "link-terms: false\n";
  out += "title: " + yaml_scalar(plain_text(doc.meta.title)) + "\n";
  if (!doc.meta.subtitle.empty()) out += "subtitle: " + yaml_scalar(plain_text(doc.meta.subtitle)) + "\n";
  if (!doc.meta.organizations.empty()) {
    out += "organizations:\n";
    for (const Organization& o : doc.meta.organizations) {
      std::string value = o.name;
      if (!o.abbrev.empty()) value += " (" + o.abbrev + ")";
      out += "  - " + std::string(to_string(o.role)) + ": " + yaml_scalar(value) + "\n";
    }
  }
  if (!doc.meta.dates.empty()) {
    out += "dates:\n";
    for (const DateEntry& d : doc.meta.dates)
      out += "  - " + std::string(to_string(d.type)) + ": " + yaml_scalar(d.value) + "\n";
  }
  for (const SourceInfo& s : doc.meta.sources)
    if (!s.url.empty() && !is_unsafe_url(s.url)) {
      out += "url: " + yaml_scalar(s.url) + "\n";
      break;
    }
  out += "---\n\n";
  return out;
}

// "<a data-force=... data-origin=...></a>**Shall**: explanation": the recognizer reads the
// "Word: explanation" layout; the anchor keeps force and origin, which the text does not state.
void word_usage_section(cmark_node* root, const Document& doc) {
  if (doc.word_usage.empty()) return;
  cmark_node* h = md_add(root, CMARK_NODE_HEADING);
  cmark_node_set_heading_level(h, 2);
  md_text(h, "Word Usage");
  BlockWriter writer(root);
  for (const KeywordUsage& k : doc.word_usage) {
    cmark_node* p = md_add(root, CMARK_NODE_PARAGRAPH);
    md_html_inline(p, "<a data-force=\"" + std::string(to_string(k.force)) + "\" data-origin=\"" +
                          (k.from_document ? "document" : "default") + "\"></a>");
    md_strong_text(p, capitalized_word(k.word));
    size_t first = 0;
    if (!k.explanation.empty() && k.explanation[0].type == NodeType::Paragraph) {
      md_inlines(p, k.explanation[0].children, ": ");
      first = 1;
    } else {
      md_text(p, ":");
    }
    writer.blocks(k.explanation, root, 3, first);
  }
}

// "<a id=... data-alt=... data-source=...></a>**Term**: explanation".
void definitions_section(cmark_node* root, const Document& doc) {
  if (doc.definitions.empty()) return;
  cmark_node* h = md_add(root, CMARK_NODE_HEADING);
  cmark_node_set_heading_level(h, 2);
  md_text(h, "Definitions");
  BlockWriter writer(root);
  for (const Definition& d : doc.definitions) {
    cmark_node* p = md_add(root, CMARK_NODE_PARAGRAPH);
    if (is_safe_id(d.id)) {
      std::string tag = "<a id=\"" + d.id + "\"";
      if (!d.alternates.empty()) {
        std::string alts;
        for (const std::string& a : d.alternates) alts += (alts.empty() ? "" : "|") + a;
        tag += " data-alt=\"" + escape_anchor_attr(alts) + "\"";
      }
      if (!d.source.empty()) tag += " data-source=\"" + escape_anchor_attr(d.source) + "\"";
      md_html_inline(p, tag + "></a>");
    }
    md_strong_text(p, d.term);
    size_t first = 0;
    if (!d.explanation.empty() && d.explanation[0].type == NodeType::Paragraph) {
      md_inlines(p, d.explanation[0].children, ": ");
      first = 1;
    } else {
      md_text(p, ":");
    }
    writer.blocks(d.explanation, root, 3, first);
  }
}

// One paragraph per entry, "Title (2017)", with a '*' and a footnote paragraph for an
// endorsement: the layout the recognizer reads from catalog pages. What the line does not show
// (id, kind, work, organizations) rides on the anchor.
void catalog_section(cmark_node* root, const Document& doc) {
  for (const CatalogEntry& e : doc.catalog) {
    cmark_node* p = md_add(root, CMARK_NODE_PARAGRAPH);
    if (is_safe_id(e.id)) {
      std::string tag = "<a id=\"" + e.id + "\" data-kind=\"" + std::string(to_string(e.kind)) + "\"";
      if (!e.work.empty()) tag += " data-work=\"" + escape_anchor_attr(e.work) + "\"";
      if (!e.href.empty() && !is_unsafe_url(e.href)) tag += " data-href=\"" + escape_anchor_attr(e.href) + "\"";
      std::string orgs;
      for (const Organization& o : e.organizations)
        orgs += (orgs.empty() ? "" : "|") + std::string(to_string(o.role)) + ":" + o.name +
                (o.abbrev.empty() ? "" : " (" + o.abbrev + ")");
      if (!orgs.empty()) tag += " data-orgs=\"" + escape_anchor_attr(orgs) + "\"";
      md_html_inline(p, tag + "></a>");
    }
    cmark_node* title_parent = p;
    if (!e.href.empty() && !is_unsafe_url(e.href)) {
      title_parent = md_add(p, CMARK_NODE_LINK);
      cmark_node_set_url(title_parent, e.href.c_str());
    }
    md_inlines(title_parent, e.title);
    if (!e.year.empty()) md_text(p, " (" + e.year + ")");
    if (!e.endorsement.empty()) {
      md_text(p, "*");
      cmark_node* foot = md_add(root, CMARK_NODE_PARAGRAPH);
      md_inlines(foot, e.endorsement, "*");
    }
  }
}

void references_section(cmark_node* root, const Document& doc) {
  if (doc.references.empty()) return;
  cmark_node* h = md_add(root, CMARK_NODE_HEADING);
  cmark_node_set_heading_level(h, 2);
  md_text(h, "References");
  cmark_node* list = md_add(root, CMARK_NODE_LIST);
  cmark_node_set_list_type(list, CMARK_ORDERED_LIST);
  cmark_node_set_list_delim(list, CMARK_PERIOD_DELIM);
  cmark_node_set_list_start(list, 1);
  cmark_node_set_list_tight(list, 1);
  for (const Reference& r : doc.references) {
    cmark_node* p = md_add(md_add(list, CMARK_NODE_ITEM), CMARK_NODE_PARAGRAPH);
    md_anchor(p, r.id);
    cmark_node* parent = p;
    if (!r.href.empty() && !is_unsafe_url(r.href)) {
      parent = md_add(p, CMARK_NODE_LINK);
      cmark_node_set_url(parent, r.href.c_str());
    }
    md_inlines(parent, r.content);
  }
}

}  // namespace

std::string document_path(const Document& doc) { return doc.work + "/" + doc.edition + ".md"; }

std::string write_document(const Document& doc) {
  MdArenaScope arena;
  cmark_node* root = md_new_document();
  cmark_node* title = md_add(root, CMARK_NODE_HEADING);
  cmark_node_set_heading_level(title, 1);
  md_inlines(title, doc.meta.title);
  // The subtitle is in the front matter. Word usage and definitions follow the body: the
  // recognizer reads "Word: explanation" paragraphs there until the next heading.
  BlockWriter(root).blocks(doc.body, root, 2);
  catalog_section(root, doc);
  word_usage_section(root, doc);
  definitions_section(root, doc);
  references_section(root, doc);
  std::string out = front_matter(doc);
  const char* rendered = cmark_render_commonmark(root, CMARK_OPT_DEFAULT, 0);
  if (rendered) out.append(rendered);
  return out;
}

std::optional<std::string> write_markdown(const Document& doc, Diagnostics& diags) {
  size_t furniture = 0;
  for (const Node& n : doc.body) furniture += n.type == NodeType::Furniture;
  if (furniture)
    diags.note("furniture-omitted", std::to_string(furniture) +
                                        " page furniture block(s) left out of the Markdown");
  return write_document(doc);
}

bool generate_markdown(const Corpus& corpus, const GeneratorOptions&, OutputTree& out,
                       Diagnostics& diags) {
  struct GlossaryEntry {
    std::string sort_key, term, href, doc_title;
  };
  std::vector<GlossaryEntry> glossary;
  std::vector<const Document*> listed;
  bool ok = true;
  // Each document's tree lives in its own arena, freed before the next one.
  for (const CorpusDocument& cd : corpus.documents) {
    const Document& doc = cd.doc;
    const std::string path = document_path(doc);
    if (!out.add(path, write_document(doc))) {
      diags.error("unsafe-path", "cannot write '" + path + "': unsafe work or edition");
      ok = false;
      continue;
    }
    listed.push_back(&doc);
    for (const Definition& d : doc.definitions)
      glossary.push_back({fold_case(d.term) + '\x1f' + doc.work + '\x1f' + doc.edition, d.term,
                          path + "#" + d.id, plain_text(doc.meta.title) + " (" + doc.edition + ")"});
  }
  std::sort(glossary.begin(), glossary.end(),
            [](const GlossaryEntry& a, const GlossaryEntry& b) { return a.sort_key < b.sort_key; });

  MdArenaScope arena;
  cmark_node* index = md_new_document();
  cmark_node* h = md_add(index, CMARK_NODE_HEADING);
  cmark_node_set_heading_level(h, 1);
  md_text(h, "Documents");
  if (!listed.empty()) {
    cmark_node* list = md_add(index, CMARK_NODE_LIST);
    cmark_node_set_list_type(list, CMARK_BULLET_LIST);
    cmark_node_set_list_tight(list, 1);
    for (const Document* doc : listed) {
      cmark_node* p = md_add(md_add(list, CMARK_NODE_ITEM), CMARK_NODE_PARAGRAPH);
      cmark_node* link = md_add(p, CMARK_NODE_LINK);
      cmark_node_set_url(link, md_cstr(document_path(*doc)));
      md_inlines(link, doc->meta.title);
      md_text(p, " (" + doc->edition + ", " + std::string(to_string(doc->type)) + ")");
    }
  }

  cmark_node* gloss = md_new_document();
  cmark_node* gh = md_add(gloss, CMARK_NODE_HEADING);
  cmark_node_set_heading_level(gh, 1);
  md_text(gh, "Glossary");
  if (!glossary.empty()) {
    cmark_node* glist = md_add(gloss, CMARK_NODE_LIST);
    cmark_node_set_list_type(glist, CMARK_BULLET_LIST);
    cmark_node_set_list_tight(glist, 1);
    for (const GlossaryEntry& g : glossary) {
      cmark_node* p = md_add(md_add(glist, CMARK_NODE_ITEM), CMARK_NODE_PARAGRAPH);
      cmark_node* link = md_add(p, CMARK_NODE_LINK);
      cmark_node_set_url(link, md_cstr(g.href));
      md_text(link, g.term);
      md_text(p, " — " + g.doc_title);
    }
  }
  out.add("index.md", md_render(index));
  out.add("glossary.md", md_render(gloss));
  return ok;
}

}  // namespace normkit::markdown
