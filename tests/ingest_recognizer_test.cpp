// The recognizer's units (grading annotations, keywords, terms, editorial checks) and the text
// reader's artefact handling, on small texts written for these tests.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>

#include "ingest_support.h"
#include "parsers/recognizer/grading.h"
#include "parsers/recognizer/keywords.h"
#include "parsers/recognizer/patterns.h"
#include "parsers/recognizer/terms.h"

using namespace normkit;
using namespace normkit::test;
using namespace normkit::recognizer;

namespace {

std::string grading(const std::string& text) {
  auto g = find_grading(text);
  if (!g) return "none";
  return (g->cls.empty() ? "-" : g->cls) + "/" + (g->level.empty() ? "-" : g->level) + " @" +
         std::to_string(g->begin) + "-" + std::to_string(g->end);
}

std::string marked(const std::string& text, const std::vector<KeywordUsage>& words = {}) {
  std::vector<Node> inlines{Node::make_text(text)};
  KeywordMatcher m(words);
  std::vector<bool> used;
  m.mark(inlines, used);
  std::string out;
  for (const Node& n : inlines)
    out += n.type == NodeType::Keyword ? "[" + n.text + "=" + n.target + ":" + std::string(to_string(n.force)) + "]"
                                       : n.text;
  return out;
}

}  // namespace

TEST_CASE("class and level spellings normalize to the ACC/AHA vocabulary", "[ingest][grading]") {
  CHECK(normalize_class("I") == "I");
  CHECK(normalize_class("1") == "I");
  CHECK(normalize_class("IIA") == "IIa");
  CHECK(normalize_class("2a") == "IIa");
  CHECK(normalize_class("IIb") == "IIb");
  CHECK(normalize_class("2B") == "IIb");
  CHECK(normalize_class("3") == "III");
  CHECK(normalize_class("III: No Benefit") == "III-no-benefit");
  CHECK(normalize_class("III (Harm)") == "III-harm");
  CHECK(!normalize_class("II"));  // ambiguous: IIa or IIb
  CHECK(!normalize_class("IV"));
  CHECK(normalize_level("c") == "C");
  CHECK(normalize_level("B-NR") == "B-NR");
  CHECK(normalize_level("b nr") == "B-NR");
  CHECK(normalize_level("BR") == "B-R");
  CHECK(normalize_level("C-LD") == "C-LD");
  CHECK(normalize_level("C-EO") == "C-EO");
  CHECK(!normalize_level("D"));
}

TEST_CASE("annotations are found in every spelling and only there", "[ingest][grading]") {
  CHECK(grading("Do X. (Class I, Level C)") == "I/C @6-24");
  CHECK(grading("Do X. ( Class I, Level C )") == "I/C @6-26");
  CHECK(grading("Do X. (Level C, Class I (benefit > > >risk))") == "I/C @6-44");
  CHECK(grading("Do X (B, Class I).") == "I/B @5-17");
  CHECK(grading("Do X. (Class 1, Level C)") == "I/C @6-24");
  CHECK(grading("Do X. (Class IIa, level A)") == "IIa/A @6-26");
  CHECK(grading("Do X. (Class III: No Benefit, LOE B-R)") == "III-no-benefit/B-R @6-38");
  CHECK(grading("Do X. (COR 2b, LOE C-LD)") == "IIb/C-LD @6-24");
  CHECK(grading("Do X. (Level of Evidence: C-EO)") == "-/C-EO @6-31");
  CHECK(grading("Do X is reasonable. Class IIa, Level B.") == "IIa/B @20-39");
  // Ordinary parentheses and prose are not annotations.
  CHECK(grading("Cardiopulmonary bypass (CPB) is used (see above).") == "none");
  CHECK(grading("A class of drugs (Class notes) was used.") == "none");
  CHECK(grading("Avoid ((((( unbalanced text") == "none");
  CHECK(grading("Pick one of the options (A, B, or C) first.") == "none");
  CHECK(grading("A level 3 center (Level 3 trauma center) is used.") == "none");
  CHECK(class_from_heading("CLASS IIA RECOMMENDATIONS") == "IIa");
  CHECK(class_from_heading("Class III: Harm Recommendations") == "III-harm");
  CHECK(!class_from_heading("Classroom recommendations for the team"));
}

