#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/text.h"

using namespace normkit;

TEST_CASE("positional ids come from numbering and are always safe", "[ids]") {
  CHECK(position_id_for_provision(ProvisionKind::Standard, "1.1") == "standard-1.1");
  CHECK(position_id_for_provision(ProvisionKind::Guideline, "1.1") == "guideline-1.1");
  CHECK(position_id_for_provision(ProvisionKind::Recommendation, "") == "recommendation-x");
  CHECK(position_id_for_section("2", "Checklists") == "section-2");
  CHECK(position_id_for_section("", "Goal Statement") == "section-goal-statement");
  CHECK(position_id_for_definition("Surgical Care Team") == "term-surgical-care-team");
  CHECK(position_id_for_definition("Ärzte & Ökonomie") == "term-arzte-okonomie");
  for (const char* hostile : {"../../etc/passwd", "/root", "1/2", "..", "a..b", "\x01\x02", "<script>", ""}) {
    INFO(hostile);
    CHECK(is_safe_id(position_id_for_provision(ProvisionKind::Standard, hostile)));
    CHECK(is_safe_id(position_id_for_section(hostile, hostile)));
    CHECK(is_safe_id(position_id_for_definition(hostile)));
  }
  CHECK(position_id_for_provision(ProvisionKind::Standard, "../../etc/passwd") == "standard-etc-passwd");
  // Numbers that are already clean are taken as they are; the others lose stray dots and
  // become at most 64 bytes, whichever way they are built.
  CHECK(position_id_for_provision(ProvisionKind::Guideline, "IIa.3") == "guideline-IIa.3");
  CHECK(position_id_for_provision(ProvisionKind::Standard, "1..2") == "standard-1.2");
  CHECK(position_id_for_provision(ProvisionKind::Standard, ".1") == "standard-1");
  CHECK(position_id_for_provision(ProvisionKind::Standard, "1.") == "standard-1");
  CHECK(position_id_for_provision(ProvisionKind::Standard, "4 a") == "standard-4-a");
  CHECK(position_id_for_provision(ProvisionKind::Standard, std::string(64, '7')) == "standard-" + std::string(64, '7'));
  CHECK(position_id_for_provision(ProvisionKind::Standard, std::string(65, '7')) == "standard-" + std::string(64, '7'));
  CHECK(position_id_for_section("2.10", "Monitoring") == "section-2.10");
  CHECK(position_id_for_section("2.", "Monitoring") == "section-2");
  CHECK(default_label(ProvisionKind::Recommendation, "3") == "Recommendation 3");
  CHECK(default_label(ProvisionKind::Standard, "") == "Standard");
}

TEST_CASE("is_safe_id rejects path tricks", "[ids]") {
  CHECK(is_safe_id("standard-1.1"));
  CHECK(is_safe_id("nk3f8q2m7xka"));
  for (const char* bad : {"", "../x", "a/b", "a..b", ".hidden", "-x", "a b", "a\\b", "é"}) {
    INFO(bad);
    CHECK_FALSE(is_safe_id(bad));
  }
  CHECK_FALSE(is_safe_id(std::string(129, 'a')));
}

TEST_CASE("permanent ids are deterministic, opaque and distinct", "[ids]") {
  const std::string a = permanent_id("w", "2017", "standard-1.1");
  CHECK(a == permanent_id("w", "2017", "standard-1.1"));
  CHECK(std::regex_match(a, std::regex("nk[0-9a-hjkmnp-tv-z]{10}")));
  CHECK(a != permanent_id("w", "2019", "standard-1.1"));
  CHECK(a != permanent_id("w", "2017", "standard-1.2"));
  CHECK(a != permanent_id("w", "2017", "standard-1.1", 1));
  // Field boundaries matter: ("ab","c") and ("a","bc") differ.
  CHECK(permanent_id("ab", "c", "x") != permanent_id("a", "bc", "x"));
}

