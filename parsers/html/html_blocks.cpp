#include "parsers/html/html_blocks.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"
#include "core/validate.h"

namespace normkit::html {

namespace {

using recognizer::BlockHint;
using recognizer::SourceBlock;

constexpr int kMaxMappedDepth = kMaxDepth - 8;

// --- Charset ---------------------------------------------------------------------------------

// The charset a page declares in its first 4 KiB (<meta charset> or http-equiv), lower-cased;
// `at` gets its byte offset so the declaration can be neutralized before parsing.
std::string declared_charset(std::string_view bytes, size_t& at) {
  const std::string head = ascii_lower(bytes.substr(0, 4096));
  size_t pos = 0;
  while ((pos = head.find("charset", pos)) != std::string::npos) {
    size_t i = pos + 7;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t')) ++i;
    if (i < head.size() && head[i] == '=') {
      ++i;
      while (i < head.size() && (head[i] == ' ' || head[i] == '"' || head[i] == '\'')) ++i;
      size_t end = i;
      while (end < head.size() && (std::isalnum(static_cast<unsigned char>(head[end])) ||
                                    head[end] == '-' || head[end] == '_'))
        ++end;
      if (end > i) {
        // Only inside a <meta ...> tag.
        const size_t tag = head.rfind('<', pos);
        if (tag != std::string::npos && head.compare(tag, 5, "<meta") == 0) {
          at = pos;
          return head.substr(i, end - i);
        }
      }
    }
    pos += 7;
  }
  return "";
}

bool is_utf8_name(std::string_view c) { return c == "utf-8" || c == "utf8"; }
bool is_latin_name(std::string_view c) {
  return c == "windows-1252" || c == "cp1252" || c == "iso-8859-1" || c == "latin1" ||
         c == "iso8859-1" || c == "us-ascii" || c == "ascii" || c == "iso-8859-15";
}

bool has_non_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  return false;
}

}  // namespace

std::string decode_html_bytes(std::string_view bytes, std::string& used, Diagnostics& diags) {
  const Encoding detected = detect_encoding(bytes);
  if (detected == Encoding::Utf8Bom || detected == Encoding::Utf16LE || detected == Encoding::Utf16BE ||
      detected == Encoding::Utf32LE || detected == Encoding::Utf32BE) {
    used = std::string(to_string(detected));
    return to_utf8(bytes, detected);
  }
  size_t at = std::string::npos;
  const std::string declared = declared_charset(bytes, at);
  const bool valid_utf8 = is_valid_utf8(bytes);
  Encoding enc = valid_utf8 ? Encoding::Utf8 : Encoding::Windows1252;
  if (is_utf8_name(declared) && !valid_utf8) {
    diags.warning("charset-mismatch",
                  "the page declares UTF-8 but its bytes are not valid UTF-8; decoded as windows-1252");
  } else if (is_latin_name(declared) && valid_utf8 && has_non_ascii(bytes)) {
    diags.warning("charset-mismatch", "the page declares " + declared +
                                          " but its bytes are valid UTF-8; decoded as UTF-8");
  } else if (!declared.empty() && !is_utf8_name(declared) && !is_latin_name(declared)) {
    diags.warning("charset-unsupported", "charset '" + declared + "' is not supported; decoded as " +
                                             (valid_utf8 ? "UTF-8" : "windows-1252"));
  } else if (declared.empty() && !valid_utf8) {
    diags.note("charset-detected", "no charset declared and the bytes are not UTF-8; decoded as windows-1252");
  }
  used = enc == Encoding::Utf8 ? "utf-8" : "windows-1252";
  size_t replaced = 0;
  std::string out = enc == Encoding::Utf8 ? std::string(bytes) : to_utf8(bytes, enc, &replaced);
  if (replaced) diags.warning("encoding", std::to_string(replaced) + " undecodable byte(s) replaced with U+FFFD");
  // The page is UTF-8 now: make libxml2 ignore the stale declaration (same length, so line
  // numbers do not move).
  if (at != std::string::npos && at + 7 <= out.size() && ascii_lower(out.substr(at, 7)) == "charset")
    out.replace(at, 7, "xcharst");
  return out;
}