TEST_CASE("keywords are marked by whole word, case-insensitively, longest first", "[ingest][keywords]") {
  CHECK(marked("The shallow pool shall be full.") == "The shallow pool [shall=shall:mandatory] be full.");
  CHECK(marked("It SHALL NOT leak.") == "It [SHALL NOT=shall not:prohibited] leak.");
  CHECK(marked("Mayors may be considered.") == "Mayors [may be considered=may be considered:optional].");
  CHECK(marked("Use is  recommended here") == "Use [is  recommended=is recommended:recommended] here");
  CHECK(marked("Shoulder should.") == "Shoulder [should=should:recommended].");
  CHECK(marked("mustard; mayonnaise; shallots") == "mustard; mayonnaise; shallots");
  // The document's own word usage overrides the default force.
  KeywordUsage may;
  may.word = "may";
  may.force = Force::Optional;
  CHECK(marked("You may.", {may}) == "You [may=may:optional].");
  CHECK(force_from_explanation("shall", "is used to indicate a mandatory requirement") == Force::Mandatory);
  CHECK(force_from_explanation("should", "is used to indicate a recommendation") == Force::Recommended);
}

TEST_CASE("matchers for different word usages do not mix, however often they alternate", "[ingest][keywords]") {
  // The tables are kept per word list and reused: each list must still get its own forces, also
  // after more lists came and went than are kept.
  const auto usage = [](const char* word, Force force) {
    KeywordUsage k;
    k.word = word;
    k.force = force;
    return k;
  };
  const std::vector<std::vector<KeywordUsage>> lists = {
      {},
      {usage("may", Force::Optional)},
      {usage("may", Force::Mandatory)},
      {usage("shall", Force::Recommended), usage("may", Force::Prohibited)},
      {usage("may", Force::Optional), usage("shall", Force::Permitted)},
      {usage("must", Force::Optional)},
      {usage("may", Force::Recommended), usage("need", Force::Mandatory)},
  };
  for (int round = 0; round < 3; ++round)
    for (size_t i = 0; i < lists.size(); ++i) {
      const size_t at = round == 1 ? lists.size() - 1 - i : (i * 3) % lists.size();  // orders differ
      const std::vector<KeywordUsage>& words = lists[at];
      std::string expected = "You ";
      const auto force_of = [&](const std::string& w, Force fallback) {
        for (const KeywordUsage& k : words)
          if (k.word == w) return k.force;
        return fallback;
      };
      expected += "[may=may:" + std::string(to_string(force_of("may", Force::Permitted))) + "], ";
      expected += "[shall=shall:" + std::string(to_string(force_of("shall", Force::Mandatory))) + "], ";
      expected += "[must=must:" + std::string(to_string(force_of("must", Force::Mandatory))) + "] and ";
      expected += force_of("need", Force::Informative) == Force::Mandatory ? "[need=need:mandatory]." : "need.";
      CHECK(marked("You may, shall, must and need.", words) == expected);
    }
}

