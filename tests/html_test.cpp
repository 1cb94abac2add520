// HTML reader: a realistic society page of our own wording (tests/pages/), pages built at test
// time around the real texts ([real]), and bad input.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/text.h"
#include "core/validate.h"
#include "core/xml_writer.h"
#include "parsers/html/html_blocks.h"
#include "parsers/html/html_reader.h"
#include "parsers/registry.h"
#include "test_support.h"

using namespace normkit;
using normkit::recognizer::BlockHint;

namespace {

struct Ingested {
  std::optional<Document> doc;
  Diagnostics diags;
  double seconds = 0;
};

Ingested ingest_html(const std::string& bytes) {
  Ingested r;
  ReaderOptions options;
  options.source_name = "page.html";
  const auto start = std::chrono::steady_clock::now();
  r.doc = html::read_html(bytes, options, r.diags);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (r.doc) {
    Diagnostics integrity;
    check_integrity(*r.doc, integrity);
    CHECK_FALSE(integrity.has_errors());
  }
  return r;
}

bool has_code(const Diagnostics& d, const std::string& code) {
  for (const auto& x : d.all())
    if (x.code == code) return true;
  return false;
}

std::vector<const Node*> provisions(const Document& doc, ProvisionKind kind) {
  std::vector<const Node*> out;
  walk(doc.body, [&](const Node& n, int, const Node*) {
    if (n.type == NodeType::Provision && n.labeled->kind == kind) out.push_back(&n);
    return n.type != NodeType::Furniture;
  });
  return out;
}

std::vector<FurnitureKind> furniture_kinds(const Document& doc) {
  std::vector<FurnitureKind> out;
  walk(doc.body, [&](const Node& n, int, const Node*) {
    if (n.type == NodeType::Furniture) out.push_back(n.furniture);
    return n.type != NodeType::Furniture;
  });
  return out;
}

size_t count_of(const std::vector<FurnitureKind>& v, FurnitureKind k) {
  return static_cast<size_t>(std::count(v.begin(), v.end(), k));
}

}  // namespace

TEST_CASE("html reader: a society page with menus, cookie banner, scripts and a layout table", "[html]") {
  const Ingested r = ingest_html(test::slurp(test::repo_path("tests/pages/society-standards.html")));
  REQUIRE(r.doc);
  const Document& doc = *r.doc;
  CHECK(plain_text(doc.meta.title) == "Standards for Sample Circuit Safety");  // the <script> in <h1> is gone
  const auto standards = provisions(doc, ProvisionKind::Standard);
  const auto guidelines = provisions(doc, ProvisionKind::Guideline);
  std::vector<std::string> numbers;
  for (const Node* p : standards) numbers.push_back(p->labeled->number);
  CHECK(numbers == std::vector<std::string>{"1.1", "1.2", "2.1"});
  numbers.clear();
  for (const Node* p : guidelines) numbers.push_back(p->labeled->number);
  CHECK(numbers == std::vector<std::string>{"1.1", "2.1", "2.2"});  // 2.1 and 2.2 came from <br> lines
  REQUIRE(doc.definitions.size() == 2);
  CHECK(doc.definitions[0].term == "Circuit");
  CHECK(doc.definitions[1].term == "Checklist");
  // The lettered list stays with Guideline 2.2; the data table keeps its rows.
  const Node* list = nullptr;
  for (const Node& c : guidelines.back()->children)
    if (c.type == NodeType::List) list = &c;
  REQUIRE(list);
  CHECK(list->list_style == ListStyle::LowerAlpha);
  REQUIRE(list->children.size() == 2);
  CHECK(list->children[1].text == "b");
  size_t rows = 0;
  walk(doc.body, [&](const Node& n, int, const Node*) {
    rows += n.type == NodeType::Row;
    return true;
  });
  CHECK(rows == 3);
  // Furniture: cookie banner, logo, five menu entries, the sidebar widget, adverts, footer, copyright.
  const auto kinds = furniture_kinds(doc);
  CHECK(count_of(kinds, FurnitureKind::Navigation) == 5);
  CHECK(count_of(kinds, FurnitureKind::Header) == 1);
  CHECK(count_of(kinds, FurnitureKind::Footer) == 1);
  CHECK(count_of(kinds, FurnitureKind::Copyright) == 1);
  CHECK(count_of(kinds, FurnitureKind::Other) == 4);  // cookie banner, two widget lines, advert aside
  // Scripts, styles, forms and the iframe are gone; javascript: links lost their link, kept text.
  const std::string xml = write_canonical_xml(doc);
  for (const char* gone : {"dataLayer", "font-family", "Save settings", "video.example.org", "javascript:", "(beta)"})
    CHECK(xml.find(gone) == std::string::npos);
  CHECK(xml.find("See the printable version for details.") != std::string::npos);
  CHECK(xml.find("<link href=\"https://example.org/checklist-guide\">the published guide</link>") != std::string::npos);
  CHECK(has_code(r.diags, "unsafe-link"));
  CHECK(has_code(r.diags, "html-embed"));
  // Positions are lines of the page.
  CHECK(standards[0]->origin_line == 45);
}

