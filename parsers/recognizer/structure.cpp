// The structure recognizer (recognizer.h): one pass over the blocks with a small state machine
// (current topic, open provision, pending list, region: definitions / word usage / scope /
// furniture / practice guidelines), then the inline passes (keywords, terms, cross-references),
// identity and the editorial checks.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <type_traits>
#include <unordered_map>

#include "core/ids.h"
#include "core/text.h"
#include "core/view_set.h"
#include "parsers/recognizer/editorial.h"
#include "parsers/recognizer/grading.h"
#include "parsers/recognizer/keywords.h"
#include "parsers/recognizer/organizations.h"
#include "parsers/recognizer/patterns.h"
#include "parsers/recognizer/recognizer.h"
#include "parsers/recognizer/structure.h"
#include "parsers/recognizer/terms.h"

namespace normkit::recognizer {

namespace {

// --- The builder ------------------------------------------------------------------------------------

enum class Region { Body, Definitions, WordUsage, Scope, Furniture, PracticeGuidelines, References };

// The set of (topic, sub, kind, number) a provision was numbered with: open addressing over a
// vector of keys, so that a provision costs no allocation of its own (a std::set node each did).
// A number of up to eight bytes (most: "1.1", "XIV.3") is kept in its key as one word; longer
// ones live one after another in one string (a std::string per key cost its construction, and
// its move at each growth).
class NumberSet {
 public:
  // False when the key was already there.
  bool insert(long topic, long sub, int kind, std::string_view number) {
    if ((keys_.size() + 1) * 2 > slots_.size()) grow();
    const size_t mask = slots_.size() - 1;
    const uint64_t word = number.size() <= 8 ? word_of(number) : 0;
    const size_t h = hash(topic, sub, kind, number);
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i] == 0) {
        Key& k = keys_.emplace_back();
        k.topic = topic;
        k.sub = sub;
        k.hash = h;
        k.word = word;
        k.number_size = number.size();
        k.kind = kind;
        if (number.size() > 8) {
          k.number_at = numbers_.size();
          numbers_.append(number);
        }
        slots_[i] = static_cast<uint32_t>(keys_.size());
        return true;
      }
      const Key& k = keys_[slots_[i] - 1];
      if (k.hash == h && k.topic == topic && k.sub == sub && k.kind == kind && k.number_size == number.size() &&
          (number.size() <= 8 ? k.word == word
                              : std::string_view(numbers_).substr(k.number_at, k.number_size) == number))
        return false;
    }
  }

 private:
  struct Key {
    long topic = 0, sub = 0;
    size_t hash = 0;  // kept: growing needs no second look at the number
    uint64_t word = 0;  // the number's bytes when it has at most eight, zero-padded
    size_t number_at = 0, number_size = 0;  // a longer number: its place in numbers_
    int kind = 0;
  };
  static uint64_t word_of(std::string_view number) {
    uint64_t w = 0;
    std::memcpy(&w, number.data(), number.size());
    return w;
  }
  static size_t hash(long topic, long sub, int kind, std::string_view number) {
    uint64_t h = view_hash(number);
    h ^= static_cast<uint64_t>(topic) * 0x9E3779B97F4A7C15ULL;
    h ^= static_cast<uint64_t>(sub) * 0xC2B2AE3D27D4EB4FULL;
    h ^= static_cast<uint64_t>(kind) * 0x165667B19E3779F9ULL;
    return static_cast<size_t>(h ^ (h >> 29));
  }
  void grow() {
    slots_.assign(std::max<size_t>(64, slots_.size() * 2), 0);
    // The keys fit until the slots grow again: the keys move once per growth, not at every doubling.
    keys_.reserve(slots_.size() / 2);
    const size_t mask = slots_.size() - 1;
    for (size_t k = 0; k < keys_.size(); ++k) {
      size_t i = keys_[k].hash & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = static_cast<uint32_t>(k + 1);
    }
  }
  std::vector<Key> keys_;
  std::string numbers_;
  std::vector<uint32_t> slots_;  // 0: empty; else index + 1 into keys_
};

// looks_like_heading(t) of the block being handled: asked up to four times, computed once.
class HeadingGuess {
 public:
  explicit HeadingGuess(std::string_view t) : t_(t) {}
  bool operator()() const {
    if (state_ < 0) state_ = looks_like_heading(t_) ? 1 : 0;
    return state_ == 1;
  }

 private:
  std::string_view t_;
  mutable int state_ = -1;  // -1: not asked yet
};

class Builder {
 public:
  Builder(std::vector<SourceBlock>& blocks, const RecognizerOptions& options, Diagnostics& diags)
      : blocks_(blocks), opt_(options), diags_(diags) {}

  Document run();

 private:
  // Containers are addressed by index, never by pointer, because vectors grow.
  std::vector<Node>& container() {
    if (region_ == Region::Furniture && furniture_ >= 0) return doc_.body[furniture_].children;
    if (region_ == Region::Scope && scope_ >= 0) return doc_.body[scope_].children;
    if (topic_ < 0) return doc_.body;
    std::vector<Node>& t = doc_.body[topic_].children;
    if (sub_ >= 0) return t[sub_].children;
    return t;
  }
  Node* open_provision() {
    if (provision_ < 0) return nullptr;
    std::vector<Node>& c = container();
    return provision_ < static_cast<long>(c.size()) ? &c[provision_] : nullptr;
  }

  std::vector<Node> inlines_of(const SourceBlock& b, size_t begin, size_t end) const;
  // Appends to `out` the inline content of b.text[begin, end): copied from a const block, moved
  // out of a block that is not read again.
  template <class Block>
  void cut_inlines(Block& b, size_t begin, size_t end, std::vector<Node>& out) const;
  Node paragraph(const SourceBlock& b, size_t begin = 0, size_t end = std::string::npos) const;
  // paragraph(b, begin, end), built in place at the end of `out`.
  Node& append_paragraph(std::vector<Node>& out, const SourceBlock& b, size_t begin = 0,
                         size_t end = std::string::npos) const;
  // append_paragraph for a block that is not read again: its text and inlines move into the node.
  Node& take_paragraph(std::vector<Node>& out, SourceBlock& b, size_t begin = 0,
                       size_t end = std::string::npos) const;
  SourceLoc loc_at(const SourceBlock& b, size_t offset) const;

  // (Inline: called for most blocks, with nothing pending for most.)
  void flush_list() {
    if (!pending_items_.empty()) flush_pending_list();
  }
  void flush_pending_list();
  void close_topic() { flush_list(); topic_ = -1; sub_ = -1; provision_ = -1; }
  void start_section(const SourceBlock& b, std::string number, std::string label, std::string_view title,
                     bool top);
  void start_furniture(const SourceBlock& b, FurnitureKind kind);
  // A scope statement from `b`'s text after `begin`; with `keep_open`, the following blocks join
  // it until the next heading or label.
  void start_scope(const SourceBlock& b, size_t begin, bool keep_open);
  // A provision of `kind` at the end of the container, open, for the caller to fill in place
  // (building it elsewhere and moving it in cost a move of the node); then check_number.
  // (`number` is taken by reference: a parameter by value cost a move of its own.)
  Node& begin_provision(ProvisionKind kind, std::string&& number, const SourceBlock& b);
  // A provision's number, once final, against the numbers so far: a duplicate loses it.
  void check_number(Node& p, const SourceBlock& b);
  // `found`, when given, is find_grading(b.text, begin), already computed by the caller (read in
  // place and then reused: moving an annotation costs the moves of its strings).
  // `number` as written; empty: numbered in reading order.
  bool add_recommendation(SourceBlock& b, size_t begin, std::string_view number,
                          std::optional<GradingAnnotation>* found = nullptr);
  void add_paragraph(SourceBlock& b);
  void add_catalog_entry(const SourceBlock& b, const YearSuffix* year, CatalogKind context_kind);
  void handle(size_t index);
  void handle_list_item(SourceBlock& b);
  void handle_note_block(SourceBlock& b);
  void add_table_row(const SourceBlock& b, std::vector<Node>& target);
  void add_reference(const SourceBlock& b);
  Node* open_note();
  // Where a note, table or list that follows goes: the explanation of the definition or keyword
  // just read, else the open provision, else the container.
  std::vector<Node>* explanation() { return explanation_of(explains_, explains_index()); }
  long explains_index() const {
    return static_cast<long>(explains_ == Explains::Definition ? doc_.definitions.size() : doc_.word_usage.size()) - 1;
  }
  // Addressed by index: a list or note keeps its place after the next block resets explains_.
  std::vector<Node>* explanation_of(int kind, long index) {
    if (kind == Explains::Definition && index >= 0 && index < static_cast<long>(doc_.definitions.size()))
      return &doc_.definitions[index].explanation;
    if (kind == Explains::Keyword && index >= 0 && index < static_cast<long>(doc_.word_usage.size()))
      return &doc_.word_usage[index].explanation;
    return nullptr;
  }
  std::vector<Node>& block_target() {
    if (std::vector<Node>* e = explanation()) return *e;
    Node* prov = open_provision();
    return prov ? prov->children : container();
  }
  // `heading_like` is looks_like_heading(strip(b.text)).
  bool handle_title(const SourceBlock& b, const HeadingGuess& heading_like);
  std::optional<FurnitureKind> furniture_heading(std::string_view t, const HeadingGuess& heading_like) const;

  void finish();
  // Keywords, term mentions, cross-references, the grading scheme and the whitespace rule, in
  // one walk over the body and one over the definitions (separate walks cost more than the work
  // they carried).
  void finish_inlines();
  // Marks keywords in one paragraph or cell and links term mentions in it; true when keyword
  // marking found its Text bytes clean of tabs, line ends and double spaces.
  bool mark_and_link(Node& n, bool link, const std::string& skip_id);
  // "refer to Standard 1.1" in one paragraph of the body becomes a link to that provision.
  void link_cross_references(Node& paragraph);

  std::optional<KeywordMatcher> matcher_;
  std::optional<TermLinker> linker_;
  std::vector<bool> used_keywords_;  // per matcher entry: marked somewhere
  std::unordered_map<std::string, std::string> id_by_label_;  // read at the first "refer to "
  bool labels_read_ = false;