TEST_CASE("a run holding several keywords is split into all its pieces at once", "[ingest][keywords]") {
  // Entries sharing a leading word ("is ...", "may ...", "should ...") are told apart by the rest.
  CHECK(marked("It is not recommended, is indicated, is reasonable and is potentially harmful; it is.") ==
        "It [is not recommended=is not recommended:not-recommended], [is indicated=is indicated:recommended], "
        "[is reasonable=is reasonable:permitted] and [is potentially harmful=is potentially harmful:prohibited]; "
        "it is.");
  CHECK(marked("shall may must") == "[shall=shall:mandatory] [may=may:permitted] [must=must:mandatory]");
  CHECK(marked("may be consideredx may be") == "[may=may:permitted] be consideredx [may=may:permitted] be");
  CHECK(marked("shall\tnot;should  not") == "[shall=shall:mandatory]\tnot;[should  not=should not:not-recommended]");
  // Whether the Text bytes break the whitespace rule (tab, line end, double space) is reported.
  const auto clean = [](const std::string& text) {
    std::vector<Node> inlines{Node::make_text(text)};
    std::vector<bool> used;
    bool watched = false, is_clean = false;
    KeywordMatcher({}).mark(inlines, used, nullptr, &watched, &is_clean);
    return is_clean;
  };
  CHECK(clean("One space between words; shall not."));
  CHECK_FALSE(clean("Two  spaces."));
  CHECK_FALSE(clean("A keyword with two spaces: shall  not."));
  CHECK_FALSE(clean("A tab\there."));
  CHECK_FALSE(clean("A line end\n"));
  CHECK_FALSE(clean(" leading and trailing  "));
}

TEST_CASE("annotations in canonical spelling read as in any other spelling", "[ingest][grading]") {
  for (const char* cls : {"I", "IIa", "IIb", "III", "III-no-benefit", "III-harm"})
    for (const char* level : {"A", "B", "C", "B-R", "B-NR", "C-LD", "C-EO"}) {
      const std::string canonical = std::string("Do X. (Class ") + cls + ", Level " + level + ")";
      const auto a = find_grading(canonical);
      REQUIRE(a);
      CHECK(a->cls == cls);
      CHECK(a->level == level);
      CHECK(a->canonical_spelling);
      CHECK(a->problem.empty());
      // The same annotation in lower case: same reading, not canonical.
      std::string lower = canonical;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const auto b = find_grading(lower);
      REQUIRE(b);
      CHECK(b->cls == a->cls);
      CHECK(b->level == a->level);
      CHECK(b->begin == a->begin);
      CHECK(b->end == a->end);
      CHECK_FALSE(b->canonical_spelling);
    }
  CHECK(grading("(Class IV, Level A)") == "-/A @0-19");
  CHECK(grading("(Class I, Level D)") == "I/- @0-18");
}

TEST_CASE("defined terms are linked in singular, plural and any case", "[ingest][terms]") {
  Definition d;
  d.id = "nkpolicy";
  d.term = "Policy";
  Definition team;
  team.id = "nkteam";
  team.term = "Care Team";
  TermLinker linker({d, team});
  std::vector<Node> inlines{Node::make_text("All POLICIES and each policy of the care teams; not policyholders.")};
  CHECK(linker.link(inlines) == 3);
  std::string refs;
  for (const Node& n : inlines)
    if (n.type == NodeType::TermRef) refs += n.target + ":" + plain_text(n.children) + " ";
  CHECK(refs == "nkpolicy:POLICIES nkpolicy:policy nkteam:care teams ");
  CHECK(plural_of("Class") == "Classes");
  CHECK(plural_of("Protocol") == "Protocols");
}

TEST_CASE("class is inherited from a class heading; conflicts and missing annotations are reported",
          "[ingest]") {
  Ingested r = ingest_bytes(
      "Sample Guideline on Rewarming\n\nCLASS IIA RECOMMENDATIONS\n\n"
      "Slow rewarming is reasonable for most patients. (Level B)\n\n"
      "Warm the blood slowly, it is reasonable. (Class I, Level A)\n\n"
      "Measuring twice is reasonable.\n");
  REQUIRE(r.doc);
  CHECK(r.valid);
  const auto recs = provisions(*r.doc, ProvisionKind::Recommendation);
  REQUIRE(recs.size() == 3);
  CHECK(recs[0]->labeled->cls == "IIa");
  CHECK(recs[0]->labeled->level == "B");
  CHECK(recs[1]->labeled->cls == "I");
  CHECK(recs[2]->labeled->cls == "IIa");
  CHECK(recs[2]->labeled->level.empty());
  CHECK(r.has("class-inherited"));
  CHECK(r.has("class-conflicts-heading"));
  CHECK(r.has("unannotated-recommendation"));
  CHECK(r.has("class-wording"));  // Class I worded only "is reasonable"
}

