#include "core/ids.h"

#include "core/view_set.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <cstdint>
#include <functional>
#include <iterator>
#include <vector>
#include <unordered_map>

#include "core/text.h"

namespace normkit {

namespace {

// Keeps letters, digits and single dots of a number ("1.1", "IIa.3"); anything else becomes '-'.
// True when sanitize_number would return `number` unchanged: letters and digits, single dots
// between them, at most 64 bytes ("1.1", "IIa.3": nearly every number).
bool is_clean_number(std::string_view number) {
  if (number.empty() || number.size() > 64) return false;
  // 1: letter or digit, 2: '.', 0: anything else.
  static constexpr auto kClass = [] {
    std::array<uint8_t, 256> t{};
    for (int c = '0'; c <= '9'; ++c) t[c] = 1;
    for (int c = 'a'; c <= 'z'; ++c) t[c] = 1;
    for (int c = 'A'; c <= 'Z'; ++c) t[c] = 1;
    t['.'] = 2;
    return t;
  }();
  uint8_t previous = 2;  // no leading dot
  for (char c : number) {
    const uint8_t cls = kClass[static_cast<unsigned char>(c)];
    if (cls == 0 || (cls == 2 && previous == 2)) return false;
    previous = cls;
  }
  return previous == 1;  // no trailing dot
}

std::string sanitize_number(std::string_view number) {
  if (is_clean_number(number)) return std::string(number);
  std::string out;
  for (char c : number) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum) {
      out += c;
    } else if (c == '.' && !out.empty() && out.back() != '.' && out.back() != '-') {
      out += '.';
    } else if (!out.empty() && out.back() != '-' && out.back() != '.') {
      out += '-';
    }
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  if (out.size() > 64) out.resize(64);
  return out;
}

std::string ensure_safe(std::string id) {
  if (is_safe_id(id)) return id;  // moved, not copied
  return slugify(id, 100);
}

// Crockford's base32 alphabet: no i, l, o, u, so ids read aloud unambiguously.
constexpr char kBase32[] = "0123456789abcdefghjkmnpqrstvwxyz";

// Text of at most 16 bytes padded to 16, so that it is copied in one fixed-size move.
struct Padded16 {
  char text[16];
  size_t size;
};
constexpr ProvisionKind kKinds[] = {ProvisionKind::Standard, ProvisionKind::Guideline, ProvisionKind::Recommendation,
                                    ProvisionKind::Essential, ProvisionKind::Requirement};
// Per kind (names from to_string and display_name): "standard-", and "Standard " for labels.
template <class Name>
std::array<Padded16, std::size(kKinds)> padded_kind_table(Name name, char separator) {
  std::array<Padded16, std::size(kKinds)> table{};
  for (const ProvisionKind k : kKinds) {
    Padded16& entry = table[static_cast<size_t>(k)];
    const std::string_view text = name(k);
    std::memcpy(entry.text, text.data(), text.size());  // "recommendation" is the longest: 14
    entry.text[text.size()] = separator;
    entry.size = text.size() + 1;
  }
  return table;
}
// Made on first use (not at static initialization, which another file's could precede).
[[gnu::always_inline]] inline const Padded16& position_prefix(ProvisionKind kind) {
  static const auto table = padded_kind_table([](ProvisionKind k) { return to_string(k); }, '-');
  return table[static_cast<size_t>(kind)];
}
[[gnu::always_inline]] inline const Padded16& label_prefix(ProvisionKind kind) {
  static const auto table = padded_kind_table([](ProvisionKind k) { return display_name(k); }, ' ');
  return table[static_cast<size_t>(kind)];
}

// Copies `n` bytes: up to 16 by overlapping fixed-size moves instead of a call.
inline void copy_short(char* dst, const char* src, size_t n) {
  if (n >= 8 && n <= 16) {
    store_end_words(dst, n, load_end_words<uint64_t>(src, n));
  } else if (n >= 4 && n < 8) {
    store_end_words(dst, n, load_end_words<uint32_t>(src, n));
  } else if (n > 0 && n < 4) {
    dst[0] = src[0];
    dst[n / 2] = src[n / 2];
    dst[n - 1] = src[n - 1];
  } else if (n > 16) {
    std::memcpy(dst, src, n);
  }
}

}  // namespace

