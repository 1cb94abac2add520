#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <unordered_set>

#include "core/editions.h"
#include "core/ids.h"
#include "core/xml_reader.h"
#include "core/xml_writer.h"
#include "test_support.h"

using namespace normkit;
namespace t = normkit::test;

namespace {

Document sample() {
  Diagnostics diags;
  std::optional<Document> doc =
      read_canonical_xml(t::slurp(t::repo_path("corpus/sample-perfusion-practice/2017.xml")), diags);
  REQUIRE(doc);
  return *doc;
}

// The next edition as a fresh ingest would give it: no ids at all.
Document strip_ids(Document doc, const std::string& edition) {
  doc.edition = edition;
  for (Definition& d : doc.definitions) d.id.clear();
  walk_mutable(doc.body, [](Node& n, int) {
    if (n.labeled) {
      n.labeled->id.clear();
      n.labeled->position_id.clear();
    }
    return true;
  });
  return doc;
}

Node* provision(Document& doc, const std::string& position_id) {
  Node* found = nullptr;
  walk_mutable(doc.body, [&](Node& n, int) {
    if (n.type == NodeType::Provision && n.labeled->position_id == position_id) found = &n;
    return found == nullptr;
  });
  REQUIRE(found);
  return found;
}

std::unordered_set<std::string> all_ids(const Document& doc) {
  std::unordered_set<std::string> ids;
  for (const Definition& d : doc.definitions) ids.insert(d.id);
  walk(doc.body, [&](const Node& n, int, const Node*) {
    if (n.labeled) ids.insert(n.labeled->id);
    return true;
  });
  return ids;
}

const Change& find_change(const std::vector<Change>& changes, ChangeKind kind, const std::string& label) {
  for (const Change& c : changes)
    if (c.kind == kind && (c.new_label == label || (kind == ChangeKind::Removed && c.old_label == label))) return c;
  FAIL("no " << to_string(kind) << " change for " << label);
  return changes.front();
}

}  // namespace

TEST_CASE("an unchanged edition keeps every permanent id", "[editions]") {
  const Document old_doc = sample();
  Document next = strip_ids(old_doc, "2019");
  Diagnostics diags;
  carry_identity(old_doc, next, diags);
  CHECK(all_ids(next) == all_ids(old_doc));
  // Term mentions and cross-references point at the carried ids.
  Document expected = old_doc;
  expected.edition = "2019";
  CHECK(write_canonical_xml(next) == write_canonical_xml(expected));
  const auto changes = diff_editions(old_doc, next);
  for (const Change& c : changes) CHECK(c.kind == ChangeKind::Unchanged);
}