TEST_CASE("an annotation glued to the next sentence splits two recommendations", "[ingest]") {
  Ingested r = ingest_bytes(
      "Sample Guideline\n\nRecommendations\n\n"
      "Checking twice is recommended. (Class I, Level A)Logging each check is reasonable. (Class 2a, Level B-NR)\n");
  REQUIRE(r.doc);
  CHECK(r.valid);
  const auto recs = provisions(*r.doc, ProvisionKind::Recommendation);
  REQUIRE(recs.size() == 2);
  CHECK(recs[0]->labeled->cls == "I");
  CHECK(recs[1]->labeled->cls == "IIa");
  CHECK(recs[1]->labeled->level == "B-NR");
  CHECK(plain_text(recs[1]->children[0].children) == "Logging each check is reasonable.");
  CHECK(r.has("glued-sentence"));
}

TEST_CASE("editorial warnings: keyword use, class wording, numbering gaps and duplicates", "[ingest][editorial]") {
  Ingested r = ingest_bytes(
      "Sample Standards\n\nStandard 1: Records\n\n"
      "Standard 1.1: The team keeps a record.\n\n"
      "Standard 1.3: The team shall sign it.\n\n"
      "Standard 1.3: The team shall date it.\n\n"
      "Guideline 1.1: The team shall file it.\n");
  REQUIRE(r.doc);
  CHECK(r.valid);  // the duplicate keeps its label but loses its number
  CHECK(r.count("standard-without-mandatory") == 1);
  CHECK(r.count("guideline-with-mandatory") == 1);
  CHECK(r.count("numbering-gap") == 1);
  CHECK(r.count("duplicate-number") == 1);
  const auto standards = provisions(*r.doc, ProvisionKind::Standard);
  REQUIRE(standards.size() == 3);
  CHECK(standards[2]->labeled->label == "Standard 1.3");
  CHECK(standards[2]->labeled->number.empty());

  Ingested cpg = ingest_bytes("Sample CPG\n\nRecommendations\n\nA double check is recommended. (Class IIb, Level C)\n");
  CHECK(cpg.count("class-wording") == 1);
}

TEST_CASE("diagnostics point at the user's line and column, with the source line and a caret", "[ingest]") {
  Ingested r = ingest_bytes("Sample CPG\n\nRecommendations\n\n  A check should be done.\n", "cpg.txt");
  const Diagnostic* found = nullptr;
  for (const Diagnostic& d : r.diags.all())
    if (d.code == "unannotated-recommendation") found = &d;
  REQUIRE(found);
  CHECK(format_text(*found) ==
        "cpg.txt:5:3: warning: recommendation without class or level annotation: kept ungraded "
        "[unannotated-recommendation]\n  A check should be done.\n  ^\n");
  // In a paragraph joined from wrapped lines, a position on the second line stays there.
  Ingested w = ingest_bytes(
      "A long paragraph line that goes on and on to the wrap column of a PDF page\n"
      "and then the 2007.Next sentence is glued to it without any space at all.\n");
  const Diagnostic* glued = nullptr;
  for (const Diagnostic& d : w.diags.all())
    if (d.code == "glued-sentence") glued = &d;
  REQUIRE(glued);
  CHECK(glued->loc.line == 2);
  CHECK(glued->loc.col == 19);  // where the missing space goes
}

