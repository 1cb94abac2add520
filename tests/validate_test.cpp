#include <catch2/catch.hpp>

#include <algorithm>

#include "core/validate.h"
#include "test_support.h"
#include "xml_fixtures.h"

using namespace normkit;
using normkit::test::doc_with_body;
using normkit::test::provision;

namespace {

struct Result {
  bool valid;
  Diagnostics diags;
  bool has(const std::string& code, Severity sev = Severity::Error) const {
    return std::any_of(diags.all().begin(), diags.all().end(),
                       [&](const Diagnostic& d) { return d.code == code && d.severity == sev; });
  }
};

Result validate(const std::string& xml) {
  Result r;
  r.diags.set_file("t.xml");
  r.valid = validate_document(xml, r.diags).has_value();
  return r;
}

const std::string kStd11 = provision(R"(id="nka" position-id="standard-1.1" label="Standard 1.1" kind="standard" number="1.1")",
                                     R"(It <kw word="shall" force="mandatory">shall</kw> hold.)");

std::string section(const std::string& content, const std::string& id = "nks", const std::string& pos = "section-1",
                    const std::string& number = "1") {
  return "<section id=\"" + id + "\" position-id=\"" + pos + "\" number=\"" + number + "\"><title>S</title>" + content +
         "</section>";
}

}  // namespace

TEST_CASE("the sample corpus is valid", "[validate]") {
  Diagnostics diags;
  for (const char* f : {"corpus/sample-perfusion-practice/2017.xml", "corpus/sample-temperature-cpg/2015.xml",
                        "corpus/sample-society-catalog/2024.xml"}) {
    INFO(f);
    CHECK(validate_document(test::slurp(test::repo_path(f)), diags));
  }
  CHECK(diags.all().empty());
}

TEST_CASE("a minimal valid document passes", "[validate]") {
  Result r = validate(doc_with_body(section(kStd11)));
  CHECK(r.valid);
  CHECK(r.diags.all().empty());
}

TEST_CASE("integrity: ids are unique and safe", "[validate]") {
  SECTION("duplicate permanent id") {
    const std::string p2 = provision(R"(id="nka" position-id="standard-1.2" kind="standard" number="1.2")", "x");
    Result r = validate(doc_with_body(section(kStd11 + p2)));
    CHECK_FALSE(r.valid);
    CHECK(r.has("duplicate-id"));
  }
  SECTION("duplicate positional id") {
    const std::string p2 = provision(R"(id="nkb" position-id="standard-1.1" kind="standard" number="1.2")", "x");
    Result r = validate(doc_with_body(section(kStd11 + p2)));
    CHECK(r.has("duplicate-position-id"));
  }
  SECTION("ids containing ../ or /") {
    for (const char* id : {"../etc", "a/b", "a..b", "..%2f"}) {
      INFO(id);
      const std::string p = provision("id=\"" + std::string(id) + "\" position-id=\"standard-1.1\" kind=\"standard\" number=\"1.1\"", "x");
      Result r = validate(doc_with_body(section(p)));
      CHECK_FALSE(r.valid);
      CHECK((r.has("unsafe-id") || r.has("schema")));
    }
    // "a..b" passes the schema's character pattern; the integrity rule catches it.
    const std::string p = provision(R"(id="a..b" position-id="standard-1.1" kind="standard" number="1.1")", "x");
    CHECK(validate(doc_with_body(section(p))).has("unsafe-id"));
  }
  SECTION("missing id") {
    const std::string p = provision(R"(position-id="standard-1.1" kind="standard" number="1.1")", "x");
    Result r = validate(doc_with_body(section(p)));
    CHECK(r.has("missing-id"));
    CHECK(r.has("schema"));
  }
}

TEST_CASE("integrity: term mentions and cross-references resolve", "[validate]") {
  const std::string defs = R"(  <definitions>
    <definition id="nkd" position-id="term-protocol" term="Protocol"><p>A plan.</p></definition>
  </definitions>
)";
  SECTION("resolved") {
    Result r = validate(doc_with_body(section("<p>A <term ref=\"nkd\">protocol</term>, see <xref target=\"nks\">S</xref>.</p>"), defs));
    CHECK(r.valid);
  }
  SECTION("unresolved term") {
    Result r = validate(doc_with_body(section("<p>A <term ref=\"nkzz\">protocol</term>.</p>"), defs));
    CHECK_FALSE(r.valid);
    CHECK(r.has("unresolved-term"));
  }
  SECTION("unresolved cross-reference") {
    Result r = validate(doc_with_body(section("<p>See <xref target=\"nkzz\">x</xref>.</p>"), defs));
    CHECK(r.has("unresolved-xref"));
  }
  SECTION("duplicate term") {
    const std::string two = R"(  <definitions>
    <definition id="nkd" position-id="term-protocol" term="Protocol"/>
    <definition id="nke" position-id="term-protocol-2" term="protocol"/>
  </definitions>
)";
    CHECK(validate(doc_with_body(section(""), two)).has("duplicate-term"));
  }
}

