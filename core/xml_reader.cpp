#include "core/xml_reader.h"

#include <pugixml.hpp>

#include <cstring>
#include <initializer_list>
#include <string>

#include "core/text.h"

namespace normkit {

// --- Byte checks ----------------------------------------------------------------------------

bool check_xml_bytes(std::string_view bytes, Diagnostics& diags) {
  if (trim(bytes).empty()) {
    diags.error("empty-file", bytes.empty() ? "file is empty" : "file holds only white space");
    return false;
  }
  // XML starts with '<', white space or a BOM; a NUL among the first bytes or a UTF-16/32 BOM
  // means a wider encoding. Only then is the full guess worth its cost.
  const auto b = [&](size_t i) { return i < bytes.size() ? static_cast<unsigned char>(bytes[i]) : 0xAAu; };
  const bool wide_hint = b(0) == 0 || b(1) == 0 || (b(0) == 0xFF && b(1) == 0xFE) || (b(0) == 0xFE && b(1) == 0xFF);
  const Encoding enc = wide_hint ? detect_encoding(bytes.substr(0, 4096)) : Encoding::Utf8;
  if (enc == Encoding::Utf16LE || enc == Encoding::Utf16BE || enc == Encoding::Utf32LE ||
      enc == Encoding::Utf32BE) {
    diags.error("encoding", "file is " + std::string(to_string(enc)) +
                                "; canonical normkit XML is UTF-8 (convert it, or use normkit ingest)",
                SourceLoc{1, 1});
    return false;
  }
  if (const void* nul = std::memchr(bytes.data(), 0, bytes.size())) {
    const size_t off = static_cast<const char*>(nul) - bytes.data();
    LineIndex idx(bytes);
    diags.error("nul-byte", "NUL byte: this is not a text file", idx.locate(off));
    return false;
  }
  size_t bad = 0;
  if (!is_valid_utf8(bytes, &bad)) {
    LineIndex idx(bytes);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(bytes[bad]));
    diags.error("invalid-utf8", std::string("invalid UTF-8 (byte ") + hex + ")", idx.locate(bad));
    return false;
  }
  return true;
}

namespace {

// Finds '&' that does not start one of XML's five predefined entities or a character
// reference. pugixml leaves unknown references as text, which would silently change meaning.
bool is_valid_reference_at(std::string_view s, size_t i);

size_t find_undefined_entity_slow(std::string_view s);

size_t find_undefined_entity(std::string_view s) {
  // Fast path: most '&' are valid references; only a bad one needs the context-aware scan
  // (it may sit in a comment or CDATA section, where it is just text).
  for (size_t i = s.find('&'); i != std::string_view::npos; i = s.find('&', i + 1))
    if (!is_valid_reference_at(s, i)) return find_undefined_entity_slow(s);
  return std::string_view::npos;
}

bool is_valid_reference_at(std::string_view s, size_t i) {
  const auto starts = [&](size_t at, std::string_view p) { return s.substr(at, p.size()) == p; };
  size_t j = i + 1;
  if (j < s.size() && s[j] == '#') {
    ++j;
    const bool hex = j < s.size() && s[j] == 'x';
    if (hex) ++j;
    const size_t digits_from = j;
    while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) ||
                            (hex && std::isxdigit(static_cast<unsigned char>(s[j])))))
      ++j;
    return j != digits_from && j < s.size() && s[j] == ';';
  }
  for (std::string_view name : {"amp;", "lt;", "gt;", "quot;", "apos;"})
    if (starts(j, name)) return true;
  return false;
}

size_t find_undefined_entity_slow(std::string_view s) {
  size_t i = 0;
  const auto starts = [&](size_t at, std::string_view p) { return s.substr(at, p.size()) == p; };
  while (i < s.size()) {
    const char c = s[i];
    if (c == '<') {
      if (starts(i, "<!--")) {
        const size_t e = s.find("-->", i + 4);
        i = e == std::string_view::npos ? s.size() : e + 3;
        continue;
      }
      if (starts(i, "<![CDATA[")) {
        const size_t e = s.find("]]>", i + 9);
        i = e == std::string_view::npos ? s.size() : e + 3;
        continue;
      }
      if (starts(i, "<?")) {
        const size_t e = s.find("?>", i + 2);
        i = e == std::string_view::npos ? s.size() : e + 2;
        continue;
      }
    } else if (c == '&' && !is_valid_reference_at(s, i)) {
      return i;
    }
    ++i;
  }
  return std::string_view::npos;
}