namespace {

// --- Element classes -------------------------------------------------------------------------

std::string_view name_of(const xmlNode* n) {
  return n->name ? std::string_view(reinterpret_cast<const char*>(n->name)) : std::string_view();
}

std::string attr_of(const xmlNode* n, const char* attr) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(attr));
  if (!v) return "";
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

bool is_dropped(std::string_view name) {
  static const char* const kDropped[] = {"script", "style",  "noscript", "template", "form",
                                         "input",  "select", "textarea", "button",   "iframe",
                                         "object", "embed",  "svg",      "canvas",   "head",
                                         "frame",  "frameset", "video",  "audio",    "map"};
  for (const char* d : kDropped)
    if (name == d) return true;
  return false;
}

bool is_heading(std::string_view name) {
  return name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6';
}

bool is_block_element(std::string_view name) {
  static const char* const kBlocks[] = {
      "p",       "div",    "section", "article", "main",   "nav",     "header", "footer",
      "aside",   "ul",     "ol",      "li",      "table",  "tbody",   "thead",  "tfoot",
      "tr",      "td",     "th",      "blockquote", "dl",  "dt",      "dd",     "figure",
      "figcaption", "address", "pre", "hr",      "body",   "html",    "center", "caption",
      "fieldset", "details", "summary", "menu"};
  if (is_heading(name)) return true;
  for (const char* b : kBlocks)
    if (name == b) return true;
  return false;
}

// A note: <blockquote>, or <aside> whose class says note (<aside class="note">).
bool is_note(const xmlNode* n) {
  const std::string_view name = name_of(n);
  if (name == "blockquote") return true;
  if (name != "aside") return false;
  const std::string cls = ascii_lower(attr_of(n, "class"));
  for (size_t at = cls.find("note"); at != std::string::npos; at = cls.find("note", at + 1)) {
    const bool start = at == 0 || cls[at - 1] == ' ';
    const bool end = at + 4 == cls.size() || cls[at + 4] == ' ';
    if (start && end) return true;
  }
  return false;
}

// Furniture kind suggested by an element's name, role, id or class.
std::optional<FurnitureKind> furniture_of(const xmlNode* n) {
  const std::string_view name = name_of(n);
  if (name == "nav") return FurnitureKind::Navigation;
  if (name == "header") return FurnitureKind::Header;
  if (name == "footer") return FurnitureKind::Footer;
  if (name == "aside") return is_note(n) ? std::nullopt : std::optional<FurnitureKind>(FurnitureKind::Other);
  const std::string role = ascii_lower(attr_of(n, "role"));
  if (role == "navigation") return FurnitureKind::Navigation;
  if (role == "banner") return FurnitureKind::Header;
  if (role == "contentinfo") return FurnitureKind::Footer;
  const std::string names = ascii_lower(attr_of(n, "id") + " " + attr_of(n, "class"));
  if (names.size() <= 1) return std::nullopt;
  if (names.find("cookie") != std::string::npos || names.find("consent") != std::string::npos)
    return FurnitureKind::Other;
  if (names.find("menu") != std::string::npos || names.find("navbar") != std::string::npos ||
      names.find("breadcrumb") != std::string::npos)
    return FurnitureKind::Navigation;
  if (names.find("copyright") != std::string::npos) return FurnitureKind::Copyright;
  if (names.find("footer") != std::string::npos) return FurnitureKind::Footer;
  if (names.find("advert") != std::string::npos || names.find("sponsor") != std::string::npos)
    return FurnitureKind::Advert;
  if (names.find("sidebar") != std::string::npos || names.find("widget") != std::string::npos)
    return FurnitureKind::Other;
  return std::nullopt;
}

