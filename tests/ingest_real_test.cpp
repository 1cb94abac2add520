// What the recognizer finds in the real published texts of ../shared/corpus/real (test inputs
// only: nothing of them is copied into the repository). Tagged [real]: see tests/CMakeLists.txt.
#include <catch2/catch.hpp>

#include <algorithm>

#include "ingest_support.h"

using namespace normkit;
using namespace normkit::test;

namespace {

Ingested ingest_real(const std::string& name) {
  Ingested r = ingest_bytes(slurp(real_corpus_path(name)), name);
  REQUIRE(r.doc);
  CHECK(r.valid);
  return r;
}

std::string classes_of(const std::vector<const Node*>& ps) {
  std::string s;
  for (const Node* p : ps) s += (s.empty() ? "" : " ") + (p->labeled->cls.empty() ? "-" : p->labeled->cls);
  return s;
}
std::string levels_of(const std::vector<const Node*>& ps) {
  std::string s;
  for (const Node* p : ps) s += (s.empty() ? "" : " ") + (p->labeled->level.empty() ? "-" : p->labeled->level);
  return s;
}
size_t provisions_in(const Node& section) {
  size_t n = 0;
  for (const Node& c : section.children) n += c.type == NodeType::Provision;
  return n;
}
const Organization* org(const CatalogEntry& e, const std::string& abbrev) {
  for (const Organization& o : e.organizations)
    if (o.abbrev == abbrev) return &o;
  return nullptr;
}
std::vector<FurnitureKind> furniture_kinds(const Document& doc) {
  std::vector<FurnitureKind> kinds;
  for (const Node& n : doc.body)
    if (n.type == NodeType::Furniture) kinds.push_back(n.furniture);
  return kinds;
}

}  // namespace

