#include "core/xml_writer.h"

#include <array>
#include <cstdint>
#include <iterator>
#include <string>
#include <charconv>
#include <cstring>
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

// --- Plain values, sixteen bytes at a time --------------------------------------------------------
// Nearly every value is printable ASCII with nothing to escape: it is copied in one go, without
// the NFC check and the escaper's byte-by-byte work. Anything else takes the general path above.

// Sixteen bytes at a time (GCC/Clang vector extensions; plain code where there is no SIMD): signed
// bytes below ' ' are the control characters and every non-ASCII byte at once.
typedef signed char Bytes16 __attribute__((vector_size(16)));
typedef uint64_t Words2 __attribute__((vector_size(16)));

inline Bytes16 load16(const char* p) {
  Bytes16 v;
  std::memcpy(&v, p, 16);
  return v;
}
inline Bytes16 bytes_of(uint64_t low, uint64_t high) {
  const Words2 w = {low, high};
  return reinterpret_cast<Bytes16>(w);
}
inline bool any_set(Bytes16 v) {
  uint64_t halves[2];
  std::memcpy(halves, &v, 16);
  return (halves[0] | halves[1]) != 0;
}

// Bytes of `v` not copied as is into an attribute value: non-ASCII (NFC and UTF-8 checks), below
// ' ' (control characters, tab, line ends), '"' or '&' (0x22 | 4 == 0x26), '<' or '>'
// (0x3C | 2 == 0x3E).
inline Bytes16 attr_special(Bytes16 v) { return (v < ' ') | ((v | 4) == '&') | ((v | 2) == '>'); }

// When append_nfc_attr would copy `s` unchanged, copies it to `dst` and returns the end of the
// copy; otherwise returns nullptr (having written nothing outside [dst, dst + s.size())). Values
// of up to 16 bytes (nearly all: ids, labels, numbers, names) are read with two overlapping loads
// into one vector, tested at once and stored from the same registers.
char* copy_plain_attr(char* dst, std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  if (n <= 16) {
    if (n >= 8) {
      const EndWords w = load_end_words<uint64_t>(p, n);
      if (any_set(attr_special(bytes_of(w.head, w.tail)))) return nullptr;
      return store_end_words(dst, n, w);
    }
    if (n >= 4) {
      const EndWords h = load_end_words<uint32_t>(p, n);
      const uint64_t w = h.packed();
      if (any_set(attr_special(bytes_of(w, w)))) return nullptr;
      return store_end_words(dst, n, h);
    }
    if (n == 0) return dst;
    // One to three bytes: the first, middle and last, repeated to fill the word.
    const uint64_t first = static_cast<unsigned char>(p[0]);
    const uint64_t middle = static_cast<unsigned char>(p[n / 2]);
    const uint64_t last = static_cast<unsigned char>(p[n - 1]);
    const uint64_t w = (first | (middle << 8) | (last << 16)) * 0x0001000001000001ULL;
    if (any_set(attr_special(bytes_of(w, w)))) return nullptr;
    dst[0] = p[0];
    dst[n / 2] = p[n / 2];
    dst[n - 1] = p[n - 1];
    return dst + n;
  }
  // Sixteen bytes at a time, the last step overlapping the one before.
  Bytes16 special = attr_special(load16(p + n - 16));
  for (size_t i = 0; i + 16 < n; i += 16) special |= attr_special(load16(p + i));
  if (any_set(special)) return nullptr;
  std::memcpy(dst, p, n);
  return dst + n;
}

// Bytes of `v` not copied as is into text (non-ASCII, control characters and line ends, '&',
// '<', '>'), and spaces followed by a space (`next` is `v` one byte further on).
inline Bytes16 text_special(Bytes16 v, Bytes16 next) {
  return (v < ' ') | (v == '&') | ((v | 2) == '>') | ((v == ' ') & (next == ' '));
}

// Bytes of `v` not copied as is into text: non-ASCII, control characters and line ends, '&', '<'
// and '>'.
inline Bytes16 text_byte_special(Bytes16 v) { return (v < ' ') | (v == '&') | ((v | 2) == '>'); }