TEST_CASE("assign_identity fills what is missing and keeps what is there", "[ids]") {
  Document doc;
  doc.work = "w";
  doc.edition = "1";
  Definition def;
  def.term = "Protocol";
  doc.definitions.push_back(def);
  Node s = Node::make_section("1", "Standard 1");
  Node kept = Node::make_provision(ProvisionKind::Standard, "1.1", "");
  kept.labeled->id = "nkkeepme00000";
  s.children.push_back(std::move(kept));
  s.children.push_back(Node::make_provision(ProvisionKind::Guideline, "1.1", ""));
  Node term(NodeType::TermRef);
  term.target = "term-protocol";
  Node xref(NodeType::XRef);
  xref.target = "guideline-1.1";
  s.children.push_back(Node::make_paragraph({std::move(term), std::move(xref)}));
  doc.body.push_back(std::move(s));

  Diagnostics diags;
  assign_identity(doc, &diags);
  CHECK(diags.all().empty());
  const Node& section = doc.body[0];
  CHECK(section.labeled->position_id == "section-1");
  CHECK(section.labeled->id == permanent_id("w", "1", "section-1"));
  CHECK(section.children[0].labeled->id == "nkkeepme00000");
  CHECK(section.children[0].labeled->label == "Standard 1.1");
  CHECK(section.children[1].labeled->position_id == "guideline-1.1");
  CHECK(section.children[1].labeled->label == "Guideline 1.1");
  CHECK(doc.definitions[0].position_id == "term-protocol");
  CHECK(doc.definitions[0].label == "Protocol");
  // References written by positional id now point at permanent ids.
  CHECK(section.children[2].children[0].target == doc.definitions[0].id);
  CHECK(section.children[2].children[1].target == section.children[1].labeled->id);

  // Running it again changes nothing.
  Document again = doc;
  assign_identity(again);
  CHECK(again.body[0].children[1].labeled->id == doc.body[0].children[1].labeled->id);
}

TEST_CASE("assign_identity makes repeated numbers unique and says so", "[ids]") {
  Document doc;
  doc.work = "w";
  doc.edition = "1";
  doc.body.push_back(Node::make_provision(ProvisionKind::Standard, "1.1", ""));
  doc.body.push_back(Node::make_provision(ProvisionKind::Standard, "1.1", ""));
  Diagnostics diags;
  assign_identity(doc, &diags);
  CHECK(doc.body[0].labeled->position_id == "standard-1.1");
  CHECK(doc.body[1].labeled->position_id == "standard-1.1_2");
  CHECK(doc.body[0].labeled->id != doc.body[1].labeled->id);
  REQUIRE(diags.all().size() == 1);
  CHECK(diags.all()[0].code == "duplicate-number");
}

TEST_CASE("permanent ids are well spread over many positions", "[ids]") {
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) {
    const std::string id = permanent_id("w", "2017", "standard-" + std::to_string(i / 100) + "." + std::to_string(i % 100));
    CHECK(is_safe_id(id));
    seen.insert(id);
  }
  CHECK(seen.size() == 20000);
  // Every base32 digit position takes many values.
  for (size_t pos = 2; pos < 12; ++pos) {
    std::set<char> digits;
    for (const std::string& id : seen) digits.insert(id[pos]);
    CHECK(digits.size() == 32);
  }
}