std::string position_id_for_provision(ProvisionKind kind, std::string_view number) {
  if (is_clean_number(number)) {
    // Safe as it stands: the kind's name, '-', letters, digits and single inner dots. Built in a
    // buffer and made a string once (short ones fit the string itself).
    char buffer[96];  // the longest kind name, '-' and a clean number of at most 64 bytes
    const Padded16& prefix = position_prefix(kind);
    std::memcpy(buffer, prefix.text, sizeof prefix.text);
    copy_short(buffer + prefix.size, number.data(), number.size());
    return std::string(buffer, prefix.size + number.size());
  }
  const std::string_view k = to_string(kind);
  const std::string n = sanitize_number(number);
  std::string id;
  id.reserve(k.size() + 1 + std::max<size_t>(n.size(), 1));
  id += k;
  id += '-';
  id += n.empty() ? "x" : n;
  return ensure_safe(std::move(id));
}

std::string position_id_for_section(std::string_view number, std::string_view title) {
  if (is_clean_number(number)) {
    // Safe as it stands ("section-", letters, digits and single inner dots), as for provisions.
    static constexpr std::string_view kPrefix = "section-";
    char buffer[96];
    std::memcpy(buffer, kPrefix.data(), kPrefix.size());
    std::memcpy(buffer + kPrefix.size(), number.data(), number.size());
    return std::string(buffer, kPrefix.size() + number.size());
  }
  const std::string n = sanitize_number(number);
  if (!n.empty()) return ensure_safe("section-" + n);
  return "section-" + slugify(title, 48);
}

std::string position_id_for_definition(std::string_view term) { return "term-" + slugify(term, 48); }

namespace {

// default_label of a number of at most 64 bytes into `buffer` (room for 96): its size.
size_t default_label_chars(ProvisionKind kind, std::string_view number, char* buffer) {
  const Padded16& prefix = label_prefix(kind);  // the name and ' '
  std::memcpy(buffer, prefix.text, sizeof prefix.text);
  if (number.empty()) return prefix.size - 1;
  copy_short(buffer + prefix.size, number.data(), number.size());
  return prefix.size + number.size();
}

}  // namespace

std::string default_label(ProvisionKind kind, std::string_view number) {
  if (number.size() <= 64) {
    // Built in a buffer and made a string once (short ones fit the string itself).
    char buffer[96];
    return std::string(buffer, default_label_chars(kind, number, buffer));
  }
  const std::string_view name = display_name(kind);
  std::string label;
  label.reserve(name.size() + 1 + number.size());
  label += name;
  label += ' ';
  label += number;
  return label;
}