// --- Reader ---------------------------------------------------------------------------------

class Reader {
 public:
  Reader(Diagnostics& diags, const LineIndex& lines) : d_(diags), lines_(lines) {}

  bool read(const pugi::xml_document& xml, Document& doc);

 private:
  SourceLoc loc(const pugi::xml_node& n) const {
    const ptrdiff_t off = n.offset_debug();
    return off < 0 ? SourceLoc{} : lines_.locate(static_cast<size_t>(off));
  }
  SourceLoc loc(const pugi::xml_node& owner, const pugi::xml_attribute&) const { return loc(owner); }

  void error(const pugi::xml_node& n, std::string code, std::string msg) {
    d_.error(std::move(code), std::move(msg), loc(n));
    ok_ = false;
  }

  static std::string tag(const pugi::xml_node& n) { return std::string("<") + n.name() + ">"; }

  // Reports attributes other than `allowed`.
  void check_attributes(const pugi::xml_node& n, std::initializer_list<const char*> allowed) {
    for (pugi::xml_attribute a : n.attributes()) {
      bool known = false;
      const char* an = a.name();
      for (const char* name : allowed)
        if (an[0] == name[0] && std::strcmp(an, name) == 0) {
          known = true;
          break;
        }
      if (!known) error(n, "unknown-attribute", "unknown attribute '" + std::string(a.name()) + "' on " + tag(n));
    }
  }

  std::string required(const pugi::xml_node& n, const char* name) {
    pugi::xml_attribute a = n.attribute(name);
    if (!a) {
      error(n, "missing-attribute", tag(n) + " needs attribute '" + name + "'");
      return {};
    }
    return a.value();
  }

  uint32_t source_line(const pugi::xml_node& n) {
    pugi::xml_attribute a = n.attribute("source-line");
    if (!a) return 0;
    const std::string v = a.value();
    if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos || v == "0") {
      error(n, "bad-attribute", "source-line must be a positive whole number, not '" + v + "'");
      return 0;
    }
    return static_cast<uint32_t>(std::stoul(v));
  }

  bool depth_ok(const pugi::xml_node& n, int depth) {
    if (depth <= kMaxDepth) return true;
    if (!depth_reported_)
      error(n, "too-deep", "content nested deeper than " + std::to_string(kMaxDepth) + " levels");
    depth_reported_ = true;
    return false;
  }

  static size_t count_elements(const pugi::xml_node& parent) {
    size_t n = 0;
    for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling())
      if (c.type() == pugi::node_element) ++n;
    return n;
  }
  static size_t count_children(const pugi::xml_node& parent) {
    size_t n = 0;
    for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) ++n;
    return n;
  }

  static bool is_blank(const pugi::xml_node& n) {
    return (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) && trim(n.value()).empty();
  }

  // Comments and processing instructions are not part of the model; say so rather than drop them.
  bool skip_misc(const pugi::xml_node& c) {
    if (c.type() == pugi::node_comment) {
      d_.warning("comment-dropped", "XML comment is not part of the model and is not kept", loc(c));
      return true;
    }
    if (c.type() == pugi::node_pi) {
      d_.warning("pi-dropped", "processing instruction is not part of the model and is not kept", loc(c));
      return true;
    }
    return false;
  }

  template <class T, class Parse>
  T enum_attr(const pugi::xml_node& n, const char* name, Parse parse, T fallback) {
    const std::string v = required(n, name);
    if (v.empty() && !n.attribute(name)) return fallback;
    if (auto parsed = parse(v)) return *parsed;
    error(n, "bad-attribute", "'" + v + "' is not a valid " + name + " of " + tag(n));
    return fallback;
  }

  // Inline content of a block-level container (p, title, cell, ...), whitespace normalized.
  std::vector<Node> read_inline_container(const pugi::xml_node& parent, int depth);
  void read_inline_children(const pugi::xml_node& parent, std::vector<Node>& out, int depth);
  std::vector<Node> read_blocks(const pugi::xml_node& parent, int depth,
                                std::initializer_list<const char*> leading = {});
  bool read_block(const pugi::xml_node& c, std::vector<Node>& out, int depth);
  Organization read_organization(const pugi::xml_node& n);
  void read_meta(const pugi::xml_node& n, Meta& meta);
  void read_word_usage(const pugi::xml_node& n, Document& doc);
  void read_definitions(const pugi::xml_node& n, Document& doc);
  void read_catalog(const pugi::xml_node& n, Document& doc);
  void read_references(const pugi::xml_node& n, Document& doc);
  void read_identity(const pugi::xml_node& n, Labeled& l);

  Diagnostics& d_;
  const LineIndex& lines_;
  bool ok_ = true;
  bool depth_reported_ = false;
};