TEST_CASE("extraction artefacts: hyphenation, ligatures, soft hyphens, page numbers, running heads",
          "[ingest][text]") {
  const std::string head = "Sample Society Standards for Testing\n";
  std::string text = head + "\nGoal Statement\n\n"
                     "This document was written to exercise the text reader with a para-\n"
                     "graph whose \xEF\xAC\x81rst line is hyphenated at its end and whose sec\xC2\xAD"
                     "ond line holds a soft hyphen.\n\n12\n\f" +
                     head + "\nApproach\n\nMore text on the second page.\n\n13\n\f" + head + "\nClosing text.\n";
  Ingested r = ingest_bytes(text);
  REQUIRE(r.doc);
  CHECK(r.valid);
  CHECK(plain_text(r.doc->meta.title) == "Sample Society Standards for Testing");
  CHECK(r.xml.find("paragraph whose first line") != std::string::npos);
  CHECK(r.xml.find("second line") != std::string::npos);
  CHECK(r.xml.find(">12<") == std::string::npos);
  CHECK(r.count("running-head") == 1);
  CHECK(r.has("hyphenation"));
  CHECK(r.has("ligatures"));
  CHECK(r.has("soft-hyphens"));
  CHECK(r.has("page-number"));
  size_t heads = 0;
  for (size_t p = r.xml.find("Sample Society Standards"); p != std::string::npos;
       p = r.xml.find("Sample Society Standards", p + 1))
    ++heads;
  CHECK(heads == 1);
}

TEST_CASE("encodings: UTF-8 BOM, UTF-16LE, Windows-1252 give the same document", "[ingest][text]") {
  const std::string utf8 = "Sample Standards\n\nStandard 1: Caf\xC3\xA9 Records\n\nStandard 1.1: The team\xE2\x80\x99s log shall be kept.\n";
  std::string utf16 = "\xFF\xFE";
  // Convert the UTF-8 sample (BMP only) to UTF-16LE.
  for (size_t i = 0; i < utf8.size();) {
    uint32_t cp = static_cast<unsigned char>(utf8[i]);
    size_t len = 1;
    if (cp >= 0xE0) { cp &= 0x0F; len = 3; }
    else if (cp >= 0xC0) { cp &= 0x1F; len = 2; }
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    utf16 += static_cast<char>(cp & 0xFF);
    utf16 += static_cast<char>(cp >> 8);
    i += len;
  }
  const std::string cp1252 = "Sample Standards\n\nStandard 1: Caf\xE9 Records\n\nStandard 1.1: The team\x92s log shall be kept.\n";
  Ingested a = ingest_bytes(utf8, "s.txt", false);
  Ingested b = ingest_bytes("\xEF\xBB\xBF" + utf8, "s.txt", false);
  Ingested c = ingest_bytes(utf16, "s.txt", false);
  Ingested d = ingest_bytes(cp1252, "s.txt", false);
  REQUIRE(a.doc);
  REQUIRE(b.doc);
  REQUIRE(c.doc);
  REQUIRE(d.doc);
  // Same model (the sources differ only in their checksum).
  const auto body = [](const Ingested& r) {
    Document doc = *r.doc;
    doc.meta.sources.clear();
    return write_canonical_xml(doc);
  };
  CHECK(body(a) == body(b));
  CHECK(body(a) == body(c));
  CHECK(body(a) == body(d));
  CHECK(c.has("encoding"));
  CHECK(d.has("encoding"));
  CHECK(body(a).find("Caf\xC3\xA9 Records") != std::string::npos);
}

TEST_CASE("NFC: decomposed input is composed", "[ingest][text]") {
  Ingested r = ingest_bytes("Sample Standards\n\nStandard 1: Cafe\xCC\x81 Records\n\nStandard 1.1: It shall be.\n");
  REQUIRE(r.doc);
  CHECK(r.xml.find("Caf\xC3\xA9 Records") != std::string::npos);
}

