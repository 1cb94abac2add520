// The website generator: escaping, search terms, the index format, pages, safety with a hostile
// document, determinism. The browser side is tested by tests/e2e/site.test.js.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "core/corpus.h"
#include "core/ids.h"
#include "core/text.h"
#include "generators/site/escape.h"
#include "generators/site/search_index.h"
#include "generators/site/search_text.h"
#include "generators/site/site.h"
#include "test_support.h"

using namespace normkit;
using namespace normkit::site;
namespace fs = std::filesystem;

namespace {

Corpus sample_corpus() {
  Corpus corpus;
  Diagnostics diags;
  REQUIRE(load_corpus({test::repo_path("corpus").string()}, corpus, diags));
  return corpus;
}

OutputTree build_site(const Corpus& corpus, unsigned threads = 2) {
  GeneratorOptions options;
  options.normkit_version = "test";
  options.threads = threads;
  OutputTree out;
  Diagnostics diags;
  REQUIRE(generate_site(corpus, options, out, diags));
  REQUIRE_FALSE(diags.has_errors());
  return out;
}

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

std::map<std::string, std::string> read_tree(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).generic_string()] = test::slurp(e.path());
  return files;
}

}  // namespace

// --- Escaping -----------------------------------------------------------------------------------

TEST_CASE("HTML text and attributes are escaped so no corpus text can open markup", "[site][escape]") {
  CHECK(html_text("<script>alert(\"x\")</script> & 'q'") ==
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;");
  CHECK(html_text("</textarea>") == "&lt;/textarea&gt;");
  CHECK(html_attr("a\"b\nc'<") == "a&quot;b&#10;c&#39;&lt;");
  // Control characters become U+FFFD; tab and newline stay in text.
  CHECK(html_text(std::string("a\x01" "b\tc", 5)) == "a\xEF\xBF\xBD" "b\tc");
}

TEST_CASE("dangerous link schemes are dropped, ordinary links kept", "[site][escape]") {
  for (const char* bad : {"javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
                          "data:text/html,<script>alert(1)</script>", "vbscript:msgbox", "file:///etc/passwd", "",
                          "https://example.org/\x01"})
    CHECK_FALSE(safe_link_target(bad).has_value());
  for (const char* good : {"https://example.org/a?b=c#d", "mailto:x@example.org", "../relative.html", "#frag"})
    CHECK(safe_link_target(good).value() == good);
}

TEST_CASE("JSON strings in index files cannot end a script or a line", "[site][escape]") {
  std::string out;
  append_json_string(out, "</script>\"\\\n\xE2\x80\xA8&");
  CHECK(out == "\"\\u003c/script\\u003e\\\"\\\\\\n\\u2028\\u0026\"");
}

// --- Search terms -------------------------------------------------------------------------------

TEST_CASE("search terms are folded for case, accents and compatibility forms", "[site][search]") {
  CHECK(fold_for_search("Ångström") == "angstrom");
  CHECK(fold_for_search("STRASSE") == fold_for_search("Straße"));
  CHECK(fold_for_search("ΣΊΣΥΦΟΣ") == "σισυφοσ");
  CHECK(fold_for_search("ﬁnal") == "final");
  CHECK(fold_for_search("e\xCC\x81" "cole") == fold_for_search("\xC3\xA9" "cole"));
  CHECK(fold_for_search("İstanbul") == "istanbul");
  CHECK(fold_for_search(std::string(40, 'A')) == std::string(kMaxTermChars, 'a'));
}

TEST_CASE("text is split into words with ICU word boundaries", "[site][search]") {
  Segmenter seg;
  CHECK(seg.terms("The pre-bypass ACT > 400 s, at 37 °C.") ==
        std::vector<std::string>{"the", "pre", "bypass", "act", "400", "s", "at", "37", "c"});
  CHECK(seg.terms("perfusionist's 3.5 mmHg") == std::vector<std::string>{"perfusionist's", "3.5", "mmhg"});
  CHECK(seg.terms("  ... !! ").empty());
}

TEST_CASE("postings round-trip through their text encoding", "[site][index]") {
  CHECK(encode_postings({0, 1, 2}) == "AAA");
  CHECK(encode_postings({5}) == "F");
  CHECK(encode_postings({40}) == "hI");  // 40 = 1*32 + 8
  std::vector<uint32_t> v;
  uint32_t x = 0;
  for (int i = 0; i < 5000; ++i) v.push_back(x += 1 + static_cast<uint32_t>((i * 7919) % 3000));
  CHECK(decode_postings(encode_postings(v)) == v);
  CHECK(decode_postings("!").empty());
  CHECK(shard_key("heparin") == "he");
  CHECK(shard_key("σισυφοσ") == "σι");
  CHECK(shard_key("a") == "a");
}

// --- Pages ----------------------------------------------------------------------------------

TEST_CASE("the site has a home page, one page per edition, a glossary, search and its index", "[site]") {
  const OutputTree out = build_site(sample_corpus());
  for (const char* path : {"index.html", "glossary.html", "search.html", "assets/site.css", "assets/search.js",
                           "doc/sample-perfusion-practice/2017.html", "doc/sample-temperature-cpg/2015.html",
                           "doc/sample-society-catalog/2024.html", "search/meta.js", "search/s/0.js"})
    CHECK(out.contains(path));

  const std::string& home = *out.get("index.html");
  // Grouped by organization, then kind; with years, co-authors and endorsements.
  const size_t esp = home.find(">Example Society of Perfusion</h2>");
  const size_t ests = home.find(">Example Society of Thoracic Surgeons</h2>");
  REQUIRE(esp != std::string::npos);
  REQUIRE(ests != std::string::npos);
  CHECK(home.find("Clinical Practice Guidelines</h3>", ests) != std::string::npos);
  CHECK(home.find("Example Society of Cardiovascular Anesthesiologists (ESCA)") != std::string::npos);
  CHECK(home.find("Endorsed by the Example Association for Cardiac Surgery") != std::string::npos);
  CHECK(home.find("Standards and Guidelines for Sample Pediatric Perfusion") != std::string::npos);
  CHECK(home.find("(2015)") != std::string::npos);
  CHECK(home.find("class=\"skip\" href=\"#main\"") != std::string::npos);

  const std::string& doc = *out.get("doc/sample-perfusion-practice/2017.html");
  CHECK(doc.find("<article class=\"prov k-standard\" id=\"nkdqzttrn4g8\"") != std::string::npos);
  CHECK(doc.find("href=\"#nkdqzttrn4g8\">Standard 1.1</a>") != std::string::npos);
  CHECK(doc.find("<strong class=\"kw f-mandatory\" title=\"mandatory\">shall</strong>") != std::string::npos);
  // A term links to the glossary and carries its definition for hover and focus.
  const std::regex term_link(R"RE(href="\.\./\.\./glossary\.html#nk33pc0mhj0d" aria-describedby="(tip-\d+)">protocols</a>)RE"
                             R"RE(<span class="tip" role="tooltip" id="(tip-\d+)">Protocol: A written)RE");
  std::smatch m;
  REQUIRE(std::regex_search(doc, m, term_link));
  CHECK(m[1] == m[2]);
  CHECK(doc.find("<h2 id=\"legend-h\">Word usage</h2>") != std::string::npos);
  CHECK(doc.find("id=\"nk-scope-1\"") != std::string::npos);
  CHECK(doc.find("<nav class=\"toc\"") != std::string::npos);
  CHECK(doc.find("href=\"#nkch6e2a3wrr\">See") == std::string::npos);  // xref is inside the text
  CHECK(doc.find("class=\"xref\" href=\"#nkch6e2a3wrr\">Standard 2</a>") != std::string::npos);
  CHECK(doc.find("<caption>Minimum checklist items</caption>") != std::string::npos);
  CHECK(doc.find("<th scope=\"col\">Item</th>") != std::string::npos);
  CHECK(doc.find("ACT &gt; 400 s") != std::string::npos);
  // Page furniture (navigation, contact) is not shown.
  CHECK(doc.find("1 Sample Street") == std::string::npos);
  CHECK(doc.find("https://example.org/standards") == std::string::npos);
  const std::string& catalog = *out.get("doc/sample-society-catalog/2024.html");
  CHECK(catalog.find("Become a member") == std::string::npos);
  CHECK(catalog.find("standards@example.org") == std::string::npos);

  const std::string& cpg = *out.get("doc/sample-temperature-cpg/2015.html");
  CHECK(cpg.find("<span class=\"badge b-kind\">Recommendation</span> <span class=\"badge b-class c-I\">Class I</span> "
                 "<span class=\"badge b-level\">Level B-NR</span>") != std::string::npos);
  CHECK(cpg.find("Class III: Harm") != std::string::npos);
  CHECK(cpg.find("Class III: No Benefit") != std::string::npos);
}

TEST_CASE("the glossary is sorted with ICU collation and says where each term is used", "[site]") {
  Corpus corpus = sample_corpus();
  Document& doc = corpus.documents.front().doc;
  for (const char* term : {"Zeta Point", "\xC3\xA9p\xC3\xA9" "e", "eagle"}) {
    Definition d;
    d.term = term;
    d.id = "nk" + slugify(term);
    d.explanation.push_back(Node::make_paragraph({Node::make_text("x")}));
    doc.definitions.push_back(std::move(d));
  }
  const OutputTree out = build_site(corpus);
  const std::string& g = *out.get("glossary.html");
  // Byte order would put "épée" after "Zeta Point"; collation puts it after "eagle".
  const size_t eagle = g.find("<dfn>eagle</dfn>"), epee = g.find("<dfn>\xC3\xA9p\xC3\xA9" "e</dfn>"),
               zeta = g.find("<dfn>Zeta Point</dfn>"), protocol = g.find("<dfn>Protocol</dfn>");
  REQUIRE(eagle != std::string::npos);
  CHECK(eagle < epee);
  CHECK(epee < protocol);
  CHECK(protocol < zeta);
  const size_t used = g.find("Used in:", protocol);
  CHECK(g.substr(used, 200).find(">Standard 1.1</a>") != std::string::npos);
}

TEST_CASE("the search index lists every provision with its facets and snippet", "[site][index]") {
  Corpus corpus = sample_corpus();
  GeneratorOptions options;
  OutputTree out;
  Diagnostics diags;
  SearchIndexStats stats;
  REQUIRE(generate_site_with_stats(corpus, options, out, diags, &stats));
  CHECK(stats.provisions == 11);  // 5 in the standards document, 6 recommendations
  const std::string& meta = *out.get("search/meta.js");
  CHECK(meta.rfind("nkIndex(\"meta\",{\"version\":1,", 0) == 0);
  CHECK(meta.find("\"shards\":[") != std::string::npos);
  // The term "heparin" is absent from the sample; "checklist" is in a shard keyed "ch".
  const std::string shards = meta.substr(meta.find("\"shards\":["));
  const std::regex key("\"([^\"]*)\"");
  std::vector<std::string> keys;
  const std::string list = shards.substr(9, shards.find(']') - 9);
  for (std::sregex_iterator it(list.begin(), list.end(), key), end; it != end; ++it) keys.push_back((*it)[1]);
  const auto ch = std::find(keys.begin(), keys.end(), "ch");
  REQUIRE(ch != keys.end());
  const std::string& shard = *out.get("search/t/" + std::to_string(ch - keys.begin()) + ".js");
  CHECK(shard.find("[\"checklist\",\"") != std::string::npos);
  CHECK(shard.find("[\"checklists\",\"") != std::string::npos);
  const std::string& snippets = *out.get("search/s/0.js");
  CHECK(snippets.find("[\"nkq6yeycqfmh\",\"Standard 2.1\",\"A pre-bypass checklist shall be completed") != std::string::npos);
  // Furniture never reaches the index.
  for (const auto& [path, bytes] : out.files())
    if (path.rfind("search/", 0) == 0) CHECK(bytes.find("Sample Street") == std::string::npos);
}

// --- Safety -------------------------------------------------------------------------------

TEST_CASE("a hostile document renders as harmless text", "[site][safety]") {
  test::TempDir tmp;
  const std::string hostile = R"XML(<?xml version="1.0" encoding="UTF-8"?>
<document xmlns="urn:normkit:document:1" model-version="1.0" work="hostile" edition="2024" xml:lang="en" type="standards-and-guidelines">
  <meta>
    <title>&lt;script&gt;alert('title')&lt;/script&gt; "quoted" &amp; more</title>
    <organization role="author" abbrev="&quot; onmouseover=&quot;alert(1)">Evil &lt;/textarea&gt;&lt;img src=x onerror=alert(2)&gt; Org</organization>
    <date type="published" value="2024"/>
    <source file="x.txt" format="text" sha256="0000000000000000000000000000000000000000000000000000000000000000" url="javascript:alert('src')"/>
  </meta>
  <word-usage>
    <keyword word="shall" force="mandatory" origin="document"><p>&lt;/style&gt;&lt;script&gt;alert(3)&lt;/script&gt;</p></keyword>
  </word-usage>
  <definitions>
    <definition id="nkevil0000001" position-id="term-evil" label="Evil" term="&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt;">
      <p>Defined as &lt;/textarea&gt;&lt;script&gt;alert(5)&lt;/script&gt;</p>
    </definition>
  </definitions>
  <body>
    <section id="nkevil0000002" position-id="section-1" number="1">
      <title>&lt;/title&gt;&lt;script&gt;alert(6)&lt;/script&gt;</title>
      <provision id="nkevil0000003" position-id="standard-1.1" label="Standard 1.1 &lt;b onclick=alert(7)&gt;" kind="standard" number="1.1">
        <p>Each program <kw word="shall" force="mandatory">shall</kw> read <term ref="nkevil0000001">&lt;script&gt;</term>
           <link href="javascript:alert(8)">click me</link>
           <link href=" JAVASCRIPT:alert(9)">or me</link>
           <link href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxMCk8L3NjcmlwdD4=">data</link>
           <link href="vbscript:msgbox(11)">vb</link>
           <link href="file:///etc/passwd">file</link>
           <link href="https://example.org/&quot;onmouseover=&quot;alert(12)">quoted href</link>
           and &lt;/script&gt;&lt;script&gt;alert(13)&lt;/script&gt; and U+2028 here:&#x2028;.</p>
      </provision>
    </section>
  </body>
  <references>
    <reference id="ref-1" href="vbscript:alert(14)">&lt;iframe src=javascript:alert(15)&gt;</reference>
  </references>
</document>
)XML";
  test::spit(tmp / "corpus/hostile/2024.xml", hostile);
  const auto r = test::run({"build", (tmp / "corpus").string(), "-o", (tmp / "out").string()});
  REQUIRE(r.code == 0);
  const auto files = read_tree(tmp / "out");
  REQUIRE(files.count("doc/hostile/2024.html"));
  const std::regex unsafe_href(R"(href\s*=\s*"\s*(javascript|data|vbscript|file):)", std::regex::icase);
  for (const auto& [path, bytes] : files) {
    INFO(path);
    if (path.size() > 5 && path.substr(path.size() - 5) == ".html") {
      // The only script element is the site's own.
      CHECK(count(bytes, "<script") == 1);
      CHECK(count(bytes, "<script src=\"") == 1);
      CHECK(bytes.find("<img") == std::string::npos);
      CHECK(bytes.find("<iframe") == std::string::npos);
      CHECK(bytes.find("</textarea>") == std::string::npos);
      CHECK(bytes.find("<b onclick") == std::string::npos);
      CHECK(bytes.find("\" onmouseover") == std::string::npos);
      CHECK_FALSE(std::regex_search(bytes, unsafe_href));
    }
    if (path.rfind("search/", 0) == 0) {
      CHECK(bytes.find('<') == std::string::npos);
      CHECK(bytes.find("\xE2\x80\xA8") == std::string::npos);
    }
  }
  const std::string& page = files.at("doc/hostile/2024.html");
  CHECK(page.find("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;") != std::string::npos);
  CHECK(page.find("<span class=\"link-dropped\">click me</span>") != std::string::npos);
  CHECK(page.find("href=\"https://example.org/&quot;onmouseover=&quot;alert(12)\"") != std::string::npos);
}