  // The last position located: a later offset in the same block counts on from it, so that
  // locating many places along one long line stays linear.
  struct LocCache {
    const SourceBlock* block = nullptr;
    const char* data = nullptr;
    size_t size = 0;
    size_t offset = 0;
    SourceLoc loc;
  };
  mutable LocCache loc_cache_;
  mutable LocCache last_short_loc_;  // the last place located in a short block

  std::vector<SourceBlock>& blocks_;
  const RecognizerOptions& opt_;
  Diagnostics& diags_;
  Document doc_;
  OrgRegistry orgs_;

  Region region_ = Region::Body;
  long topic_ = -1, sub_ = -1, provision_ = -1, furniture_ = -1, scope_ = -1;
  bool blank_before_ = true;
  bool seen_content_ = false;
  bool cpg_mode_ = false;
  std::string inherited_class_;
  std::string essential_number_;     // the open Essential, for its statement and practice guidelines
  bool essential_statement_pending_ = false;
  CatalogKind catalog_context_ = CatalogKind::Other;
  std::set<std::string> co_authors_;
  std::string last_heading_;
  unsigned next_recommendation_ = 1;
  bool numbered_recommendations_note_ = false;
  NumberSet numbers_seen_;  // (topic, sub, kind, number) of the provisions so far
  size_t sections_built_ = 0;
  size_t provisions_built_[static_cast<size_t>(ProvisionKind::Requirement) + 1] = {};  // per kind
  NumberSet section_numbers_;  // (parent topic or -1, -1, -1, number) of the sections so far
  size_t title_block_ = SIZE_MAX;
  std::vector<bool> starred_;  // per catalog entry: ends with '*' (an endorsement footnote follows)
  bool title_from_page_heading_ = false;
  bool grading_2015_ = false;
  bool practice_labels_seen_ = false;  // "Guideline XIV.1:" paragraphs under PRACTICE GUIDELINES

  struct PendingItem {
    int depth;
    Node item;
  };
  std::vector<PendingItem> pending_items_;
  bool pending_into_provision_ = false;
  bool pending_into_note_ = false;
  struct Explains {
    enum : int { None, Definition, Keyword };
  };
  int explains_ = Explains::None;  // the block before was a definition or keyword (or what follows it)
  int pending_explains_ = Explains::None;  // the pending list belongs to that explanation:
  long pending_explains_index_ = -1;       // kind and index
  enum class NoteIn { Container, Provision, Explanation };
  long note_ = -1;                  // the open note: index in the vector note_in_ names
  NoteIn note_in_ = NoteIn::Container;
  int note_explains_ = Explains::None;  // NoteIn::Explanation: whose
  long note_explains_index_ = -1;
  std::vector<Node> pending_caption_;  // from a TableCaption block, for the table that follows
  bool has_pending_caption_ = false;
};

SourceLoc Builder::loc_at(const SourceBlock& b, size_t offset) const {
  // Short blocks are located directly: counting a few hundred bytes is cheaper than the cache
  // below, but the same place is often asked for again (a recommendation, its paragraph and its
  // first text).
  if (b.text.size() <= 4096) {
    LocCache& last = last_short_loc_;
    if (last.block == &b && last.data == b.text.data() && last.size == b.text.size() && last.offset == offset)
      return last.loc;
    const SourceLoc loc = locate(b, offset);
    last = {&b, b.text.data(), b.text.size(), offset, loc};
    return loc;
  }
  offset = std::min(offset, b.text.size());
  LocCache& c = loc_cache_;
  if (c.block == &b && c.data == b.text.data() && c.size == b.text.size() && offset < c.offset) {
    // Backwards: valid when no anchor lies in (offset, c.offset].
    auto it = std::upper_bound(b.anchors.begin(), b.anchors.end(), offset,
                               [](size_t off, const SourceAnchor& x) { return off < x.offset; });
    if (it == b.anchors.end() || it->offset > c.offset) {
      SourceLoc loc = c.loc;
      loc.col -= count_code_points(std::string_view(b.text).substr(offset, c.offset - offset));
      return loc;
    }
  }
  if (c.block == &b && c.data == b.text.data() && c.size == b.text.size() && offset >= c.offset) {
    // Valid when no anchor lies in (c.offset, offset]: both then count from the same base.
    auto it = std::upper_bound(b.anchors.begin(), b.anchors.end(), offset,
                               [](size_t off, const SourceAnchor& x) { return off < x.offset; });
    if (it == b.anchors.begin() || std::prev(it)->offset <= c.offset) {
      SourceLoc loc = c.loc;
      loc.col += count_code_points(std::string_view(b.text).substr(c.offset, offset - c.offset));
      c.offset = offset;
      c.loc = loc;
      return loc;
    }
  }
  const SourceLoc loc = locate(b, offset);
  c = {&b, b.text.data(), b.text.size(), offset, loc};
  return loc;
}

// hay.find(needle) != npos, looking for needle[anchor] (pick a rare character) with memchr:
// std::string's find stops at every occurrence of the needle's first letter, which is slow
// when that letter is common.
bool has(std::string_view hay, std::string_view needle, size_t anchor) {
  for (size_t from = anchor; from < hay.size();) {
    const void* p = std::memchr(hay.data() + from, needle[anchor], hay.size() - from);
    if (!p) return false;
    const size_t at = static_cast<size_t>(static_cast<const char*>(p) - hay.data());
    const size_t start = at - anchor;
    if (start + needle.size() <= hay.size() && std::memcmp(hay.data() + start, needle.data(), needle.size()) == 0)
      return true;
    from = at + 1;
  }
  return false;
}

// has(text, "o-author", 1) || has(text, "O-AUTHOR", 1), in one look at each '-'.
bool mentions_co_author(std::string_view text) {
  for (size_t from = 1; from < text.size();) {
    const void* p = std::memchr(text.data() + from, '-', text.size() - from);
    if (!p) return false;
    const size_t at = static_cast<size_t>(static_cast<const char*>(p) - text.data());
    if (at + 7 <= text.size()) {
      const std::string_view word = text.substr(at - 1, 8);
      if (word == "o-author" || word == "O-AUTHOR") return true;
    }
    from = at + 1;
  }
  return false;
}

// plain_text({n}).size() without copying n: the same nodes counted (n, then its title and
// children at any depth).
size_t plain_length(const Node& n) {
  const auto own = [](const Node& x) -> size_t {
    if (x.type == NodeType::Text || x.type == NodeType::Keyword) return x.text.size();
    return x.type == NodeType::LineBreak ? 1 : 0;
  };
  size_t len = own(n);
  // Most such nodes (a bold label, an emphasized word) hold leaves only: no walk needed.
  if (n.title.empty() && std::all_of(n.children.begin(), n.children.end(),
                                     [](const Node& c) { return c.children.empty() && c.title.empty(); })) {
    for (const Node& c : n.children) len += own(c);
    return len;
  }
  const auto add = [&](const Node& c, int, const Node*) {
    len += own(c);
    return true;
  };
  if (!n.title.empty()) walk(n.title, add);
  if (!n.children.empty()) walk(n.children, add);
  return len;
}

std::vector<Node> Builder::inlines_of(const SourceBlock& b, size_t begin, size_t end) const {
  std::vector<Node> out;
  cut_inlines(b, begin, end, out);
  return out;
}

template <class Block>
void Builder::cut_inlines(Block& b, size_t begin, size_t end, std::vector<Node>& out) const {
  constexpr bool take = !std::is_const_v<Block>;
  end = std::min(end, b.text.size());
  if (begin >= end) return;
  if (b.inlines.empty()) {
    Node& t = out.emplace_back(NodeType::Text);
    t.text.assign(b.text, begin, end - begin);
    t.loc = loc_at(b, begin);
    return;
  }
  // Cut the reader's inline nodes at the same offsets: Text nodes are cut, other nodes are kept
  // whole when they overlap the range.
  size_t pos = 0;
  for (auto& n : b.inlines) {
    const size_t len = n.type == NodeType::Text ? n.text.size() : plain_length(n);
    const size_t nb = pos, ne = pos + len;
    pos = ne;
    if (ne <= begin || nb >= end) continue;
    if (n.type == NodeType::Text) {
      const size_t cb = std::max(begin, nb) - nb, ce = std::min(end, ne) - nb;
      Node& t = out.emplace_back(NodeType::Text);
      if constexpr (take) {
        t.text = std::move(n.text);
        t.text.resize(ce);
        t.text.erase(0, cb);
      } else {
        t.text.assign(n.text, cb, ce - cb);
      }
      t.loc = loc_at(b, nb + cb);
    } else if constexpr (take) {
      out.push_back(std::move(n));
    } else {
      out.push_back(n);
    }
  }
}

Node Builder::paragraph(const SourceBlock& b, size_t begin, size_t end) const {
  Node p = Node::make_paragraph(inlines_of(b, begin, end));
  p.loc = loc_at(b, begin);
  p.origin_line = p.loc.line;
  return p;
}

Node& Builder::append_paragraph(std::vector<Node>& out, const SourceBlock& b, size_t begin, size_t end) const {
  Node& p = out.emplace_back(NodeType::Paragraph);
  cut_inlines(b, begin, end, p.children);
  p.loc = loc_at(b, begin);
  p.origin_line = p.loc.line;
  return p;
}

Node& Builder::take_paragraph(std::vector<Node>& out, SourceBlock& b, size_t begin, size_t end) const {
  end = std::min(end, b.text.size());
  if (begin >= end) return append_paragraph(out, b, begin, end);
  Node& p = out.emplace_back(NodeType::Paragraph);
  if (!b.inlines.empty()) {
    cut_inlines(b, begin, end, p.children);
    p.loc = loc_at(b, begin);
    p.origin_line = p.loc.line;
    return p;
  }
  const SourceLoc at = loc_at(b, begin);
  Node& t = p.children.emplace_back(NodeType::Text);
  t.text = std::move(b.text);
  b.text.clear();
  t.text.resize(end);
  t.text.erase(0, begin);
  t.loc = at;
  p.loc = at;
  p.origin_line = at.line;
  return p;
}