// --- Main content ----------------------------------------------------------------------------

// Visits every element under `root` (pre-order) without recursion.
template <class Visit>
void for_each_element(xmlNode* root, Visit&& visit) {
  xmlNode* n = root;
  while (n) {
    bool descend = false;
    if (n->type == XML_ELEMENT_NODE) descend = visit(n);
    if (descend && n->children) {
      n = n->children;
      continue;
    }
    while (n && n != root && !n->next) n = n->parent;
    if (!n || n == root) break;
    n = n->next;
  }
}

xmlNode* find_main(xmlNode* body) {
  xmlNode* by_main = nullptr;
  xmlNode* by_role = nullptr;
  xmlNode* by_article = nullptr;
  for_each_element(body, [&](xmlNode* n) {
    const std::string_view name = name_of(n);
    if (is_dropped(name)) return false;
    if (!by_main && name == "main") by_main = n;
    if (!by_role && ascii_lower(attr_of(n, "role")) == "main") by_role = n;
    if (!by_article && name == "article") by_article = n;
    return true;
  });
  if (by_main) return by_main;
  if (by_role) return by_role;
  if (by_article) return by_article;

  // Densest text block: text length of each subtree (post-order via a reversed pre-order list),
  // then each element's score is the text of its direct paragraph-like children.
  std::vector<xmlNode*> order;
  for_each_element(body, [&](xmlNode* n) {
    if (is_dropped(name_of(n)) || furniture_of(n)) return false;
    order.push_back(n);
    return true;
  });
  std::unordered_map<xmlNode*, size_t> text_len, score;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    xmlNode* n = *it;
    size_t len = 0;
    for (xmlNode* c = n->children; c; c = c->next) {
      if (c->type == XML_TEXT_NODE && c->content) len += trim(reinterpret_cast<const char*>(c->content)).size();
      else if (c->type == XML_ELEMENT_NODE) {
        auto found = text_len.find(c);
        if (found != text_len.end()) {
          len += found->second;
          const std::string_view cn = name_of(c);
          if (cn == "p" || is_heading(cn) || cn == "ul" || cn == "ol" || cn == "table" || cn == "blockquote")
            score[n] += found->second;
        }
      }
    }
    text_len[n] = len;
  }
  xmlNode* best = body;
  size_t best_score = 0;
  for (xmlNode* n : order)
    if (score[n] > best_score) {
      best = n;
      best_score = score[n];
    }
  return best;
}

// --- Inline content --------------------------------------------------------------------------

class InlineCollector {
 public:
  explicit InlineCollector(Diagnostics& diags) : diags_(diags) {}

