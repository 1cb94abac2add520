#include "core/xml_writer.h"

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "core/text.h"

namespace normkit {

namespace {

bool is_ascii(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {  // eight bytes at a time
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (w & 0x8080808080808080ULL) return false;
  }
  for (; i < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) >= 0x80) return false;
  return true;
}

// Text and attribute values in NFC without a copy for the common all-ASCII case (ASCII is
// always NFC).
void append_nfc_text(OutBuffer& out, std::string_view s) {
  if (is_ascii(s)) append_xml_text(out, s);
  else append_xml_text(out, nfc(s));
}
void append_nfc_attr(OutBuffer& out, std::string_view s) {
  if (is_ascii(s)) append_xml_attr(out, s);
  else append_xml_attr(out, nfc(s));
}

}  // namespace

namespace {

// `value` must outlive the call it is passed to (a local, a field, or a static name).
struct Attr {
  std::string_view name;
  std::string_view value;
  bool always = false;  // write even when empty
};

class Writer {
 public:
  std::string take() { return out_.take(); }

  void write(const Document& doc);

 private:
  void indent() { out_.append(static_cast<size_t>(depth_) * 2, ' '); }

  void start_tag(std::string_view name, std::initializer_list<Attr> attrs) {
    out_ += '<';
    out_ += name;
    for (const Attr& a : attrs) {
      if (a.value.empty() && !a.always) continue;
      out_ += ' ';
      out_ += a.name;
      out_ += "=\"";
      append_nfc_attr(out_, a.value);
      out_ += '"';
    }
  }