void Builder::flush_pending_list() {
  const auto style_list = [](Node& list, const Node& first) {
    const char c = first.text.empty() ? 0 : first.text[0];
    list.list_style = first.text.empty() ? ListStyle::Bullet
                      : is_digit(c)      ? ListStyle::Decimal
                      : is_lower(c)      ? ListStyle::LowerAlpha
                                         : ListStyle::UpperAlpha;
    list.flag = !first.text.empty();  // ordered: items carry their number or letter
    list.loc = first.loc;
    list.origin_line = first.loc.line;
  };
  // Where the list goes: the open note, the explanation it belongs to, the provision, else the
  // container.
  const int explains = pending_explains_;
  pending_explains_ = Explains::None;
  std::vector<Node>* target = nullptr;
  if (pending_into_note_) {
    pending_into_note_ = false;
    if (Node* note = open_note()) target = &note->children;
  }
  if (!target) target = explanation_of(explains, pending_explains_index_);
  if (!target) {
    Node* prov = pending_into_provision_ ? open_provision() : nullptr;
    target = prov ? &prov->children : &container();
  }
  // A flat list (the usual case) is built in place, its items' room taken at once.
  if (std::all_of(pending_items_.begin(), pending_items_.end(), [](const PendingItem& p) { return p.depth == 0; })) {
    Node& list = target->emplace_back(NodeType::List);
    style_list(list, pending_items_.front().item);
    list.children.reserve(pending_items_.size());
    for (PendingItem& p : pending_items_) list.children.push_back(std::move(p.item));
    pending_items_.clear();
    return;
  }
  // Nested lists from (depth, item) pairs, without recursion.
  std::vector<Node> stack;
  const auto new_list = [&](const Node& first) {
    Node list(NodeType::List);
    style_list(list, first);
    return list;
  };
  const auto pop = [&]() {
    Node done = std::move(stack.back());
    stack.pop_back();
    stack.back().children.back().children.push_back(std::move(done));
  };
  for (PendingItem& p : pending_items_) {
    int depth = std::min<int>(p.depth, static_cast<int>(stack.size()));
    if (stack.empty()) depth = 0;
    while (static_cast<int>(stack.size()) > depth + 1) pop();
    if (static_cast<int>(stack.size()) < depth + 1) stack.push_back(new_list(p.item));
    stack.back().children.push_back(std::move(p.item));
  }
  while (stack.size() > 1) pop();
  pending_items_.clear();
  target->push_back(std::move(stack.back()));
}

Node* Builder::open_note() {
  if (note_ < 0) return nullptr;
  std::vector<Node>* c = nullptr;
  if (note_in_ == NoteIn::Explanation) c = explanation_of(note_explains_, note_explains_index_);
  else if (note_in_ == NoteIn::Provision) c = open_provision() ? &open_provision()->children : nullptr;
  else c = &container();
  if (!c) return nullptr;
  return note_ < static_cast<long>(c->size()) && (*c)[note_].type == NodeType::Note ? &(*c)[note_] : nullptr;
}

// One block inside a note. Inside a note nothing is recognized as structure: paragraphs, list
// items and table rows are kept as they are (nested notes are read as one).
void Builder::handle_note_block(SourceBlock& b) {
  if (b.note_start || !open_note()) {
    flush_list();
    Node note(NodeType::Note);
    note.loc = b.loc;
    note.origin_line = b.loc.line;
    note_in_ = explanation() ? NoteIn::Explanation : open_provision() ? NoteIn::Provision : NoteIn::Container;
    note_explains_ = explains_;
    note_explains_index_ = explains_index();
    std::vector<Node>& target = block_target();
    target.push_back(std::move(note));
    note_ = static_cast<long>(target.size()) - 1;
  }
  if (b.hint == BlockHint::ListItem) {
    if (!pending_items_.empty() && !pending_into_note_) flush_list();
    if (pending_items_.empty()) pending_into_note_ = true;
    Node item(NodeType::ListItem);
    item.text = b.ordered ? b.list_label : "";
    item.loc = b.loc;
    append_paragraph(item.children, b);
    pending_items_.push_back({std::min(b.list_depth, kMaxDepth / 2 - 12), std::move(item)});
    return;
  }
  flush_list();
  Node* note = open_note();
  if (!note) return;  // cannot happen: opened above
  if (b.hint == BlockHint::TableRow) {
    add_table_row(b, note->children);
    return;
  }
  if (b.hint == BlockHint::TableCaption) {
    pending_caption_ = inlines_of(b, 0, b.text.size());
    has_pending_caption_ = true;
    return;
  }
  size_t begin = 0;
  if (note->children.empty() && b.hint == BlockHint::BoldLabel && b.label_length > 1 &&
      b.label_length <= 40 && b.label_length <= b.text.size() && b.text[b.label_length - 1] == ':') {
    // "**Example:** text": the note's kind, in lower case with '-' for spaces; "Note:" names none.
    std::string kind = lower_ascii(std::string_view(b.text).substr(0, b.label_length - 1));
    const bool word = !kind.empty() && std::all_of(kind.begin(), kind.end(), [](char c) {
      return is_lower(c) || c == ' ' || c == '-';
    });
    if (word) {
      std::replace(kind.begin(), kind.end(), ' ', '-');
      note->text = kind == "note" ? std::string() : kind;
      begin = b.label_length;
      while (begin < b.text.size() && b.text[begin] == ' ') ++begin;
    }
  }
  if (begin < b.text.size()) append_paragraph(note->children, b, begin);
}

void Builder::add_table_row(const SourceBlock& b, std::vector<Node>& c) {
  if (c.empty() || c.back().type != NodeType::Table || blank_before_ || has_pending_caption_) {
    Node table(NodeType::Table);
    table.loc = b.loc;
    table.origin_line = b.loc.line;
    table.title = std::move(pending_caption_);
    pending_caption_.clear();
    has_pending_caption_ = false;
    c.push_back(std::move(table));
  }
  Node row(NodeType::Row);
  row.flag = b.header_row;
  const bool inl = b.cell_inlines.size() == b.cells.size();
  for (size_t i = 0; i < b.cells.size(); ++i) {
    Node cn(NodeType::Cell);
    if (inl) cn.children = b.cell_inlines[i];
    else if (!b.cells[i].empty()) cn.children.push_back(Node::make_text(b.cells[i]));
    row.children.push_back(std::move(cn));
  }
  if (row.children.empty()) row.children.push_back(Node(NodeType::Cell));
  c.back().children.push_back(std::move(row));
}

// One list item under a "References" heading: one reference; an item that is one link gives
// the reference its href.
void Builder::add_reference(const SourceBlock& b) {
  Reference r;
  r.loc = b.loc;
  r.content = inlines_of(b, 0, b.text.size());
  normalize_inline_whitespace(r.content);
  if (r.content.size() == 1 && r.content[0].type == NodeType::Link) {
    r.href = std::move(r.content[0].target);
    std::vector<Node> inner = std::move(r.content[0].children);
    r.content = std::move(inner);
  }
  if (r.content.empty()) return;
  r.id = "ref-" + std::to_string(doc_.references.size() + 1);
  doc_.references.push_back(std::move(r));
}

void Builder::start_section(const SourceBlock& b, std::string number, std::string label,
                            std::string_view title, bool top) {
  flush_list();
  if (region_ == Region::Furniture || region_ == Region::Scope || region_ == Region::Definitions ||
      region_ == Region::WordUsage || region_ == Region::References)
    region_ = Region::Body;
  const bool top_level = top || topic_ < 0;
  if (!number.empty() && !section_numbers_.insert(top_level ? -1 : topic_, -1, -1, number)) {
    diags_.warning("duplicate-number",
                   "section number " + number + " occurs twice; the second keeps its label but no number", b.loc);
    if (label.empty()) label = number;
    number.clear();
  }
  // Room for as many blocks as the section being left holds (sections of a document are alike):
  // its provisions then go in without the vector moving them as it grows. Never more room than
  // blocks already placed. (Read before the new section goes in: its vector may move the open one.)
  size_t room = 0;
  if (topic_ >= 0) {
    const Node& open = sub_ >= 0 ? doc_.body[topic_].children[sub_] : doc_.body[topic_];
    room = std::min<size_t>(open.children.size(), 256);
  }
  // Built in place at the end of its parent (building it aside and moving it in cost a move).
  std::vector<Node>& parent = top_level ? doc_.body : doc_.body[topic_].children;
  Node& s = parent.emplace_back(NodeType::Section);
  ++sections_built_;
  s.labeled = std::make_unique<Labeled>();
  s.labeled->number = std::move(number);
  s.labeled->label = std::move(label);
  s.loc = b.loc;
  s.origin_line = b.loc.line;
  s.children.reserve(room);
  std::string_view t = strip(title);
  while (!t.empty() && t.back() == ':') t.remove_suffix(1);
  if (!t.empty()) s.title.emplace_back(NodeType::Text).text = t;
  provision_ = -1;
  if (top_level) {
    topic_ = static_cast<long>(doc_.body.size()) - 1;
    sub_ = -1;
  } else {
    sub_ = static_cast<long>(parent.size()) - 1;
  }
  last_heading_.assign(title);  // (its room reused)
}

void Builder::start_scope(const SourceBlock& b, size_t begin, bool keep_open) {
  flush_list();
  Node scope(NodeType::Scope);
  scope.loc = b.loc;
  scope.origin_line = b.loc.line;
  if (begin < b.text.size()) append_paragraph(scope.children, b, begin);
  topic_ = sub_ = provision_ = -1;
  doc_.body.push_back(std::move(scope));
  scope_ = keep_open ? static_cast<long>(doc_.body.size()) - 1 : -1;
  region_ = keep_open ? Region::Scope : Region::Body;
}

void Builder::start_furniture(const SourceBlock& b, FurnitureKind kind) {
  flush_list();
  Node f(NodeType::Furniture);
  f.furniture = kind;
  f.loc = b.loc;
  f.origin_line = b.loc.line;
  topic_ = sub_ = provision_ = -1;
  doc_.body.push_back(std::move(f));
  furniture_ = static_cast<long>(doc_.body.size()) - 1;
  region_ = Region::Furniture;
  diags_.note("furniture", "page furniture (" + std::string(to_string(kind)) +
                               ") kept but marked as not part of the document",
              b.loc);
}