  // Inline content of the nodes [first, last] (siblings), stopping at nested lists (items) or
  // block elements when `stop_at_blocks`.
  std::vector<Node> collect(const std::vector<xmlNode*>& nodes, SourceLoc loc) {
    loc_ = loc;
    std::vector<Node> out;
    struct Frame {
      xmlNode* node;
      bool exit;
    };
    std::vector<Frame> stack;
    std::vector<Node> open;  // containers being built; Paragraph = flattened
    auto sink = [&]() -> std::vector<Node>& { return open.empty() ? out : open.back().children; };
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) stack.push_back({*it, false});
    while (!stack.empty()) {
      Frame f = stack.back();
      stack.pop_back();
      xmlNode* n = f.node;
      if (f.exit) {
        Node done = std::move(open.back());
        open.pop_back();
        sink().push_back(std::move(done));
        continue;
      }
      if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content) sink().push_back(Node::make_text(nfc(reinterpret_cast<const char*>(n->content))));
        continue;
      }
      if (n->type != XML_ELEMENT_NODE) continue;
      const std::string_view name = name_of(n);
      if (is_dropped(name)) {
        if (name == "iframe" || name == "object" || name == "embed")
          diags_.note("html-embed", "embedded <" + std::string(name) + "> dropped; it is never fetched", loc_);
        continue;
      }
      if (name == "br") {
        sink().push_back(Node(NodeType::LineBreak));
        continue;
      }
      if (name == "img") {
        const std::string alt = attr_of(n, "alt");
        if (!alt.empty()) sink().push_back(Node::make_text(" " + nfc(alt) + " "));
        continue;
      }
      Node container = open_container(n, name, static_cast<int>(open.size()));
      if (is_block_element(name)) sink().push_back(Node::make_text(" "));
      // A Paragraph means "text only": its content goes straight to the current container, so
      // flattening costs nothing however deep the markup nests.
      if (container.type != NodeType::Paragraph) {
        open.push_back(std::move(container));
        stack.push_back({n, true});
      }
      std::vector<xmlNode*> kids;
      for (xmlNode* c = n->children; c; c = c->next) kids.push_back(c);
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back({*it, false});
    }
    normalize_inline_whitespace(out);  // a no-op without copies when already normal
    return out;
  }

 private:
  Diagnostics& diags_;
  SourceLoc loc_;
  bool warned_deep_ = false;

  Node open_container(xmlNode* n, std::string_view name, int depth) {
    if (depth >= kMaxMappedDepth) {
      if (!warned_deep_)
        diags_.warning("html-deep-inline", "inline markup nested deeper than " +
                                               std::to_string(kMaxMappedDepth) + " levels; text kept without it", loc_);
      warned_deep_ = true;
      return Node(NodeType::Paragraph);
    }
    if (name == "b" || name == "strong") return Node(NodeType::Strong);
    if (name == "i" || name == "em") return Node(NodeType::Emphasis);
    if (name == "a") {
      const std::string href = std::string(trim(attr_of(n, "href")));
      if (href.empty()) return Node(NodeType::Paragraph);
      if (is_unsafe_url(href)) {
        diags_.warning("unsafe-link", "link to '" + href.substr(0, 60) + "' dropped; its text is kept", loc_);
        return Node(NodeType::Paragraph);
      }
      Node link(NodeType::Link);
      link.target = href;
      return link;
    }
    return Node(NodeType::Paragraph);  // span, font, u, ...: text only
  }
};

// --- Block walk ------------------------------------------------------------------------------

class BlockWalker {
 public:
  BlockWalker(Diagnostics& diags, std::vector<SourceBlock>& out) : diags_(diags), inlines_(diags), out_(out) {}