TEST_CASE("html blocks: main content by <article>, role=main, then density", "[html]") {
  Diagnostics diags;
  const auto by_role = html::html_to_blocks(
      "<html><body><div>Menu one</div><div role=\"main\"><p>Body text here.</p></div><div>Side</div></body></html>", diags);
  REQUIRE(by_role.blocks.size() == 3);
  CHECK(by_role.blocks[0].hint == BlockHint::Furniture);
  CHECK(by_role.blocks[1].hint == BlockHint::Plain);
  CHECK(by_role.blocks[2].hint == BlockHint::Furniture);
  const auto dense = html::html_to_blocks(
      "<html><body><div class=\"x\"><p>short</p></div><div class=\"y\"><p>Standard 1.1: a long enough "
      "paragraph of real content.</p><p>Another paragraph of content.</p></div></body></html>",
      diags);
  REQUIRE(dense.blocks.size() == 3);
  CHECK(dense.blocks[0].hint == BlockHint::Furniture);
  CHECK(dense.blocks[1].hint == BlockHint::Plain);
}

TEST_CASE("html positions: lines libxml2 cannot count are unknown, not wrong", "[html]") {
  std::string page = "<html><body>";
  for (int i = 0; i < 70000; ++i) page += "<p>filler</p>\n";
  page += "<h2>Standard 1: Late</h2>\n<p><b>Standard 1.1:</b> A late line shall be found.</p></body></html>";
  const Ingested r = ingest_html(page);
  REQUIRE(r.doc);
  const auto standards = provisions(*r.doc, ProvisionKind::Standard);
  REQUIRE(standards.size() == 1);
  CHECK(standards[0]->origin_line == 0);  // libxml2's HTML parser stops counting at 65535
}

TEST_CASE("html reader: definition lists become definitions", "[html]") {
  const Ingested r = ingest_html(
      "<html><body><main><h1>Sample Terms</h1><h2>Definitions</h2><dl>\n<dt>Circuit</dt>\n<dd>The tubing used for "
      "one procedure.</dd><dt><b>Checklist</b></dt><dd>A written list of checks.</dd></dl>"
      "<p><strong>Standard 1.1:</strong> Each circuit shall be checked.</p></main></body></html>");
  REQUIRE(r.doc);
  REQUIRE(r.doc->definitions.size() == 2);
  CHECK(r.doc->definitions[0].term == "Circuit");
  CHECK(plain_text(r.doc->definitions[0].explanation[0].children) == "The tubing used for one procedure.");
  CHECK(r.doc->definitions[1].term == "Checklist");
}

// --- Real texts wrapped in a society website's markup -------------------------------------------------

