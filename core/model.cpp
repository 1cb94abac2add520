#include "core/model.h"

#include <bit>
#include <cstdint>
#include <cstring>

#include <algorithm>

#include "core/text.h"

#include <array>
#include <utility>

// jemalloc's options, read once at start-up by the programs linked with it (CMakeLists.txt,
// NORMKIT_ALLOCATOR); without jemalloc this is an unused string. A model is many small nodes and
// strings freed together, so each thread caches up to 1,000 (not 200) objects of a small size, more
// of them per refill, and flushes its cache less often: text ingest +3.5 %, the bundle step
// -4.5 %, peak memory +2-3 MB (bench/README.md, session 6). The environment's MALLOC_CONF still
// overrides these.
extern "C" {
extern const char* const malloc_conf;
const char* const malloc_conf =
    "tcache_nslots_small_max:1000,lg_tcache_nslots_mul:2,tcache_gc_incr_bytes:1048576";
}

namespace normkit {

// --- Vocabularies ---------------------------------------------------------------------------

namespace {

template <class Enum, size_t N>
std::optional<Enum> lookup(const std::array<std::string_view, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<Enum>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 7> kForceNames = {
    "mandatory", "prohibited", "recommended", "not-recommended", "permitted", "optional",
    "informative"};
constexpr std::array<std::string_view, 6> kDocTypeNames = {
    "standards-and-guidelines", "clinical-practice-guideline", "catalog", "protocol",
    "checklist", "other"};
constexpr std::array<std::string_view, 5> kProvisionKindNames = {
    "standard", "guideline", "recommendation", "essential", "requirement"};
constexpr std::array<std::string_view, 5> kProvisionDisplayNames = {
    "Standard", "Guideline", "Recommendation", "Essential", "Requirement"};
constexpr std::array<std::string_view, 4> kOrgRoleNames = {"author", "co-author", "endorser",
                                                           "publisher"};
constexpr std::array<std::string_view, 5> kDateTypeNames = {"published", "approved", "updated",
                                                            "effective", "retrieved"};
constexpr std::array<std::string_view, 5> kCatalogKindNames = {
    "standards-and-guidelines", "clinical-practice-guideline", "protocol", "position-statement",
    "other"};
constexpr std::array<std::string_view, 10> kFurnitureKindNames = {
    "navigation", "header", "footer", "membership", "employment",
    "contact",    "copyright", "advert", "form",     "other"};
constexpr std::array<std::string_view, 7> kListStyleNames = {
    "", "bullet", "decimal", "lower-alpha", "upper-alpha", "lower-roman", "upper-roman"};

constexpr std::array<std::string_view, 6> kClasses = {"I", "IIa", "IIb", "III", "III-no-benefit",
                                                      "III-harm"};
constexpr std::array<std::string_view, 7> kLevels = {"A", "B", "C", "B-R", "B-NR", "C-LD", "C-EO"};

}  // namespace

std::string_view to_string(Force v) { return kForceNames[static_cast<size_t>(v)]; }
std::string_view to_string(DocType v) { return kDocTypeNames[static_cast<size_t>(v)]; }
std::string_view to_string(ProvisionKind v) { return kProvisionKindNames[static_cast<size_t>(v)]; }
std::string_view to_string(OrgRole v) { return kOrgRoleNames[static_cast<size_t>(v)]; }
std::string_view to_string(DateType v) { return kDateTypeNames[static_cast<size_t>(v)]; }
std::string_view to_string(CatalogKind v) { return kCatalogKindNames[static_cast<size_t>(v)]; }
std::string_view to_string(FurnitureKind v) { return kFurnitureKindNames[static_cast<size_t>(v)]; }
std::string_view to_string(ListStyle v) { return kListStyleNames[static_cast<size_t>(v)]; }
std::string_view display_name(ProvisionKind v) {
  return kProvisionDisplayNames[static_cast<size_t>(v)];
}

std::optional<Force> parse_force(std::string_view s) { return lookup<Force>(kForceNames, s); }
std::optional<DocType> parse_doc_type(std::string_view s) {
  return lookup<DocType>(kDocTypeNames, s);
}
std::optional<ProvisionKind> parse_provision_kind(std::string_view s) {
  return lookup<ProvisionKind>(kProvisionKindNames, s);
}
std::optional<OrgRole> parse_org_role(std::string_view s) {
  return lookup<OrgRole>(kOrgRoleNames, s);
}
std::optional<DateType> parse_date_type(std::string_view s) {
  return lookup<DateType>(kDateTypeNames, s);
}
std::optional<CatalogKind> parse_catalog_kind(std::string_view s) {
  return lookup<CatalogKind>(kCatalogKindNames, s);
}
std::optional<FurnitureKind> parse_furniture_kind(std::string_view s) {
  return lookup<FurnitureKind>(kFurnitureKindNames, s);
}
std::optional<ListStyle> parse_list_style(std::string_view s) {
  if (s.empty()) return std::nullopt;
  return lookup<ListStyle>(kListStyleNames, s);
}

bool is_valid_class(std::string_view s) { return lookup<int>(kClasses, s).has_value(); }
bool is_valid_level(std::string_view s) { return lookup<int>(kLevels, s).has_value(); }

bool is_block(NodeType t) { return t <= NodeType::Furniture; }
bool is_inline(NodeType t) { return t >= NodeType::Text; }

// --- Node -----------------------------------------------------------------------------------

Node::Node(const Node& o)
    : type(o.type),
      force(o.force),
      furniture(o.furniture),
      list_style(o.list_style),
      flag(o.flag),
      loc(o.loc),
      origin_line(o.origin_line),
      text(o.text),
      target(o.target),
      labeled(o.labeled ? std::make_unique<Labeled>(*o.labeled) : nullptr),
      title(o.title),
      children(o.children) {}

Node::~Node() = default;

Node& Node::operator=(const Node& o) {
  if (this != &o) {
    Node copy(o);
    *this = std::move(copy);
  }
  return *this;
}

Node Node::make_text(std::string s) {
  Node n(NodeType::Text);
  n.text = std::move(s);
  return n;
}

Node Node::make_keyword(std::string as_written, std::string word, Force f) {
  Node n(NodeType::Keyword);
  n.text = std::move(as_written);
  n.target = std::move(word);
  n.force = f;
  return n;
}

Node Node::make_paragraph(std::vector<Node> inlines) {
  Node n(NodeType::Paragraph);
  n.children = std::move(inlines);
  return n;
}

Node Node::make_section(std::string number, std::string label) {
  Node n(NodeType::Section);
  n.labeled = std::make_unique<Labeled>();
  n.labeled->number = std::move(number);
  n.labeled->label = std::move(label);
  return n;
}

Node Node::make_provision(ProvisionKind kind, std::string number, std::string label) {
  Node n(NodeType::Provision);
  n.labeled = std::make_unique<Labeled>();
  n.labeled->kind = kind;
  n.labeled->number = std::move(number);
  n.labeled->label = std::move(label);
  return n;
}

// --- Helpers --------------------------------------------------------------------------------

bool has_collapsible_whitespace(std::string_view s) {
  static_assert(std::endian::native == std::endian::little, "byte order of the word tests below");
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const char* p = s.data();
  const size_t n = s.size();
  size_t i = 0;
  bool previous_space = false;
  // Eight bytes at a time: a word with no byte below 0x20 needs a look only at its spaces.
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if ((w - 0x20 * kOnes) & ~w & kHigh) break;  // a control byte: the byte loop decides
    const uint64_t spaces = bytes_equal(w, ' ');  // 0x80 in each space byte
    if (spaces & (spaces >> 8)) return true;  // two spaces inside the word
    if (previous_space && (spaces & 0x80)) return true;  // one ends the last word, one starts this
    previous_space = (spaces >> 63) != 0;
  }
  for (; i < n; ++i) {
    const char c = p[i];
    // One comparison for the common case: most characters are above the space.
    if (static_cast<unsigned char>(c) > ' ') continue;
    if (c == '\t' || c == '\n' || c == '\r') return true;
    if (c == ' ' && ((i > 0 && p[i - 1] == ' ') || (i + 1 < n && p[i + 1] == ' '))) return true;
  }
  return false;
}

namespace {

// True when normalize_level would change nothing: the common case for canonical input.
bool level_is_normal(const std::vector<Node>& v, bool trim_ends) {
  for (size_t i = 0; i < v.size(); ++i) {
    const Node& n = v[i];
    if (n.type == NodeType::Text) {
      if (n.text.empty() || has_collapsible_whitespace(n.text)) return false;
      if (i > 0 && v[i - 1].type == NodeType::Text) return false;
      if (trim_ends && i == 0 && n.text.front() == ' ') return false;
      if (trim_ends && i + 1 == v.size() && n.text.back() == ' ') return false;
    } else if (n.type == NodeType::Keyword && has_collapsible_whitespace(n.text)) {
      return false;
    }
  }
  return true;
}

void normalize_level(std::vector<Node>& v, bool trim_ends) {
  if (level_is_normal(v, trim_ends)) return;
  std::vector<Node> out;
  out.reserve(v.size());
  for (Node& n : v) {
    if (n.type == NodeType::Text && !out.empty() && out.back().type == NodeType::Text) {
      out.back().text += n.text;
    } else {
      out.push_back(std::move(n));
    }
  }
  for (Node& n : out)
    if ((n.type == NodeType::Text || n.type == NodeType::Keyword) && has_collapsible_whitespace(n.text))
      n.text = collapse_whitespace(n.text);
  if (trim_ends && !out.empty()) {
    if (out.front().type == NodeType::Text) {
      std::string& t = out.front().text;
      if (!t.empty() && t.front() == ' ') t.erase(0, 1);
    }
    if (out.back().type == NodeType::Text) {
      std::string& t = out.back().text;
      if (!t.empty() && t.back() == ' ') t.pop_back();
    }
  }
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](const Node& n) { return n.type == NodeType::Text && n.text.empty(); }),
            out.end());
  v = std::move(out);
}

}  // namespace