TEST_CASE("founding page: catalog, definitions, word usage, scope, furniture", "[real][ingest]") {
  Ingested r = ingest_real("amsect-standards-and-guidelines-page.txt");
  const Document& doc = *r.doc;
  CHECK(doc.type == DocType::Catalog);
  CHECK(plain_text(doc.meta.title) == "Standards and Clinical Practice Guidelines");

  // Catalog: 7 publications, 3 AmSECT + 4 joint, years in order.
  REQUIRE(doc.catalog.size() == 7);
  std::string years;
  size_t sg = 0, cpg = 0;
  for (const CatalogEntry& e : doc.catalog) {
    years += e.year + " ";
    sg += e.kind == CatalogKind::StandardsAndGuidelines;
    cpg += e.kind == CatalogKind::ClinicalPracticeGuideline;
    CHECK(plain_text(e.title).find("--") == std::string::npos);
    CHECK(plain_text(e.title).find("(20") == std::string::npos);
  }
  CHECK(years == "2017 2017 2019 2018 2015 2014 2011 ");
  CHECK(sg == 3);
  CHECK(cpg == 4);
  // The '*' endorsement belongs to the perfusion practice entry, and only to it.
  CHECK(plain_text(doc.catalog[0].title) == "AmSECT Standards and Guidelines For Perfusion Practice");
  CHECK(plain_text(doc.catalog[0].endorsement) == "Endorsed by the American Association for Thoracic Surgery");
  for (size_t i = 1; i < 7; ++i) CHECK(doc.catalog[i].endorsement.empty());
  REQUIRE(std::any_of(doc.catalog[0].organizations.begin(), doc.catalog[0].organizations.end(),
                      [](const Organization& o) {
                        return o.role == OrgRole::Endorser && o.name == "American Association for Thoracic Surgery";
                      }));
  // Joint entries: STS and SCA co-authors with their full names, AmSECT author; prefix and '--' gone.
  CHECK(plain_text(doc.catalog[3].title) == "Clinical Practice Guidelines: Anticoagulation During Cardiopulmonary Bypass");
  CHECK(plain_text(doc.catalog[6].title) == "Blood Conservation");
  for (size_t i = 3; i < 7; ++i) {
    const CatalogEntry& e = doc.catalog[i];
    const Organization* sts = org(e, "STS");
    const Organization* sca = org(e, "SCA");
    const Organization* amsect = org(e, "AmSECT");
    REQUIRE(sts);
    REQUIRE(sca);
    REQUIRE(amsect);
    CHECK(sts->role == OrgRole::CoAuthor);
    CHECK(sts->name == "Society of Thoracic Surgeons");
    CHECK(sca->role == OrgRole::CoAuthor);
    CHECK(sca->name == "Society of Cardiovascular Anesthesiologists");
    CHECK(amsect->role == OrgRole::Author);
  }
  for (size_t i = 0; i < 3; ++i) CHECK(org(doc.catalog[i], "STS") == nullptr);

  // The three definitions, then Surgical Care Team under Word Usage.
  REQUIRE(doc.definitions.size() == 4);
  CHECK(doc.definitions[0].term == "Standard");
  CHECK(doc.definitions[1].term == "Guideline");
  CHECK(doc.definitions[2].term == "Protocol");
  CHECK(doc.definitions[3].term == "Surgical Care Team");
  CHECK(doc.definitions[3].origin_line == 46);
  // Word usage from the document: Shall → mandatory, Should → recommendation.
  REQUIRE(doc.word_usage.size() >= 2);
  CHECK(doc.word_usage[0].word == "shall");
  CHECK(doc.word_usage[0].force == Force::Mandatory);
  CHECK(doc.word_usage[0].from_document);
  CHECK(doc.word_usage[1].word == "should");
  CHECK(doc.word_usage[1].force == Force::Recommended);
  CHECK(doc.word_usage[1].from_document);

  // Scope note.
  const auto scopes = nodes_of(doc.body, NodeType::Scope);
  REQUIRE(scopes.size() == 1);
  std::string scope_text;
  for (const Node* p : nodes_of(scopes[0]->children, NodeType::Paragraph)) scope_text += plain_text(p->children);
  CHECK(scope_text.find("supersede") != std::string::npos);

  // Furniture kept and marked; the membership "shall" is not a keyword of the document.
  CHECK(furniture_kinds(doc) == std::vector<FurnitureKind>{FurnitureKind::Contact, FurnitureKind::Membership,
                                                            FurnitureKind::Employment, FurnitureKind::Contact,
                                                            FurnitureKind::Copyright});
  for (const Node& n : doc.body)
    if (n.type == NodeType::Furniture) CHECK(nodes_of(n.children, NodeType::Keyword).empty());
  // The membership text keeps its "shall" as plain text; the contact address stays one paragraph
  // with its line breaks.
  for (const Node& n : doc.body) {
    if (n.type != NodeType::Furniture) continue;
    std::string text;
    for (const Node* p : nodes_of(n.children, NodeType::Paragraph)) text += plain_text(p->children) + "\n";
    if (n.furniture == FurnitureKind::Membership) CHECK(text.find(" shall ") != std::string::npos);
  }
  const auto contact = std::find_if(doc.body.rbegin(), doc.body.rend(), [](const Node& n) {
    return n.type == NodeType::Furniture && n.furniture == FurnitureKind::Contact;
  });
  REQUIRE(contact != doc.body.rend());
  CHECK(nodes_of(contact->children, NodeType::LineBreak).size() == 3);
  // Terms are linked in the body (the scope mentions the Standards and Guidelines).
  CHECK(!nodes_of(scopes[0]->children, NodeType::TermRef).empty());
}

