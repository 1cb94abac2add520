#include "parsers/markdown/markdown_blocks.h"

#include <cmark.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <tuple>
#include <utility>

#include "core/text.h"
#include "parsers/markdown/cmark_arena.h"
#include "core/validate.h"

namespace normkit::markdown {

namespace {

using recognizer::BlockHint;
using recognizer::SourceBlock;

// is_xml_space, inlined: the mapper asks it of every character it maps.
inline bool md_space(char c) {
  return static_cast<unsigned char>(c) <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

// Deepest list or inline nesting mapped as such; deeper content is kept, flattened.
constexpr int kMaxMappedDepth = kMaxDepth - 8;

// Appends `piece` to `out` by the model's whitespace rule (normalize_inline_whitespace): each run
// of white space becomes one space, also across the seam with what `out` already ends in.
// Returns the number of non-blank characters appended.
size_t append_collapsed(std::string& out, std::string_view piece) {
  const size_t old = out.size();
  bool in_space = old > 0 && out[old - 1] == ' ';
  // Usual case: no control character, no space after a space (also at the seam): one copy. The
  // scan goes eight bytes at a time, finding space bytes and bytes below ' ' word-wise.
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  size_t spaces = 0;
  bool other = false;  // a byte below ' ' (tab, line end, ...) or a space after a space
  bool prev_space = in_space;
  size_t i = 0;
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= piece.size() && !other; i += 8) {
      uint64_t w;
      std::memcpy(&w, piece.data() + i, 8);
      const uint64_t below = (w - kOnes * 0x20) & ~w & kHigh;       // nonzero iff a byte < 0x20
      const uint64_t space = bytes_equal(w, ' ');                    // high bit of each space byte
      // Their number: one bit per byte, summed into the top byte (no popcount instruction assumed).
      spaces += static_cast<size_t>(((space >> 7) * kOnes) >> 56);
      // Byte k+1 of the text is the next higher byte of the word.
      other = below != 0 || (space & (space << 8)) != 0 || (prev_space && (space & 0x80));
      prev_space = (space >> 63) != 0;
    }
  }
  for (; i < piece.size() && !other; ++i) {
    const char c = piece[i];
    other = static_cast<unsigned char>(c) < 0x20 || (c == ' ' && prev_space);
    prev_space = c == ' ';
    spaces += prev_space;
  }
  if (!other) {
    out.append(piece);
    return piece.size() - spaces;
  }
  out.resize(old + piece.size());
  char* w = out.data() + old;
  size_t visible = 0;
  for (char c : piece) {
    if (!md_space(c)) {
      *w++ = c;
      ++visible;
      in_space = false;
    } else if (!in_space) {
      *w++ = ' ';
      in_space = true;
    }
  }
  out.resize(static_cast<size_t>(w - out.data()));
  return visible;
}

// plain_text (core/model.h) of the mapper's inlines, without the generic walk: they are mostly
// flat and never have titles. Visits the text pieces in order, iteratively.
template <class Visit>
void each_plain_piece(const std::vector<Node>& inlines, Visit&& visit) {
  using Span = std::pair<const Node*, const Node*>;
  const Node* it = inlines.data();
  const Node* end = it + inlines.size();
  // What is left of each level above: a few levels on the stack, deeper ones (rare) in `more`.
  constexpr size_t kNear = 8;
  Span near[kNear];
  size_t depth = 0;
  std::vector<Span> more;
  while (true) {
    if (it == end) {
      if (depth == 0) return;
      --depth;
      std::tie(it, end) = depth < kNear ? near[depth] : more.back();
      if (depth >= kNear) more.pop_back();
      continue;
    }
    const Node& n = *it++;
    if (n.type == NodeType::Text || n.type == NodeType::Keyword) visit(std::string_view(n.text));
    else if (n.type == NodeType::LineBreak) visit(std::string_view(" "));
    if (!n.children.empty()) {
      if (depth < kNear) near[depth] = {it, end};
      else more.emplace_back(it, end);
      ++depth;
      it = n.children.data();
      end = it + n.children.size();
    }
  }
}
size_t plain_length(const std::vector<Node>& inlines) {
  size_t len = 0;
  each_plain_piece(inlines, [&](std::string_view piece) { len += piece.size(); });
  return len;
}
// One pass sizes the string, one fills it.
std::string mapped_plain_text(const std::vector<Node>& inlines) {
  std::string out;
  out.reserve(plain_length(inlines));
  each_plain_piece(inlines, [&](std::string_view piece) { out += piece; });
  return out;
}

// Trees live in the thread's cmark arena and go with it (MdArenaScope): cmark_node_free would
// only walk the tree to free nothing.
struct CmarkNodeDeleter {
  void operator()(cmark_node*) const {}
};
struct CmarkIterDeleter {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};
using CmarkTree = std::unique_ptr<cmark_node, CmarkNodeDeleter>;
using CmarkIter = std::unique_ptr<cmark_iter, CmarkIterDeleter>;

// In the thread's cmark arena (an MdArenaScope must be alive): the parser's many small
// allocations were a quarter of the mapping's instructions.
// `valid_utf8`: the text is known to be valid UTF-8, so cmark need not check it line by line (a
// tenth of its parse); it would only replace invalid sequences with U+FFFD.
CmarkTree md_parse(std::string_view text, bool valid_utf8) {
  const int options = CMARK_OPT_SOURCEPOS | (valid_utf8 ? 0 : CMARK_OPT_VALIDATE_UTF8);
  cmark_parser* parser = cmark_parser_new_with_mem(options, &md_arena_mem);
  if (!parser) return CmarkTree();
  cmark_parser_feed(parser, text.data(), text.size());
  CmarkTree root(cmark_parser_finish(parser));
  cmark_parser_free(parser);
  return root;
}

std::string unescape_attr(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '&') {
      for (auto [ent, ch] : {std::pair<std::string_view, char>{"&amp;", '&'}, {"&quot;", '"'}, {"&lt;", '<'}, {"&gt;", '>'}})
        if (v.substr(i, ent.size()) == ent) {
          out += ch;
          i += ent.size() - 1;
          goto next;
        }
    }
    out += v[i];
  next:;
  }
  return out;
}

}  // namespace