std::vector<Node> Reader::read_inline_container(const pugi::xml_node& parent, int depth) {
  std::vector<Node> out;
  out.reserve(count_children(parent));
  read_inline_children(parent, out, depth);
  normalize_inline_whitespace(out);
  return out;
}

void Reader::read_inline_children(const pugi::xml_node& parent, std::vector<Node>& out, int depth) {
  if (!depth_ok(parent, depth)) return;
  for (pugi::xml_node c : parent.children()) {
    if (skip_misc(c)) continue;
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      out.push_back(Node::make_text(c.value()));  // text is never reported on: no location
      continue;
    }
    if (c.type() != pugi::node_element) continue;
    const std::string_view name = c.name();
    Node n;
    n.loc = loc(c);
    if (name == "kw") {
      check_attributes(c, {"word", "force"});
      n.type = NodeType::Keyword;
      n.target = required(c, "word");
      n.force = enum_attr(c, "force", parse_force, Force::Informative);
      for (pugi::xml_node k : c.children())
        if (k.type() == pugi::node_element) error(k, "unexpected-element", tag(k) + " is not allowed in <kw>");
      n.text = c.text().get();
    } else if (name == "term") {
      check_attributes(c, {"ref"});
      n.type = NodeType::TermRef;
      n.target = required(c, "ref");
      for (pugi::xml_node k : c.children())
        if (k.type() == pugi::node_element) error(k, "unexpected-element", tag(k) + " is not allowed in <term>");
      n.children.push_back(Node::make_text(c.text().get()));
    } else if (name == "em" || name == "strong") {
      check_attributes(c, {});
      n.type = name == "em" ? NodeType::Emphasis : NodeType::Strong;
      read_inline_children(c, n.children, depth + 1);
    } else if (name == "link") {
      check_attributes(c, {"href"});
      n.type = NodeType::Link;
      n.target = required(c, "href");
      read_inline_children(c, n.children, depth + 1);
    } else if (name == "xref") {
      check_attributes(c, {"target"});
      n.type = NodeType::XRef;
      n.target = required(c, "target");
      read_inline_children(c, n.children, depth + 1);
    } else if (name == "br") {
      check_attributes(c, {});
      n.type = NodeType::LineBreak;
      if (c.first_child()) error(c, "unexpected-content", "<br> must be empty");
    } else {
      error(c, "unexpected-element", tag(c) + " is not allowed in " + tag(parent));
      continue;
    }
    out.push_back(std::move(n));
  }
}

void Reader::read_identity(const pugi::xml_node& n, Labeled& l) {
  l.id = n.attribute("id").value();
  l.position_id = n.attribute("position-id").value();
  l.label = n.attribute("label").value();
  l.number = n.attribute("number").value();
}

std::vector<Node> Reader::read_blocks(const pugi::xml_node& parent, int depth,
                                      std::initializer_list<const char*> leading) {
  std::vector<Node> out;
  if (!depth_ok(parent, depth)) return out;
  out.reserve(count_elements(parent));  // no regrowth: moving Nodes is not free
  for (pugi::xml_node c : parent.children()) {
    if (skip_misc(c) || is_blank(c)) continue;
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      error(c, "unexpected-text", "text is not allowed directly in " + tag(parent) + "; wrap it in <p>");
      continue;
    }
    if (c.type() != pugi::node_element) continue;
    bool is_leading = false;
    for (const char* name : leading)
      if (std::strcmp(c.name(), name) == 0) is_leading = true;
    if (is_leading) continue;  // read by the caller
    if (!read_block(c, out, depth)) error(c, "unexpected-element", tag(c) + " is not allowed in " + tag(parent));
  }
  return out;
}