Node& Builder::begin_provision(ProvisionKind kind, std::string&& number, const SourceBlock& b) {
  flush_list();
  std::vector<Node>& c = container();
  Node& p = c.emplace_back(NodeType::Provision);
  ++provisions_built_[static_cast<size_t>(kind)];
  provision_ = static_cast<long>(c.size()) - 1;
  p.labeled = std::make_unique<Labeled>();
  p.labeled->kind = kind;
  if (!number.empty()) p.labeled->number = std::move(number);
  p.loc = b.loc;
  p.origin_line = b.loc.line;
  return p;
}

void Builder::check_number(Node& p, const SourceBlock& b) {
  Labeled& l = *p.labeled;
  if (!l.number.empty() &&
      !numbers_seen_.insert(topic_, sub_, static_cast<int>(l.kind), l.number)) {
    diags_.warning("duplicate-number",
                   std::string(display_name(l.kind)) + " " + l.number +
                       " occurs twice in this section; the second keeps its label but no number",
                   b.loc);
    if (l.label.empty()) l.label = default_label(l.kind, l.number);
    l.number.clear();
  }
}

// A recommendation from text[begin..]: annotation parsed and removed; text glued after the
// annotation becomes the next block. Returns false when the text has no annotation and is not
// worded as a recommendation.
bool Builder::add_recommendation(SourceBlock& b, size_t begin, std::string_view number,
                                 std::optional<GradingAnnotation>* found) {
  const std::string& t = b.text;
  GradingScan scan;  // the searches below go forward through one text
  std::optional<GradingAnnotation> own;
  std::optional<GradingAnnotation>& a = found ? *found : own;
  bool search = !found;
  // One pass per recommendation of the block: a loop, not recursion, so that a block holding
  // thousands of annotations cannot overflow the stack. Each annotation is searched for once.
  for (;;) {
  if (search) a = find_grading(t, begin, &scan);
  search = true;
  size_t body_end = a ? a->begin : t.size();
  Node& p = begin_provision(ProvisionKind::Recommendation, std::string(), b);
  Labeled& l = *p.labeled;
  if (a) {
    l.cls = std::move(a->cls);  // (the annotation's own strings are not read again)
    l.level = std::move(a->level);
    // Located only for a diagnostic: most annotations get none.
    const auto at = [&] { return loc_at(b, a->begin); };
    if (!a->problem.empty()) diags_.warning("grading-unknown", a->problem, at());
    if (!a->canonical_spelling)
      diags_.note("grading-normalized",
                  "annotation '" + t.substr(a->begin, a->end - a->begin) + "' read as class " +
                      (l.cls.empty() ? "(none)" : l.cls) + ", level " + (l.level.empty() ? "(none)" : l.level),
                  at());
    if (!inherited_class_.empty()) {
      if (l.cls.empty()) {
        l.cls = inherited_class_;
        diags_.note("class-inherited", "class " + l.cls + " taken from the heading '" + last_heading_ + "'", at());
      } else if (l.cls != inherited_class_ && l.cls.rfind(inherited_class_ + "-", 0) != 0) {
        diags_.warning("class-conflicts-heading", "annotation says class " + l.cls + " but the heading '" +
                                                     last_heading_ + "' says class " + inherited_class_,
                       at());
      }
    }
  } else {
    l.cls = inherited_class_;
    diags_.warning("unannotated-recommendation",
                   "recommendation without class or level annotation" +
                       (l.cls.empty() ? std::string(": kept ungraded")
                                      : ": class " + l.cls + " taken from the heading '" + last_heading_ + "'"),
                   loc_at(b, begin));
  }
  if (!l.cls.empty() || !l.level.empty()) l.grading = "acc-aha";
  // The 2015 levels name the ACC/AHA 2015 scheme; the whole document then says acc-aha-2015.
  const std::string_view level = l.level;  // (compared as views: the length first, inline)
  if (level == "B-R" || level == "B-NR" || level == "C-LD" || level == "C-EO") grading_2015_ = true;
  // (l.number is set here, once: nothing above reads it.)
  if (!number.empty()) {
    l.number = std::string(number);
  } else {
    l.number = std::to_string(next_recommendation_);
    if (!numbered_recommendations_note_) {
      numbered_recommendations_note_ = true;
      diags_.note("recommendations-numbered",
                  "the source does not number its recommendations; they are numbered in reading order",
                  loc_at(b, begin));
    }
  }
  {
    unsigned v = 0;
    for (char c : l.number) {
      if (!is_digit(c)) { v = 0; break; }
      v = v * 10 + static_cast<unsigned>(c - '0');
      if (v > 1000000) break;
    }
    if (v >= next_recommendation_) next_recommendation_ = v + 1;
  }
  // The recommendation's text without the annotation; a lead-in ending in ':' collects the
  // following list items.
  size_t e = body_end;
  while (e > begin && t[e - 1] == ' ') --e;
  // When nothing but spaces and full stops follows the annotation, the block is not read again
  // and its text moves into the paragraph.
  bool last = true;
  if (a && a->end < t.size())
    for (size_t k = a->end; k < t.size() && last; ++k) last = t[k] == ' ' || t[k] == '.';
  const SourceLoc at = loc_at(b, begin);
  Node& para = last ? take_paragraph(p.children, b, begin, e) : append_paragraph(p.children, b, begin, e);
  para.loc = at;
  check_number(p, b);
  if (a && a->end < t.size()) {
    size_t rest = a->end;
    while (rest < t.size() && (t[rest] == ' ' || t[rest] == '.')) ++rest;
    if (rest < t.size()) {
      if (a->end < t.size() && t[a->end] != ' ')
        diags_.note("glued-sentence", "text glued to the annotation starts a new block", loc_at(b, a->end));
      // What follows is another recommendation or plain text.
      if ((a = find_grading(t, rest, &scan))) {
        begin = rest;
        number = {};
        search = false;
        continue;
      }
      Node tail = paragraph(b, rest);
      flush_list();
      container().push_back(std::move(tail));
      provision_ = -1;
    }
  }
  return true;
  }
}

std::optional<FurnitureKind> Builder::furniture_heading(std::string_view t, const HeadingGuess& heading_like) const {
  if (t.size() > 80) return std::nullopt;
  const FurnitureWords words = furniture_words(t);  // (all at once: the searches have no side effects)
  if (words.navigation) return FurnitureKind::Navigation;
  // The other kinds need a heading (or a question); whether it is one is asked only when a word
  // names one of them (most texts name none).
  const bool contact = !words.membership && !words.employment && starts_with_ci(t, "contact");
  if (!words.membership && !words.employment && !contact) return std::nullopt;
  if (!heading_like() && !ends_with(t, "?")) return std::nullopt;
  if (words.membership) return FurnitureKind::Membership;
  if (words.employment) return FurnitureKind::Employment;
  return FurnitureKind::Contact;
}

void Builder::add_catalog_entry(const SourceBlock& b, const YearSuffix* year, CatalogKind context_kind) {
  const std::string_view t = strip(b.text);
  CatalogEntry e;
  e.loc = b.loc;
  e.origin_line = b.loc.line;
  size_t rest = 0;
  std::vector<std::string> prefix = org_prefix(t, &rest);
  const std::string_view raw_title = t.substr(rest, (year ? year->title_end : t.size()) - rest);
  // Without "--" the cleaned title is the collapsed one: computed once, no note.
  const bool dashes = raw_title.find("--") != std::string_view::npos;
  const std::string title = dashes ? clean_catalog_title(raw_title) : collapse_whitespace(strip(raw_title));
  if (dashes && title != collapse_whitespace(strip(raw_title)))
    diags_.note("catalog-title-cleaned", "'--' separator removed from the title", b.loc);
  e.title.push_back(Node::make_text(title));
  if (year) e.year = year->year;
  if (!prefix.empty()) {
    e.kind = CatalogKind::ClinicalPracticeGuideline;
    for (const std::string& a : prefix) {
      const OrgRole role = co_authors_.count(a) ? OrgRole::CoAuthor : OrgRole::Author;
      e.organizations.push_back({orgs_.name_of(a), a, role});
    }
  } else {
    const std::string lt = lower_ascii(title);
    if (lt.find("clinical practice guideline") != std::string::npos) e.kind = CatalogKind::ClinicalPracticeGuideline;
    else if (lt.find("standards and guidelines") != std::string::npos) e.kind = CatalogKind::StandardsAndGuidelines;
    else e.kind = context_kind;
    // A title that starts with a known abbreviation names its author ("AmSECT Standards ...").
    const size_t sp = title.find(' ');
    const std::string first = title.substr(0, sp);
    if (orgs_.name_by_abbrev.count(first)) e.organizations.push_back({orgs_.name_of(first), first, OrgRole::Author});
  }
  std::string id = "pub-" + (e.year.empty() ? std::string() : e.year + "-") + slugify(title, 60);
  std::string unique = id;
  for (int k = 2; std::any_of(doc_.catalog.begin(), doc_.catalog.end(), [&](const CatalogEntry& x) { return x.id == unique; }); ++k)
    unique = id + "-" + std::to_string(k);
  e.id = unique;
  starred_.push_back(year && year->starred);
  doc_.catalog.push_back(std::move(e));
}