TEST_CASE("renumbered, edited, moved, added and removed provisions", "[editions]") {
  const Document old_doc = sample();
  const std::string id_11 = provision(const_cast<Document&>(old_doc), "standard-1.1")->labeled->id;
  const std::string id_12 = provision(const_cast<Document&>(old_doc), "standard-1.2")->labeled->id;
  const std::string id_21 = provision(const_cast<Document&>(old_doc), "standard-2.1")->labeled->id;
  const std::string id_g21 = provision(const_cast<Document&>(old_doc), "guideline-2.1")->labeled->id;

  Document next = old_doc;
  next.edition = "2019";
  Node& section1 = next.body[3];
  REQUIRE(section1.labeled->number == "1");
  // Standard 1.1 is removed; 1.2 becomes 1.1 and is edited.
  section1.children.erase(section1.children.begin());
  Node& s12 = section1.children[0];
  s12.labeled->number = "1.1";
  s12.labeled->label = "Standard 1.1";
  s12.children[0].children.push_back(Node::make_text(" Edited."));
  // Standard 2.1 is only renumbered (to 2.2); a new standard 2.1 is added before it.
  Node& section2 = next.body[4];
  section2.children[0].labeled->number = "2.2";
  section2.children[0].labeled->label = "Standard 2.2";
  Node added = Node::make_provision(ProvisionKind::Standard, "2.1", "Standard 2.1");
  added.children.push_back(Node::make_paragraph({Node::make_text("Every program shall run a drill each quarter.")}));
  section2.children.insert(section2.children.begin(), std::move(added));
  // Guideline 2.1 gets a new class? Guidelines are not graded: change its text slightly instead.
  Node& g21 = section2.children.back();
  g21.children[0].children.push_back(Node::make_text(" Keep a copy."));
  next = strip_ids(next, "2019");

  Diagnostics diags;
  carry_identity(old_doc, next, diags);
  CHECK(provision(next, "standard-1.1")->labeled->id == id_12);  // edited and renumbered: keeps its id
  CHECK(provision(next, "standard-2.2")->labeled->id == id_21);  // renumbered: keeps its id
  CHECK(provision(next, "guideline-2.1")->labeled->id == id_g21);
  const std::string new_21 = provision(next, "standard-2.1")->labeled->id;
  CHECK(all_ids(old_doc).count(new_21) == 0);  // a new provision never gets an old id
  CHECK(all_ids(next).count(id_11) == 0);      // the removed provision's id is retired

  const auto changes = diff_editions(old_doc, next);
  CHECK(find_change(changes, ChangeKind::Changed, "Standard 1.1").old_label == "Standard 1.2");
  CHECK(find_change(changes, ChangeKind::Renumbered, "Standard 2.2").old_position_id == "standard-2.1");
  CHECK(find_change(changes, ChangeKind::Added, "Standard 2.1").new_text.find("drill") != std::string::npos);
  CHECK(find_change(changes, ChangeKind::Removed, "Standard 1.1").id == id_11);
  CHECK(find_change(changes, ChangeKind::Changed, "Guideline 2.1").new_text.find("Keep a copy.") != std::string::npos);
}

TEST_CASE("a re-ingest of the same edition never hands a retired id to a new node", "[editions]") {
  // Same work and edition: the hash of (work, edition, position) would give the new Standard 1.1
  // exactly the id of the removed one.
  const Document old_doc = sample();
  Document next = old_doc;
  Node& first = next.body[3].children[0];
  REQUIRE(first.labeled->position_id == "standard-1.1");
  first.children[0].children = {Node::make_text("Completely different wording about staffing levels.")};
  next = strip_ids(next, old_doc.edition);
  Diagnostics diags;
  carry_identity(old_doc, next, diags);
  const std::string old_id = provision(const_cast<Document&>(old_doc), "standard-1.1")->labeled->id;
  CHECK(provision(next, "standard-1.1")->labeled->id != old_id);
  CHECK(all_ids(old_doc).count(provision(next, "standard-1.1")->labeled->id) == 0);
}

TEST_CASE("a change of class or level is a change", "[editions]") {
  Diagnostics diags;
  std::optional<Document> old_doc =
      read_canonical_xml(t::slurp(t::repo_path("corpus/sample-temperature-cpg/2015.xml")), diags);
  REQUIRE(old_doc);
  Document next = *old_doc;
  Node* rec = provision(next, "recommendation-3");
  rec->labeled->cls = "I";
  rec->labeled->level = "A";
  const auto changes = diff_editions(*old_doc, next);
  const Change& c = find_change(changes, ChangeKind::Changed, "Recommendation 3");
  CHECK(c.old_grade == "Class IIa, Level B-R");
  CHECK(c.new_grade == "Class I, Level A");
}