  void run(xmlNode* body, xmlNode* main) {
    main_ = main;
    if (main_) {
      // Sets, so that "inside the main content?" costs O(1) however deep the page nests.
      for_each_element(main_, [&](xmlNode* n) {
        main_subtree_.insert(n);
        return true;
      });
      for (xmlNode* a = main_->parent; a; a = a->parent) main_ancestors_.insert(a);
    }
    std::vector<Frame> stack;
    stack.push_back(frame_for(body, std::nullopt, -1));
    while (!stack.empty()) {
      Frame& f = stack.back();
      note_depth_ = f.note_depth;
      if (!f.next) {
        flush(f);
        stack.pop_back();
        continue;
      }
      xmlNode* n = f.next;
      f.next = n->next;
      if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        f.run.push_back(n);
        continue;
      }
      if (n->type != XML_ELEMENT_NODE) continue;
      const std::string_view name = name_of(n);
      if (is_dropped(name)) {
        if (name == "iframe" || name == "object" || name == "embed")
          diags_.note("html-embed", "embedded <" + std::string(name) + "> dropped; it is never fetched", loc(n));
        else if (name == "form")
          diags_.note("html-form", "form dropped", loc(n));
        continue;
      }
      if (name == "br") {
        f.run.push_back(n);  // splits the run into lines when flushed
        continue;
      }
      if (!is_block_element(name)) {
        f.run.push_back(n);
        continue;
      }
      flush(f);
      const std::optional<FurnitureKind> kind = furniture_kind_for(n, f);
      pending_item_ = f.item_pending ? &f : nullptr;
      if (is_heading(name)) {
        emit(n, {n}, kind, BlockHint::Heading, name[1] - '0');
      } else if (name == "dt") {
        // <dt>Term</dt><dd>text</dd> reads as "Term: text", the layout of a definition.
        xmlNode* dd = n->next;
        while (dd && dd->type == XML_TEXT_NODE && (!dd->content || trim(reinterpret_cast<const char*>(dd->content)).empty()))
          dd = dd->next;
        if (dd && dd->type == XML_ELEMENT_NODE && name_of(dd) == "dd") {
          term_with_definition(n, dd, kind);
          f.next = dd->next;
        } else {
          emit_lines(n, kind);
        }
      } else if (name == "caption" && f.data_table) {
        // The caption of a data table: the recognizer gives it to the table its rows make.
        emit(n, children_of(n), kind, BlockHint::TableCaption, 0);
      } else if (name == "p" || name == "dd" || name == "pre" || name == "figcaption" ||
                 name == "caption" || name == "summary" || name == "address") {
        emit_lines(n, kind);
      } else if (name == "hr") {
        blank(n);
      } else if (name == "tr" && f.data_table) {
        row(n, kind);
      } else if (name == "table" && !is_layout_table(n)) {
        Frame child = frame_for(n, kind, f.list_depth);
        child.data_table = true;
        child.note_depth = f.note_depth;
        stack.push_back(std::move(child));
      } else {
        Frame child = frame_for(n, kind, f.list_depth);
        child.note_depth = f.note_depth;
        if (is_note(n) && !kind) {
          // Its blocks form a note; notes inside it join it.
          if (child.note_depth == 0) note_start_pending_ = true;
          child.note_depth = std::min(child.note_depth + 1, kMaxMappedDepth);
        }
        if (name == "tbody" || name == "thead" || name == "tfoot") child.data_table = f.data_table;
        if (name == "ul" || name == "ol" || name == "menu") {
          child.list_depth = f.list_depth + 1;
          child.ordered = name == "ol";
          child.list_type = attr_of(n, "type");
          const std::string start = attr_of(n, "start");
          child.next_number = start.empty() ? 1 : std::max(0, std::atoi(start.c_str()));
          if (child.list_depth == kMaxMappedDepth && !warned_deep_list_) {
            warned_deep_list_ = true;
            diags_.warning("html-deep-list", "lists nested deeper than " + std::to_string(kMaxMappedDepth) +
                                                 " levels are kept at that depth", loc(n));
          }
        } else if (name == "li") {
          child.item_pending = true;
          Frame& parent = stack.back();
          child.ordered = parent.ordered;
          const std::string value = attr_of(n, "value");
          if (!value.empty()) parent.next_number = std::atoi(value.c_str());
          child.item_label = parent.ordered ? list_label(parent.list_type, parent.next_number++) : "";
        }
        if (stack.size() > kMaxFrames) {
          if (!warned_deep_)
            diags_.warning("html-deep", "elements nested deeper than " + std::to_string(kMaxFrames) +
                                            " levels; their text is kept as plain paragraphs", loc(n));
          warned_deep_ = true;
          // Keep the text: treat the whole subtree as inline content of this frame.
          stack.back().run.push_back(n);
          continue;
        }
        stack.push_back(std::move(child));
      }
    }
  }

 private:
  // Element nesting walked as blocks; deeper content is read as one paragraph (bounded work).
  static constexpr size_t kMaxFrames = 10000;

  struct Frame {
    xmlNode* element = nullptr;
    xmlNode* next = nullptr;
    std::vector<xmlNode*> run;  // inline nodes waiting to become a block
    std::optional<FurnitureKind> furniture;
    int list_depth = -1;
    bool ordered = false;
    std::string list_type;
    int next_number = 1;
    bool item_pending = false;
    std::string item_label;
    bool data_table = false;
    int note_depth = 0;  // > 0 inside <blockquote> or <aside class="note">
  };

  int note_depth_ = 0;               // of the frame whose blocks are being emitted
  bool note_start_pending_ = false;  // the next block emitted starts a note

  // Marks a block emitted inside a note (not furniture: that keeps its own hint).
  void mark_note(SourceBlock& b) {
    if (note_depth_ <= 0 || b.hint == BlockHint::Furniture) return;
    b.note_depth = note_depth_;
    b.note_start = note_start_pending_;
    note_start_pending_ = false;
  }

  static std::vector<xmlNode*> children_of(xmlNode* n) {
    std::vector<xmlNode*> kids;
    for (xmlNode* c = n->children; c; c = c->next) kids.push_back(c);
    return kids;
  }

  Diagnostics& diags_;
  InlineCollector inlines_;
  std::vector<SourceBlock>& out_;
  xmlNode* main_ = nullptr;
  std::unordered_set<const xmlNode*> main_subtree_, main_ancestors_;
  bool warned_deep_ = false;
  bool warned_deep_list_ = false;

  // libxml2's HTML parser saturates line numbers at 65535 (XML_PARSE_BIG_LINES is an XML-parser
  // option only): such lines are reported as unknown rather than wrong.
  static SourceLoc loc(const xmlNode* n) {
    const long line = xmlGetLineNo(n);
    return {line > 0 && line < 65535 ? static_cast<uint32_t>(line) : 0u, 1};
  }

  Frame frame_for(xmlNode* n, std::optional<FurnitureKind> kind, int list_depth) {
    Frame f;
    f.element = n;
    f.next = n->children;
    f.furniture = kind;
    f.list_depth = list_depth;
    return f;
  }

  std::optional<FurnitureKind> furniture_kind_for(xmlNode* n, const Frame& parent) {
    // The innermost marked element names the kind: a <nav> inside a <header> is navigation.
    if (auto k = furniture_of(n)) return k;
    if (parent.furniture) return parent.furniture;
    // Outside the main content, and not an ancestor of it: page furniture.
    if (main_ && !main_subtree_.count(n) && !main_ancestors_.count(n)) return FurnitureKind::Other;
    return std::nullopt;
  }

  static std::string list_label(const std::string& type, int number) {
    if (type == "a" || type == "A") {
      std::string s;
      int v = number;
      while (v > 0) {
        --v;
        s.insert(s.begin(), static_cast<char>((type == "a" ? 'a' : 'A') + v % 26));
        v /= 26;
      }
      return s.empty() ? "a" : s;
    }
    if (type == "i" || type == "I") {
      static const std::pair<int, const char*> kRoman[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"},
                                                           {100, "c"},  {90, "xc"},  {50, "l"},  {40, "xl"},
                                                           {10, "x"},   {9, "ix"},   {5, "v"},   {4, "iv"},
                                                           {1, "i"}};
      std::string s;
      int v = std::min(number, 3999);
      for (const auto& [value, letters] : kRoman)
        while (v >= value) {
          s += letters;
          v -= value;
        }
      if (type == "I")
        for (char& c : s) c = static_cast<char>(c - 'a' + 'A');
      return s;
    }
    return std::to_string(number);
  }

  static bool is_layout_table(xmlNode* table) {
    bool layout = false;
    for_each_element(table, [&](xmlNode* n) {
      if (n == table) return true;
      const std::string_view name = name_of(n);
      if (name == "td" || name == "th") {
        for_each_element(n, [&](xmlNode* c) {
          const std::string_view cn = name_of(c);
          if (c != n && (cn == "p" || cn == "div" || cn == "table" || cn == "ul" || cn == "ol" || is_heading(cn)))
            layout = true;
          return !layout;
        });
        return false;
      }
      return !layout;
    });
    return layout;
  }

  void blank(xmlNode* n) {
    if (out_.empty() || out_.back().hint == BlockHint::Blank) return;
    SourceBlock b;
    b.hint = BlockHint::Blank;
    b.loc = loc(n);
    out_.push_back(std::move(b));
  }

  // Which frame on the stack is the list item still waiting for its text: the last frame.
  void apply_hint(SourceBlock& b, std::optional<FurnitureKind> kind, Frame* item) {
    if (kind) {
      b.hint = BlockHint::Furniture;
      b.furniture = *kind;
      return;
    }
    if (item && item->item_pending) {
      item->item_pending = false;
      b.hint = BlockHint::ListItem;
      b.list_depth = std::clamp(item->list_depth, 0, kMaxMappedDepth);
      b.ordered = item->ordered;
      b.list_label = item->item_label;
      return;
    }
    if (b.hint == BlockHint::Plain && !b.inlines.empty() && b.inlines.front().type == NodeType::Strong) {
      b.hint = BlockHint::BoldLabel;
      b.label_length = static_cast<uint32_t>(plain_text({b.inlines.front()}).size());
    }
  }

  Frame* pending_item_ = nullptr;

  void push_block(SourceBlock b, std::optional<FurnitureKind> kind) {
    apply_hint(b, kind, pending_item_);
    if (b.text.empty() && b.hint != BlockHint::ListItem) return;
    mark_note(b);
    out_.push_back(std::move(b));
  }

  // One block per <br>-separated line of `nodes`.
  void emit_nodes(const std::vector<xmlNode*>& nodes, SourceLoc where, std::optional<FurnitureKind> kind,
                  BlockHint hint, int level) {
    std::vector<Node> inl = inlines_.collect(nodes, where);
    // Split at top-level line breaks.
    std::vector<std::vector<Node>> lines(1);
    for (Node& n : inl) {
      if (n.type == NodeType::LineBreak && hint != BlockHint::Heading && hint != BlockHint::TableCaption)
        lines.emplace_back();
      else lines.back().push_back(std::move(n));
    }
    for (std::vector<Node>& line : lines) {
      normalize_inline_whitespace(line);
      SourceBlock b;
      b.loc = where;
      b.hint = hint;
      b.heading_level = level;
      b.text = plain_text(line);
      b.inlines = std::move(line);
      push_block(std::move(b), kind);
    }
  }

  void emit(xmlNode* n, const std::vector<xmlNode*>& nodes, std::optional<FurnitureKind> kind,
            BlockHint hint, int level) {
    emit_nodes(nodes, loc(n), kind, hint, level);
  }

  void emit_lines(xmlNode* n, std::optional<FurnitureKind> kind) {
    std::vector<xmlNode*> kids;
    for (xmlNode* c = n->children; c; c = c->next) kids.push_back(c);
    emit_nodes(kids, loc(n), kind, BlockHint::Plain, 0);
  }

  void term_with_definition(xmlNode* dt, xmlNode* dd, std::optional<FurnitureKind> kind) {
    std::vector<xmlNode*> term_nodes, text_nodes;
    for (xmlNode* c = dt->children; c; c = c->next) term_nodes.push_back(c);
    for (xmlNode* c = dd->children; c; c = c->next) text_nodes.push_back(c);
    Node term(NodeType::Strong);
    term.children = inlines_.collect(term_nodes, loc(dt));
    if (plain_text(term.children).empty()) {
      emit_lines(dd, kind);
      return;
    }
    if (term.children.back().type == NodeType::Text && term.children.back().text.back() != ':')
      term.children.back().text += ':';
    else if (term.children.back().type != NodeType::Text)
      term.children.push_back(Node::make_text(":"));
    SourceBlock b;
    b.loc = loc(dt);
    b.inlines.push_back(std::move(term));
    b.inlines.push_back(Node::make_text(" "));
    for (Node& x : inlines_.collect(text_nodes, loc(dd))) b.inlines.push_back(std::move(x));
    normalize_inline_whitespace(b.inlines);
    b.text = plain_text(b.inlines);
    push_block(std::move(b), kind);
  }

  void flush(Frame& f) {
    // The frame of a list item is where its loose text goes.
    pending_item_ = f.item_pending ? &f : nullptr;
    if (!f.run.empty()) {
      bool any_text = false;
      for (xmlNode* n : f.run)
        if (n->type != XML_TEXT_NODE || (n->content && !trim(reinterpret_cast<const char*>(n->content)).empty()))
          any_text = true;
      if (any_text) emit_nodes(f.run, loc(f.run.front()->type == XML_ELEMENT_NODE ? f.run.front() : f.element),
                               f.furniture, BlockHint::Plain, 0);
      f.run.clear();
    }
    pending_item_ = nullptr;
  }

  void row(xmlNode* tr, std::optional<FurnitureKind> kind) {
    SourceBlock b;
    b.loc = loc(tr);
    b.hint = BlockHint::TableRow;
    bool all_th = true, any_cell = false;
    for (xmlNode* c = tr->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      const std::string_view cn = name_of(c);
      if (cn != "td" && cn != "th") continue;
      any_cell = true;
      if (cn != "th") all_th = false;
      std::vector<Node> inl = inlines_.collect(children_of(c), b.loc);
      normalize_inline_whitespace(inl);
      b.cells.push_back(plain_text(inl));
      b.cell_inlines.push_back(std::move(inl));
    }
    if (!any_cell) return;
    b.header_row = all_th || (tr->parent && name_of(tr->parent) == "thead");
    for (const std::string& c : b.cells) {
      if (!b.text.empty() && !c.empty()) b.text += ' ';
      b.text += c;
    }
    if (kind) {
      b.hint = BlockHint::Furniture;
      b.furniture = *kind;
    }
    mark_note(b);
    out_.push_back(std::move(b));
  }
};

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

}  // namespace