TEST_CASE("integrity: keyword marks use declared words", "[validate]") {
  SECTION("undeclared keyword") {
    Result r = validate(doc_with_body(section("<p>It <kw word=\"must\" force=\"mandatory\">must</kw>.</p>")));
    CHECK_FALSE(r.valid);
    CHECK(r.has("undeclared-keyword"));
  }
  SECTION("force disagrees with word usage") {
    Result r = validate(doc_with_body(section("<p>It <kw word=\"shall\" force=\"permitted\">shall</kw>.</p>")));
    CHECK(r.valid);
    CHECK(r.has("keyword-force", Severity::Warning));
  }
  SECTION("duplicate keyword declaration") {
    std::string xml = doc_with_body(section(""));
    xml.replace(xml.find("<keyword word=\"should\""), 22, "<keyword word=\"shall\"");
    CHECK(validate(xml).has("duplicate-keyword"));
  }
}

TEST_CASE("integrity: numbering has no duplicates", "[validate]") {
  SECTION("two standards 1.1 in one section") {
    const std::string p2 = provision(R"(id="nkb" position-id="standard-1.1b" kind="standard" number="1.1")", "x");
    Result r = validate(doc_with_body(section(kStd11 + p2)));
    CHECK(r.has("duplicate-number"));
  }
  SECTION("standard 1.1 and guideline 1.1 are numbered separately") {
    const std::string g = provision(R"(id="nkb" position-id="guideline-1.1" kind="guideline" number="1.1")",
                                    R"(It <kw word="should" force="recommended">should</kw>.)");
    CHECK(validate(doc_with_body(section(kStd11 + g))).valid);
  }
  SECTION("the same number in different sections is fine") {
    const std::string p2 = provision(R"(id="nkb" position-id="standard-2.1" kind="standard" number="1.1")", "x");
    CHECK(validate(doc_with_body(section(kStd11) + section(p2, "nkt", "section-2", "2"))).has("duplicate-number") == false);
  }
  SECTION("sibling sections with one number") {
    Result r = validate(doc_with_body(section("") + section("", "nkt", "section-1b")));
    CHECK(r.has("duplicate-number"));
  }
}

TEST_CASE("schema errors are reported with their line", "[validate]") {
  SECTION("bad class") {
    const std::string p = provision(R"(id="nka" position-id="recommendation-1" kind="recommendation" number="1" class="IV")", "x");
    Result r = validate(doc_with_body(section(p)));
    CHECK_FALSE(r.valid);
    CHECK(r.has("bad-attribute"));
  }
  SECTION("element out of order") {
    std::string xml = doc_with_body(section(""));
    // <meta> after <word-usage> is well-formed and readable, but the schema fixes the order.
    const size_t meta = xml.find("  <meta>");
    const size_t meta_end = xml.find("</meta>\n") + 8;
    const std::string m = xml.substr(meta, meta_end - meta);
    xml.erase(meta, meta_end - meta);
    xml.insert(xml.find("  <body>"), m);
    Result r = validate(xml);
    CHECK_FALSE(r.valid);
    REQUIRE(r.has("schema"));
    for (const Diagnostic& d : r.diags.all())
      if (d.code == "schema") CHECK(d.loc.line > 0);
  }
  SECTION("bad work id") {
    std::string xml = doc_with_body(section(""));
    xml.replace(xml.find("work=\"t\""), 8, "work=\"Not Valid\"");
    CHECK(validate(xml).has("schema"));
  }
}

TEST_CASE("warnings: grading on a standard, unsafe link schemes", "[validate]") {
  const std::string p = provision(R"(id="nka" position-id="standard-1.1" kind="standard" number="1.1" class="I")",
                                  R"X(<kw word="shall" force="mandatory">shall</kw> <link href=" JaVaScRiPt:alert(1)">x</link> <link href="data:text/html,x">y</link> <link href="https://ok.example/a:b">z</link>)X");
  Result r = validate(doc_with_body(section(p)));
  CHECK(r.valid);
  CHECK(r.has("grading-on-non-recommendation", Severity::Warning));
  CHECK(std::count_if(r.diags.all().begin(), r.diags.all().end(),
                      [](const Diagnostic& d) { return d.code == "unsafe-link"; }) == 2);
}

TEST_CASE("is_unsafe_url sees through browser leniency", "[validate][security]") {
  for (const char* u : {"javascript:x", " javascript:x", "JAVASCRIPT:x", "java\tscript:x", "\x01javascript:x",
                        "vbscript:x", "data:,x", "file:///etc/passwd"})
    CHECK(is_unsafe_url(u));
  for (const char* u : {"https://a.example", "mailto:a@b.example", "#frag", "/path:x", "relative/javascript:x", "?q=javascript:x", ""})
    CHECK_FALSE(is_unsafe_url(u));
}