bool Reader::read_block(const pugi::xml_node& c, std::vector<Node>& out, int depth) {
  const std::string_view name = c.name();
  Node n;
  n.loc = loc(c);
  n.origin_line = source_line(c);
  if (name == "section" || name == "provision") {
    const bool is_section = name == "section";
    if (is_section) check_attributes(c, {"id", "position-id", "label", "number", "source-line"});
    else check_attributes(c, {"id", "position-id", "label", "kind", "number", "class", "level", "grading", "source-line"});
    n.type = is_section ? NodeType::Section : NodeType::Provision;
    n.labeled = std::make_unique<Labeled>();
    read_identity(c, *n.labeled);
    if (!is_section) {
      Labeled& l = *n.labeled;
      l.kind = enum_attr(c, "kind", parse_provision_kind, ProvisionKind::Requirement);
      l.cls = c.attribute("class").value();
      l.level = c.attribute("level").value();
      l.grading = c.attribute("grading").value();
      if (c.attribute("class") && !is_valid_class(l.cls))
        error(c, "bad-attribute", "'" + l.cls + "' is not a class of recommendation (I, IIa, IIb, III, III-no-benefit, III-harm)");
      if (c.attribute("level") && !is_valid_level(l.level))
        error(c, "bad-attribute", "'" + l.level + "' is not a level of evidence (A, B, C, B-R, B-NR, C-LD, C-EO)");
    }
    pugi::xml_node title = c.child("title");
    if (title) {
      check_attributes(title, {});
      n.title = read_inline_container(title, depth + 1);
      if (title.next_sibling("title")) error(title.next_sibling("title"), "unexpected-element", "a second <title>");
    } else if (is_section) {
      error(c, "missing-element", "<section> needs a <title>");
    }
    n.children = read_blocks(c, depth + 1, {"title"});
  } else if (name == "p") {
    check_attributes(c, {"source-line"});
    n.type = NodeType::Paragraph;
    n.children = read_inline_container(c, depth + 1);
  } else if (name == "list") {
    check_attributes(c, {"ordered", "style", "source-line"});
    n.type = NodeType::List;
    const std::string ordered = required(c, "ordered");
    if (ordered != "true" && ordered != "false" && c.attribute("ordered"))
      error(c, "bad-attribute", "ordered must be 'true' or 'false'");
    n.flag = ordered == "true";
    if (c.attribute("style")) {
      if (auto st = parse_list_style(c.attribute("style").value())) n.list_style = *st;
      else error(c, "bad-attribute", "'" + std::string(c.attribute("style").value()) + "' is not a list style");
    }
    for (pugi::xml_node item : c.children()) {
      if (skip_misc(item) || is_blank(item)) continue;
      if (item.type() != pugi::node_element || std::strcmp(item.name(), "item") != 0) {
        error(item, "unexpected-element", "only <item> is allowed in <list>");
        continue;
      }
      check_attributes(item, {"label"});
      Node it(NodeType::ListItem);
      it.loc = loc(item);
      it.text = item.attribute("label").value();
      bool has_block = false;
      for (pugi::xml_node k : item.children()) {
        if (k.type() != pugi::node_element) continue;
        const std::string_view kn = k.name();
        if (kn == "section" || kn == "provision" || kn == "p" || kn == "list" || kn == "table" ||
            kn == "note" || kn == "scope" || kn == "furniture")
          has_block = true;
      }
      if (has_block) {
        it.children = read_blocks(item, depth + 2);
      } else {
        Node p = Node::make_paragraph(read_inline_container(item, depth + 2));
        p.loc = it.loc;
        it.children.push_back(std::move(p));
      }
      n.children.push_back(std::move(it));
    }
    if (n.children.empty()) error(c, "missing-element", "<list> needs at least one <item>");
  } else if (name == "table") {
    check_attributes(c, {"source-line"});
    n.type = NodeType::Table;
    for (pugi::xml_node r : c.children()) {
      if (skip_misc(r) || is_blank(r)) continue;
      const std::string_view rn = r.name();
      if (r.type() == pugi::node_element && rn == "caption") {
        check_attributes(r, {});
        n.title = read_inline_container(r, depth + 1);
        continue;
      }
      if (r.type() != pugi::node_element || rn != "row") {
        error(r, "unexpected-element", "only <caption> and <row> are allowed in <table>");
        continue;
      }
      check_attributes(r, {"header"});
      Node row(NodeType::Row);
      row.loc = loc(r);
      row.flag = std::string_view(r.attribute("header").value()) == "true";
      for (pugi::xml_node cell : r.children()) {
        if (skip_misc(cell) || is_blank(cell)) continue;
        if (cell.type() != pugi::node_element || std::strcmp(cell.name(), "cell") != 0) {
          error(cell, "unexpected-element", "only <cell> is allowed in <row>");
          continue;
        }
        check_attributes(cell, {});
        Node cn(NodeType::Cell);
        cn.loc = loc(cell);
        cn.children = read_inline_container(cell, depth + 2);
        row.children.push_back(std::move(cn));
      }
      n.children.push_back(std::move(row));
    }
  } else if (name == "note" || name == "scope" || name == "furniture") {
    if (name == "note") {
      check_attributes(c, {"kind", "source-line"});
      n.type = NodeType::Note;
      n.text = c.attribute("kind").value();
    } else if (name == "scope") {
      check_attributes(c, {"source-line"});
      n.type = NodeType::Scope;
    } else {
      check_attributes(c, {"kind", "source-line"});
      n.type = NodeType::Furniture;
      n.furniture = enum_attr(c, "kind", parse_furniture_kind, FurnitureKind::Other);
    }
    n.children = read_blocks(c, depth + 1);
  } else {
    return false;
  }
  out.push_back(std::move(n));
  return true;
}