TEST_CASE("a bare 'Standard N' line opens topic N; headings guessed from plain text are reported", "[ingest]") {
  Ingested r = ingest_bytes("Sample Standards\n\nStandard 2\n\nStandard 2.1: It shall hold.\n\nGeneral Remarks\n\nNothing more.\n");
  REQUIRE(r.doc);
  CHECK(r.valid);
  const auto sections = nodes_of(r.doc->body, NodeType::Section);
  REQUIRE(sections.size() == 2);
  CHECK(sections[0]->labeled->number == "2");
  CHECK(sections[0]->labeled->label == "Standard 2");
  CHECK(provisions(*r.doc, ProvisionKind::Standard).size() == 1);
  CHECK(plain_text(sections[1]->title) == "General Remarks");
  CHECK(r.count("heading-guessed") == 1);
}

TEST_CASE("an enumeration wrapped onto a new line stays in its paragraph", "[ingest][text]") {
  Ingested r = ingest_bytes(
      "The reviewers looked at several questions about the circuit and its use, namely 1) priming and\n"
      "2) the order of checks before bypass starts, both in adult and in pediatric programs.\n\n"
      "Checks:\n- one\n- two\n");
  REQUIRE(r.doc);
  const auto paragraphs = nodes_of(r.doc->body, NodeType::Paragraph);
  REQUIRE(!paragraphs.empty());
  CHECK(plain_text(paragraphs[0]->children).find("priming and 2) the order") != std::string::npos);
  const auto lists = nodes_of(r.doc->body, NodeType::List);
  REQUIRE(lists.size() == 1);
  CHECK(lists[0]->children.size() == 2);
}

TEST_CASE("word-usage force comes from the words as used, not from a negated mention", "[ingest][keywords]") {
  CHECK(force_from_explanation("may", "indicates an action that is allowed but not required") == Force::Permitted);
  CHECK(force_from_explanation("may", "permitted; not mandatory") == Force::Permitted);
  CHECK(force_from_explanation("shall", "indicates a mandatory requirement") == Force::Mandatory);
  CHECK(force_from_explanation("shall", "is required, not merely allowed") == Force::Mandatory);
  CHECK(force_from_explanation("should", "recommended but not required") == Force::Recommended);
  CHECK(force_from_explanation("should not", "is not recommended") == Force::NotRecommended);
  // "knot required" is not a negation.
  CHECK(force_from_explanation("x", "a knot required") == Force::Mandatory);
  const auto r = ingest_bytes(
      "Sample Practice Standard\n\nWord Usage:\n\nMay: indicates an action that is allowed but not required.\n\n"
      "Standard 1: Topic\n\nStandard 1.1: The team may record the time.\n");
  REQUIRE(r.doc);
  bool found = false;
  for (const KeywordUsage& k : r.doc->word_usage)
    if (k.word == "may") {
      found = true;
      CHECK(k.force == Force::Permitted);
    }
  CHECK(found);
}

TEST_CASE("grading is acc-aha for A/B/C levels and acc-aha-2015 for the 2015 levels", "[ingest][grading]") {
  const auto plain = ingest_bytes(
      "Sample Guideline\n\nRecommendations\n\n1. Monitoring is recommended (Class I, Level C).\n\n"
      "2. Checking is reasonable (Class IIa, Level B).\n");
  REQUIRE(plain.doc);
  const auto p = provisions(*plain.doc, ProvisionKind::Recommendation);
  REQUIRE(p.size() == 2);
  for (const Node* n : p) CHECK(n->labeled->grading == "acc-aha");
  const auto modern = ingest_bytes(
      "Sample Guideline\n\nRecommendations\n\n1. Monitoring is recommended (Class I, Level C).\n\n"
      "2. Checking is reasonable (Class IIa, Level B-NR).\n");
  REQUIRE(modern.doc);
  const auto m = provisions(*modern.doc, ProvisionKind::Recommendation);
  REQUIRE(m.size() == 2);
  // One scheme per document: the 2015 levels name it for every recommendation.
  for (const Node* n : m) CHECK(n->labeled->grading == "acc-aha-2015");
  CHECK(modern.valid);
}