namespace {

// FNV-1a over the key's bytes, then MurmurHash3's 64-bit finalizer so that every input bit
// reaches the top 50 bits used below. Not cryptographic: ids only need to be deterministic,
// opaque and well spread; collisions within a document are resolved by `attempt`.
struct IdHash {
  uint64_t h = 0xcbf29ce484222325ULL;
  void add(std::string_view s) {
#pragma GCC unroll 8
    for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  }
  void add_separator() { h = (h ^ 0x100) * 0x100000001b3ULL; }  // never a byte value
  uint64_t finish() const {
    uint64_t k = h;
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
  }
};

// The hash state after work and edition, shared by every id of a document.
IdHash id_prefix(std::string_view work, std::string_view edition) {
  IdHash hash;
  hash.add(work);
  hash.add_separator();
  hash.add(edition);
  hash.add_separator();
  return hash;
}

// Ten base32 digits per pair of table entries: two digits (ten bits) per look-up.
constexpr auto kBase32Pairs = [] {
  std::array<std::array<char, 2>, 1024> t{};
  for (int i = 0; i < 1024; ++i) t[i] = {kBase32[i >> 5], kBase32[i & 31]};
  return t;
}();

constexpr size_t kPermanentIdSize = 12;

// The permanent id's characters ("nk" and ten base32 digits) into `id`, without a string.
[[gnu::always_inline]] inline void permanent_id_chars(IdHash hash, std::string_view position_id, int attempt, char* id) {
  hash.add(position_id);
  if (attempt > 0) {
    hash.add_separator();
    hash.add(std::to_string(attempt));
  }
  // The top 50 bits, five bits a digit, two digits at a time.
  const uint64_t bits = hash.finish();
  id[0] = 'n';
  id[1] = 'k';
#pragma GCC unroll 5
  for (int i = 0; i < 5; ++i) std::memcpy(id + 2 + 2 * i, kBase32Pairs[(bits >> (54 - 10 * i)) & 1023].data(), 2);
}

std::string permanent_id_from(IdHash hash, std::string_view position_id, int attempt) {
  char id[kPermanentIdSize];
  permanent_id_chars(hash, position_id, attempt, id);
  return std::string(id, kPermanentIdSize);
}

}  // namespace

std::string permanent_id(std::string_view work, std::string_view edition,
                         std::string_view position_id, int attempt) {
  return permanent_id_from(id_prefix(work, edition), position_id, attempt);
}

namespace {

// Only sections and provisions carry identity, and neither lives in inline content (paragraphs,
// cells, and the inline nodes themselves) nor in furniture: the blocks that may hold them.
bool may_hold_labeled(NodeType t) {
  switch (t) {
    case NodeType::Section:
    case NodeType::Provision:
    case NodeType::List:
    case NodeType::ListItem:
    case NodeType::Table:
    case NodeType::Row:
    case NodeType::Note:
    case NodeType::Scope:
      return true;
    default:
      return false;
  }
}

bool is_reference(NodeType t) { return t == NodeType::TermRef || t == NodeType::XRef; }

// What assign_identity needs from a forest, found in one walk (depth-first in the order of walk()
// in core/model.h: a node, its title, its children; a stack of what is left of each level):
//  - `labeled`: the labeled nodes, each marked `counted` when reached through blocks that may
//    hold them (their ids are the ones present before any is assigned, and their positional ids
//    resolve references) and `assigned` when reached through such blocks or labeled nodes (the
//    ones given identity);
//  - `references`: every term mention and cross-reference.
// Both in document order. (For sections and provisions, the only labeled nodes readers make, the
// two marks go together; the two rules are kept apart so that nothing else changes.)
struct LabeledNode {
  Node* node;
  bool counted;
  bool assigned;
};
struct Found {
  std::vector<LabeledNode> labeled;
  std::vector<Node*> references;
};

void find_identity_work(std::vector<Node>& roots, bool body, Found& found) {
  // A level's reach: bit 0 "counts" (reached through blocks that may hold labeled nodes), bit 1
  // "assigns" (reached through such blocks or labeled nodes).
  constexpr unsigned kCounts = 1, kAssigns = 2;
  struct Span {
    Node* at;
    Node* end;
    unsigned reach;
  };
  // What is left of each level: in a fixed array as deep as readers nest (kMaxDepth), then in a
  // vector for deeper trees built by code. The current level lives in locals.
  constexpr size_t kFixed = 2 * kMaxDepth + 2;
  Span fixed[kFixed];
  std::vector<Span> deeper;
  size_t depth = 0;
  const auto push = [&](Node* at, Node* end, unsigned reach) {
    if (depth < kFixed) fixed[depth] = {at, end, reach};
    else deeper.push_back({at, end, reach});
    ++depth;
  };
  Node* at = roots.data();
  Node* end = at + roots.size();
  unsigned reach = body ? kCounts | kAssigns : 0;
  while (true) {
    if (at == end) {
      if (depth == 0) return;
      const Span s = --depth < kFixed ? fixed[depth] : deeper.back();
      if (depth >= kFixed) deeper.pop_back();
      at = s.at;
      end = s.end;
      reach = s.reach;
      continue;
    }
    Node& n = *at++;
    if (n.labeled && reach != 0) found.labeled.push_back({&n, (reach & kCounts) != 0, (reach & kAssigns) != 0});
    if (is_reference(n.type)) found.references.push_back(&n);
    Node* const title = n.title.data();
    Node* const title_end = title + n.title.size();
    Node* const children = n.children.data();
    Node* const children_end = children + n.children.size();
    if (title == title_end && children == children_end) continue;
    const bool holds = may_hold_labeled(n.type);
    const unsigned below = (holds ? reach : 0) | (n.labeled ? reach & kAssigns : 0);
    if (at != end) push(at, end, reach);
    // The title, then the children; a level that is empty (most titles) is never stacked.
    if (title != title_end) {
      if (children != children_end) push(children, children_end, below);
      at = title;
      end = title_end;
    } else {
      at = children;
      end = children_end;
    }
    reach = below;
  }
}

}  // namespace