TEST_CASE("perfusion 2017 page: dated title, goal statement", "[real][ingest]") {
  Ingested r = ingest_real("amsect-perfusion-2017-excerpt-01.txt");
  const Document& doc = *r.doc;
  CHECK(plain_text(doc.meta.title) ==
        "American Society of ExtraCorporeal Technology Standards and Guidelines For Perfusion Practice");
  CHECK(plain_text(doc.meta.subtitle) == "Perfusion Practice Guidelines");
  REQUIRE(doc.meta.dates.size() == 1);
  CHECK(doc.meta.dates[0].value == "2017-05-23");
  CHECK(doc.edition == "2017");
  const auto sections = nodes_of(doc.body, NodeType::Section);
  REQUIRE(sections.size() == 1);
  CHECK(plain_text(sections[0]->title) == "Goal Statement");
}

TEST_CASE("MCS PDF text: running heads, wrapped lines, page number", "[real][ingest]") {
  Ingested r = ingest_real("amsect-mcs-2017-excerpt-01.txt");
  const Document& doc = *r.doc;
  const std::string title = "American Society of ExtraCorporeal Technology Standards and Guidelines";
  CHECK(plain_text(doc.meta.title) == title);
  CHECK(r.has("running-head"));
  CHECK(r.has("page-number"));
  CHECK(r.has("wrapped-lines"));
  // The title is not repeated in the body, no paragraph is a lone page number.
  std::string body;
  for (const Node* p : nodes_of(doc.body, NodeType::Paragraph)) {
    body += plain_text(p->children) + "\n";
    CHECK(plain_text(p->children) != "1");
  }
  CHECK(body.find(title) == std::string::npos);
  const auto sections = nodes_of(doc.body, NodeType::Section);
  REQUIRE(sections.size() == 2);
  CHECK(plain_text(sections[0]->title) == "Goal Statement");
  CHECK(plain_text(sections[1]->title) == "Approach");
  // Each section's wrapped lines became one paragraph.
  CHECK(nodes_of(sections[0]->children, NodeType::Paragraph).size() == 1);
  CHECK(nodes_of(sections[1]->children, NodeType::Paragraph).size() == 1);
  CHECK(nodes_of(doc.body, NodeType::Paragraph).size() == 3);
}

TEST_CASE("legacy Essential XIV: shall-statement, practice guidelines, nested item, cross-reference",
          "[real][ingest]") {
  Ingested r = ingest_real("amsect-essentials-legacy-excerpt-01.txt");
  const Document& doc = *r.doc;
  CHECK(doc.type == DocType::StandardsAndGuidelines);
  const auto essentials = provisions(doc, ProvisionKind::Essential);
  REQUIRE(essentials.size() == 1);
  CHECK(essentials[0]->labeled->number == "XIV");
  CHECK(essentials[0]->labeled->label == "Essential XIV");
  CHECK(!nodes_of(essentials[0]->children, NodeType::Keyword).empty());
  const auto guidelines = provisions(doc, ProvisionKind::Guideline);
  CHECK(numbers_of(guidelines) == "XIV.1 XIV.2 XIV.3 XIV.4 XIV.5 XIV.6 XIV.7 XIV.8");
  // The nested "1." sits in guideline 3 as a numbered list.
  REQUIRE(guidelines.size() == 8);
  const auto lists = nodes_of(guidelines[2]->children, NodeType::List);
  REQUIRE(lists.size() == 1);
  REQUIRE(lists[0]->children.size() == 1);
  CHECK(lists[0]->children[0].text == "1");
  for (size_t i = 0; i < 8; ++i)
    if (i != 2) CHECK(nodes_of(guidelines[i]->children, NodeType::List).empty());
  // "refer to Essential I" names an Essential this excerpt does not hold: kept as text, reported.
  CHECK(r.has("unresolved-reference"));
  CHECK(r.xml.find("(refer to Essential I; a-c)") != std::string::npos);
  // Provenance lines are metadata, not content.
  REQUIRE(doc.meta.sources.size() == 1);
  CHECK(doc.meta.sources[0].url.rfind("http://", 0) == 0);
  CHECK(r.xml.find("# source") == std::string::npos);
  CHECK(r.xml.find("fidelity") == std::string::npos);
}