AnchorAttrs::Entry AnchorAttrs::entry(size_t at) const {
  size_t sizes[2];
  std::memcpy(sizes, data_.data() + at, sizeof sizes);
  const char* p = data_.data() + at + sizeof sizes;
  return {std::string_view(p, sizes[0]), std::string_view(p + sizes[0], sizes[1]),
          at + sizeof sizes + sizes[0] + sizes[1]};
}

void AnchorAttrs::append(std::string_view name, std::string_view value) {
  const size_t sizes[2] = {name.size(), value.size()};
  data_.append(reinterpret_cast<const char*>(sizes), sizeof sizes);
  data_.append(name);
  data_.append(value);
}

std::optional<std::string_view> AnchorAttrs::find(std::string_view name) const {
  for (size_t at = 0; at < data_.size();) {
    const Entry e = entry(at);
    if (e.name == name) return e.value;
    at = e.next;
  }
  return std::nullopt;
}

void AnchorAttrs::set(std::string_view name, std::string_view value) {
  any_ = true;
  if (std::find(std::begin(kReadAnchorAttributes), std::end(kReadAnchorAttributes), name) ==
      std::end(kReadAnchorAttributes))
    return;
  for (size_t at = 0; at < data_.size();) {
    const Entry e = entry(at);
    if (e.name == name) {
      // Rare (an attribute written twice): the entry goes, the new value is appended. Copies
      // first, in case the arguments point into these attributes.
      const std::string name_copy(name), value_copy(value);
      data_.erase(at, e.next - at);
      append(name_copy, value_copy);
      return;
    }
    at = e.next;
  }
  append(name, value);
}

void AnchorAttrs::set_all(AnchorAttrs&& other) {
  if (empty()) {
    swap(other);
    return;
  }
  other.each([&](std::string_view name, std::string_view value) { set(name, value); });
}

void AnchorAttrs::add_missing(const AnchorAttrs& other) {
  any_ = any_ || other.any_;
  other.each([&](std::string_view name, std::string_view value) {
    if (!contains(name)) append(name, value);
  });
}