HtmlBlocks html_to_blocks(std::string_view bytes, Diagnostics& diags) {
  HtmlBlocks result;
  if (detect_encoding(bytes) == Encoding::Binary) {
    diags.error("binary-input", "the input is binary, not a web page");
    return result;
  }
  const std::string utf8 = decode_html_bytes(bytes, result.charset_used, diags);
  if (utf8.size() > static_cast<size_t>(INT32_MAX)) {
    diags.error("too-large", "page larger than 2 GiB");
    return result;
  }
  // NONET: no network; no NOENT/DTDLOAD: entities are never loaded; errors tolerated, not printed.
  // HUGE lifts libxml2's nesting cap of 256, which otherwise ends the parse there and loses the
  // rest of the page; the walks below are iterative and linear, so depth costs heap only.
  const int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                      HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE;
  std::unique_ptr<xmlDoc, DocFree> doc(
      htmlReadMemory(utf8.data(), static_cast<int>(utf8.size()), "page.html", "UTF-8", options));
  if (!doc) {
    diags.error("html-parse", "the page could not be parsed as HTML");
    return result;
  }
  result.parsed = true;
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root) {
    diags.warning("html-empty", "the page has no content");
    return result;
  }
  xmlNode* body = nullptr;
  for_each_element(root, [&](xmlNode* n) {
    if (name_of(n) == "title" && result.title.empty()) {
      xmlChar* t = xmlNodeGetContent(n);
      if (t) {
        result.title = nfc(collapse_whitespace(trim(reinterpret_cast<const char*>(t))));
        xmlFree(t);
      }
    }
    if (!body && name_of(n) == "body") body = n;
    return !body;
  });
  if (!body) body = root;
  xmlNode* main = find_main(body);
  BlockWalker walker(diags, result.blocks);
  walker.run(body, main == body ? nullptr : main);
  return result;
}

}  // namespace normkit::html
