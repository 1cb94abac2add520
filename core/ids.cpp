#include "core/ids.h"

#include "core/view_set.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <cstdint>
#include <functional>
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

}  // namespace

std::string position_id_for_provision(ProvisionKind kind, std::string_view number) {
  const std::string_view k = to_string(kind);
  if (is_clean_number(number)) {
    // Safe as it stands: the kind's name, '-', letters, digits and single inner dots. Built in a
    // buffer and made a string once (short ones fit the string itself).
    char buffer[96];  // the longest kind name, '-' and a clean number of at most 64 bytes
    std::memcpy(buffer, k.data(), k.size());
    buffer[k.size()] = '-';
    std::memcpy(buffer + k.size() + 1, number.data(), number.size());
    return std::string(buffer, k.size() + 1 + number.size());
  }
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
  const std::string_view name = display_name(kind);
  if (number.size() <= 64) {
    // Built in a buffer and made a string once (short ones fit the string itself).
    char buffer[96];
    std::memcpy(buffer, name.data(), name.size());
    size_t length = name.size();
    if (!number.empty()) {
      buffer[length++] = ' ';
      std::memcpy(buffer + length, number.data(), number.size());
      length += number.size();
    }
    return std::string(buffer, length);
  }
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

std::string permanent_id_from(IdHash hash, std::string_view position_id, int attempt) {
  hash.add(position_id);
  if (attempt > 0) {
    hash.add_separator();
    hash.add(std::to_string(attempt));
  }
  // 50 bits in ten base32 digits.
  const uint64_t bits = hash.finish();
  char id[12] = {'n', 'k'};
#pragma GCC unroll 10
  for (int i = 0; i < 10; ++i) id[2 + i] = kBase32[(bits >> (59 - 5 * i)) & 31];
  return std::string(id, 12);
}

}  // namespace

std::string permanent_id(std::string_view work, std::string_view edition,
                         std::string_view position_id, int attempt) {
  return permanent_id_from(id_prefix(work, edition), position_id, attempt);
}

namespace {

// Depth-first over `roots` in the order of walk() in core/model.h (a node, its title, its
// children), with a stack of what is left of each level instead of a stack entry per child.
// `visit(node)` returns whether to go below the node.
template <class NodeT, class Visit>
void walk_spans(std::vector<NodeT>& roots, Visit&& visit) {
  struct Span {
    NodeT* at;
    NodeT* end;
  };
  std::vector<Span> stack;
  Span current{roots.data(), roots.data() + roots.size()};
  while (true) {
    if (current.at == current.end) {
      if (stack.empty()) return;
      current = stack.back();
      stack.pop_back();
      continue;
    }
    NodeT& n = *current.at++;
    if (!visit(n)) continue;
    if (n.children.empty() && n.title.empty()) continue;
    if (current.at != current.end) stack.push_back(current);
    if (!n.children.empty()) stack.push_back({n.children.data(), n.children.data() + n.children.size()});
    current = {n.title.data(), n.title.data() + n.title.size()};
  }
}

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

}  // namespace

void assign_identity(Document& doc, Diagnostics* diags) {
  // Sizes for the tables, and the ids already present, taken first so new ones never collide
  // with them: one walk.
  size_t labeled = doc.definitions.size();
  std::vector<std::string_view> present;
  walk_spans(doc.body, [&](const Node& n) {
    if (n.labeled) {
      ++labeled;
      if (!n.labeled->id.empty()) present.push_back(n.labeled->id);
    }
    return may_hold_labeled(n.type);
  });
  ViewSet positions(labeled);
  ViewSet ids(labeled);
  for (std::string_view id : present) ids.insert(id);
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
    for (int attempt = 0;; ++attempt) {
      std::string id = permanent_id_from(prefix, pos, attempt);
      if (const size_t slot = ids.find(id); ids.is_free(slot)) {
        field = std::move(id);
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
  walk_spans(doc.body, [&](Node& n) {
    if (!n.labeled) return may_hold_labeled(n.type);
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
    return true;
  });

  // References by positional id become references by permanent id. The table is built only
  // when a reference needs it (readers of published text link by permanent id already).
  std::unordered_map<std::string_view, std::string_view> by_position;
  bool by_position_built = false;
  const auto build_by_position = [&]() {
    by_position_built = true;
    for (const Definition& d : doc.definitions) by_position.emplace(d.position_id, d.id);
    walk_spans(doc.body, [&](const Node& n) {
      if (n.labeled) by_position.emplace(n.labeled->position_id, n.labeled->id);
      return may_hold_labeled(n.type);
    });
  };
  const auto resolve = [&](Node& n) {
    if ((n.type == NodeType::TermRef || n.type == NodeType::XRef) && !ids.contains(n.target)) {
      if (!by_position_built) build_by_position();
      auto it = by_position.find(n.target);
      if (it != by_position.end()) n.target = std::string(it->second);
    }
    return true;
  };
  walk_spans(doc.body, resolve);
  for (Definition& d : doc.definitions) walk_spans(d.explanation, resolve);
  for (KeywordUsage& k : doc.word_usage) walk_spans(k.explanation, resolve);
}

}  // namespace normkit