std::string escape_anchor_attr(std::string_view value) {
  std::string out;
  for (char c : value) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\n': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

bool parse_anchor_html(std::string_view html, AnchorAttrs& attrs) {
  html = trim(html);
  bool any = false;
  while (!html.empty()) {
    const size_t close = html.find('>');
    if (close == std::string_view::npos) return false;
    std::string_view tag = html.substr(0, close + 1);
    html = trim(html.substr(close + 1));
    if (tag == "</a>") continue;
    if (tag.rfind("<a ", 0) != 0) return false;
    // One allocation holds them: the tag's text and a few entry headers.
    if (attrs.empty()) attrs.reserve(tag.size() + 48);
    std::string_view rest = tag.substr(3, tag.size() - 4);
    while (true) {
      rest = trim(rest);
      const size_t eq = rest.find("=\"");
      if (eq == std::string_view::npos) break;
      const std::string_view name = trim(rest.substr(0, eq));
      const size_t end = rest.find('"', eq + 2);
      if (end == std::string_view::npos) return false;
      const std::string_view value = rest.substr(eq + 2, end - eq - 2);
      const std::string_view key = name == "name" && !attrs.contains("id") ? "id" : name;
      if (value.find('&') == std::string_view::npos) attrs.set(key, value);  // nearly every value
      else attrs.set(key, unescape_attr(value));
      rest = rest.substr(end + 1);
    }
    if (!trim(rest).empty() && trim(rest) != "/") return false;
    any = true;
  }
  return any;
}

namespace {

// --- Inline content --------------------------------------------------------------------------

class InlineMapper {
 public:
  explicit InlineMapper(Diagnostics& diags) : diags_(diags) {}

  // Maps the inline content under `block` (a leaf block, or a whole document for table cells).
  // The result already follows normalize_inline_whitespace: text is merged, collapsed and trimmed
  // as it is appended, so each literal is copied once.
  // `loc`: where diagnostics about the block point. One mapper serves a whole document, so its
  // working vectors keep their memory from block to block.
  std::vector<Node> map(cmark_node* block, SourceLoc loc, AnchorAttrs* anchors) {
    loc_ = loc;
    flattened_deep_ = false;
    visible_ = 0;
    line_starts_.clear();
    std::vector<Node> out;
    out.reserve(4);  // a label, its text, a link or two: growing 1, 2, 4 moved the nodes twice
    std::vector<std::vector<Node>*>& open_children = open_children_;
    std::vector<bool>& real = real_;
    open_children.clear();
    real.clear();
    auto sink = [&]() -> std::vector<Node>& { return open_children.empty() ? out : *open_children.back(); };
    std::string& normalized = normalized_;
    CmarkIter iter(cmark_iter_new(block));
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
      cmark_node* node = cmark_iter_get_node(iter.get());
      if (node == block) continue;
      const cmark_node_type type = cmark_node_get_type(node);
      const bool container = type == CMARK_NODE_EMPH || type == CMARK_NODE_STRONG ||
                             type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE;
      if (ev == CMARK_EVENT_EXIT) {
        if (container && !real.empty()) {
          if (real.back()) open_children.pop_back();
          real.pop_back();
        } else if (!container && cmark_node_first_child(node) && type != CMARK_NODE_DOCUMENT) {
          append_text(sink(), " ");  // between blocks inside a table cell
        }
        continue;
      }
      switch (type) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE: {
          const char* literal = cmark_node_get_literal(node);
          std::string_view piece = literal ? std::string_view(literal) : std::string_view();
          if (!is_nfc_without_icu(piece)) {
            normalized = nfc(piece);
            piece = normalized;
          }
          visible_ += append_text(sink(), piece);
          break;
        }
        case CMARK_NODE_SOFTBREAK:
          line_starts_.push_back(visible_);
          append_text(sink(), " ");
          break;
        case CMARK_NODE_LINEBREAK:
          line_starts_.push_back(visible_);
          sink().emplace_back(NodeType::LineBreak);
          break;
        case CMARK_NODE_HTML_INLINE: html_inline(cmark_node_get_literal(node), sink(), anchors); break;
        case CMARK_NODE_EMPH:
        case CMARK_NODE_STRONG:
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE: {
          // A Paragraph means "text only": its content goes straight to the current container,
          // so flattening costs nothing however deep the nesting.
          // A real container is built in place, as the last node of its sink: nothing else goes
          // into that sink until it closes, so the pointer to its children stays valid.
          std::vector<Node>& into = sink();
          Node& opened = into.emplace_back();
          real.push_back(open(opened, node, type, static_cast<int>(open_children.size())));
          if (real.back()) open_children.push_back(&opened.children);
          else into.pop_back();
          break;
        }
        default: break;  // block nodes inside a table cell's document: their inlines follow
      }
      // Leaf nodes with no children get no EXIT event from cmark_iter.
    }
    // What normalize_inline_whitespace would still do: trim the outer ends, drop emptied text.
    if (!out.empty() && out.front().type == NodeType::Text && !out.front().text.empty() &&
        out.front().text.front() == ' ')
      out.front().text.erase(0, 1);
    if (!out.empty() && out.back().type == NodeType::Text && !out.back().text.empty() &&
        out.back().text.back() == ' ')
      out.back().text.pop_back();
    out.erase(std::remove_if(out.begin(), out.end(),
                             [](const Node& n) { return n.type == NodeType::Text && n.text.empty(); }),
              out.end());
    return out;
  }

  bool flattened_deep() const { return flattened_deep_; }

  // Where each later source line of the block starts in the mapped text: white space is all that
  // normalization changes, so counting the other characters finds the spot. Line k+1 of the
  // block starts after the k-th line break; its column is its first non-blank character.
  // `dropped`: visible characters the caller removed from the front (a written list label).
  std::vector<recognizer::SourceAnchor> anchors(std::string_view text, const LineIndex& lines,
                                                uint32_t first_line, size_t dropped = 0) const {
    std::vector<recognizer::SourceAnchor> out;
    size_t offset = 0, seen = dropped;
    for (size_t k = 0; k < line_starts_.size(); ++k) {
      while (offset < text.size() && (seen < line_starts_[k] || md_space(text[offset]))) {
        seen += !md_space(text[offset]);
        ++offset;
      }
      if (offset >= text.size()) break;
      const uint32_t line = first_line + static_cast<uint32_t>(k) + 1;
      const std::string_view source = lines.line_text(line);
      size_t col = 0;
      while (col < source.size() && (source[col] == ' ' || source[col] == '\t' || source[col] == '>')) ++col;
      out.push_back({static_cast<uint32_t>(offset), lines.locate(lines.offset_of({line, 1}) + col)});
    }
    return out;
  }

 private:
  Diagnostics& diags_;
  SourceLoc loc_;
  bool flattened_deep_ = false;
  // The children of the inline containers being built (emphasis, strong, link). Unsafe links,
  // images and nesting deeper than kMaxMappedDepth open none: their text goes to the container
  // around them.
  std::vector<std::vector<Node>*> open_children_;
  std::vector<bool> real_;  // per open cmark container: whether it has a node in open_children_
  std::string normalized_;  // a literal's NFC form, when it needs one
  size_t visible_ = 0;               // non-blank characters mapped so far
  std::vector<size_t> line_starts_;  // visible_ at each line break

  // Text goes into the Text node `sink` ends with, or a new one: adjacent text merges, as
  // normalize_inline_whitespace would merge it. Empty pieces make no node (it would drop them).
  static size_t append_text(std::vector<Node>& sink, std::string_view piece) {
    if (piece.empty()) return 0;
    if (sink.empty() || sink.back().type != NodeType::Text) sink.emplace_back(NodeType::Text);
    return append_collapsed(sink.back().text, piece);
  }

  // Makes `into` the node for the container `node`; false when the container opens none.
  bool open(Node& into, cmark_node* node, cmark_node_type type, int depth) {
    if (depth >= kMaxMappedDepth) {
      if (!flattened_deep_)
        diags_.warning("md-deep-inline", "inline formatting nested deeper than " +
                                             std::to_string(kMaxMappedDepth) +
                                             " levels; the text is kept without it", loc_);
      flattened_deep_ = true;
      return false;
    }
    if (type == CMARK_NODE_EMPH) {
      into.type = NodeType::Emphasis;
      return true;
    }
    if (type == CMARK_NODE_STRONG) {
      into.type = NodeType::Strong;
      return true;
    }
    if (type == CMARK_NODE_IMAGE) {
      diags_.note("md-image", "image kept as its description only; it is never fetched", loc_);
      return false;
    }
    const char* url_chars = cmark_node_get_url(node);
    const std::string_view url = url_chars ? url_chars : "";
    if (url.size() > 1 && url[0] == '#' && is_safe_id(url.substr(1))) {
      into.type = NodeType::XRef;
      into.target = url.substr(1);
      return true;
    }
    if (url.empty() || is_unsafe_url(url)) {
      diags_.warning("unsafe-link", "link to '" + std::string(url.substr(0, 60)) +
                                        "' dropped (unsafe or empty URL); its text is kept", loc_);
      return false;
    }
    into.type = NodeType::Link;
    into.target = url;
    return true;
  }

  void html_inline(std::string_view html, std::vector<Node>& sink, AnchorAttrs* anchors) {
    AnchorAttrs attrs;
    if (trim(html) == "</a>") return;  // cmark hands over an anchor's end tag on its own
    if (parse_anchor_html(html, attrs)) {
      if (anchors && anchors->empty()) anchors->swap(attrs);  // the usual one anchor per block
      else if (anchors) anchors->set_all(std::move(attrs));
      return;
    }
    const std::string lower = ascii_lower(trim(html));
    if (lower == "<br>" || lower == "<br/>" || lower == "<br />") {
      sink.push_back(Node(NodeType::LineBreak));
      return;
    }
    if (lower.rfind("<!--", 0) == 0) return;  // comments are for editors
    diags_.warning("md-raw-html", "raw HTML '" + std::string(html.substr(0, 40)) + "' dropped", loc_);
  }
};