namespace {

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

// The published lines of a real excerpt as a society website marks them up: numbered and dashed
// lines become <ol>/<ul> items (nested by indentation), other lines one <p> each; around them
// nested divs, a menu, a cookie banner, inline scripts, a layout table and a footer.
std::string wrap_in_society_page(const std::string& text) {
  std::string body;
  struct OpenList {
    size_t indent;
    bool ordered;
  };
  std::vector<OpenList> lists;
  auto close_to = [&](size_t indent) {
    while (!lists.empty() && lists.back().indent > indent) {
      body += lists.back().ordered ? "</li></ol>\n" : "</li></ul>\n";
      lists.pop_back();
    }
  };
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view raw = std::string_view(text).substr(pos, end - pos);
    pos = end + 1;
    const std::string_view line = trim(raw);
    if (line.empty() || line.rfind("# source:", 0) == 0 || line.rfind("# fidelity:", 0) == 0) continue;
    const size_t indent = raw.find_first_not_of(' ');
    size_t digits = 0;
    while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
    const bool numbered = digits > 0 && digits + 1 < line.size() && line[digits] == '.' && line[digits + 1] == ' ';
    const bool dashed = line.rfind("- ", 0) == 0 || line.rfind("\u2022 ", 0) == 0;
    if (!numbered && !dashed) {
      close_to(0);
      if (!lists.empty()) {
        body += lists.back().ordered ? "</li></ol>\n" : "</li></ul>\n";
        lists.pop_back();
      }
      body += "<p>" + html_escape(line) + "</p>\n";
      continue;
    }
    close_to(indent);
    if (!lists.empty() && lists.back().indent == indent) {
      body += "</li>";
    } else {
      lists.push_back({indent, numbered});
      body += numbered ? "<ol>" : "<ul>";
    }
    const std::string_view item = numbered ? line.substr(digits + 2) : line.substr(line.find(' ') + 1);
    body += numbered ? "<li value=\"" + std::string(line.substr(0, digits)) + "\">" : "<li>";
    body += html_escape(item);
  }
  close_to(0);
  if (!lists.empty()) body += lists.back().ordered ? "</li></ol>\n" : "</li></ul>\n";
  return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Standards | Society</title>"
         "<script>var tracking = 'SCRIPT-MARKER';</script><style>p{margin:0}</style></head><body>\n"
         "<div id=\"cookie-notice\"><p>This site uses cookies.</p><button>OK</button></div>\n"
         "<div class=\"wrap\"><div class=\"header\"><nav><ul><li><a href=\"/\">Home</a></li>"
         "<li><a href=\"/about\">About</a></li></ul></nav></div>\n"
         "<table class=\"layout\"><tr><td class=\"left-col\"><div><p>Member login</p></div></td><td>\n"
         "<div class=\"inner\"><div class=\"col\"><article>\n" + body +
         "</article></div></div></td></tr></table>\n"
         "<script>document.write('SCRIPT-MARKER')</script>\n"
         "<footer><p class=\"copyright\">Copyright notice of the society.</p></footer></div></body></html>\n";
}

Document ingest_text(const std::string& text) {
  Diagnostics diags;
  ReaderOptions options;
  options.source_name = "real.txt";
  std::optional<Document> doc = find_reader("text")->read(text, options, diags);
  REQUIRE(doc);
  return *doc;
}

}  // namespace

TEST_CASE("html reader on real texts wrapped in a society page", "[html][real]") {
  for (const char* name : {"sts-sca-amsect-temperature-2015-excerpt-01.txt", "sts-sca-amsect-temperature-2015-excerpt-02.txt",
                           "amsect-standards-and-guidelines-page.txt", "amsect-essentials-legacy-excerpt-01.txt"}) {
    INFO(name);
    const std::string text = test::slurp(test::real_corpus_path(name));
    REQUIRE_FALSE(text.empty());
    const Document from_text = ingest_text(text);
    const Ingested r = ingest_html(wrap_in_society_page(text));
    REQUIRE(r.doc);
    const Document& doc = *r.doc;
    // The page's markup does not change what is recognized in the content.
    const DocumentStats a = compute_stats(from_text), b = compute_stats(doc);
    CHECK(b.recommendations == a.recommendations);
    CHECK(b.guidelines == a.guidelines);
    CHECK(b.standards == a.standards);
    CHECK(doc.definitions.size() == from_text.definitions.size());
    CHECK(doc.catalog.size() == from_text.catalog.size());
    CHECK(b.recommendations + b.guidelines + b.standards + doc.definitions.size() + doc.catalog.size() > 0);
    std::vector<std::string> classes_text, classes_html;
    for (const Node* p : provisions(from_text, ProvisionKind::Recommendation)) classes_text.push_back(p->labeled->cls + "/" + p->labeled->level);
    for (const Node* p : provisions(doc, ProvisionKind::Recommendation)) classes_html.push_back(p->labeled->cls + "/" + p->labeled->level);
    CHECK(classes_html == classes_text);
    // The wrapper is furniture, the scripts are gone.
    const auto kinds = furniture_kinds(doc);
    CHECK(count_of(kinds, FurnitureKind::Navigation) >= 2);
    CHECK(count_of(kinds, FurnitureKind::Copyright) >= 1);
    CHECK(count_of(kinds, FurnitureKind::Other) >= 2);  // cookie notice, login column
    CHECK(write_canonical_xml(doc).find("SCRIPT-MARKER") == std::string::npos);
  }
}