bool Builder::handle_title(const SourceBlock& b, const HeadingGuess& heading_like) {
  const std::string_view t = strip(b.text);
  if (opt_.title_known && !(b.hint == BlockHint::Heading && b.heading_level == 1)) return false;
  if (match_label(t) || class_from_heading(t) || match_date_line(t)) return false;
  if (auto d = dated_suffix(t)) {
    doc_.meta.title.push_back(Node::make_text(std::string(t.substr(0, d->first))));
    doc_.meta.dates.push_back({DateType::Published, d->second});
    diags_.note("title", "document title with its publication date " + d->second, b.loc);
    return true;
  }
  // A top-level heading the reader marks ("# Title", <h1>) is the title, however long, with its
  // inline formatting.
  if (b.hint == BlockHint::Heading && b.heading_level == 1 && !year_suffix(t)) {
    const size_t off = static_cast<size_t>(t.data() - b.text.data());
    doc_.meta.title = inlines_of(b, off, off + t.size());
    title_from_page_heading_ = true;
    title_block_ = static_cast<size_t>(&b - blocks_.data());
    return true;
  }
  if (t.size() > 150) {
    const size_t caps = caps_run(t);
    if (caps != std::string_view::npos && caps > 10) {
      doc_.meta.title.push_back(Node::make_text(std::string(strip(t.substr(0, caps)))));
      Node note(NodeType::Note);
      note.text = "citation";
      note.loc = loc_at(b, caps);
      note.origin_line = note.loc.line;
      append_paragraph(note.children, b, caps);
      doc_.body.push_back(std::move(note));
      for (size_t k = 0; k + 4 <= t.size(); ++k)
        if ((k == 0 || !is_digit(t[k - 1])) && is_digit(t[k]) && is_digit(t[k + 1]) && is_digit(t[k + 2]) &&
            is_digit(t[k + 3]) && (k + 4 == t.size() || !is_digit(t[k + 4]))) {
          const int y = std::stoi(std::string(t.substr(k, 4)));
          if (y >= 1900 && y <= 2100) {
            doc_.meta.dates.push_back({DateType::Published, std::to_string(y)});
            break;
          }
        }
      diags_.note("title", "bibliographic header: title up to the journal name, the rest kept as a citation note",
                  loc_at(b, caps));
      return true;
    }
  }
  if (t.back() == ':' || !heading_like() || year_suffix(t)) return false;
  doc_.meta.title.push_back(Node::make_text(std::string(t)));
  title_from_page_heading_ = true;
  title_block_ = static_cast<size_t>(&b - blocks_.data());
  return true;
}

void Builder::handle_list_item(SourceBlock& b) {
  if (region_ == Region::PracticeGuidelines && b.ordered && b.list_depth == 0 && !essential_number_.empty() &&
      !practice_labels_seen_) {
    Node& p = begin_provision(ProvisionKind::Guideline, essential_number_ + "." + b.list_label, b);
    append_paragraph(p.children, b);
    check_number(p, b);
    return;
  }
  if (region_ == Region::References) {
    add_reference(b);
    return;
  }
  if (b.list_depth == 0 && region_ != Region::Furniture) {
    if (std::optional<GradingAnnotation> a = find_grading(b.text)) {
      flush_list();
      add_recommendation(b, 0,
                         b.ordered && !b.list_label.empty() && is_digit(b.list_label[0]) ? std::string_view(b.list_label)
                                                                                          : std::string_view(),
                         &a);
      return;
    }
  }
  if (pending_items_.empty()) {
    pending_into_provision_ = provision_ >= 0;
    pending_explains_ = explanation() ? explains_ : Explains::None;
    pending_explains_index_ = explains_index();
  }
  int depth = b.list_depth;
  if (region_ == Region::PracticeGuidelines && pending_into_provision_ && !practice_labels_seen_)
    depth = std::max(0, depth - 1);
  depth = std::min(depth, kMaxDepth / 2 - 12);
  // Navigation menus copied as text run two entries together: "Practice (2019) - Guidelines".
  std::pair<size_t, size_t> parts_storage[2] = {{0, b.text.size()}, {0, 0}};
  std::span<const std::pair<size_t, size_t>> parts(parts_storage, 1);
  if (region_ == Region::Furniture && furniture_ >= 0 &&
      doc_.body[furniture_].furniture == FurnitureKind::Navigation && b.inlines.empty()) {
    const size_t dash = b.text.find(" - ");
    if (dash != std::string::npos && looks_like_heading(std::string_view(b.text).substr(0, dash)) &&
        looks_like_heading(std::string_view(b.text).substr(dash + 3))) {
      parts_storage[0] = {0, dash};
      parts_storage[1] = {dash + 3, b.text.size()};
      parts = std::span<const std::pair<size_t, size_t>>(parts_storage, 2);
      diags_.note("navigation-split", "two navigation entries run together; split at ' - '", loc_at(b, dash + 1));
    }
  }
  for (const auto& [begin, end] : parts) {
    // Built in place (building it aside and moving it in cost a move of the node).
    PendingItem& pending = pending_items_.emplace_back();
    pending.depth = depth;
    Node& item = pending.item;
    item.type = NodeType::ListItem;
    if (b.ordered) item.text = b.list_label;
    item.loc = loc_at(b, begin);
    if (parts.size() == 1) take_paragraph(item.children, b);
    else append_paragraph(item.children, b, begin, end);
  }
}

void Builder::add_paragraph(SourceBlock& b) {
  const std::string_view t = strip(b.text);
  const bool continues = !t.empty() && is_lower(t[0]);
  Node* prov = open_provision();
  const bool into_provision = prov && !blank_before_ && continues;
  std::vector<Node>& target = into_provision ? prov->children : container();
  if (b.inlines.empty()) {
    // The block is not read again: its text moves into the paragraph (a 200 MB line is not copied).
    Node& p = target.emplace_back(NodeType::Paragraph);
    p.loc = b.loc;
    p.origin_line = b.loc.line;
    Node& text = p.children.emplace_back(NodeType::Text);
    text.text = std::move(b.text);
    text.loc = b.loc;
    b.text.clear();
  } else {
    append_paragraph(target, b);
  }
  if (!into_provision) provision_ = -1;
}

// False when `inlines` already follow normalize_inline_whitespace: flat Text, Keyword and TermRef
// nodes, no two Text nodes side by side, no empty Text, single spaces, no space at either end.
// With `bytes_clean`, their texts are known to hold no tab, line end or double space.
bool needs_whitespace_normalization(const std::vector<Node>& inlines, bool bytes_clean) {
  const size_t count = inlines.size();
  for (size_t i = 0; i < count; ++i) {
    const Node& n = inlines[i];
    const std::string* text;
    switch (n.type) {
      case NodeType::Text:
        if (i > 0 && inlines[i - 1].type == NodeType::Text) return true;
        text = &n.text;
        break;
      case NodeType::Keyword:
        text = &n.text;
        break;
      case NodeType::TermRef:
        if (n.children.size() != 1 || n.children[0].type != NodeType::Text) return true;
        text = &n.children[0].text;
        break;
      default:
        return true;
    }
    const std::string& t = *text;
    if (t.empty() || (!bytes_clean && has_collapsible_whitespace(t))) return true;
    const bool space_first = t.front() == ' ', space_last = t.back() == ' ';
    if (n.type != NodeType::Text && (space_first || space_last)) return true;
    if ((i == 0 && space_first) || (i + 1 == count && space_last)) return true;
  }
  return false;
}