// --- Pipe tables -----------------------------------------------------------------------------

std::vector<std::string> split_pipe_row(std::string_view line) {
  line = trim(line);
  if (!line.empty() && line.front() == '|') line.remove_prefix(1);
  if (!line.empty() && line.back() == '|' && (line.size() < 2 || line[line.size() - 2] != '\\'))
    line.remove_suffix(1);
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (line[i] == '|') {
      cells.emplace_back(trim(cell));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  cells.emplace_back(trim(cell));
  return cells;
}

bool is_delimiter_row(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.find('-') == std::string_view::npos) return false;
  for (char c : line)
    if (c != '|' && c != '-' && c != ':' && c != ' ' && c != '\t') return false;
  return true;
}

// --- The block walk --------------------------------------------------------------------------

class BlockMapper {
 public:
  BlockMapper(std::string_view text, bool valid_utf8, const LineIndex& lines, uint32_t line_offset,
              Diagnostics& diags)
      : text_(text), valid_utf8_(valid_utf8), lines_(lines), line_offset_(line_offset), diags_(diags),
        inline_(diags) {}

  void run(cmark_node* root, MarkdownBlocks& out) {
    out_ = &out;
    CmarkIter iter(cmark_iter_new(root));
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
      cmark_node* node = cmark_iter_get_node(iter.get());
      const cmark_node_type type = cmark_node_get_type(node);
      if (ev == CMARK_EVENT_EXIT) {
        if (type == CMARK_NODE_LIST && !lists_.empty()) lists_.pop_back();
        if (type == CMARK_NODE_BLOCK_QUOTE && quote_depth_ > 0) --quote_depth_;
        if (type == CMARK_NODE_ITEM && !lists_.empty() && lists_.back().item_open) {
          // An item that held no paragraph (empty, or only a nested list): keep its marker.
          lists_.back().item_open = false;
        }
        continue;
      }
      switch (type) {
        case CMARK_NODE_LIST: {
          ListContext ctx;
          ctx.ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
          ctx.next_number = cmark_node_get_list_start(node);
          lists_.push_back(ctx);
          if (lists_.size() > static_cast<size_t>(kMaxMappedDepth) && !warned_deep_list_) {
            warned_deep_list_ = true;
            diags_.warning("md-deep-list", "lists nested deeper than " + std::to_string(kMaxMappedDepth) +
                                               " levels are kept at that depth", loc_of(node));
          }
          break;
        }
        case CMARK_NODE_ITEM:
          if (!lists_.empty()) {
            lists_.back().item_open = true;
            lists_.back().label = lists_.back().ordered ? std::to_string(lists_.back().next_number++) : "";
          }
          break;
        case CMARK_NODE_BLOCK_QUOTE:
          // A note; quotes nested in it are read as part of it.
          if (++quote_depth_ == 1) note_start_ = true;
          if (quote_depth_ == static_cast<size_t>(kMaxMappedDepth) + 1)
            diags_.warning("md-deep-quote", "block quotes nested deeper than " +
                                                std::to_string(kMaxMappedDepth) +
                                                " levels; their text is kept as paragraphs", loc_of(node));
          break;
        case CMARK_NODE_PARAGRAPH:
          paragraph(node);
          cmark_iter_reset(iter.get(), node, CMARK_EVENT_EXIT);
          break;
        case CMARK_NODE_HEADING:
          heading(node);
          cmark_iter_reset(iter.get(), node, CMARK_EVENT_EXIT);
          break;
        case CMARK_NODE_CODE_BLOCK: {
          SourceBlock b = start_block(node);
          b.text = nfc(collapse_whitespace(trim(cmark_node_get_literal(node))));
          push(std::move(b), node, AnchorAttrs());
          break;
        }
        case CMARK_NODE_HTML_BLOCK: html_block(node); break;
        case CMARK_NODE_THEMATIC_BREAK: blank_before(node); break;
        default: break;
      }
    }
  }

 private:
  struct ListContext {
    bool ordered = false;
    int next_number = 1;
    bool item_open = false;  // the item's first paragraph is still to come
    std::string label;
  };

  std::string_view text_;
  bool valid_utf8_;
  const LineIndex& lines_;
  uint32_t line_offset_;
  Diagnostics& diags_;
  MarkdownBlocks* out_ = nullptr;
  std::vector<ListContext> lists_;
  size_t quote_depth_ = 0;
  bool note_start_ = false;  // the next block pushed starts a note
  uint32_t last_end_line_ = 0;
  bool warned_deep_list_ = false;
  AnchorAttrs pending_anchors_;  // from an HTML block of anchors alone
  InlineMapper inline_;

  SourceLoc loc_of(cmark_node* node) const {
    const uint32_t line = static_cast<uint32_t>(cmark_node_get_start_line(node)) + line_offset_;
    const uint32_t byte_col = static_cast<uint32_t>(std::max(1, cmark_node_get_start_column(node)));
    // cmark counts columns in bytes; diagnostics count code points. A column within its line (a
    // line_text without data is no line of the text) is counted there, without locate's search.
    const std::string_view line_text = lines_.line_text(line);
    if (line_text.data() != nullptr && byte_col - 1 <= line_text.size())
      return {line, count_code_points(line_text.substr(0, byte_col - 1)) + 1};
    const size_t offset = lines_.offset_of({line, 1}) + byte_col - 1;
    return offset <= text_.size() ? lines_.locate(offset) : SourceLoc{line, byte_col};
  }

  void blank_before(cmark_node* node) {
    const uint32_t start = static_cast<uint32_t>(cmark_node_get_start_line(node)) + line_offset_;
    if (last_end_line_ != 0 && start > last_end_line_ + 1 && !out_->blocks.empty() &&
        out_->blocks.back().hint != BlockHint::Blank) {
      SourceBlock& b = out_->blocks.emplace_back();
      b.hint = BlockHint::Blank;
      b.loc = {last_end_line_ + 1, 1};
      out_->anchor_attrs.emplace_back();
    }
    last_end_line_ = std::max(last_end_line_, static_cast<uint32_t>(cmark_node_get_end_line(node)) + line_offset_);
  }

  SourceBlock start_block(cmark_node* node) {
    blank_before(node);
    SourceBlock b;
    b.loc = loc_of(node);
    return b;
  }

  void push(SourceBlock&& b, cmark_node*, AnchorAttrs&& anchors) {
    out_->blocks.push_back(std::move(b));
    finish_block(out_->blocks.back(), std::move(anchors));
  }

  // Headings and paragraphs are built in place, as the last block (a SourceBlock is large: moving
  // it cost more than filling it). finish_block completes the block; drop_block takes it back.
  SourceBlock& begin_block(cmark_node* node) {
    blank_before(node);
    SourceBlock& b = out_->blocks.emplace_back();
    b.loc = loc_of(node);
    return b;
  }

  void finish_block(SourceBlock& b, AnchorAttrs&& anchors) {
    anchors.add_missing(pending_anchors_);
    pending_anchors_.clear();
    if (quote_depth_ > 0) {
      b.note_depth = static_cast<int>(std::min(quote_depth_, static_cast<size_t>(kMaxMappedDepth)));
      b.note_start = note_start_;
      note_start_ = false;
    }
    out_->anchor_attrs.push_back(std::move(anchors));
  }

  void drop_block() { out_->blocks.pop_back(); }

  void heading(cmark_node* node) {
    SourceBlock& b = begin_block(node);
    b.hint = BlockHint::Heading;
    b.heading_level = cmark_node_get_heading_level(node);
    AnchorAttrs anchors;
    b.inlines = inline_.map(node, b.loc, &anchors);
    b.text = mapped_plain_text(b.inlines);
    finish_block(b, std::move(anchors));
  }

  void paragraph(cmark_node* node) {
    if (table(node)) return;
    SourceBlock& b = begin_block(node);
    AnchorAttrs anchors;
    b.inlines = inline_.map(node, b.loc, &anchors);
    size_t dropped = 0;
    if (take_caption(node, b)) {
      dropped = 6;
    } else if (!lists_.empty() && lists_.back().item_open) {
      ListContext& list = lists_.back();
      list.item_open = false;
      b.hint = BlockHint::ListItem;
      b.list_depth = static_cast<int>(std::min(lists_.size() - 1, static_cast<size_t>(kMaxMappedDepth)));
      b.ordered = list.ordered;
      b.list_label = list.label;
      if (!list.ordered) dropped = take_written_label(b);
    } else if (!b.inlines.empty() && b.inlines.front().type == NodeType::Strong) {
      b.hint = BlockHint::BoldLabel;
      // The run is a Strong: its text is its children's.
      b.label_length = static_cast<uint32_t>(plain_length(b.inlines.front().children));
    }
    b.text = mapped_plain_text(b.inlines);
    b.anchors = inline_.anchors(b.text, lines_, b.loc.line, dropped);
    if (b.text.empty() && b.hint != BlockHint::ListItem) {
      // A paragraph of anchors only: they name the next block.
      pending_anchors_.set_all(std::move(anchors));
      drop_block();
      return;
    }
    finish_block(b, std::move(anchors));
  }

  // "a) text", "(b) text", "iv. text" at the start of a bullet item: the label CommonMark
  // cannot number (lettered and roman lists).
  // Returns the number of non-blank characters removed.
  static size_t take_written_label(SourceBlock& b) {
    if (b.inlines.empty() || b.inlines.front().type != NodeType::Text) return 0;
    std::string& first = b.inlines.front().text;
    size_t i = 0;
    const bool paren = !first.empty() && first[0] == '(';
    if (paren) ++i;
    const size_t start = i;
    while (i < first.size() && i - start < 5 && ((first[i] >= 'a' && first[i] <= 'z') ||
                                                 (first[i] >= 'A' && first[i] <= 'Z')))
      ++i;
    if (i == start || i >= first.size()) return 0;
    const bool letters_ok = i - start == 1 || first.substr(start, i - start).find_first_not_of("ivxlcIVXLC") == std::string::npos;
    if (!letters_ok) return 0;
    if (!(first[i] == ')' || (!paren && first[i] == '.'))) return 0;
    if (i + 1 < first.size() && first[i + 1] != ' ') return 0;
    b.ordered = true;
    b.list_label = first.substr(start, i - start);
    first.erase(0, std::min(first.size(), i + 2));
    normalize_inline_whitespace(b.inlines);
    return i + 1;  // "(a)" or "a)" or "iv."
  }

  // "Table: caption" just before a pipe table: the table's caption (pandoc's convention).
  bool take_caption(cmark_node* node, SourceBlock& b) const {
    if (b.inlines.empty() || b.inlines.front().type != NodeType::Text) return false;
    std::string& first = b.inlines.front().text;
    if (first.rfind("Table:", 0) != 0) return false;
    cmark_node* next = cmark_node_next(node);
    if (!next || cmark_node_get_type(next) != CMARK_NODE_PARAGRAPH || !is_table(next)) return false;
    first.erase(0, 6);
    normalize_inline_whitespace(b.inlines);
    if (b.inlines.empty()) return false;
    b.hint = BlockHint::TableCaption;
    return true;
  }

  // The text of one line of a paragraph, without the container prefix (list indentation, "> ").
  std::string_view row_text(cmark_node* node, uint32_t line) const {
    const size_t col = static_cast<size_t>(std::max(1, cmark_node_get_start_column(node))) - 1;
    std::string_view t = lines_.line_text(line);
    size_t cut = 0;
    while (cut < t.size() && cut < col && (t[cut] == ' ' || t[cut] == '>' || t[cut] == '\t')) ++cut;
    return trim(t.substr(cut));
  }

  // A paragraph whose lines all start with '|' and whose second line is a delimiter row.
  bool is_table(cmark_node* node) const {
    const uint32_t first_line = static_cast<uint32_t>(cmark_node_get_start_line(node)) + line_offset_;
    const uint32_t last_line = static_cast<uint32_t>(cmark_node_get_end_line(node)) + line_offset_;
    if (last_line < first_line + 1) return false;
    for (uint32_t line = first_line; line <= last_line; ++line) {
      const std::string_view t = row_text(node, line);
      if (t.empty() || t.front() != '|') return false;
    }
    return is_delimiter_row(row_text(node, first_line + 1));
  }

  bool table(cmark_node* node) {
    if (!is_table(node)) return false;
    const uint32_t first_line = static_cast<uint32_t>(cmark_node_get_start_line(node)) + line_offset_;
    const uint32_t last_line = static_cast<uint32_t>(cmark_node_get_end_line(node)) + line_offset_;

    bool warned_wide = false;
    for (uint32_t line = first_line; line <= last_line; ++line) {
      if (line == first_line + 1) continue;  // the delimiter row
      std::vector<std::string> cells = split_pipe_row(row_text(node, line));
      if (cells.size() > kMaxTableColumns) {
        if (!warned_wide)
          diags_.warning("md-wide-table", "table row with " + std::to_string(cells.size()) +
                                              " columns; cells after column " +
                                              std::to_string(kMaxTableColumns) + " are joined into the last one",
                         {line, 1});
        warned_wide = true;
        std::string rest;
        for (size_t c = kMaxTableColumns - 1; c < cells.size(); ++c) rest += (rest.empty() ? "" : " ") + cells[c];
        cells.resize(kMaxTableColumns - 1);
        cells.push_back(std::move(rest));
      }
      SourceBlock b;
      if (line == first_line) b = start_block(node);
      else b.loc = {line, 1};
      b.hint = BlockHint::TableRow;
      b.header_row = line == first_line;
      b.loc = {line, b.loc.col ? b.loc.col : 1};
      b.cells.reserve(cells.size());
      b.cell_inlines.reserve(cells.size());
      for (std::string& cell : cells) {
        CmarkTree cell_doc = md_parse(cell, valid_utf8_);  // cut from the text at ASCII bytes
        if (!cell_doc) {
          b.cells.push_back(cell);
          b.cell_inlines.push_back({Node::make_text(std::move(cell))});
          normalize_inline_whitespace(b.cell_inlines.back());
          continue;
        }
        b.cell_inlines.push_back(inline_.map(cell_doc.get(), b.loc, nullptr));
        b.cells.push_back(mapped_plain_text(b.cell_inlines.back()));
      }
      std::string joined;
      for (const std::string& c : b.cells) {
        if (!joined.empty() && !c.empty()) joined += ' ';
        joined += c;
      }
      b.text = std::move(joined);
      // A pipe table must have a header row; an empty one stands in for none (the writer's form).
      if (b.header_row && b.text.empty()) continue;
      push(std::move(b), node, AnchorAttrs());
    }
    return true;
  }

  void html_block(cmark_node* node) {
    const char* literal = cmark_node_get_literal(node);
    std::string_view html = literal ? literal : "";
    AnchorAttrs attrs;
    if (parse_anchor_html(html, attrs)) {
      pending_anchors_.set_all(std::move(attrs));
      return;
    }
    if (trim(html).rfind("<!--", 0) == 0) return;
    blank_before(node);
    diags_.warning("md-raw-html", "raw HTML block dropped (write Markdown, or ingest the page as HTML)",
                   loc_of(node));
  }
};

}  // namespace