void normalize_inline_whitespace(std::vector<Node>& inlines, bool trim_ends) {
  normalize_level(inlines, trim_ends);
  for (Node& n : inlines) {
    if (n.children.empty()) continue;
    // Nested inline content is rare; walk it only when it is there.
    walk_mutable(n.children, [](Node& c, int) {
      if (!c.children.empty()) normalize_level(c.children, false);
      return true;
    });
    normalize_level(n.children, false);
  }
}

bool inline_whitespace_is_normal(const std::vector<Node>& inlines, bool trim_ends) {
  if (!level_is_normal(inlines, trim_ends)) return false;
  // The same levels normalize_inline_whitespace visits; the walk only when something is nested.
  for (const Node& n : inlines) {
    if (n.children.empty()) continue;
    if (!level_is_normal(n.children, false)) return false;
    bool nested = false;
    for (const Node& c : n.children) nested = nested || !c.children.empty();
    if (!nested) continue;
    bool normal = true;
    walk(n.children, [&](const Node& c, int, const Node*) {
      if (normal && !c.children.empty() && !level_is_normal(c.children, false)) normal = false;
      return normal;
    });
    if (!normal) return false;
  }
  return true;
}

std::string plain_text(const std::vector<Node>& inlines) {
  // One Text node with nothing below it (nearly every title): its text, copied once.
  if (inlines.size() == 1 && inlines[0].type == NodeType::Text && inlines[0].title.empty() &&
      inlines[0].children.empty())
    return inlines[0].text;
  std::string out;
  walk(inlines, [&](const Node& n, int, const Node*) {
    if (n.type == NodeType::Text || n.type == NodeType::Keyword) out += n.text;
    if (n.type == NodeType::LineBreak) out += ' ';
    return true;
  });
  return out;
}

DocumentStats compute_stats(const Document& doc, bool count_inline) {
  DocumentStats s;
  s.definitions = doc.definitions.size();
  walk(doc.body, [&](const Node& n, int, const Node*) {
    switch (n.type) {
      case NodeType::Section: ++s.sections; break;
      case NodeType::Provision:
        switch (n.labeled->kind) {
          case ProvisionKind::Standard: ++s.standards; break;
          case ProvisionKind::Guideline: ++s.guidelines; break;
          case ProvisionKind::Recommendation: ++s.recommendations; break;
          default: ++s.other_provisions; break;
        }
        break;
      case NodeType::Keyword: ++s.keywords; break;
      case NodeType::TermRef: ++s.term_mentions; break;
      case NodeType::Furniture: ++s.furniture; return false;
      case NodeType::Paragraph:
      case NodeType::Cell: return count_inline;  // inline content below
      default: break;
    }
    return count_inline || !is_inline(n.type);
  });
  return s;
}

}  // namespace normkit