  // <name attrs>  (children on their own lines follow)
  void open(std::string_view name, std::initializer_list<Attr> attrs = {}) {
    indent();
    start_tag(name, attrs);
    out_ += ">\n";
    ++depth_;
  }
  void close(std::string_view name) {
    --depth_;
    indent();
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  void empty_element(std::string_view name, std::initializer_list<Attr> attrs) {
    indent();
    start_tag(name, attrs);
    out_ += "/>\n";
  }
  // <name attrs>inline content</name> on one line.
  void inline_element(std::string_view name, std::initializer_list<Attr> attrs,
                      const std::vector<Node>& inlines) {
    indent();
    start_tag(name, attrs);
    if (inlines.empty()) {
      out_ += "/>\n";
      return;
    }
    out_ += '>';
    if (inline_whitespace_is_normal(inlines)) {
      write_inlines(inlines);
    } else {
      std::vector<Node> normalized = inlines;
      normalize_inline_whitespace(normalized);
      write_inlines(normalized);
    }
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  void text_element(std::string_view name, std::initializer_list<Attr> attrs, std::string_view text) {
    indent();
    start_tag(name, attrs);
    out_ += '>';
    append_xml_text(out_, nfc(collapse_whitespace(trim(text))));
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }

  static std::string line_attr(uint32_t line) { return line ? std::to_string(line) : std::string(); }

  void write_inlines(const std::vector<Node>& inlines);
  void write_blocks(const std::vector<Node>& blocks);
  void write_block(const Node& n);
  void write_organization(const Organization& o) {
    text_element("organization", {{"role", to_string(o.role)}, {"abbrev", o.abbrev}}, o.name);
  }

  OutBuffer out_;
  int depth_ = 0;
};

// Inline content nests at most kMaxDepth deep (readers enforce it), so recursion is bounded.
void Writer::write_inlines(const std::vector<Node>& inlines) {
  for (const Node& n : inlines) {
    switch (n.type) {
      case NodeType::Text:
        append_nfc_text(out_, n.text);
        break;
      case NodeType::Keyword:
        out_ += "<kw word=\"";
        append_nfc_attr(out_, n.target);
        out_ += "\" force=\"";
        out_ += to_string(n.force);
        out_ += "\">";
        append_nfc_text(out_, n.text);
        out_ += "</kw>";
        break;
      case NodeType::TermRef:
        out_ += "<term ref=\"";
        append_xml_attr(out_, n.target);
        out_ += "\">";
        if (n.children.size() == 1 && n.children[0].type == NodeType::Text)
          append_nfc_text(out_, n.children[0].text);
        else
          append_nfc_text(out_, plain_text(n.children));
        out_ += "</term>";
        break;
      case NodeType::Emphasis:
      case NodeType::Strong: {
        const char* tag = n.type == NodeType::Emphasis ? "em" : "strong";
        if (n.children.empty()) {
          out_ += '<';
          out_ += tag;
          out_ += "/>";
          break;
        }
        out_ += '<';
        out_ += tag;
        out_ += '>';
        write_inlines(n.children);
        out_ += "</";
        out_ += tag;
        out_ += '>';
        break;
      }
      case NodeType::Link:
      case NodeType::XRef: {
        const bool link = n.type == NodeType::Link;
        start_tag(link ? "link" : "xref", {{link ? "href" : "target", n.target, true}});
        if (n.children.empty()) {
          out_ += "/>";
          break;
        }
        out_ += '>';
        write_inlines(n.children);
        out_ += link ? "</link>" : "</xref>";
        break;
      }
      case NodeType::LineBreak:
        out_ += "<br/>";
        break;
      default:
        break;  // blocks never appear in inline content
    }
  }
}

void Writer::write_blocks(const std::vector<Node>& blocks) {
  for (const Node& n : blocks) write_block(n);
}

void Writer::write_block(const Node& n) {
  const std::string src = line_attr(n.origin_line);
  switch (n.type) {
    case NodeType::Section:
    case NodeType::Provision: {
      const Labeled& l = *n.labeled;
      const bool section = n.type == NodeType::Section;
      if (section) {
        open("section", {{"id", l.id}, {"position-id", l.position_id}, {"label", l.label},
                         {"number", l.number}, {"source-line", src}});
        inline_element("title", {}, n.title);
      } else {
        open("provision", {{"id", l.id}, {"position-id", l.position_id}, {"label", l.label},
                           {"kind", to_string(l.kind)}, {"number", l.number},
                           {"class", l.cls}, {"level", l.level}, {"grading", l.grading},
                           {"source-line", src}});
        if (!n.title.empty()) inline_element("title", {}, n.title);
      }
      write_blocks(n.children);
      close(section ? "section" : "provision");
      break;
    }
    case NodeType::Paragraph:
      inline_element("p", {{"source-line", src}}, n.children);
      break;
    case NodeType::List:
      open("list", {{"ordered", n.flag ? "true" : "false"},
                    {"style", to_string(n.list_style)},
                    {"source-line", src}});
      for (const Node& item : n.children) {
        // An item that is one paragraph is written inline: easier to read and edit.
        if (item.children.size() == 1 && item.children[0].type == NodeType::Paragraph) {
          inline_element("item", {{"label", item.text}}, item.children[0].children);
        } else if (item.children.empty()) {
          inline_element("item", {{"label", item.text}}, {});
        } else {
          open("item", {{"label", item.text}});
          write_blocks(item.children);
          close("item");
        }
      }
      close("list");
      break;
    case NodeType::Table:
      open("table", {{"source-line", src}});
      if (!n.title.empty()) inline_element("caption", {}, n.title);
      for (const Node& row : n.children) {
        open("row", {{"header", row.flag ? "true" : ""}});
        for (const Node& cell : row.children) inline_element("cell", {}, cell.children);
        close("row");
      }
      close("table");
      break;
    case NodeType::Note:
      open("note", {{"kind", n.text}, {"source-line", src}});
      write_blocks(n.children);
      close("note");
      break;
    case NodeType::Scope:
      open("scope", {{"source-line", src}});
      write_blocks(n.children);
      close("scope");
      break;
    case NodeType::Furniture:
      open("furniture", {{"kind", to_string(n.furniture)}, {"source-line", src}});
      write_blocks(n.children);
      close("furniture");
      break;
    default: {
      // Inline nodes where a block belongs: keep them, in a paragraph.
      std::vector<Node> one{n};
      inline_element("p", {}, one);
      break;
    }
  }
}

void Writer::write(const Document& doc) {
  out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  open("document", {{"xmlns", kNamespace},
                    {"model-version", doc.model_version, true},
                    {"work", doc.work, true},
                    {"edition", doc.edition, true},
                    {"xml:lang", doc.lang, true},
                    {"type", to_string(doc.type)}});

  const Meta& m = doc.meta;
  open("meta");
  inline_element("title", {}, m.title);
  if (!m.subtitle.empty()) inline_element("subtitle", {}, m.subtitle);
  for (const Organization& o : m.organizations) write_organization(o);
  for (const DateEntry& d : m.dates)
    empty_element("date", {{"type", to_string(d.type)}, {"value", d.value, true}});
  for (const SourceInfo& s : m.sources)
    empty_element("source", {{"file", s.file, true}, {"format", s.format, true},
                             {"sha256", s.sha256, true}, {"url", s.url}});
  close("meta");

  if (!doc.word_usage.empty()) {
    open("word-usage");
    for (const KeywordUsage& k : doc.word_usage) {
      const std::string line = line_attr(k.origin_line);
      std::initializer_list<Attr> attrs = {{"word", k.word, true},
                                           {"force", to_string(k.force)},
                                           {"origin", k.from_document ? "document" : "default"},
                                           {"source-line", line}};
      if (k.explanation.empty()) {
        empty_element("keyword", attrs);
      } else {
        open("keyword", attrs);
        write_blocks(k.explanation);
        close("keyword");
      }
    }
    close("word-usage");
  }

  if (!doc.definitions.empty()) {
    open("definitions");
    for (const Definition& d : doc.definitions) {
      const std::string line = line_attr(d.origin_line);
      std::initializer_list<Attr> attrs = {{"id", d.id}, {"position-id", d.position_id},
                                           {"label", d.label}, {"term", d.term, true},
                                           {"source", d.source},
                                           {"source-line", line}};
      if (d.alternates.empty() && d.explanation.empty()) {
        empty_element("definition", attrs);
        continue;
      }
      open("definition", attrs);
      for (const std::string& alt : d.alternates) text_element("alt", {}, alt);
      write_blocks(d.explanation);
      close("definition");
    }
    close("definitions");
  }

  if (doc.body.empty()) {
    indent();
    out_ += "<body/>\n";
  } else {
    open("body");
    write_blocks(doc.body);
    close("body");
  }

  if (!doc.catalog.empty()) {
    open("catalog");
    for (const CatalogEntry& e : doc.catalog) {
      open("entry", {{"id", e.id, true}, {"kind", to_string(e.kind)}, {"year", e.year},
                     {"work", e.work}, {"href", e.href}, {"source-line", line_attr(e.origin_line)}});
      inline_element("title", {}, e.title);
      for (const Organization& o : e.organizations) write_organization(o);
      if (!e.endorsement.empty()) inline_element("endorsement", {}, e.endorsement);
      close("entry");
    }
    close("catalog");
  }

  if (!doc.references.empty()) {
    open("references");
    for (const Reference& r : doc.references)
      inline_element("reference", {{"id", r.id, true}, {"href", r.href}}, r.content);
    close("references");
  }
  close("document");
}

}  // namespace

std::string write_canonical_xml(const Document& doc) {
  Writer w;
  w.write(doc);
  return w.take();
}

}  // namespace normkit