// When append_nfc_text would copy `s` unchanged and its white space is normal (no tab or line
// end, no two spaces in a row: has_collapsible_whitespace is false), copies it to `dst` and returns
// the end of the copy; otherwise returns nullptr (having written nothing outside
// [dst, dst + s.size())).
char* copy_plain_text(char* dst, std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  if (n >= 17) {
    // Each step reads 17 bytes: 16 for the byte tests, one more for the pair of spaces, and
    // stores the 16 as it goes (taken back by the caller when the text is not plain). The last
    // step overlaps the one before; the last byte is tested alone.
    const Bytes16 tail = load16(p + n - 16);
    Bytes16 special = text_special(load16(p + n - 17), tail);
    for (size_t i = 0; i + 17 <= n; i += 16) {
      const Bytes16 v = load16(p + i);
      special |= text_special(v, load16(p + i + 1));
      std::memcpy(dst + i, &v, 16);
    }
    std::memcpy(dst + n - 16, &tail, 16);
    const unsigned char last = static_cast<unsigned char>(p[n - 1]);
    if (any_set(special) || last < 0x20 || last >= 0x80 || last == '&' || last == '<' || last == '>')
      return nullptr;
    return dst + n;
  }
  if (n >= 8) {
    // Two overlapping words: every pair of neighbours lies in one of them, but for bytes 7 and 8
    // of a 16-byte value.
    const EndWords w = load_end_words<uint64_t>(p, n);
    if (any_set(text_byte_special(bytes_of(w.head, w.tail)))) return nullptr;
    const uint64_t sa = bytes_equal(w.head, ' '), sb = bytes_equal(w.tail, ' ');
    if ((sa & (sa >> 8)) | (sb & (sb >> 8))) return nullptr;
    if (n == 16 && (sa >> 63) && (sb & 0x80)) return nullptr;
    return store_end_words(dst, n, w);
  }
  if (n >= 4) {
    // Bytes 0-3 and n-4 to n-1 in one word: every pair of neighbours lies in one half; bytes 3
    // and 4 of the word are not neighbours (or a pair already tested), so they are left out.
    const EndWords h = load_end_words<uint32_t>(p, n);
    const uint64_t w = h.packed();
    if (any_set(text_byte_special(bytes_of(w, w)))) return nullptr;
    const uint64_t sw = bytes_equal(w, ' ');
    if (sw & (sw >> 8) & ~(uint64_t{0x80} << 24)) return nullptr;
    return store_end_words(dst, n, h);
  }
  bool previous_space = false;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c >= 0x80 || c == '&' || c == '<' || c == '>' || (c == ' ' && previous_space)) return nullptr;
    previous_space = c == ' ';
    dst[i] = p[i];
  }
  return dst + n;
}

}  // namespace

namespace {

// '" force="mandatory">' and the like: what follows a keyword's word in its start tag, for each
// force (names from to_string), padded to a fixed size so that it is copied in one go.
struct ForceEnd {
  char text[32];
  size_t size;
};
// Made on first use (not at static initialization, which another file's could precede).
[[gnu::always_inline]] inline const ForceEnd& force_end_of(Force force) {
  static const auto table = [] {
    constexpr Force kForces[] = {Force::Mandatory, Force::Prohibited, Force::Recommended, Force::NotRecommended,
                                 Force::Permitted, Force::Optional,   Force::Informative};
    std::array<ForceEnd, std::size(kForces)> ends{};
    for (const Force f : kForces) {
      ForceEnd& e = ends[static_cast<size_t>(f)];
      const std::string end = "\" force=\"" + std::string(to_string(f)) + "\">";
      std::memcpy(e.text, end.data(), end.size());  // the longest is 26 bytes
      e.size = end.size();
    }
    return ends;
  }();
  return table[static_cast<size_t>(force)];
}

class Writer {
 public:
  explicit Writer(OutBuffer& out) : out_(out) {}

  void write(const Document& doc);