TEST_CASE("checklist page: navigation, form field, group headings", "[real][ingest]") {
  Ingested r = ingest_real("amsect-perfusion-checklist-excerpt-01.txt");
  const Document& doc = *r.doc;
  CHECK(doc.type == DocType::Checklist);
  CHECK(plain_text(doc.meta.title) == "Perfusion Checklist");
  REQUIRE(!doc.body.empty());
  CHECK(doc.body[0].type == NodeType::Furniture);
  CHECK(doc.body[0].furniture == FurnitureKind::Navigation);
  size_t nav_items = 0;
  for (const Node* l : nodes_of(doc.body[0].children, NodeType::List)) nav_items += l->children.size();
  CHECK(nav_items == 17);  // two lines each hold two entries joined by " - "; one entry wraps
  CHECK(nodes_of(doc.body[0].children, NodeType::List).size() == 1);
  CHECK(r.count("navigation-continued") == 1);
  CHECK(r.count("navigation-split") == 2);
  const auto kinds = furniture_kinds(doc);
  CHECK(std::count(kinds.begin(), kinds.end(), FurnitureKind::Form) == 1);
  std::string headings;
  for (const Node* s : nodes_of(doc.body, NodeType::Section)) headings += plain_text(s->title) + "|";
  CHECK(headings == "PATIENT|STERILITY/CLEANLINESS|PUMP|ELECTRICAL|CARDIOPLEGIA|GAS SUPPLY|COMPONENTS|");
  // Checklist items stay one per line: no item is glued to the next.
  for (const Node* p : nodes_of(doc.body, NodeType::Paragraph)) {
    const std::string t = plain_text(p->children);
    if (t.size() < 70) CHECK(t.find("verified ") == std::string::npos);
  }
  CHECK(nodes_of(doc.body, NodeType::Section)[2]->children.size() == 8);  // PUMP: 8 items
}

TEST_CASE("clinical resources page: CPG catalog with prefixes, protocol list", "[real][ingest]") {
  Ingested r = ingest_real("amsect-clinical-resources-excerpt-02.txt");
  const Document& doc = *r.doc;
  CHECK(doc.type == DocType::Catalog);
  std::string cpg_years;
  size_t protocols = 0;
  for (const CatalogEntry& e : doc.catalog) {
    if (e.kind == CatalogKind::ClinicalPracticeGuideline) cpg_years += e.year + " ";
    if (e.kind == CatalogKind::Protocol) {
      ++protocols;
      CHECK(e.year.empty());
    }
    CHECK(plain_text(e.title).find("--") == std::string::npos);
    CHECK(plain_text(e.title).find("STS/") == std::string::npos);
  }
  CHECK(cpg_years == "2021 2018 2015 2014 2011 ");
  CHECK(protocols == 8);
  REQUIRE(doc.catalog.size() == 13);
  CHECK(org(doc.catalog[0], "SABM") != nullptr);
  CHECK(org(doc.catalog[0], "STS")->role == OrgRole::CoAuthor);
  CHECK(plain_text(doc.catalog[0].title) == "Update to the Clinical Practice Guidelines on Patient Blood Management");
}

TEST_CASE("temperature CPG abstract: class headings and annotations", "[real][ingest]") {
  Ingested r = ingest_real("sts-sca-amsect-temperature-2015-excerpt-01.txt");
  const Document& doc = *r.doc;
  CHECK(doc.type == DocType::ClinicalPracticeGuideline);
  const auto recs = provisions(doc, ProvisionKind::Recommendation);
  CHECK(recs.size() == 6);
  CHECK(classes_of(recs) == "I I I I I IIa");
  CHECK(levels_of(recs) == "C C C C C C");
  CHECK(numbers_of(recs) == "1 2 3 4 5 6");
  // Grouped under their class headings, which agree with the annotations.
  const auto sections = nodes_of(doc.body, NodeType::Section);
  REQUIRE(sections.size() == 3);
  CHECK(plain_text(sections[0]->title) == "Abstract");
  CHECK(provisions_in(*sections[1]) == 5);
  CHECK(provisions_in(*sections[2]) == 1);
  CHECK(r.count("class-heading") == 2);
  CHECK(!r.has("class-conflicts-heading"));
  // Annotations leave the text: they live in class/level.
  CHECK(r.xml.find("(Class I, Level C)") == std::string::npos);
  CHECK(!r.has("unannotated-recommendation"));
}