void Builder::handle(size_t index) {
  SourceBlock& b = blocks_[index];
  const std::string_view t = strip(b.text);
  const HeadingGuess heading_like(t);
  if (b.hint == BlockHint::Blank || (t.empty() && b.hint != BlockHint::TableRow)) {
    blank_before_ = true;
    return;
  }
  const auto next_content = [&]() -> const SourceBlock* {
    for (size_t k = index + 1; k < blocks_.size(); ++k)
      if (blocks_[k].hint != BlockHint::Blank && !strip(blocks_[k].text).empty()) return &blocks_[k];
    return nullptr;
  };
  struct BlankReset {
    bool& flag;
    ~BlankReset() { flag = false; }
  } reset{blank_before_};

  // Notes, tables and lists right after a definition or keyword belong to its explanation.
  if (b.note_depth == 0 && b.hint != BlockHint::ListItem && b.hint != BlockHint::TableRow &&
      b.hint != BlockHint::TableCaption)
    explains_ = Explains::None;
  if (b.note_depth > 0) {
    if (b.hint == BlockHint::TableCaption) {
      const SourceBlock* next = next_content();
      if (!next || next->hint != BlockHint::TableRow || next->note_depth == 0) b.hint = BlockHint::Plain;
    }
    handle_note_block(b);
    return;
  }
  if (note_ >= 0) {
    if (pending_into_note_) flush_list();
    note_ = -1;
  }
  if (b.hint == BlockHint::ListItem) {
    handle_list_item(b);
    return;
  }
  if (region_ == Region::References) region_ = Region::Body;
  // In a navigation menu, a line between two entries with no blank line continues the entry
  // before it (a menu entry wrapped by the copy).
  if (b.hint == BlockHint::Plain && !blank_before_ && !pending_items_.empty() && region_ == Region::Furniture &&
      furniture_ >= 0 && doc_.body[furniture_].furniture == FurnitureKind::Navigation) {
    const SourceBlock* next = next_content();
    Node& last_item = pending_items_.back().item;
    if (next && next->hint == BlockHint::ListItem && !last_item.children.empty() &&
        last_item.children.back().type == NodeType::Paragraph) {
      std::vector<Node>& inl = last_item.children.back().children;
      inl.push_back(Node::make_text(" "));
      for (Node& n : inlines_of(b, 0, b.text.size())) inl.push_back(std::move(n));
      diags_.note("navigation-continued", "line read as the continuation of the menu entry above", b.loc);
      return;
    }
  }
  flush_list();

  // Tables (and their captions) belong to the open provision, else to the current section.
  if (b.hint == BlockHint::TableRow) {
    add_table_row(b, block_target());
    return;
  }
  if (b.hint == BlockHint::TableCaption) {
    const SourceBlock* next = next_content();
    if (next && next->hint == BlockHint::TableRow && next->note_depth == 0) {
      pending_caption_ = inlines_of(b, 0, b.text.size());
      has_pending_caption_ = true;
      return;
    }
    add_paragraph(b);
    return;
  }

  // Single-block furniture: reader-marked, copyright lines, form fields, "questions ... directed to".
  // A provision label is never furniture.
  // Read once: the label decides furniture, the furniture region's end and provisions below.
  std::optional<LabelMatch> label_match = match_label(t);
  const bool labeled = label_match.has_value();
  std::optional<FurnitureKind> single;
  if (labeled) {}
  else if (b.hint == BlockHint::Furniture) single = b.furniture;
  else if (is_copyright_line(t)) single = FurnitureKind::Copyright;
  else if (t.find("____") != std::string_view::npos) single = FurnitureKind::Form;
  else if (starts_with_ci(t, "questions") && contains_ci(t, "directed to"))
    single = FurnitureKind::Contact;
  if (single) {
    Node f(NodeType::Furniture);
    f.furniture = *single;
    f.loc = b.loc;
    f.origin_line = b.loc.line;
    append_paragraph(f.children, b);
    diags_.note("furniture", "page furniture (" + std::string(to_string(*single)) +
                                 ") kept but marked as not part of the document",
                b.loc);
    (region_ == Region::Furniture ? doc_.body : container()).push_back(std::move(f));
    if (region_ == Region::Furniture) furniture_ = -1, region_ = Region::Body;
    return;
  }
  if (auto fk = labeled ? std::nullopt : furniture_heading(t, heading_like)) {
    start_furniture(b, *fk);
    append_paragraph(container(), b);
    return;
  }
  if (region_ == Region::Furniture) {
    const bool nav = furniture_ >= 0 && doc_.body[furniture_].furniture == FurnitureKind::Navigation;
    const SourceBlock* next = next_content();
    const bool structural = labeled || class_from_heading(t);
    if (!structural && (!nav || (next && next->hint == BlockHint::ListItem))) {
      // Consecutive lines of an address stay one paragraph, with line breaks.
      std::vector<Node>& c = container();
      const bool contact = doc_.body[furniture_].furniture == FurnitureKind::Contact;
      if (contact && !blank_before_ && c.size() > 1 && c.back().type == NodeType::Paragraph) {
        c.back().children.push_back(Node(NodeType::LineBreak));
        for (Node& n : inlines_of(b, 0, b.text.size())) c.back().children.push_back(std::move(n));
        return;
      }
      append_paragraph(c, b);
      return;
    }
    region_ = Region::Body;
    furniture_ = -1;
  }

  // The title: the first content block, when it reads like one.
  if (!seen_content_) {
    seen_content_ = true;
    if (handle_title(b, heading_like)) return;
  } else if (title_from_page_heading_ && index == title_block_ + 1 + (blocks_[title_block_ + 1].hint == BlockHint::Blank)) {
    if (auto d = dated_suffix(t)) {
      // A page heading followed by the dated document title: the dated one is the title.
      doc_.meta.subtitle = std::move(doc_.meta.title);
      doc_.meta.title.clear();
      doc_.meta.title.push_back(Node::make_text(std::string(t.substr(0, d->first))));
      doc_.meta.dates.push_back({DateType::Published, d->second});
      diags_.note("title", "dated document title after the page heading: the page heading becomes the subtitle",
                  b.loc);
      return;
    }
  }

  if (auto d = match_date_line(t)) {
    const std::string value = parse_date(d->second);
    if (!value.empty()) {
      doc_.meta.dates.push_back({d->first, value});
      diags_.note("date", "'" + std::string(t) + "' read as " + std::string(to_string(d->first)) + " date " + value,
                  b.loc);
      return;
    }
    diags_.warning("date-unreadable", "date line not understood; kept as a paragraph", b.loc);
  }

  // "Guideline XIV.1: text" under PRACTICE GUIDELINES: the Markdown form of the numbered items.
  // Once seen, numbered list items there are lists of these guidelines, not guidelines.
  if (region_ == Region::PracticeGuidelines && !essential_number_.empty() &&
      starts_with(t, "Guideline " + essential_number_ + ".")) {
    const size_t start = 10 + essential_number_.size() + 1;
    size_t e = start;
    while (e < t.size() && e - start < 6 && is_digit(t[e])) ++e;
    if (e > start && e < t.size() && t[e] == ':') {
      practice_labels_seen_ = true;
      Node& p = begin_provision(ProvisionKind::Guideline, essential_number_ + "." + std::string(t.substr(start, e - start)), b);
      size_t rest = e + 1;
      while (rest < t.size() && t[rest] == ' ') ++rest;
      if (rest < t.size()) append_paragraph(p.children, b, static_cast<size_t>(t.data() - b.text.data()) + rest);
      check_number(p, b);
      return;
    }
  }
  if (std::optional<LabelMatch>& m = label_match) {
    // Built only where it is used: most labels start a provision, which needs none.
    const auto label = [&] { return std::string(display_name(m->kind)) + " " + m->number; };
    if (m->topic) {
      essential_number_.clear();
      region_ = Region::Body;
      start_section(b, m->number, label(), t.substr(m->rest), true);
      return;
    }
    if (m->kind == ProvisionKind::Essential && essential_statement_pending_ && m->number == essential_number_ &&
        m->rest < t.size()) {
      // "Essential XIV: statement" right after the "Essential XIV" heading (the Markdown form).
      essential_statement_pending_ = false;
      Node& p = begin_provision(ProvisionKind::Essential, std::string(essential_number_), b);
      append_paragraph(p.children, b, static_cast<size_t>(t.data() - b.text.data()) + m->rest);
      check_number(p, b);
      return;
    }
    if (m->kind == ProvisionKind::Essential) {
      region_ = Region::Body;
      start_section(b, m->number, label(), m->rest < t.size() ? t.substr(m->rest) : std::string_view(), true);
      essential_number_ = m->number;
      essential_statement_pending_ = true;
      return;
    }
    if (m->kind == ProvisionKind::Recommendation) {
      add_recommendation(b, static_cast<size_t>(t.data() - b.text.data()) + m->rest, m->number);
      return;
    }
    if (region_ != Region::Body && region_ != Region::PracticeGuidelines) region_ = Region::Body;
    if (topic_ >= 0 && (m->kind == ProvisionKind::Standard || m->kind == ProvisionKind::Guideline)) {
      const std::string& topic_number = doc_.body[topic_].labeled->number;
      // (m->number starts with topic_number and '.', compared without building that prefix)
      const std::string_view number = m->number;
      if (!topic_number.empty() &&
          !(number.size() > topic_number.size() && number.compare(0, topic_number.size(), topic_number) == 0 &&
            number[topic_number.size()] == '.'))
        diags_.warning("number-outside-topic",
                       label() + " is numbered outside its topic " + topic_number, b.loc);
    }
    Node& p = begin_provision(m->kind, std::move(m->number), b);  // (not read again)
    const size_t rest = static_cast<size_t>(t.data() - b.text.data()) + m->rest;
    if (rest < b.text.size()) take_paragraph(p.children, b, rest);
    check_number(p, b);
    return;
  }

  if (auto c = class_from_heading(t)) {
    start_section(b, "", "", t, true);
    inherited_class_ = *c;
    cpg_mode_ = true;
    diags_.note("class-heading", "recommendations under '" + std::string(t) + "' inherit class " + *c, b.loc);
    return;
  }
  // t in lower case when it is short enough to be one of the headings below, without ':'s.
  char heading_buffer[40];
  size_t heading_length = 0;
  if (t.size() <= sizeof heading_buffer)
    for (char c : t) heading_buffer[heading_length++] = lower(c);
  while (heading_length > 0 && heading_buffer[heading_length - 1] == ':') --heading_length;
  const std::string_view heading_key(heading_buffer, heading_length);
  if (heading_key == "recommendations" || heading_key == "summary of recommendations") {
    start_section(b, "", "", t, true);
    cpg_mode_ = true;
    inherited_class_.clear();
    return;
  }
  if (!essential_number_.empty() && heading_key == "practice guidelines") {
    start_section(b, "", "", t, false);
    region_ = Region::PracticeGuidelines;
    practice_labels_seen_ = false;
    return;
  }
  if (heading_key == "references" && (b.hint == BlockHint::Heading || heading_like())) {
    const SourceBlock* next = next_content();
    if (next && next->hint == BlockHint::ListItem && next->note_depth == 0) {
      close_topic();
      region_ = Region::References;
      return;
    }
  }
  if (heading_key == "word usage" || heading_key == "use of words" || heading_key == "terminology") {
    region_ = Region::WordUsage;
    diags_.note("word-usage", "word usage starts here; the heading becomes <word-usage>", b.loc);
    return;
  }
  if (heading_key == "definitions" || heading_key == "definition of terms" ||
      (t.size() < 300 && contains_ci(t, "defined") && contains_ci(t, "term"))) {
    if (heading_key == "definitions" || heading_key == "definition of terms") {
      region_ = Region::Definitions;
      diags_.note("definitions", "definitions start here; the heading becomes <definitions>", b.loc);
      return;
    }
    add_paragraph(b);
    region_ = Region::Definitions;
    return;
  }
  // "**Scope:** text" (the Markdown form) strips its label and keeps the following blocks up to
  // the next heading or label.
  // (In any region: a definition of "Scope" reads "**Scope**: text", the colon outside the bold.)
  if (b.hint == BlockHint::BoldLabel && b.label_length == 6 && b.text.size() > 7 && starts_with_ci(b.text, "scope:")) {
    size_t begin = 6;
    while (begin < b.text.size() && b.text[begin] == ' ') ++begin;
    start_scope(b, begin, /*keep_open=*/true);
    return;
  }
  if (t.size() <= 60 && contains_ci(t, "scope") && (t.back() == ':' || heading_like())) {
    start_scope(b, 0, /*keep_open=*/true);
    return;
  }
  // A one-line scope statement: "Scope: This document applies to …".
  if (b.hint == BlockHint::Plain && region_ != Region::WordUsage && t.size() > 7 &&
      starts_with_ci(t, "scope:")) {
    start_scope(b, 0, /*keep_open=*/false);
    return;
  }

  if (region_ == Region::WordUsage || region_ == Region::Definitions) {
    size_t split = definition_split(t);
    // "**Is recommended**:" with nothing after it: a word declared without explanation (how the
    // Markdown generator writes normkit's default words).
    if (!split && b.hint == BlockHint::BoldLabel && t.size() > 1 && t.back() == ':' &&
        b.label_length + 1 == b.text.size() && t.size() == b.text.size())
      split = t.size();
    if (split) {
      const size_t off = static_cast<size_t>(t.data() - b.text.data());
      std::string term(strip(t.substr(0, split - 1)));
      std::string_view explanation = strip(t.substr(split));
      const std::string word = lower_ascii(term);
      const bool keyword_shape = !word.empty() && word.size() <= 48 && is_lower(word[0]) &&
                                 std::all_of(word.begin(), word.end(), [](char c) { return is_lower(c) || c == ' ' || c == '-'; });
      const bool is_word = region_ == Region::WordUsage && keyword_shape &&
                           (contains_ci(explanation.substr(0, 80), "the word") ||
                            std::any_of(default_keywords().begin(), default_keywords().end(),
                                        [&](const KeywordEntry& k) { return k.word == word; }));
      if (is_word && std::any_of(doc_.word_usage.begin(), doc_.word_usage.end(),
                                 [&](const KeywordUsage& k) { return k.word == word; })) {
        diags_.warning("duplicate-keyword", "'" + term + "' is declared twice; the second is kept as a paragraph", b.loc);
        add_paragraph(b);
        return;
      }
      if (is_word) {
        KeywordUsage k;
        k.word = word;
        k.force = force_from_explanation(word, explanation);
        k.from_document = true;
        k.loc = b.loc;
        k.origin_line = b.loc.line;
        if (off + split < b.text.size()) append_paragraph(k.explanation, b, off + split);
        diags_.note("word-usage", "'" + term + "' declared " + std::string(to_string(k.force)), b.loc);
        doc_.word_usage.push_back(std::move(k));
        explains_ = Explains::Keyword;
      } else {
        Definition d;
        d.term = term;
        d.loc = b.loc;
        d.origin_line = b.loc.line;
        if (off + split < b.text.size()) append_paragraph(d.explanation, b, off + split);
        if (std::any_of(doc_.definitions.begin(), doc_.definitions.end(),
                        [&](const Definition& x) { return fold_case(x.term) == fold_case(term); })) {
          diags_.warning("duplicate-term", "'" + term + "' is defined twice; the second is kept as a paragraph", b.loc);
          add_paragraph(b);
          return;
        }
        doc_.definitions.push_back(std::move(d));
        explains_ = Explains::Definition;
      }
      return;
    }
    region_ = Region::Body;
  }

  // Catalog entries, their endorsement footnote, and lists of protocols.
  if (auto y = year_suffix(t); y && t.size() <= 250 && !find_grading(t)) {
    add_catalog_entry(b, &*y, catalog_context_);
    return;
  }
  if (t[0] == '*' && t.size() > 1 && t[1] != '*' && !doc_.catalog.empty()) {
    long target = -1;
    for (long k = static_cast<long>(doc_.catalog.size()) - 1; k >= 0; --k)
      if (starred_[k] && doc_.catalog[k].endorsement.empty()) { target = k; break; }
    if (target >= 0) {
      CatalogEntry& e = doc_.catalog[target];
      const std::string_view text = strip(t.substr(1));
      e.endorsement.push_back(Node::make_text(std::string(text)));
      std::string_view who = text;
      for (std::string_view lead : {"Endorsed by the ", "Endorsed by ", "endorsed by the ", "endorsed by "})
        if (starts_with(who, lead)) { who.remove_prefix(lead.size()); break; }
      if (who != text) e.organizations.push_back({std::string(strip(who)), "", OrgRole::Endorser});
      diags_.note("endorsement", "'*' footnote attached to the catalog entry marked with '*'", b.loc);
      return;
    }
    diags_.warning("dangling-footnote", "'*' footnote but no catalog entry is marked with '*'", b.loc);
  }
  // (A heading the reader marks as such stays a heading: a Markdown "## Documentation" after a
  // "## Protocols" section is the next section, not a protocol.)
  if (catalog_context_ == CatalogKind::Protocol && b.hint != BlockHint::Heading && t.size() <= 80 &&
      heading_like() && t.back() != ':') {
    add_catalog_entry(b, nullptr, CatalogKind::Protocol);
    return;
  }

  if (essential_statement_pending_) {
    essential_statement_pending_ = false;
    Node& p = begin_provision(ProvisionKind::Essential, std::string(essential_number_), b);
    append_paragraph(p.children, b);
    check_number(p, b);
    return;
  }

  // Recommendations: annotated anywhere; unannotated ones only under a recommendations heading.
  if (region_ != Region::Scope) {
    if (std::optional<GradingAnnotation> a = find_grading(t)) {
      const size_t off = static_cast<size_t>(t.data() - b.text.data());
      // Found in the stripped text; the same search in the whole text from `off` gives the same
      // annotation shifted by `off` unless trailing white space follows (then search again).
      if (off + t.size() == b.text.size()) {
        a->begin += off;
        a->end += off;
      } else {
        a.reset();
      }
      add_recommendation(b, off, "", a ? &a : nullptr);
      return;
    }
  }
  if (cpg_mode_ && region_ == Region::Body) {
    const SourceBlock* next = next_content();
    const bool lead_in = t.back() == ':' && next && next->hint == BlockHint::ListItem;
    if (lead_in || recommendation_worded(t)) {
      add_recommendation(b, static_cast<size_t>(t.data() - b.text.data()), "");
      return;
    }
  }

  // Headings.
  // A reader's heading is a heading; a plain line is guessed; a bold label never is one alone.
  const bool heading = b.hint == BlockHint::Heading || (b.hint == BlockHint::Plain && heading_like());
  if (heading) {
    if (contains_ci(t, "protocol")) catalog_context_ = CatalogKind::Protocol;
    else if (contains_ci(t, "clinical practice guideline")) catalog_context_ = CatalogKind::ClinicalPracticeGuideline;
    else if (contains_ci(t, "standards and guidelines")) catalog_context_ = CatalogKind::StandardsAndGuidelines;
    else catalog_context_ = CatalogKind::Other;
    cpg_mode_ = false;
    inherited_class_.clear();
    essential_number_.clear();
    essential_statement_pending_ = false;
    if (region_ == Region::PracticeGuidelines) region_ = Region::Body;
    if (b.hint != BlockHint::Heading)
      diags_.note("heading-guessed", "read as a heading: a short line in title case or capitals", b.loc);
    start_section(b, "", "", t, b.hint != BlockHint::Heading || b.heading_level <= 2 || topic_ < 0);
    return;
  }

  add_paragraph(b);
}