 private:
  // Room for the indent, `n` more bytes and the indent's overshoot (see put_indent).
  char* room_after_indent(size_t n) { return out_.room(static_cast<size_t>(depth_) * 2 + 16 + n); }
  // Two spaces per level at `p`, written sixteen bytes at a time: up to fifteen bytes past the
  // indent are written too, inside the room asked for, and overwritten by what follows.
  char* put_indent(char* p) const {
    static constexpr char kSpaces[16] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
                                         ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};
    const size_t n = static_cast<size_t>(depth_) * 2;
    for (size_t k = 0; k < n; k += 16) std::memcpy(p + k, kSpaces, 16);
    return p + n;
  }
  void indent() { out_.advance_to(put_indent(room_after_indent(0))); }

  // A tag is written as start_tag, its attributes in schema order, then one of end_open,
  // end_empty or inline_content. Element names are literals: each is copied by a few moves, with
  // one check of the room for the indent, the name and the punctuation.
  template <size_t N>
  void start_tag(const char (&name)[N]) {
    char* p = put_indent(room_after_indent(N));
    *p++ = '<';
    std::memcpy(p, name, N - 1);
    out_.advance_to(p + N - 1);
  }
  // ' name="value"'; skipped when the value is empty unless `always`. The name is a literal, so
  // its copy is a few moves.
  template <size_t N>
  void attr(const char (&name)[N], std::string_view value, bool always = false) {
    if (value.empty() && !always) return;
    char* p = out_.room(N + 3 + value.size());
    *p++ = ' ';
    std::memcpy(p, name, N - 1);
    p += N - 1;
    *p++ = '=';
    *p++ = '"';
    if (char* end = copy_plain_attr(p, value)) {
      *end++ = '"';
      out_.advance_to(end);
      return;
    }
    out_.advance_to(p);
    append_nfc_attr(out_, value);
    out_ += '"';
  }
  // A section's or provision's id, positional id and label.
  // With one room check when the three are plain (nearly always); otherwise nothing is kept and
  // each is written by attr().
  void identity_attrs(const Labeled& l) {
    char* p = out_.room(l.id.size() + l.position_id.size() + l.label.size() + 32);
    if (plain_attr_at(p, " id=\"", l.id) && plain_attr_at(p, " position-id=\"", l.position_id) &&
        plain_attr_at(p, " label=\"", l.label)) {
      out_.advance_to(p);
      return;
    }
    attr("id", l.id);
    attr("position-id", l.position_id);
    attr("label", l.label);
  }
  // ' name="value"' at `p` (skipped when the value is empty), advancing `p`; false when the value
  // is not plain.
  template <size_t N>
  static bool plain_attr_at(char*& p, const char (&prefix)[N], std::string_view value) {
    if (value.empty()) return true;
    std::memcpy(p, prefix, N - 1);
    char* end = copy_plain_attr(p + N - 1, value);
    if (!end) return false;
    *end++ = '"';
    p = end;
    return true;
  }
  // ' source-line="N"', skipped for line 0 (unknown).
  void line_attr(uint32_t line) {
    if (line == 0) return;
    static constexpr char kName[] = " source-line=\"";
    char* p = out_.room(sizeof kName + 12);
    std::memcpy(p, kName, sizeof kName - 1);
    p = std::to_chars(p + sizeof kName - 1, p + sizeof kName + 11, line).ptr;
    *p++ = '"';
    out_.advance_to(p);
  }
  // ">" ending an element whose children follow on their own lines.
  void end_open() {
    out_ += ">\n";
    ++depth_;
  }
  void end_empty() { out_ += "/>\n"; }
  template <size_t N>
  void close(const char (&name)[N]) {
    --depth_;
    out_.advance_to(put_end_tag(put_indent(room_after_indent(N + 3)), name));
  }
  // "</name>\n" at `p`, which has room for it.
  template <size_t N>
  static char* put_end_tag(char* p, const char (&name)[N]) {
    p[0] = '<';
    p[1] = '/';
    std::memcpy(p + 2, name, N - 1);
    p += N + 1;
    p[0] = '>';
    p[1] = '\n';
    return p + 2;
  }
  template <size_t N>
  void end_tag(const char (&name)[N]) {
    out_.advance_to(put_end_tag(out_.room(N + 3), name));
  }
  // ">inline content</name>" on the tag's line, or "/>" when there is none.
  template <size_t N>
  void inline_content(const char (&name)[N], const std::vector<Node>& inlines) {
    if (inlines.empty()) {
      out_ += "/>\n";
      return;
    }
    out_ += '>';
    // Written as it stands while checking that its white space is normal (nearly always); if it
    // is not, what was written is taken back and a normalized copy written instead.
    const size_t mark = out_.size();
    if (!write_inlines<true>(inlines, true)) {
      out_.truncate(mark);
      std::vector<Node> normalized = inlines;
      normalize_inline_whitespace(normalized);
      write_inlines<false>(normalized, true);
    }
    end_tag(name);
  }
  // <name>inlines</name> with no attributes.
  template <size_t N>
  void inline_element(const char (&name)[N], const std::vector<Node>& inlines) {
    start_tag(name);
    inline_content(name, inlines);
  }
  template <size_t N>
  void text_element(const char (&name)[N], std::string_view text) {
    start_tag(name);
    text_content(name, text);
  }
  // ">text</name>", the text trimmed and its white space collapsed.
  template <size_t N>
  void text_content(const char (&name)[N], std::string_view text) {
    out_ += '>';
    append_xml_text(out_, nfc(collapse_whitespace(trim(text))));
    end_tag(name);
  }

