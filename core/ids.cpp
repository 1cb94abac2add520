#include "core/ids.h"

#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"

namespace normkit {

namespace {

// Keeps letters, digits and single dots of a number ("1.1", "IIa.3"); anything else becomes '-'.
std::string sanitize_number(std::string_view number) {
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
  return is_safe_id(id) ? id : slugify(id, 100);
}

// Crockford's base32 alphabet: no i, l, o, u, so ids read aloud unambiguously.
constexpr char kBase32[] = "0123456789abcdefghjkmnpqrstvwxyz";

}  // namespace

std::string position_id_for_provision(ProvisionKind kind, std::string_view number) {
  std::string id(to_string(kind));
  const std::string n = sanitize_number(number);
  id += '-';
  id += n.empty() ? "x" : n;
  return ensure_safe(id);
}

std::string position_id_for_section(std::string_view number, std::string_view title) {
  const std::string n = sanitize_number(number);
  if (!n.empty()) return ensure_safe("section-" + n);
  return "section-" + slugify(title, 48);
}

std::string position_id_for_definition(std::string_view term) { return "term-" + slugify(term, 48); }

std::string default_label(ProvisionKind kind, std::string_view number) {
  std::string label(display_name(kind));
  if (!number.empty()) {
    label += ' ';
    label += number;
  }
  return label;
}

namespace {

// FNV-1a over the key's bytes, then MurmurHash3's 64-bit finalizer so that every input bit
// reaches the top 50 bits used below. Not cryptographic: ids only need to be deterministic,
// opaque and well spread; collisions within a document are resolved by `attempt`.
struct IdHash {
  uint64_t h = 0xcbf29ce484222325ULL;
  void add(std::string_view s) {
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

}  // namespace

std::string permanent_id(std::string_view work, std::string_view edition,
                         std::string_view position_id, int attempt) {
  IdHash hash;
  hash.add(work);
  hash.add_separator();
  hash.add(edition);
  hash.add_separator();
  hash.add(position_id);
  if (attempt > 0) {
    hash.add_separator();
    hash.add(std::to_string(attempt));
  }
  // 50 bits in ten base32 digits.
  uint64_t bits = hash.finish();
  std::string id(12, 'n');
  id[1] = 'k';
  for (int i = 0; i < 10; ++i) {
    id[2 + i] = kBase32[bits >> 59];
    bits <<= 5;
  }
  return id;
}

void assign_identity(Document& doc, Diagnostics* diags) {
  std::unordered_set<std::string> positions;
  std::unordered_set<std::string> ids;
  positions.reserve(256);
  ids.reserve(256);
  // Existing ids are taken first so new ones never collide with them.
  walk(doc.body, [&](const Node& n, int, const Node*) {
    if (n.labeled) {
      if (!n.labeled->id.empty()) ids.insert(n.labeled->id);
    }
    return n.type != NodeType::Furniture;
  });
  for (const Definition& d : doc.definitions)
    if (!d.id.empty()) ids.insert(d.id);

  const auto unique_position = [&](std::string pos, SourceLoc loc) {
    if (positions.insert(pos).second) return pos;
    for (int k = 2;; ++k) {
      std::string alt = pos + "_" + std::to_string(k);
      if (positions.insert(alt).second) {
        if (diags)
          diags->warning("duplicate-number",
                         "'" + pos + "' occurs more than once; this one is '" + alt + "'", loc);
        return alt;
      }
    }
  };
  const auto new_id = [&](const std::string& pos) {
    for (int attempt = 0;; ++attempt) {
      std::string id = permanent_id(doc.work, doc.edition, pos, attempt);
      if (ids.insert(id).second) return id;
    }
  };

  for (Definition& d : doc.definitions) {
    if (d.position_id.empty()) d.position_id = unique_position(position_id_for_definition(d.term), d.loc);
    else positions.insert(d.position_id);
    if (d.label.empty()) d.label = d.term;
    if (d.id.empty()) d.id = new_id(d.position_id);
  }
  walk_mutable(doc.body, [&](Node& n, int) {
    if (n.type == NodeType::Furniture) return false;
    if (!n.labeled) return true;
    Labeled& l = *n.labeled;
    if (l.position_id.empty()) {
      std::string pos = n.type == NodeType::Provision
                            ? position_id_for_provision(l.kind, l.number)
                            : position_id_for_section(l.number, plain_text(n.title));
      l.position_id = unique_position(std::move(pos), n.loc);
    } else {
      positions.insert(l.position_id);
    }
    if (l.label.empty() && n.type == NodeType::Provision) l.label = default_label(l.kind, l.number);
    if (l.id.empty()) l.id = new_id(l.position_id);
    return true;
  });

  // References by positional id become references by permanent id.
  std::unordered_map<std::string, std::string> by_position;
  for (const Definition& d : doc.definitions) by_position.emplace(d.position_id, d.id);
  walk(doc.body, [&](const Node& n, int, const Node*) {
    if (n.labeled) by_position.emplace(n.labeled->position_id, n.labeled->id);
    return n.type != NodeType::Furniture;
  });
  const auto resolve = [&](Node& n, int) {
    if ((n.type == NodeType::TermRef || n.type == NodeType::XRef) && !ids.count(n.target)) {
      auto it = by_position.find(n.target);
      if (it != by_position.end()) n.target = it->second;
    }
    return true;
  };
  walk_mutable(doc.body, resolve);
  for (Definition& d : doc.definitions) walk_mutable(d.explanation, resolve);
  for (KeywordUsage& k : doc.word_usage) walk_mutable(k.explanation, resolve);
}

}  // namespace normkit