// --- Bad input ---------------------------------------------------------------------------------------

TEST_CASE("html bad input: nested 100,000 levels deep", "[html][bad]") {
  std::string page = "<html><body>";
  for (int i = 0; i < 100000; ++i) page += "<div>";
  page += "<p>Standard 1.1: Deep text shall survive.</p>";
  for (int i = 0; i < 100000; ++i) page += "</div>";
  page += "</body></html>";
  const Ingested r = ingest_html(page);
  CHECK(r.seconds < 30.0);  // generous: guards against quadratic work, not a benchmark
  // libxml2 caps the tree depth itself (an error we turn into a warning-free partial parse) or
  // our walker reads the deepest part as one paragraph; either way the text is kept.
  REQUIRE(r.doc);
  CHECK(write_canonical_xml(*r.doc).find("Deep text") != std::string::npos);
  std::string spans = "<p>";
  for (int i = 0; i < 100000; ++i) spans += "<b><i>";
  spans += "inner words";
  const Ingested r2 = ingest_html(spans);
  REQUIRE(r2.doc);
  CHECK(write_canonical_xml(*r2.doc).find("inner words") != std::string::npos);
}

TEST_CASE("html bad input: unclosed tags everywhere, script in headings", "[html][bad]") {
  const Ingested r = ingest_html(
      "<html><body><h2>Standard 1: Tags<script>alert('HEADING-SCRIPT')</script><p><b>Standard 1.1: Each "
      "<i>program shall <ul><li>keep records<li><p>sign them<table><tr><td>cell<td>cell two<h3>Loose <b>heading");
  REQUIRE(r.doc);
  const std::string xml = write_canonical_xml(*r.doc);
  CHECK(xml.find("HEADING-SCRIPT") == std::string::npos);
  CHECK(xml.find("keep records") != std::string::npos);
  CHECK(xml.find("cell two") != std::string::npos);
  // libxml2 nests everything after the unclosed <p><b><i> inside them: the text is all kept.
  CHECK(xml.find("sign them cell cell two Loose <strong>heading</strong>") != std::string::npos);
}

TEST_CASE("html bad input: javascript links, local files and URLs are never fetched", "[html][bad]") {
  test::TempDir dir;
  test::spit(dir / "secret.html", "<p>LOCAL-FILE-SECRET</p>");
  test::spit(dir / "secret.png", "LOCAL-IMAGE-SECRET");
  const std::string page =
      "<!DOCTYPE html [<!ENTITY x SYSTEM \"file://" + (dir / "secret.html").string() + "\">]><html><body>"
      "<p>Text &x; end.</p>"
      "<iframe src=\"file://" + (dir / "secret.html").string() + "\"></iframe>"
      "<iframe src=\"" + (dir / "secret.html").string() + "\"></iframe>"
      "<img src=\"" + (dir / "secret.png").string() + "\" alt=\"diagram\">"
      "<img src=\"https://example.invalid/x.png\">"
      "<object data=\"" + (dir / "secret.html").string() + "\"></object>"
      "<p><a href=\"javascript:steal()\">click</a> <a href=\" JavaScript:x\">two</a> "
      "<a href=\"data:text/html,hi\">three</a> <a href=\"vbscript:y\">four</a></p></body></html>";
  const Ingested r = ingest_html(page);
  REQUIRE(r.doc);
  const std::string xml = write_canonical_xml(*r.doc);
  CHECK(xml.find("SECRET") == std::string::npos);
  CHECK(xml.find("diagram") != std::string::npos);
  CHECK(xml.find("click two three four") != std::string::npos);
  CHECK(xml.find("<link") == std::string::npos);
  size_t unsafe = 0;
  for (const auto& d : r.diags.all()) unsafe += d.code == "unsafe-link";
  CHECK(unsafe == 4);
}