  // Text of a Text or Keyword node. With `Check`, false when its white space is not normal.
  template <bool Check>
  bool text(std::string_view s) {
    if (char* end = copy_plain_text(out_.room(s.size()), s)) {
      out_.advance_to(end);
      return true;
    }
    if (Check && has_collapsible_whitespace(s)) return false;
    append_nfc_text(out_, s);
    return true;
  }

  template <bool Check>
  bool write_inlines(const std::vector<Node>& inlines, bool trim_ends);
  void write_blocks(const std::vector<Node>& blocks);
  void write_block(const Node& n);
  void write_organization(const Organization& o) {
    start_tag("organization");
    attr("role", to_string(o.role));
    attr("abbrev", o.abbrev);
    text_content("organization", o.name);
  }

  OutBuffer& out_;
  int depth_ = 0;
};

// Inline content nests at most kMaxDepth deep (readers enforce it), so recursion is bounded.
// With `Check`, returns false as soon as a level written is not what normalize_inline_whitespace
// would leave unchanged (inline_whitespace_is_normal in core/model.cpp, level by level: levels
// are normalized independently, so only the levels written need the check).
template <bool Check>
bool Writer::write_inlines(const std::vector<Node>& inlines, bool trim_ends) {
  const size_t count = inlines.size();
  for (size_t i = 0; i < count; ++i) {
    const Node& n = inlines[i];
    switch (n.type) {
      case NodeType::Text:
        if (Check && (n.text.empty() || (i > 0 && inlines[i - 1].type == NodeType::Text) ||
                      (trim_ends && i == 0 && n.text.front() == ' ') ||
                      (trim_ends && i + 1 == count && n.text.back() == ' ')))
          return false;
        if (!text<Check>(n.text)) return false;
        break;
      case NodeType::Keyword: {
        // '<kw word="..." force="...">' with one room check when the word is plain (nearly
        // always); the end of the tag from a table, in one fixed-size copy.
        const ForceEnd& force_end = force_end_of(n.force);
        char* p = out_.room(n.target.size() + 16 + sizeof force_end.text);
        std::memcpy(p, "<kw word=\"", 10);
        if (char* end = copy_plain_attr(p + 10, n.target)) {
          std::memcpy(end, force_end.text, sizeof force_end.text);
          out_.advance_to(end + force_end.size);
        } else {
          out_.advance_to(p + 10);
          append_nfc_attr(out_, n.target);
          out_ += std::string_view(force_end.text, force_end.size);
        }
        if (!text<Check>(n.text)) return false;
        out_ += "</kw>";
        break;
      }
      case NodeType::TermRef:
        if (Check && !inline_whitespace_is_normal(n.children, false)) return false;
        out_ += "<term ref=\"";
        append_xml_attr(out_, n.target);
        out_ += "\">";
        if (n.children.size() == 1 && n.children[0].type == NodeType::Text)
          append_nfc_text(out_, n.children[0].text);
        else
          append_nfc_text(out_, plain_text(n.children));
        out_ += "</term>";
        continue;
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
        if (!write_inlines<Check>(n.children, false)) return false;
        out_ += "</";
        out_ += tag;
        out_ += '>';
        continue;
      }
      case NodeType::Link:
      case NodeType::XRef: {
        const bool link = n.type == NodeType::Link;
        if (link) {
          out_ += "<link";
          attr("href", n.target, true);
        } else {
          out_ += "<xref";
          attr("target", n.target, true);
        }
        if (n.children.empty()) {
          out_ += "/>";
          break;
        }
        out_ += '>';
        if (!write_inlines<Check>(n.children, false)) return false;
        out_ += link ? "</link>" : "</xref>";
        continue;
      }
      case NodeType::LineBreak:
        out_ += "<br/>";
        break;
      default:
        break;  // blocks never appear in inline content
    }
    // Levels below that were not written are checked all the same, as the whole-tree check did.
    if (Check && !n.children.empty() && !inline_whitespace_is_normal(n.children, false)) return false;
  }
  return true;
}