MarkdownBlocks markdown_to_blocks(std::string_view utf8, Diagnostics& diags, bool checked_utf8) {
  MarkdownBlocks out;
  out.front_matter = parse_front_matter(utf8);
  for (const FrontMatterProblem& p : out.front_matter.problems)
    diags.warning("front-matter", p.message, {p.line, 1});
  if (out.front_matter.present && !out.front_matter.closed)
    diags.warning("front-matter", "front matter has no closing '---' line; read as Markdown", {1, 1});
  const std::string_view body = utf8.substr(out.front_matter.body_offset);
  LineIndex lines(utf8);
  MdArenaScope arena;  // outlives the tree: every cmark allocation goes with it
  // The reader hands over valid UTF-8 (and says so when detect_encoding checked it); checking
  // otherwise keeps any other caller's invalid bytes from reaching the model.
  const bool valid_utf8 = checked_utf8 || is_valid_utf8(body);
  CmarkTree root = md_parse(body, valid_utf8);
  if (!root) {
    diags.error("md-parse", "cmark could not parse the input (out of memory?)");
    return out;
  }
  // About one block per two lines in typical documents; saves re-allocating large blocks.
  size_t newlines = 0;
  for (const char *p = body.data(), *end = p + body.size();
       (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr; ++p)
    ++newlines;
  const size_t estimate = newlines / 2 + 1;
  out.blocks.reserve(estimate);
  out.anchor_attrs.reserve(estimate);
  BlockMapper mapper(utf8, valid_utf8, lines, out.front_matter.body_first_line - 1, diags);
  mapper.run(root.get(), out);
  return out;
}

}  // namespace normkit::markdown