TEST_CASE("a one-line 'Scope: text' paragraph is a scope statement", "[ingest][scope]") {
  const auto r = ingest_bytes(
      "Sample Practice Standard\n\nScope: These standards apply to every adult procedure performed by the team.\n\n"
      "Standard 1: Topic\n\nStandard 1.1: The team shall record the time.\n");
  REQUIRE(r.doc);
  const Node* scope = nullptr;
  for (const Node& n : r.doc->body)
    if (n.type == NodeType::Scope) scope = &n;
  REQUIRE(scope);
  CHECK(plain_text(scope->children.at(0).children).find("apply to every adult") != std::string::npos);
  CHECK(provisions(*r.doc, ProvisionKind::Standard).size() == 1);
  CHECK(r.valid);
}

TEST_CASE("a work id derived from a long title keeps whole words", "[ingest][work]") {
  // The slug's 61st character is a dash: the word ending at 60 is whole and stays.
  const std::string title = "Standards and Guideline for Oxygenator Management Throughout Bypass Care";
  const auto r = ingest_bytes(title + "\n\nStandard 1: Topic\n\nStandard 1.1: The team shall record the time.\n",
                              "");
  REQUIRE(r.doc);
  CHECK(r.doc->work == "standards-and-guideline-for-oxygenator-management-throughout");
  const auto r2 = ingest_bytes(
      "Perfusion Practice Recommendations Regarding Cardiopulmonary Bypass Conduct in Adults\n\n"
      "Standard 1: Topic\n\nStandard 1.1: The team shall record the time.\n", "");
  REQUIRE(r2.doc);
  CHECK(r2.doc->work == "perfusion-practice-recommendations-regarding-cardiopulmonary");
}

TEST_CASE("a References heading over a numbered list gives the reference list", "[ingest][recognizer]") {
  const Ingested r = ingest_bytes(
      "Demo Standards for Circuits\n\nStandard 1: Records\n\nStandard 1.1: Each team shall keep a record.\n\n"
      "References\n\n1. Smith A. A study. J Demo. 2019;1:1-2.\n2. Jones B. Another study. 2020.\n");
  REQUIRE(r.doc);
  CHECK(r.valid);
  REQUIRE(r.doc->references.size() == 2);
  CHECK(r.doc->references[0].id == "ref-1");
  CHECK(plain_text(r.doc->references[1].content) == "Jones B. Another study. 2020.");
  // Not a section of the body.
  CHECK(r.xml.find("<title>References</title>") == std::string::npos);
  CHECK(provisions(*r.doc, ProvisionKind::Standard).size() == 1);
}

// A GradingScan remembers, across searches of one text from later and later positions, where no
// parenthesized annotation can start; every search must still find what a search without it
// finds, whatever mix of parentheses, unparenthesized annotations and prose the text holds.
TEST_CASE("grading searches with a scan memo find what searches without it find", "[recognizer]") {
  const std::vector<std::string> pieces = {
      "Use the pump. ", "(Class I, Level A) ", "Class IIa, Level B. ", "(see above) ",
      "(Level C, Class I (benefit > > >risk)) ", "( ", ") ", "a class of drugs ", "(B, Class IIb) ",
      "Class III: No Benefit, Level C-LD. ", "(Class 1, Level C"};
  normkit::test::Lcg rng{7};
  size_t found_total = 0;
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const int count = 1 + static_cast<int>(round % 25);
    for (int i = 0; i < count; ++i) text += pieces[rng.next() % pieces.size()];
    GradingScan scan;
    for (size_t from = 0; from <= text.size(); ++from) {
      const auto plain = find_grading(text, from);
      const auto memo = find_grading(text, from, &scan);
      INFO("'" << text << "' from " << from);
      REQUIRE(plain.has_value() == memo.has_value());
      if (!plain) continue;
      ++found_total;
      CHECK(memo->begin == plain->begin);
      CHECK(memo->end == plain->end);
      CHECK(memo->cls == plain->cls);
      CHECK(memo->level == plain->level);
    }
  }
  CHECK(found_total > 1000);
}