Organization Reader::read_organization(const pugi::xml_node& n) {
  check_attributes(n, {"role", "abbrev"});
  Organization o;
  o.role = enum_attr(n, "role", parse_org_role, OrgRole::Author);
  o.abbrev = n.attribute("abbrev").value();
  o.name = collapse_whitespace(trim(n.text().get()));
  for (pugi::xml_node k : n.children())
    if (k.type() == pugi::node_element) error(k, "unexpected-element", tag(k) + " is not allowed in <organization>");
  return o;
}

void Reader::read_meta(const pugi::xml_node& m, Meta& meta) {
  check_attributes(m, {});
  bool has_title = false;
  for (pugi::xml_node c : m.children()) {
    if (skip_misc(c) || is_blank(c)) continue;
    const std::string_view name = c.name();
    if (c.type() != pugi::node_element) {
      error(c, "unexpected-text", "text is not allowed directly in <meta>");
    } else if (name == "title") {
      check_attributes(c, {});
      meta.title = read_inline_container(c, 1);
      has_title = true;
    } else if (name == "subtitle") {
      check_attributes(c, {});
      meta.subtitle = read_inline_container(c, 1);
    } else if (name == "organization") {
      meta.organizations.push_back(read_organization(c));
    } else if (name == "date") {
      check_attributes(c, {"type", "value"});
      DateEntry de;
      de.type = enum_attr(c, "type", parse_date_type, DateType::Published);
      de.value = required(c, "value");
      meta.dates.push_back(de);
    } else if (name == "source") {
      check_attributes(c, {"file", "format", "sha256", "url"});
      SourceInfo si;
      si.file = required(c, "file");
      si.format = required(c, "format");
      si.sha256 = required(c, "sha256");
      si.url = c.attribute("url").value();
      meta.sources.push_back(si);
    } else {
      error(c, "unexpected-element", tag(c) + " is not allowed in <meta>");
    }
  }
  if (!has_title) error(m, "missing-element", "<meta> needs a <title>");
}

void Reader::read_word_usage(const pugi::xml_node& w, Document& doc) {
  check_attributes(w, {});
  for (pugi::xml_node c : w.children()) {
    if (skip_misc(c) || is_blank(c)) continue;
    if (c.type() != pugi::node_element || std::strcmp(c.name(), "keyword") != 0) {
      error(c, "unexpected-element", "only <keyword> is allowed in <word-usage>");
      continue;
    }
    check_attributes(c, {"word", "force", "origin", "source-line"});
    KeywordUsage k;
    k.loc = loc(c);
    k.origin_line = source_line(c);
    k.word = required(c, "word");
    k.force = enum_attr(c, "force", parse_force, Force::Informative);
    const std::string origin = c.attribute("origin").value();
    if (!origin.empty() && origin != "document" && origin != "default")
      error(c, "bad-attribute", "origin must be 'document' or 'default'");
    k.from_document = origin != "default";
    k.explanation = read_blocks(c, 1);
    doc.word_usage.push_back(std::move(k));
  }
}