void Writer::write_blocks(const std::vector<Node>& blocks) {
  for (const Node& n : blocks) write_block(n);
}

void Writer::write_block(const Node& n) {
  switch (n.type) {
    case NodeType::Section:
    case NodeType::Provision: {
      const Labeled& l = *n.labeled;
      const bool section = n.type == NodeType::Section;
      if (section) {
        start_tag("section");
        identity_attrs(l);
        attr("number", l.number);
        line_attr(n.origin_line);
        end_open();
        inline_element("title", n.title);
      } else {
        start_tag("provision");
        identity_attrs(l);
        attr("kind", to_string(l.kind));
        attr("number", l.number);
        attr("class", l.cls);
        attr("level", l.level);
        attr("grading", l.grading);
        line_attr(n.origin_line);
        end_open();
        if (!n.title.empty()) inline_element("title", n.title);
      }
      write_blocks(n.children);
      if (section) close("section");
      else close("provision");
      break;
    }
    case NodeType::Paragraph:
      start_tag("p");
      line_attr(n.origin_line);
      inline_content("p", n.children);
      break;
    case NodeType::List:
      start_tag("list");
      attr("ordered", n.flag ? "true" : "false");
      attr("style", to_string(n.list_style));
      line_attr(n.origin_line);
      end_open();
      for (const Node& item : n.children) {
        start_tag("item");
        attr("label", item.text);
        // An item that is one paragraph is written inline: easier to read and edit.
        if (item.children.size() == 1 && item.children[0].type == NodeType::Paragraph) {
          inline_content("item", item.children[0].children);
        } else if (item.children.empty()) {
          end_empty();
        } else {
          end_open();
          write_blocks(item.children);
          close("item");
        }
      }
      close("list");
      break;
    case NodeType::Table:
      start_tag("table");
      line_attr(n.origin_line);
      end_open();
      if (!n.title.empty()) inline_element("caption", n.title);
      for (const Node& row : n.children) {
        start_tag("row");
        attr("header", row.flag ? "true" : "");
        end_open();
        for (const Node& cell : row.children) inline_element("cell", cell.children);
        close("row");
      }
      close("table");
      break;
    case NodeType::Note:
      start_tag("note");
      attr("kind", n.text);
      line_attr(n.origin_line);
      end_open();
      write_blocks(n.children);
      close("note");
      break;
    case NodeType::Scope:
      start_tag("scope");
      line_attr(n.origin_line);
      end_open();
      write_blocks(n.children);
      close("scope");
      break;
    case NodeType::Furniture:
      start_tag("furniture");
      attr("kind", to_string(n.furniture));
      line_attr(n.origin_line);
      end_open();
      write_blocks(n.children);
      close("furniture");
      break;
    default: {
      // Inline nodes where a block belongs: keep them, in a paragraph.
      std::vector<Node> one{n};
      inline_element("p", one);
      break;
    }
  }
}