void assign_identity(Document& doc, Diagnostics* diags) {
  // One walk of the body and the explanations: sizes for the tables, the ids already present
  // (taken first so new ones never collide with them), the nodes to give identity and the
  // references to resolve once every id is known.
  Found found;
  found.labeled.reserve(64);
  find_identity_work(doc.body, true, found);
  for (Definition& d : doc.definitions) find_identity_work(d.explanation, false, found);
  for (KeywordUsage& k : doc.word_usage) find_identity_work(k.explanation, false, found);
  const size_t labeled = doc.definitions.size() + found.labeled.size();
  ViewSet positions(labeled);
  ViewSet ids(labeled);
  for (const LabeledNode& l : found.labeled)
    if (l.counted && !l.node->labeled->id.empty()) ids.insert(l.node->labeled->id);
  for (const Definition& d : doc.definitions)
    if (!d.id.empty()) ids.insert(d.id);

  // Each helper stores the new value in `field`, then records a view of the field.
  const auto set_unique_position = [&](std::string& field, std::string pos, SourceLoc loc) {
    if (const size_t slot = positions.find(pos); positions.is_free(slot)) {
      field = std::move(pos);
      positions.place(slot, field);  // the same bytes, so the same slot
      return;
    }
    for (int k = 2;; ++k) {
      std::string alt = pos + "_" + std::to_string(k);
      if (!positions.contains(alt)) {
        if (diags)
          diags->warning("duplicate-number",
                         "'" + pos + "' occurs more than once; this one is '" + alt + "'", loc);
        field = std::move(alt);
        break;
      }
    }
    positions.insert(field);
  };
  // The hash of a positional id continues from `start`, the state after the id's first
  // `skip` bytes (a kind's prefix, hashed once per document), or from the document's prefix.
  const IdHash prefix = id_prefix(doc.work, doc.edition);
  const auto set_new_id = [&](std::string& field, std::string_view pos, const IdHash& start, size_t skip) {
    char id[kPermanentIdSize];
    for (int attempt = 0;; ++attempt) {
      permanent_id_chars(start, pos.substr(skip), attempt, id);
      if (const size_t slot = ids.find(std::string_view(id, kPermanentIdSize)); ids.is_free(slot)) {
        // Fits the string itself: no allocation. A new string moved in is a few fixed moves
        // inline, where assign() makes a general replace call.
        field = std::string(id, kPermanentIdSize);
        ids.place(slot, field);
        return;
      }
    }
  };
  // The hash state after each provision kind's "standard-" and after "section-", made on
  // first use: nearly every positional id starts with one of them.
  std::array<IdHash, std::size(kKinds) + 1> kind_states;
  std::array<bool, std::size(kKinds) + 1> kind_state_made{};
  const auto kind_state = [&](size_t slot, std::string_view kind_prefix) -> const IdHash& {
    if (!kind_state_made[slot]) {
      kind_states[slot] = prefix;
      kind_states[slot].add(kind_prefix);
      kind_state_made[slot] = true;
    }
    return kind_states[slot];
  };

  for (Definition& d : doc.definitions) {
    if (d.position_id.empty()) set_unique_position(d.position_id, position_id_for_definition(d.term), d.loc);
    else positions.insert(d.position_id);
    if (d.label.empty()) d.label = d.term;
    if (d.id.empty()) set_new_id(d.id, d.position_id, prefix, 0);
  }
  for (const LabeledNode& found_node : found.labeled) {
    if (!found_node.assigned) continue;
    Node& n = *found_node.node;
    Labeled& l = *n.labeled;
    const bool provision = n.type == NodeType::Provision;
    // For a clean number (nearly always) the positional id is the kind's prefix and the number,
    // built in a buffer: stored without a temporary string when it is not taken yet, and its
    // hash continues from the prefix's.
    const bool clean = is_clean_number(l.number);
    const IdHash* id_start = &prefix;
    size_t id_skip = 0;
    if (l.position_id.empty()) {
      if (clean) {
        static constexpr std::string_view kSectionPrefix = "section-";
        char buffer[96];  // the longest prefix (16) and a clean number of at most 64 bytes
        std::string_view kind_prefix = kSectionPrefix;
        size_t state_slot = std::size(kKinds);
        if (provision) {
          const Padded16& p = position_prefix(l.kind);
          std::memcpy(buffer, p.text, sizeof p.text);
          kind_prefix = std::string_view(p.text, p.size);
          state_slot = static_cast<size_t>(l.kind);
        } else {
          std::memcpy(buffer, kSectionPrefix.data(), kSectionPrefix.size());
        }
        copy_short(buffer + kind_prefix.size(), l.number.data(), l.number.size());
        const std::string_view pos(buffer, kind_prefix.size() + l.number.size());
        if (const size_t slot = positions.find(pos); positions.is_free(slot)) {
          l.position_id = std::string(pos);  // moved in: cheaper than assign() for short ones
          positions.place(slot, l.position_id);
          if (l.id.empty() && state_slot < kind_states.size()) {
            id_start = &kind_state(state_slot, kind_prefix);
            id_skip = kind_prefix.size();
          }
        } else {
          set_unique_position(l.position_id, std::string(pos), n.loc);
        }
      } else {
        std::string pos = provision ? position_id_for_provision(l.kind, l.number)
                                    // The title only counts when the number gives no id.
                                    : position_id_for_section(l.number, plain_text(n.title));
        set_unique_position(l.position_id, std::move(pos), n.loc);
      }
    } else {
      positions.insert(l.position_id);
    }
    if (l.label.empty() && provision) {
      if (l.number.size() <= 64) {
        char buffer[96];
        l.label = std::string(buffer, default_label_chars(l.kind, l.number, buffer));
      } else {
        l.label = default_label(l.kind, l.number);
      }
    }
    if (l.id.empty()) set_new_id(l.id, l.position_id, *id_start, id_skip);
  }

  // References by positional id become references by permanent id. The table is built only
  // when a reference needs it (readers of published text link by permanent id already).
  std::unordered_map<std::string_view, std::string_view> by_position;
  bool by_position_built = false;
  for (Node* n : found.references) {
    if (ids.contains(n->target)) continue;
    if (!by_position_built) {
      by_position_built = true;
      for (const Definition& d : doc.definitions) by_position.emplace(d.position_id, d.id);
      for (const LabeledNode& l : found.labeled)
        if (l.counted) by_position.emplace(l.node->labeled->position_id, l.node->labeled->id);
    }
    auto it = by_position.find(n->target);
    if (it != by_position.end()) n->target = std::string(it->second);
  }
}

}  // namespace normkit