bool Builder::mark_and_link(Node& n, bool link, const std::string& skip_id) {
  // Marking keywords also tells whether any word left may start a term.
  bool maybe_terms = !matcher_;
  bool clean = false;
  if (matcher_)
    matcher_->mark(n.children, used_keywords_, linker_ ? &linker_->filter() : nullptr, &maybe_terms, &clean);
  if (link && linker_ && maybe_terms) linker_->link(n.children, skip_id);
  return clean;
}

void Builder::link_cross_references(Node& n) {
  bool any = false;
  for (const Node& c : n.children)
    if (c.type == NodeType::Text && has(c.text, "refer to ", 2)) any = true;
  if (!any) return;
  // Labels are looked up only when some paragraph says "refer to ".
  if (!labels_read_) {
    labels_read_ = true;
    walk(doc_.body, [&](const Node& x, int, const Node*) {
      if (x.type == NodeType::Furniture) return false;
      if (x.labeled && !x.labeled->label.empty()) id_by_label_.emplace(x.labeled->label, x.labeled->id);
      return true;
    });
  }
  std::vector<Node> out;
  for (Node& c : n.children) {
    if (c.type != NodeType::Text) {
      out.push_back(std::move(c));
      continue;
    }
    const std::string& s = c.text;
    size_t last = 0;
    for (size_t i = s.find("refer to "); i != std::string::npos; i = s.find("refer to ", i + 1)) {
      const size_t at = i + 9;
      auto m = match_label(std::string_view(s).substr(at, 40));
      if (!m) continue;
      size_t e = at + std::string(display_name(m->kind)).size() + 1;
      while (e < s.size() && s[e] == ' ') ++e;
      e += m->number.size();
      const std::string label = std::string(display_name(m->kind)) + " " + m->number;
      auto it = id_by_label_.find(label);
      if (it == id_by_label_.end()) {
        diags_.note("unresolved-reference",
                    "cross-reference to " + label + " kept as text: it is not in this document", c.loc);
        continue;
      }
      out.push_back(Node::make_text(s.substr(last, at - last)));
      Node x(NodeType::XRef);
      x.target = it->second;
      x.loc = c.loc;
      x.children.push_back(Node::make_text(s.substr(at, e - at)));
      out.push_back(std::move(x));
      last = e;
    }
    if (last == 0) out.push_back(std::move(c));
    else if (last < s.size()) out.push_back(Node::make_text(s.substr(last)));
  }
  n.children = std::move(out);
}

// The model's whitespace rule for one paragraph or cell. Most paragraphs already obey it (blocks
// arrive with collapsed spaces); checking is much cheaper than rebuilding them. (Pieces of clean
// text are clean: term and cross-reference links keep the marking's result.)
void normalize_paragraph(Node& n, bool bytes_clean) {
  if (needs_whitespace_normalization(n.children, bytes_clean)) normalize_inline_whitespace(n.children);
}

// The whitespace rule over a forest nothing else visits (furniture, word usage explanations).
void normalize_all(std::vector<Node>& roots) {
  walk_mutable(roots, [&](Node& n, int) {
    if (n.type == NodeType::Paragraph || n.type == NodeType::Cell) {
      normalize_paragraph(n, false);
      return false;
    }
    if (!n.title.empty()) normalize_inline_whitespace(n.title);
    return true;
  });
}

void Builder::finish_inlines() {
  if (opt_.mark_keywords) matcher_.emplace(doc_.word_usage);
  if (opt_.link_terms) linker_.emplace(doc_.definitions);
  if (linker_ && linker_->empty()) linker_.reset();
  const bool mark = matcher_ || linker_;
  static const std::string kNoSkip;
  // The body: furniture is neither marked nor linked, only normalized. (The grading scheme is
  // named by provisions outside furniture; titles, the only inline content ids read, are never
  // marked, so all of this can come after assign_identity.)
  walk_mutable(doc_.body, [&](Node& n, int) {
    if (grading_2015_ && n.labeled && n.labeled->grading == "acc-aha") n.labeled->grading = "acc-aha-2015";
    if (n.type == NodeType::Paragraph || n.type == NodeType::Cell) {
      const bool clean = mark && mark_and_link(n, true, kNoSkip);
      if (n.type == NodeType::Paragraph) link_cross_references(n);
      normalize_paragraph(n, clean);
      return false;
    }
    if (!n.title.empty()) normalize_inline_whitespace(n.title);
    if (n.type == NodeType::Furniture) {
      normalize_all(n.children);
      return false;
    }
    return true;
  });
  for (Definition& d : doc_.definitions)
    walk_mutable(d.explanation, [&](Node& n, int) {
      if (n.type == NodeType::Paragraph || n.type == NodeType::Cell) {
        // A definition's own term is not linked to itself; cells of its tables are not linked.
        const bool clean = mark && mark_and_link(n, n.type == NodeType::Paragraph, d.id);
        normalize_paragraph(n, clean);
        return false;
      }
      if (!n.title.empty()) normalize_inline_whitespace(n.title);
      if (n.type == NodeType::Furniture) {  // not marked, but linked
        if (linker_)
          walk_mutable(n.children, [&](Node& f, int) {
            if (f.type != NodeType::Paragraph) return true;
            linker_->link(f.children, d.id);
            return false;
          });
        normalize_all(n.children);
        return false;
      }
      return true;
    });
  if (matcher_) {
    const KeywordMatcher& m = *matcher_;
    used_keywords_.resize(m.entries().size(), false);
    for (size_t i = 0; i < m.entries().size(); ++i) {
      if (m.from_document(i) || !used_keywords_[i]) continue;
      KeywordUsage k;
      k.word = m.entries()[i].word;
      k.force = m.entries()[i].force;
      k.from_document = false;
      doc_.word_usage.push_back(std::move(k));
    }
  }
  for (KeywordUsage& k : doc_.word_usage) normalize_all(k.explanation);
}