TEST_CASE("deeply nested inline content renders without recursion", "[site][safety]") {
  Corpus corpus = sample_corpus();
  const size_t ems = count(*build_site(corpus).get("doc/sample-perfusion-practice/2017.html"), "<em>");
  Node deep = Node::make_text("bottom");
  for (int i = 0; i < 5000; ++i) {
    Node em(NodeType::Emphasis);
    em.children.push_back(std::move(deep));
    deep = std::move(em);
  }
  corpus.documents.front().doc.body.push_back(Node::make_paragraph({std::move(deep)}));
  const OutputTree out = build_site(corpus);
  const std::string& doc = *out.get("doc/sample-perfusion-practice/2017.html");
  CHECK(count(doc, "<em>") == ems + 5000);
  CHECK(count(doc, "</em>") == ems + 5000);
}

// --- Output discipline ----------------------------------------------------------------------

TEST_CASE("the site is byte-identical whatever the number of threads", "[site][determinism]") {
  const Corpus corpus = sample_corpus();
  const OutputTree one = build_site(corpus, 1);
  const OutputTree two = build_site(corpus, 2);
  const OutputTree eight = build_site(corpus, 8);
  CHECK(one.files() == two.files());
  CHECK(one.files() == eight.files());
}

TEST_CASE("normkit build writes the same bytes twice, with a date only from SOURCE_DATE_EPOCH", "[site][determinism]") {
  test::TempDir tmp;
  ::unsetenv("SOURCE_DATE_EPOCH");
  REQUIRE(test::run({"build", test::repo_path("corpus").string(), "-o", (tmp / "a").string()}).code == 0);
  REQUIRE(test::run({"build", test::repo_path("corpus").string(), "-o", (tmp / "b").string()}).code == 0);
  const auto a = read_tree(tmp / "a"), b = read_tree(tmp / "b");
  CHECK(a.size() > 20);
  CHECK(a == b);
  CHECK(a.at("index.html").find("Generated by normkit 0.1.0</p>") != std::string::npos);
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  REQUIRE(test::run({"build", test::repo_path("corpus").string(), "-o", (tmp / "c").string()}).code == 0);
  ::unsetenv("SOURCE_DATE_EPOCH");
  const auto c = read_tree(tmp / "c");
  CHECK(c.at("index.html").find("Generated by normkit 0.1.0 on 2023-11-14</p>") != std::string::npos);
}