namespace {

// --- Simple references for the tests below ---------------------------------------------------

// permanent_id restated plainly: FNV-1a over work, a separator, edition, a separator and the
// positional id (and, for attempt > 0, another separator and the attempt's digits), MurmurHash3's
// finalizer, then the top 50 bits as ten base32 digits, one digit at a time.
std::string reference_permanent_id(const std::string& work, const std::string& edition,
                                   const std::string& position_id, int attempt) {
  uint64_t h = 0xcbf29ce484222325ULL;
  const auto add = [&](const std::string& s) {
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  };
  const auto separator = [&] { h = (h ^ 0x100) * 0x100000001b3ULL; };
  add(work);
  separator();
  add(edition);
  separator();
  add(position_id);
  if (attempt > 0) {
    separator();
    add(std::to_string(attempt));
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  const std::string digits = "0123456789abcdefghjkmnpqrstvwxyz";
  std::string id = "nk";
  for (int i = 0; i < 10; ++i) id += digits[(h >> (59 - 5 * i)) & 31];
  return id;
}

bool reference_may_hold_labeled(NodeType t) {
  return t == NodeType::Section || t == NodeType::Provision || t == NodeType::List ||
         t == NodeType::ListItem || t == NodeType::Table || t == NodeType::Row ||
         t == NodeType::Note || t == NodeType::Scope;
}

// assign_identity as documented in core/ids.h, plainly: one walk per concern, std::set and
// std::map, and the same reach rules (ids present and positional references: sections and
// provisions under blocks that may hold them; identity: under such blocks or labeled nodes).
void reference_assign_identity(Document& doc, Diagnostics* diags) {
  std::set<std::string> ids, positions;
  walk_mutable(doc.body, [&](Node& n, int) {
    if (n.labeled && !n.labeled->id.empty()) ids.insert(n.labeled->id);
    return reference_may_hold_labeled(n.type);
  });
  for (const Definition& d : doc.definitions)
    if (!d.id.empty()) ids.insert(d.id);
  const auto unique_position = [&](const std::string& pos, SourceLoc loc) {
    if (positions.insert(pos).second) return pos;
    for (int k = 2;; ++k) {
      const std::string alt = pos + "_" + std::to_string(k);
      if (positions.count(alt)) continue;
      if (diags)
        diags->warning("duplicate-number", "'" + pos + "' occurs more than once; this one is '" + alt + "'", loc);
      positions.insert(alt);
      return alt;
    }
  };
  const auto new_id = [&](const std::string& pos) {
    for (int attempt = 0;; ++attempt) {
      const std::string id = permanent_id(doc.work, doc.edition, pos, attempt);
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
    if (!n.labeled) return reference_may_hold_labeled(n.type);
    Labeled& l = *n.labeled;
    if (l.position_id.empty()) {
      const std::string title = plain_text(n.title);
      l.position_id = unique_position(n.type == NodeType::Provision ? position_id_for_provision(l.kind, l.number)
                                                                     : position_id_for_section(l.number, title),
                                      n.loc);
    } else {
      positions.insert(l.position_id);
    }
    if (l.label.empty() && n.type == NodeType::Provision) l.label = default_label(l.kind, l.number);
    if (l.id.empty()) l.id = new_id(l.position_id);
    return true;
  });
  std::map<std::string, std::string> by_position;
  for (const Definition& d : doc.definitions) by_position.emplace(d.position_id, d.id);
  walk_mutable(doc.body, [&](Node& n, int) {
    if (n.labeled) by_position.emplace(n.labeled->position_id, n.labeled->id);
    return reference_may_hold_labeled(n.type);
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

// Every identity field and reference target of a document, in document order.
std::string identity_dump(const Document& doc) {
  std::string out;
  const auto dump = [&](const Node& n, int depth, const Node*) {
    out += std::string(static_cast<size_t>(depth), ' ') + std::to_string(static_cast<int>(n.type));
    if (n.labeled) out += " id=" + n.labeled->id + " pos=" + n.labeled->position_id + " label=" + n.labeled->label;
    if (!n.target.empty()) out += " target=" + n.target;
    out += '\n';
    return true;
  };
  for (const Definition& d : doc.definitions) {
    out += "def id=" + d.id + " pos=" + d.position_id + " label=" + d.label + '\n';
    walk(d.explanation, dump);
  }
  for (const KeywordUsage& k : doc.word_usage) walk(k.explanation, dump);
  walk(doc.body, dump);
  return out;
}

// Random documents for the comparison: repeated, unclean, empty and very long numbers, ids and
// positional ids already present (some of them the permanent id another node would get, so that
// later attempts are needed), sections and provisions where identity is not given (furniture,
// paragraphs, labeled inline nodes), and references by positional id, permanent id or neither.
struct DocumentGenerator {
  std::mt19937 rng;
  std::string work = "w", edition = "1";

  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); }
  template <class T>
  const T& pick_of(const std::vector<T>& v) { return v[pick(v.size())]; }

  std::string number() {
    static const std::vector<std::string> numbers = {"1", "1", "2", "1.1", "1.1", "1.2", "IIa.3", "", "", "1..2",
                                                     "a b", ".1", "1.", "x", std::string(70, '7'),
                                                     std::string(64, 'a'), "1.1_2", "\xC3\xA9", "-"};
    return pick_of(numbers);
  }
  std::string target() {
    static const std::vector<std::string> plain = {"term-protocol", "term-team", "section-1", "section-2",
                                                   "standard-1", "standard-1.1", "standard-1.1_2",
                                                   "guideline-1.1", "recommendation-x", "unknown", "nkkeep000000"};
    if (pick(4) == 0) return permanent_id(work, edition, pick_of(plain), static_cast<int>(pick(2)));
    return pick_of(plain);
  }
  void maybe_preset(Labeled& l) {
    if (pick(5) == 0) l.id = pick(2) ? "nkkeep000000" : permanent_id(work, edition, "standard-1", static_cast<int>(pick(3)));
    if (pick(6) == 0) l.position_id = pick(2) ? "standard-1" : "section-1";
    if (pick(6) == 0) l.label = "Kept";
  }
  std::vector<Node> inlines(int depth) {
    std::vector<Node> out;
    const size_t count = pick(4);
    for (size_t i = 0; i < count; ++i) {
      switch (pick(6)) {
        case 0: case 1: out.push_back(Node::make_text("some text ")); break;
        case 2: { Node t(NodeType::TermRef); t.target = target(); t.children.push_back(Node::make_text("term")); out.push_back(std::move(t)); break; }
        case 3: { Node x(NodeType::XRef); x.target = target(); out.push_back(std::move(x)); break; }
        case 4: {
          Node e(NodeType::Emphasis);
          if (depth < 4) e.children = inlines(depth + 1);
          out.push_back(std::move(e));
          break;
        }
        default: {
          // A labeled inline node: no reader makes one, but it must not change what others get.
          Node odd = Node::make_provision(ProvisionKind::Standard, number(), "");
          odd.type = NodeType::Strong;
          maybe_preset(*odd.labeled);
          out.push_back(std::move(odd));
        }
      }
    }
    return out;
  }
  Node block(int depth) {
    const size_t kind = depth >= 5 ? 6 + pick(2) : pick(10);
    switch (kind) {
      case 0: case 1: {
        Node s = Node::make_section(number(), "");
        maybe_preset(*s.labeled);
        s.title = pick(3) ? std::vector<Node>{Node::make_text(pick(2) ? "Goal Statement" : "Scope")} : inlines(0);
        s.children = blocks(depth + 1);
        return s;
      }
      case 2: case 3: {
        static const std::vector<ProvisionKind> kinds = {ProvisionKind::Standard, ProvisionKind::Guideline,
                                                         ProvisionKind::Recommendation, ProvisionKind::Essential,
                                                         ProvisionKind::Requirement};
        Node p = Node::make_provision(pick_of(kinds), number(), "");
        maybe_preset(*p.labeled);
        if (pick(3) == 0) p.title = inlines(0);
        p.children = blocks(depth + 1);
        return p;
      }
      case 4: {
        Node list(NodeType::List);
        for (size_t i = pick(3); i > 0; --i) {
          Node item(NodeType::ListItem);
          item.children = blocks(depth + 2);
          list.children.push_back(std::move(item));
        }
        return list;
      }
      case 5: {
        static const std::vector<NodeType> holders = {NodeType::Note, NodeType::Scope, NodeType::Furniture, NodeType::Table};
        Node holder(pick_of(holders));
        holder.children = blocks(depth + 1);
        return holder;
      }
      case 6: {
        // A paragraph that (wrongly) carries identity, or holds a labeled node.
        Node p = Node::make_paragraph(inlines(0));
        if (pick(4) == 0) {
          p.labeled = std::make_unique<Labeled>();
          maybe_preset(*p.labeled);
        }
        return p;
      }
      default:
        return Node::make_paragraph(inlines(0));
    }
  }
  std::vector<Node> blocks(int depth) {
    std::vector<Node> out;
    for (size_t i = pick(depth == 0 ? 6 : 4); i > 0; --i) out.push_back(block(depth));
    return out;
  }
  Document document() {
    Document doc;
    doc.work = work;
    doc.edition = edition;
    for (size_t i = pick(4); i > 0; --i) {
      Definition d;
      static const std::vector<std::string> terms = {"Protocol", "Team", "Protocol", "", "\xC3\x89quipe"};
      d.term = pick_of(terms);
      if (pick(5) == 0) d.id = pick(2) ? "nkkeep000000" : permanent_id(work, edition, "term-protocol");
      if (pick(6) == 0) d.position_id = "term-team";
      if (pick(2)) d.explanation.push_back(Node::make_paragraph(inlines(0)));
      doc.definitions.push_back(std::move(d));
    }
    if (pick(2)) {
      KeywordUsage k;
      k.word = "shall";
      k.explanation.push_back(Node::make_paragraph(inlines(0)));
      doc.word_usage.push_back(std::move(k));
    }
    doc.body = blocks(0);
    return doc;
  }
};

std::string diagnostics_dump(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags.all()) out += d.code + ": " + d.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("permanent ids are what the plain computation gives", "[ids]") {
  // Two digits per table look-up in the implementation; one at a time here.
  for (int i = 0; i < 5000; ++i) {
    const std::string work = "work-" + std::to_string(i % 7), edition = std::to_string(1990 + i % 31);
    const std::string pos = (i % 3 ? "standard-" : "section-") + std::to_string(i) + std::string(static_cast<size_t>(i % 40), 'x');
    const int attempt = i % 5 == 0 ? i % 12 : 0;
    CHECK(permanent_id(work, edition, pos, attempt) == reference_permanent_id(work, edition, pos, attempt));
  }
}

TEST_CASE("assign_identity gives what the plain reference gives on generated documents", "[ids]") {
  // One walk collects the work in the implementation; the reference walks once per concern.
  DocumentGenerator generator{std::mt19937(20261125)};
  size_t with_warnings = 0, resolved = 0;
  for (int i = 0; i < 3000; ++i) {
    Document doc = generator.document();
    Document expected = doc;
    Diagnostics diags, expected_diags;
    assign_identity(doc, &diags);
    reference_assign_identity(expected, &expected_diags);
    INFO("document " << i);
    const std::string dump = identity_dump(doc);
    REQUIRE(dump == identity_dump(expected));
    REQUIRE(diagnostics_dump(diags) == diagnostics_dump(expected_diags));
    with_warnings += !diags.all().empty();
    resolved += dump.find("target=nk") != std::string::npos;
  }
  // The generator reaches the cases it is for.
  CHECK(with_warnings > 100);
  CHECK(resolved > 100);
}

TEST_CASE("positional ids and labels of clean numbers of every length are the kind's name and the number", "[ids]") {
  // Both are built with the kind's name padded to a fixed size and short numbers copied by
  // overlapping moves; the reference is plain concatenation.
  const std::vector<ProvisionKind> kinds = {ProvisionKind::Standard, ProvisionKind::Guideline,
                                            ProvisionKind::Recommendation, ProvisionKind::Essential,
                                            ProvisionKind::Requirement};
  const std::string digits = "1234567890aBcDeFgHiJkLmNoPqRsTuVwXyZ";
  for (const ProvisionKind kind : kinds) {
    CHECK(default_label(kind, "") == std::string(display_name(kind)));
    for (size_t length = 1; length <= 64; ++length) {
      std::string number;
      for (size_t i = 0; i < length; ++i) number += (i % 3 == 2 && i + 1 < length) ? '.' : digits[(i * 7 + length) % digits.size()];
      INFO("number " << number);
      CHECK(position_id_for_provision(kind, number) == std::string(to_string(kind)) + "-" + number);
      CHECK(default_label(kind, number) == std::string(display_name(kind)) + " " + number);
    }
  }
}