TEST_CASE("html bad input: declared charsets that lie", "[html][bad]") {
  // Says windows-1252, bytes are UTF-8.
  const Ingested a = ingest_html("<html><head><meta charset=\"windows-1252\"></head><body><p>Temperature "
                                 "37 \xc2\xb0" "C shall not be exceeded \xe2\x80\x94 ever.</p></body></html>");
  REQUIRE(a.doc);
  CHECK(has_code(a.diags, "charset-mismatch"));
  CHECK(write_canonical_xml(*a.doc).find("37 \xc2\xb0" "C") != std::string::npos);
  CHECK(write_canonical_xml(*a.doc).find("\xe2\x80\x94 ever") != std::string::npos);
  // Says UTF-8, bytes are windows-1252.
  const Ingested b = ingest_html("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">"
                                 "</head><body><p>Caf\xe9 \x93quoted\x94.</p></body></html>");
  REQUIRE(b.doc);
  CHECK(has_code(b.diags, "charset-mismatch"));
  CHECK(write_canonical_xml(*b.doc).find("Caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d.") != std::string::npos);
  // An unsupported charset.
  const Ingested c = ingest_html("<html><head><meta charset=\"shift_jis\"></head><body><p>plain</p></body></html>");
  REQUIRE(c.doc);
  CHECK(has_code(c.diags, "charset-unsupported"));
  // Binary.
  const Ingested d = ingest_html(std::string("\x00\x01\x02\xff\x00", 5));
  CHECK_FALSE(d.doc);
  CHECK(has_code(d.diags, "binary-input"));
}

TEST_CASE("html reader: notes, captioned tables with formatted cells, and a reference list", "[html]") {
  const std::string page =
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Demo</title></head><body>"
      "<nav><ul><li><a href=\"/\">Home</a></li></ul></nav>"
      "<main><h1>Demo Circuit Standards</h1>"
      "<h2>Standard 1: Records</h2>"
      "<p><strong>Standard 1.1:</strong> Each team shall keep a record.</p>"
      "<blockquote><p><strong>Example:</strong> A paper log.</p><blockquote><p>Nested quote.</p></blockquote></blockquote>"
      "<table><caption>Record <em>fields</em></caption>"
      "<tr><th>Field</th><th>Kept by</th></tr>"
      "<tr><td>Date</td><td>the <b>lead</b>, who shall sign</td></tr></table>"
      "<aside class=\"note wide\"><p>Kept for ten years.</p></aside>"
      "<aside class=\"notes-widget\"><p>Related pages</p></aside>"
      "<h2>References</h2>"
      "<ol><li><a href=\"https://example.org/smith\">Smith A. A study. 2019.</a></li>"
      "<li>Jones B. Another study.</li></ol>"
      "</main></body></html>";
  const Ingested r = ingest_html(page);
  REQUIRE(r.doc);
  const Document& doc = *r.doc;
  const auto standards = provisions(doc, ProvisionKind::Standard);
  REQUIRE(standards.size() == 1);
  std::vector<const Node*> notes, tables;
  for (const Node& c : standards[0]->children) {
    if (c.type == NodeType::Note) notes.push_back(&c);
    if (c.type == NodeType::Table) tables.push_back(&c);
  }
  // <blockquote> (its nested quote joins it) and <aside class="note"> are notes of the provision;
  // an aside whose class only contains "notes" stays furniture.
  REQUIRE(notes.size() == 2);
  CHECK(notes[0]->text == "example");
  REQUIRE(notes[0]->children.size() == 2);
  CHECK(plain_text(notes[0]->children[0].children) == "A paper log.");
  CHECK(plain_text(notes[1]->children[0].children) == "Kept for ten years.");
  CHECK(count_of(furniture_kinds(doc), FurnitureKind::Other) >= 1);
  // The data table: caption with its emphasis, cells with their bold text and keywords.
  REQUIRE(tables.size() == 1);
  CHECK(plain_text(tables[0]->title) == "Record fields");
  REQUIRE(tables[0]->children.size() == 2);
  const Node& cell = tables[0]->children[1].children.at(1);
  CHECK(plain_text(cell.children) == "the lead, who shall sign");
  bool strong = false, keyword = false;
  walk(cell.children, [&](const Node& n, int, const Node*) {
    strong = strong || n.type == NodeType::Strong;
    keyword = keyword || n.type == NodeType::Keyword;
    return true;
  });
  CHECK(strong);
  CHECK(keyword);
  // "References" + a list: the document's reference list.
  REQUIRE(doc.references.size() == 2);
  CHECK(doc.references[0].href == "https://example.org/smith");
  CHECK(plain_text(doc.references[1].content) == "Jones B. Another study.");
}
