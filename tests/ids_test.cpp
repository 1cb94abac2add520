#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>

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