void Reader::read_definitions(const pugi::xml_node& w, Document& doc) {
  check_attributes(w, {});
  for (pugi::xml_node c : w.children()) {
    if (skip_misc(c) || is_blank(c)) continue;
    if (c.type() != pugi::node_element || std::strcmp(c.name(), "definition") != 0) {
      error(c, "unexpected-element", "only <definition> is allowed in <definitions>");
      continue;
    }
    check_attributes(c, {"id", "position-id", "label", "term", "source", "source-line"});
    Definition def;
    def.loc = loc(c);
    def.origin_line = source_line(c);
    def.id = c.attribute("id").value();
    def.position_id = c.attribute("position-id").value();
    def.label = c.attribute("label").value();
    def.term = required(c, "term");
    def.source = c.attribute("source").value();
    for (pugi::xml_node alt : c.children("alt")) {
      check_attributes(alt, {});
      def.alternates.push_back(collapse_whitespace(trim(alt.text().get())));
    }
    def.explanation = read_blocks(c, 1, {"alt"});
    doc.definitions.push_back(std::move(def));
  }
}

void Reader::read_catalog(const pugi::xml_node& w, Document& doc) {
  check_attributes(w, {});
  for (pugi::xml_node c : w.children()) {
    if (skip_misc(c) || is_blank(c)) continue;
    if (c.type() != pugi::node_element || std::strcmp(c.name(), "entry") != 0) {
      error(c, "unexpected-element", "only <entry> is allowed in <catalog>");
      continue;
    }
    check_attributes(c, {"id", "kind", "year", "work", "href", "source-line"});
    CatalogEntry e;
    e.loc = loc(c);
    e.origin_line = source_line(c);
    e.id = required(c, "id");
    e.kind = enum_attr(c, "kind", parse_catalog_kind, CatalogKind::Other);
    e.year = c.attribute("year").value();
    e.work = c.attribute("work").value();
    e.href = c.attribute("href").value();
    for (pugi::xml_node k : c.children()) {
      if (skip_misc(k) || is_blank(k)) continue;
      const std::string_view kn = k.name();
      if (k.type() != pugi::node_element) error(k, "unexpected-text", "text is not allowed directly in <entry>");
      else if (kn == "title") { check_attributes(k, {}); e.title = read_inline_container(k, 1); }
      else if (kn == "organization") e.organizations.push_back(read_organization(k));
      else if (kn == "endorsement") { check_attributes(k, {}); e.endorsement = read_inline_container(k, 1); }
      else error(k, "unexpected-element", tag(k) + " is not allowed in <entry>");
    }
    doc.catalog.push_back(std::move(e));
  }
}

void Reader::read_references(const pugi::xml_node& w, Document& doc) {
  check_attributes(w, {});
  for (pugi::xml_node c : w.children()) {
    if (skip_misc(c) || is_blank(c)) continue;
    if (c.type() != pugi::node_element || std::strcmp(c.name(), "reference") != 0) {
      error(c, "unexpected-element", "only <reference> is allowed in <references>");
      continue;
    }
    check_attributes(c, {"id", "href"});
    Reference r;
    r.id = required(c, "id");
    r.href = c.attribute("href").value();
    r.content = read_inline_container(c, 1);
    doc.references.push_back(std::move(r));
  }
}