void Writer::write(const Document& doc) {
  out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  start_tag("document");
  attr("xmlns", kNamespace);
  attr("model-version", doc.model_version, true);
  attr("work", doc.work, true);
  attr("edition", doc.edition, true);
  attr("xml:lang", doc.lang, true);
  attr("type", to_string(doc.type));
  end_open();

  const Meta& m = doc.meta;
  start_tag("meta");
  end_open();
  inline_element("title", m.title);
  if (!m.subtitle.empty()) inline_element("subtitle", m.subtitle);
  for (const Organization& o : m.organizations) write_organization(o);
  for (const DateEntry& d : m.dates) {
    start_tag("date");
    attr("type", to_string(d.type));
    attr("value", d.value, true);
    end_empty();
  }
  for (const SourceInfo& s : m.sources) {
    start_tag("source");
    attr("file", s.file, true);
    attr("format", s.format, true);
    attr("sha256", s.sha256, true);
    attr("url", s.url);
    end_empty();
  }
  close("meta");

  if (!doc.word_usage.empty()) {
    start_tag("word-usage");
    end_open();
    for (const KeywordUsage& k : doc.word_usage) {
      start_tag("keyword");
      attr("word", k.word, true);
      attr("force", to_string(k.force));
      attr("origin", k.from_document ? "document" : "default");
      line_attr(k.origin_line);
      if (k.explanation.empty()) {
        end_empty();
      } else {
        end_open();
        write_blocks(k.explanation);
        close("keyword");
      }
    }
    close("word-usage");
  }

  if (!doc.definitions.empty()) {
    start_tag("definitions");
    end_open();
    for (const Definition& d : doc.definitions) {
      start_tag("definition");
      attr("id", d.id);
      attr("position-id", d.position_id);
      attr("label", d.label);
      attr("term", d.term, true);
      attr("source", d.source);
      line_attr(d.origin_line);
      if (d.alternates.empty() && d.explanation.empty()) {
        end_empty();
        continue;
      }
      end_open();
      for (const std::string& alt : d.alternates) text_element("alt", alt);
      write_blocks(d.explanation);
      close("definition");
    }
    close("definitions");
  }

  if (doc.body.empty()) {
    indent();
    out_ += "<body/>\n";
  } else {
    start_tag("body");
    end_open();
    write_blocks(doc.body);
    close("body");
  }

  if (!doc.catalog.empty()) {
    start_tag("catalog");
    end_open();
    for (const CatalogEntry& e : doc.catalog) {
      start_tag("entry");
      attr("id", e.id, true);
      attr("kind", to_string(e.kind));
      attr("year", e.year);
      attr("work", e.work);
      attr("href", e.href);
      line_attr(e.origin_line);
      end_open();
      inline_element("title", e.title);
      for (const Organization& o : e.organizations) write_organization(o);
      if (!e.endorsement.empty()) inline_element("endorsement", e.endorsement);
      close("entry");
    }
    close("catalog");
  }

  if (!doc.references.empty()) {
    start_tag("references");
    end_open();
    for (const Reference& r : doc.references) {
      start_tag("reference");
      attr("id", r.id, true);
      attr("href", r.href);
      inline_content("reference", r.content);
    }
    close("references");
  }
  close("document");
}

}  // namespace

std::string write_canonical_xml(const Document& doc) {
  // One buffer per thread, kept between documents unless it grew large: a buffer grows as it is
  // written, and each growth copies what was written.
  constexpr size_t kKeptCapacity = size_t{4} << 20;
  thread_local OutBuffer buffer;
  buffer.clear();
  Writer(buffer).write(doc);
  std::string xml = buffer.take();
  if (buffer.capacity() > kKeptCapacity) buffer = OutBuffer();
  return xml;
}

}  // namespace normkit