void Builder::finish() {
  flush_list();
  // Document type, work and edition.
  // What compute_stats(doc_, false) would count, counted as the nodes were built: sections and
  // provisions are made in start_section and begin_provision only, never inside furniture, and
  // never removed (a walk over the whole body cost more than the rest of finish's bookkeeping).
  DocumentStats stats;
  stats.sections = sections_built_;
  stats.standards = provisions_built_[static_cast<size_t>(ProvisionKind::Standard)];
  stats.guidelines = provisions_built_[static_cast<size_t>(ProvisionKind::Guideline)];
  stats.recommendations = provisions_built_[static_cast<size_t>(ProvisionKind::Recommendation)];
  stats.other_provisions = provisions_built_[static_cast<size_t>(ProvisionKind::Essential)] +
                           provisions_built_[static_cast<size_t>(ProvisionKind::Requirement)];
  stats.definitions = doc_.definitions.size();
  const std::string title = plain_text(doc_.meta.title);
  if (stats.standards + stats.guidelines + stats.other_provisions > 0) doc_.type = DocType::StandardsAndGuidelines;
  else if (stats.recommendations > 0) doc_.type = DocType::ClinicalPracticeGuideline;
  else if (!doc_.catalog.empty()) doc_.type = DocType::Catalog;
  else if (contains_ci(title, "checklist")) doc_.type = DocType::Checklist;
  else doc_.type = DocType::Other;
  if (title.empty()) diags_.warning("no-title", "no title recognized; the document's title is left empty");

  doc_.work = opt_.work;
  if (doc_.work.empty()) {
    std::string base = opt_.source_name;
    if (const size_t dot = base.rfind('.'); dot != std::string::npos && dot > 0) base.resize(dot);
    // At most 60 characters, cut at a word boundary.
    const auto short_slug = [](const std::string& text) {
      std::string slug = slugify(text, 200);
      if (slug.size() > 60) {
        // Keep whole words: cut at the last dash at or before 60 (a word ending exactly at 60 stays).
        const size_t dash = slug.rfind('-', 60);
        slug.resize(dash != std::string::npos && dash > 0 ? dash : 60);
      }
      return slug;
    };
    doc_.work = !title.empty() ? short_slug(title) : !base.empty() ? short_slug(base) : "document";
    diags_.note("work-derived", "work id '" + doc_.work + "' derived from the " +
                                    std::string(!title.empty() ? "title" : "file name") + " (set it with --work)");
  }
  doc_.edition = opt_.edition;
  if (doc_.edition.empty()) {
    for (const DateEntry& d : doc_.meta.dates)
      if (d.type == DateType::Published) { doc_.edition = d.value.substr(0, 4); break; }
    if (doc_.edition.empty()) doc_.edition = "1";
    diags_.note("edition-derived", "edition '" + doc_.edition + "' " +
                                       (doc_.edition == "1" ? "used: no publication year found" : "taken from the publication date") +
                                       " (set it with --edition)");
  }
  if (opt_.source_sha256.size() == 64) {
    SourceInfo s;
    s.file = opt_.source_name;
    s.format = opt_.source_format;
    s.sha256 = opt_.source_sha256;
    s.url = opt_.url;
    doc_.meta.sources.push_back(std::move(s));
  }
  // The organization that introduces itself first is the author of the page or document.
  if (!orgs_.order.empty() && doc_.type != DocType::ClinicalPracticeGuideline) {
    const std::string& a = orgs_.order.front();
    if (!co_authors_.count(a))
      doc_.meta.organizations.push_back({orgs_.name_of(a), a, doc_.type == DocType::Catalog ? OrgRole::Publisher : OrgRole::Author});
  }

  // Titles (the only inline content ids read) are never marked, so keywords can come after ids.
  assign_identity(doc_, &diags_);
  finish_inlines();
  normalize_inline_whitespace(doc_.meta.title);
  normalize_inline_whitespace(doc_.meta.subtitle);
  for (CatalogEntry& e : doc_.catalog) {
    normalize_inline_whitespace(e.title);
    normalize_inline_whitespace(e.endorsement);
  }

  if (opt_.editorial_checks) check_editorial(doc_, diags_);

  // What follows `stats` (ids, inline marking, whitespace, checks) leaves the structure as it
  // was: its counts still hold.
  const DocumentStats& final_stats = stats;
  if (final_stats.sections + final_stats.standards + final_stats.guidelines + final_stats.recommendations +
          final_stats.other_provisions + final_stats.definitions + doc_.catalog.size() ==
      0) {
    size_t paragraphs = 0;
    for (const Node& n : doc_.body)
      if (n.type == NodeType::Paragraph) ++paragraphs;
    diags_.warning("no-structure", "no sections, provisions, definitions or catalog entries recognized; " +
                                       std::to_string(paragraphs) + " paragraph(s) kept as plain text");
  }
}

Document Builder::run() {
  // Organizations are named anywhere ("... the Society of Thoracic Surgeons (STS) ..."); the
  // co-authors in a sentence that says so.
  size_t content_blocks = 0;
  for (const SourceBlock& b : blocks_) {
    content_blocks += b.hint != BlockHint::Blank;
    if (b.text.size() > 100000) continue;
    if (b.text.find('(') != std::string::npos) orgs_.scan(b.text);
    // Only the sentence that says "co-authored" names the co-authors.
    std::string_view rest = b.text;
    if (!mentions_co_author(rest)) rest = {};
    while (!rest.empty()) {
      size_t end = rest.find(". ");
      const std::string_view sentence = rest.substr(0, end == std::string_view::npos ? rest.size() : end + 1);
      if (contains_ci(sentence, "co-author"))
        for (const auto& [abbr, name] : orgs_.name_by_abbrev)
          if (sentence.find("(" + abbr + ")") != std::string_view::npos) co_authors_.insert(abbr);
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 2);
    }
  }
  // Room for the top-level blocks of a typical document (sections, notes, furniture): the body
  // then does not move its sections as it grows. Never more than the blocks that may fill it.
  doc_.body.reserve(std::min<size_t>(content_blocks, 32));
  // (A blank block only marks the blank: about half the blocks of published text.)
  for (size_t i = 0; i < blocks_.size(); ++i) {
    if (blocks_[i].hint == BlockHint::Blank) blank_before_ = true;
    else handle(i);
  }
  finish();
  return std::move(doc_);
}

}  // namespace

FurnitureWords furniture_words(std::string_view t) {
  // Each place is compared only with the words that start with its letter.
  const auto at = [&](size_t i, std::string_view word) {
    if (i + word.size() > t.size()) return false;
    for (size_t k = 1; k < word.size(); ++k)
      if (lower(t[i + k]) != word[k]) return false;
    return true;
  };
  FurnitureWords w;
  for (size_t i = 0; i < t.size(); ++i) {
    switch (lower(t[i])) {
      case 'i': w.navigation = w.navigation || at(i, "in this section"); break;
      case 'n': w.navigation = w.navigation || at(i, "navigation"); break;
      case 'm': w.membership = w.membership || at(i, "membership"); break;
      case 'b': w.membership = w.membership || at(i, "become a member"); break;
      case 'j': w.membership = w.membership || at(i, "join "); break;
      case 'e': w.employment = w.employment || at(i, "employment"); break;
      case 'c': w.employment = w.employment || at(i, "career"); break;
      default: break;
    }
  }
  return w;
}

SourceLoc locate(const SourceBlock& block, size_t offset) {
  // Where the block starts (most places asked for): its own position unless an anchor says.
  if (offset == 0 && (block.anchors.empty() || block.anchors.front().offset > 0)) return block.loc;
  offset = std::min(offset, block.text.size());
  SourceLoc base = block.loc;
  size_t base_offset = 0;
  auto it = std::upper_bound(block.anchors.begin(), block.anchors.end(), offset,
                             [](size_t off, const SourceAnchor& a) { return off < a.offset; });
  if (it != block.anchors.begin()) {
    --it;
    base = it->loc;
    base_offset = it->offset;
  }
  const std::string_view between = std::string_view(block.text).substr(base_offset, offset - base_offset);
  if (between.size() <= 16) {
    // A label's few bytes ("Standard 1.1: "): counted here, cheaper than the call (same count:
    // the bytes that are not UTF-8 continuation bytes).
    uint32_t code_points = 0;
    for (const char c : between) code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    base.col += code_points;
  } else {
    base.col += count_code_points(between);
  }
  return base;
}

RecognizerOptions recognizer_options(const ReaderOptions& options, std::string format,
                                     std::string_view bytes) {
  RecognizerOptions ro;
  ro.work = options.work;
  ro.edition = options.edition;
  ro.source_name = options.source_name;
  ro.source_format = std::move(format);
  ro.source_sha256 = sha256_hex(bytes);
  ro.url = options.url;
  return ro;
}

Document recognize(std::vector<SourceBlock> blocks, const RecognizerOptions& options, Diagnostics& diags) {
  Builder builder(blocks, options, diags);
  return builder.run();
}

}  // namespace normkit::recognizer