TEST_CASE("normkit diff prints the changes and can signal them in the exit code", "[editions][cli]") {
  t::TempDir dir;
  const std::string old_path = t::repo_path("corpus/sample-perfusion-practice/2017.xml").string();
  std::string edited = t::slurp(old_path);
  const std::string from = "reviewed at least every two years;";
  edited.replace(edited.find(from), from.size(), "reviewed every year;");
  t::spit(dir / "2019.xml", edited);
  auto same = t::run({"diff", "--exit-code", old_path, old_path});
  CHECK(same.code == 0);
  CHECK(same.out.find("0 changed, 0 added, 0 removed, 0 renumbered") != std::string::npos);
  auto r = t::run({"diff", "--exit-code", old_path, (dir / "2019.xml").string()});
  CHECK(r.code == 1);
  CHECK(r.out.find("changed    Standard 1.2") != std::string::npos);
  CHECK(r.out.find("  + The protocols shall be: reviewed every year;") != std::string::npos);
  auto j = t::run({"diff", "--format", "json", old_path, (dir / "2019.xml").string()});
  CHECK(j.code == 0);
  const auto json = nlohmann::json::parse(j.out);
  REQUIRE(json["changes"].size() == 1);
  CHECK(json["changes"][0]["change"] == "changed");
  CHECK(json["changes"][0]["new_position_id"] == "standard-1.2");
  CHECK(t::run({"diff", old_path}).code == 2);
  CHECK(t::run({"diff", old_path, "/nonexistent.xml"}).code == 3);
}

TEST_CASE("normkit ingest --previous keeps the previous edition's permanent ids", "[editions][cli]") {
  t::TempDir dir;
  const std::string source = t::slurp(t::repo_path("corpus/sources/example-standards-2021.txt"));
  auto first = t::run({"ingest", t::repo_path("corpus/sources/example-standards-2021.txt").string(), "--work",
                       "example-circuit-care", "--edition", "2021", "-o", (dir / "2021.xml").string()});
  REQUIRE(first.code == 0);
  // The next edition: Standard 1.1 disappears, so 1.2 becomes 1.1 with the same wording.
  std::string next = source;
  const size_t s11 = next.find("Standard 1.1:");
  REQUIRE(s11 != std::string::npos);
  next.erase(s11, next.find("\n\n", s11) + 2 - s11);
  const size_t s12 = next.find("Standard 1.2:");
  REQUIRE(s12 != std::string::npos);
  next.replace(s12, 13, "Standard 1.1:");
  t::spit(dir / "2023.txt", next);
  auto second = t::run({"ingest", (dir / "2023.txt").string(), "--edition", "2023", "--previous",
                        (dir / "2021.xml").string(), "-o", (dir / "2023.xml").string()});
  REQUIRE(second.code == 0);
  Diagnostics diags;
  std::optional<Document> old_doc = read_canonical_xml(t::slurp(dir / "2021.xml"), diags);
  std::optional<Document> new_doc = read_canonical_xml(t::slurp(dir / "2023.xml"), diags);
  REQUIRE(old_doc);
  REQUIRE(new_doc);
  CHECK(new_doc->work == "example-circuit-care");  // taken from the previous edition
  CHECK(provision(*new_doc, "standard-1.1")->labeled->id == provision(*old_doc, "standard-1.2")->labeled->id);
  CHECK(provision(*new_doc, "guideline-1.1")->labeled->id == provision(*old_doc, "guideline-1.1")->labeled->id);
  CHECK(all_ids(*new_doc).count(provision(*old_doc, "standard-1.1")->labeled->id) == 0);
  auto d = t::run({"diff", (dir / "2021.xml").string(), (dir / "2023.xml").string()});
  CHECK(d.out.find("renumbered Standard 1.1 (was Standard 1.2)") != std::string::npos);
  CHECK(d.out.find("removed    Standard 1.1") != std::string::npos);
  // A previous edition that is not a valid document stops the ingest.
  t::spit(dir / "bad.xml", "<document/>");
  CHECK(t::run({"ingest", (dir / "2023.txt").string(), "--previous", (dir / "bad.xml").string()}).code == 1);
  CHECK(t::run({"ingest", (dir / "2023.txt").string(), "--previous", (dir / "missing.xml").string()}).code == 3);
}
