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
    uint64_t a, b;
    std::memcpy(&a, src, 8);
    std::memcpy(&b, src + n - 8, 8);
    std::memcpy(dst, &a, 8);
    std::memcpy(dst + n - 8, &b, 8);
  } else if (n >= 4 && n < 8) {
    uint32_t a, b;
    std::memcpy(&a, src, 4);
    std::memcpy(&b, src + n - 4, 4);
    std::memcpy(dst, &a, 4);
    std::memcpy(dst + n - 4, &b, 4);
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

std::string default_label(ProvisionKind kind, std::string_view number) {
  if (number.size() <= 64) {
    // Built in a buffer and made a string once (short ones fit the string itself).
    char buffer[96];
    const Padded16& prefix = label_prefix(kind);  // the name and ' '
    std::memcpy(buffer, prefix.text, sizeof prefix.text);
    if (number.empty()) return std::string(buffer, prefix.size - 1);
    copy_short(buffer + prefix.size, number.data(), number.size());
    return std::string(buffer, prefix.size + number.size());
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
void permanent_id_chars(IdHash hash, std::string_view position_id, int attempt, char* id) {
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
  struct Span {
    Node* at;
    Node* end;
    bool counts;   // reached through blocks that may hold labeled nodes
    bool assigns;  // reached through such blocks or labeled nodes
  };
  std::vector<Span> stack;
  stack.reserve(16);
  Span current{roots.data(), roots.data() + roots.size(), body, body};
  while (true) {
    if (current.at == current.end) {
      if (stack.empty()) return;
      current = stack.back();
      stack.pop_back();
      continue;
    }
    Node& n = *current.at++;
    if (n.labeled && (current.counts || current.assigns))
      found.labeled.push_back({&n, current.counts, current.assigns});
    if (is_reference(n.type)) found.references.push_back(&n);
    if (n.children.empty() && n.title.empty()) continue;
    const bool holds = may_hold_labeled(n.type);
    const bool counts = current.counts && holds;
    const bool assigns = current.assigns && (holds || n.labeled);
    if (current.at != current.end) stack.push_back(current);
    if (!n.children.empty())
      stack.push_back({n.children.data(), n.children.data() + n.children.size(), counts, assigns});
    current = {n.title.data(), n.title.data() + n.title.size(), counts, assigns};
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
  const IdHash prefix = id_prefix(doc.work, doc.edition);
  const auto set_new_id = [&](std::string& field, const std::string& pos) {
    char id[kPermanentIdSize];
    for (int attempt = 0;; ++attempt) {
      permanent_id_chars(prefix, pos, attempt, id);
      if (const size_t slot = ids.find(std::string_view(id, kPermanentIdSize)); ids.is_free(slot)) {
        field.assign(id, kPermanentIdSize);  // fits the string itself: no allocation
        ids.place(slot, field);
        return;
      }
    }
  };

  for (Definition& d : doc.definitions) {
    if (d.position_id.empty()) set_unique_position(d.position_id, position_id_for_definition(d.term), d.loc);
    else positions.insert(d.position_id);
    if (d.label.empty()) d.label = d.term;
    if (d.id.empty()) set_new_id(d.id, d.position_id);
  }
  for (const LabeledNode& found_node : found.labeled) {
    if (!found_node.assigned) continue;
    Node& n = *found_node.node;
    Labeled& l = *n.labeled;
    if (l.position_id.empty()) {
      std::string pos = n.type == NodeType::Provision
                            ? position_id_for_provision(l.kind, l.number)
                            // The title only counts when the number gives no id.
                            : is_clean_number(l.number) ? position_id_for_section(l.number, {})
                                                        : position_id_for_section(l.number, plain_text(n.title));
      set_unique_position(l.position_id, std::move(pos), n.loc);
    } else {
      positions.insert(l.position_id);
    }
    if (l.label.empty() && n.type == NodeType::Provision) l.label = default_label(l.kind, l.number);
    if (l.id.empty()) set_new_id(l.id, l.position_id);
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