TEST_CASE("date lines and provision labels read as a plain scan over every label reads them", "[ingest][recognizer]") {
  // The readers look at a label only where its first letter matches; the reference here tries
  // every label at every line.
  const auto date_labels = date_line_labels();
  const auto reference_date = [&](std::string_view t) -> std::optional<std::pair<DateType, std::string_view>> {
    if (t.size() > 80) return std::nullopt;
    for (const auto& [label, type] : date_labels) {
      if (t.size() < label.size()) continue;
      bool same = true;
      for (size_t k = 0; k < label.size() && same; ++k)
        same = std::tolower(static_cast<unsigned char>(t[k])) == label[k];
      if (same) return std::make_pair(type, strip(t.substr(label.size())));
    }
    return std::nullopt;
  };
  const std::vector<std::string> starts = {"Publication Date:", "PUBLISHED:", "date Published:", "Last updated:",
                                           "Updated:", "Date Updated:", "approved:", "Date approved:",
                                           "Effective Date:", "EFFECTIVE:", "Retrieved:", "Standard 1.1:",
                                           "Guideline 2.3 -", "Recommendation 4.", "Essential XIV",
                                           "Requirement 7:", "Standards 1", "standard 1.1:", "Publication",
                                           "Date", "Ret", "", " ", "Updated", "ESSENTIAL IV:", "Guideline X"};
  // Every label the reader knows starts some line below, in some spelling.
  for (const auto& [label, type] : date_labels) {
    const bool started = std::any_of(starts.begin(), starts.end(), [&](const std::string& s) {
      return s.size() >= label.size() && lower_ascii(s.substr(0, label.size())) == label;
    });
    CHECK(started);
  }
  const std::vector<std::string> rests = {"", " ", " August 1, 2015", "2015-08-01", " text", ":", " 1.1: Text",
                                          std::string(70, 'x'), "  two"};
  normkit::test::Lcg rng{7};
  const auto next = [&] { return static_cast<size_t>(rng.next()); };
  for (int i = 0; i < 5000; ++i) {
    std::string line = starts[next() % starts.size()] + rests[next() % rests.size()];
    if (next() % 4 == 0 && !line.empty()) line[next() % line.size()] ^= 0x20;  // a letter's case flipped
    const auto got = match_date_line(line);
    const auto want = reference_date(line);
    REQUIRE(got.has_value() == want.has_value());
    if (got) {
      CHECK(got->first == want->first);
      CHECK(got->second == want->second);
    }
    // A label reads the same as when its first letter is not looked at first: compare with the
    // line whose first letter's case is flipped the other way (the word compare is case-blind).
    if (!line.empty() && std::isalpha(static_cast<unsigned char>(line[0]))) {
      std::string other = line;
      other[0] = static_cast<char>(std::isupper(static_cast<unsigned char>(other[0]))
                                       ? std::tolower(static_cast<unsigned char>(other[0]))
                                       : std::toupper(static_cast<unsigned char>(other[0])));
      const auto a = match_label(line), b = match_label(other);
      // Only a capitalized first letter starts a label.
      if (std::isupper(static_cast<unsigned char>(line[0]))) {
        CHECK_FALSE(b.has_value());
      } else {
        CHECK_FALSE(a.has_value());
      }
    }
  }
  CHECK(match_label("Standard 1.1: Text")->number == "1.1");
  CHECK(match_label("GUIDELINE 2.3 - Text")->kind == ProvisionKind::Guideline);
  CHECK(match_label("Requirement 7: Text")->kind == ProvisionKind::Requirement);
  CHECK(match_label("Recommendation 4. Text")->kind == ProvisionKind::Recommendation);
  CHECK(match_label("Essential XIV")->number == "XIV");
  CHECK_FALSE(match_label("Standards 1"));
}