bool Reader::read(const pugi::xml_document& xml, Document& doc) {
  pugi::xml_node root;
  for (pugi::xml_node c : xml.children()) {
    if (c.type() == pugi::node_doctype) {
      error(c, "doctype", "DOCTYPE declarations are not allowed: normkit reads no DTD and expands no entities");
      return false;
    }
    if (c.type() == pugi::node_element) root = c;
    else skip_misc(c);
  }
  if (!root) {
    d_.error("no-root", "no root element", SourceLoc{1, 1});
    return false;
  }
  if (std::strcmp(root.name(), "document") != 0) {
    error(root, "wrong-root", "root element is <" + std::string(root.name()) + ">, expected <document>");
    return false;
  }
  const std::string ns = root.attribute("xmlns").value();
  if (ns != kNamespace) {
    error(root, "wrong-namespace",
          ns.empty() ? "<document> has no namespace; expected xmlns=\"" + std::string(kNamespace) + "\""
                     : "namespace '" + ns + "' is not normkit's '" + std::string(kNamespace) + "'");
    return false;
  }
  check_attributes(root, {"xmlns", "model-version", "work", "edition", "xml:lang", "type"});
  doc.model_version = required(root, "model-version");
  if (!doc.model_version.empty() && doc.model_version != kModelVersion) {
    const bool same_major = doc.model_version.rfind("1.", 0) == 0;
    error(root, "model-version",
          "model version " + doc.model_version + (same_major ? " is newer than" : " is not supported by") +
              " this normkit (it reads " + std::string(kModelVersion) + ")");
    return false;
  }
  doc.work = required(root, "work");
  doc.edition = required(root, "edition");
  doc.lang = root.attribute("xml:lang") ? root.attribute("xml:lang").value() : "";
  if (doc.lang.empty()) error(root, "missing-attribute", "<document> needs attribute 'xml:lang'");
  doc.type = enum_attr(root, "type", parse_doc_type, DocType::Other);

  bool has_meta = false, has_body = false;
  for (pugi::xml_node c : root.children()) {
    if (skip_misc(c) || is_blank(c)) continue;
    const std::string_view name = c.name();
    if (c.type() != pugi::node_element) error(c, "unexpected-text", "text is not allowed directly in <document>");
    else if (name == "meta" && !has_meta) { has_meta = true; read_meta(c, doc.meta); }
    else if (name == "word-usage" && doc.word_usage.empty()) read_word_usage(c, doc);
    else if (name == "definitions" && doc.definitions.empty()) read_definitions(c, doc);
    else if (name == "body" && !has_body) {
      has_body = true;
      check_attributes(c, {});
      doc.body = read_blocks(c, 1);
    } else if (name == "catalog" && doc.catalog.empty()) read_catalog(c, doc);
    else if (name == "references" && doc.references.empty()) read_references(c, doc);
    else error(c, "unexpected-element", tag(c) + " is not allowed here in <document>");
  }
  if (!has_meta) error(root, "missing-element", "<document> needs <meta>");
  if (!has_body) error(root, "missing-element", "<document> needs <body>");
  return ok_;
}

}  // namespace

std::optional<Document> read_canonical_xml(std::string_view bytes, Diagnostics& diags,
                                           const LineIndex* given_lines) {
  std::optional<LineIndex> own_lines;
  if (!given_lines) own_lines.emplace(bytes);
  const LineIndex& lines = given_lines ? *given_lines : *own_lines;
  const LineIndex* previous = diags.source();
  diags.set_source(&lines);
  struct Restore {
    Diagnostics& d;
    const LineIndex* p;
    ~Restore() { d.set_source(p); }
  } restore{diags, previous};

  if (!check_xml_bytes(bytes, diags)) return std::nullopt;

  pugi::xml_document xml;
  const unsigned flags = pugi::parse_default | pugi::parse_declaration | pugi::parse_doctype |
                         pugi::parse_comments | pugi::parse_pi | pugi::parse_ws_pcdata;
  pugi::xml_parse_result result = xml.load_buffer(bytes.data(), bytes.size(), flags, pugi::encoding_utf8);
  if (!result) {
    const size_t at = static_cast<size_t>(std::max<ptrdiff_t>(0, result.offset));
    // pugixml names an unclosed element at the end of the input a tag mismatch; say what happened.
    const bool at_end = at + 1 >= trim(bytes).size() && result.status == pugi::status_end_element_mismatch;
    diags.error("xml-syntax",
                at_end ? std::string("malformed XML: the input ends before every element is closed")
                       : std::string("malformed XML: ") + result.description(),
                lines.locate(at));
    return std::nullopt;
  }
  for (pugi::xml_node c : xml.children()) {
    if (c.type() == pugi::node_doctype) {
      diags.error("doctype", "DOCTYPE declarations are not allowed: normkit reads no DTD and expands no entities",
                  lines.locate(static_cast<size_t>(std::max<ptrdiff_t>(0, c.offset_debug()))));
      return std::nullopt;
    }
  }
  if (const size_t bad = find_undefined_entity(bytes); bad != std::string_view::npos) {
    diags.error("undefined-entity", "undefined entity reference; only &amp; &lt; &gt; &quot; &apos; and character references are allowed",
                lines.locate(bad));
    return std::nullopt;
  }
  Document doc;
  Reader reader(diags, lines);
  if (!reader.read(xml, doc)) return std::nullopt;
  return doc;
}

}  // namespace normkit