TEST_CASE("temperature CPG on an aggregator: LOE-first annotations, id lines, unannotated item, lead-in",
          "[real][ingest]") {
  Ingested r = ingest_real("sts-sca-amsect-temperature-2015-excerpt-02.txt");
  const Document& doc = *r.doc;
  CHECK(doc.type == DocType::ClinicalPracticeGuideline);
  const auto recs = provisions(doc, ProvisionKind::Recommendation);
  CHECK(recs.size() == 8);
  CHECK(classes_of(recs) == "I I I I - IIa - IIa");
  CHECK(levels_of(recs) == "C C C C - C - C");
  // The unannotated item and the lead-in are kept and reported.
  CHECK(r.count("unannotated-recommendation") == 2);
  REQUIRE(recs.size() == 8);
  const auto lead_in_lists = nodes_of(recs[6]->children, NodeType::List);
  REQUIRE(lead_in_lists.size() == 1);
  CHECK(lead_in_lists[0]->children.size() == 2);
  // Metadata lines became dates; id lines are separators, not content.
  REQUIRE(doc.meta.dates.size() == 2);
  CHECK(doc.meta.dates[0].type == DateType::Published);
  CHECK(doc.meta.dates[0].value == "2015-08-01");
  CHECK(doc.meta.dates[1].type == DateType::Updated);
  CHECK(doc.meta.dates[1].value == "2022-03-14");
  CHECK(doc.edition == "2015");
  CHECK(r.has("id-line"));
  CHECK(r.xml.find("316232") == std::string::npos);
  CHECK(r.xml.find("Publication Date") == std::string::npos);
  CHECK(r.count("grading-normalized") == 6);
}

TEST_CASE("blood conservation abstract: bibliographic header, glued sentences", "[real][ingest]") {
  Ingested r = ingest_real("sts-sca-amsect-blood-conservation-2011-excerpt-02.txt");
  const Document& doc = *r.doc;
  const std::string title = plain_text(doc.meta.title);
  CHECK(title.rfind("2011 Update to The Society of Thoracic Surgeons", 0) == 0);
  CHECK(title.find("ANNALS") == std::string::npos);
  const auto notes = nodes_of(doc.body, NodeType::Note);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]->text == "citation");
  CHECK(r.has("glued-sentence"));
  CHECK(r.xml.find("2007.The") == std::string::npos);
  CHECK(r.xml.find("2007. The") != std::string::npos);
  CHECK(doc.edition == "2011");
}

TEST_CASE("every real text ingests to a valid, deterministic document", "[real][ingest]") {
  for (const char* name :
       {"amsect-standards-and-guidelines-page.txt", "amsect-perfusion-2017-excerpt-01.txt",
        "amsect-mcs-2017-excerpt-01.txt", "amsect-essentials-legacy-excerpt-01.txt",
        "amsect-perfusion-checklist-excerpt-01.txt", "amsect-clinical-resources-excerpt-02.txt",
        "sts-sca-amsect-temperature-2015-excerpt-01.txt", "sts-sca-amsect-temperature-2015-excerpt-02.txt",
        "sts-sca-amsect-blood-conservation-2011-excerpt-02.txt"}) {
    INFO(name);
    Ingested a = ingest_real(name);
    Ingested b = ingest_bytes(slurp(real_corpus_path(name)), name, false);
    CHECK(a.xml == b.xml);
    CHECK(!a.diags.has_errors());
  }
}