TEST_CASE("a large shard is split by one more code point of its terms", "[site][index]") {
  const Corpus corpus = sample_corpus();
  GeneratorOptions options;
  const SiteModel site = make_site_model(corpus, options);
  std::vector<DocIndexPart> parts(site.docs.size());
  for (DocIndexPart& p : parts) {
    p.entry_count = 1;
    p.snippets = "[\"a\",\"b\",\"c\"]";
    p.snippet_ends = {static_cast<uint32_t>(p.snippets.size())};
    p.facet_codes = {0};
  }
  // 2,000 terms re0000 ... re1999 (about 30 KB) and "re" itself, all in the first document.
  DocIndexPart& first = parts.front();
  std::vector<std::string> terms = {"re", "zz"};
  for (int i = 0; i < 2000; ++i) terms.push_back("re" + std::string(i < 1000 ? "0" : "1") + std::to_string(1000 + i % 1000).substr(1));
  std::sort(terms.begin(), terms.end());
  for (const std::string& t : terms) {
    first.terms += t + '\0';
    first.term_entries.push_back(0);
    first.term_entry_ends.push_back(static_cast<uint32_t>(first.term_entries.size()));
  }
  OutputTree out;
  build_search_index(site, parts, out);
  const std::string& meta = *out.get("search/meta.js");
  const std::string keys = meta.substr(meta.find("\"shards\":"), meta.find(']', meta.find("\"shards\":")) - meta.find("\"shards\":"));
  CHECK(keys == "\"shards\":[\"re\",\"re0\",\"re1\",\"zz\"");
  CHECK(out.get("search/t/0.js")->find("[\"re\",\"A\"]") != std::string::npos);
  CHECK(out.get("search/t/1.js")->find("[\"re0999\",\"A\"]") != std::string::npos);
  CHECK(out.get("search/t/1.js")->find("re1000") == std::string::npos);
}

TEST_CASE("a document with nothing but its identity still gets a page and no index entry", "[site][safety]") {
  Corpus corpus;
  CorpusDocument empty;
  empty.file = "empty.xml";
  empty.doc.work = "empty-work";
  empty.doc.edition = "1";
  corpus.documents.push_back(std::move(empty));
  GeneratorOptions options;
  OutputTree out;
  Diagnostics diags;
  SearchIndexStats stats;
  REQUIRE(generate_site_with_stats(corpus, options, out, diags, &stats));
  CHECK_FALSE(diags.has_errors());
  CHECK(stats.entries == 0);
  REQUIRE(out.contains("doc/empty-work/1.html"));
  CHECK(out.get("doc/empty-work/1.html")->find("<title>empty-work 1 (1)</title>") != std::string::npos);
  CHECK(out.get("search/meta.js")->find("\"shards\":[]") != std::string::npos);
}
