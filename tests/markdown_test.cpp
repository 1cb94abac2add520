// Markdown: the generator (cmark tree), the block mapper, the reader, the round trip over corpus/,
// and bad input.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>

#include "bench/synthetic.h"
#include "core/ids.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/xml_reader.h"
#include "core/xml_writer.h"
#include "generators/markdown/markdown_writer.h"
#include "parsers/markdown/markdown_blocks.h"
#include "parsers/markdown/markdown_reader.h"
#include "parsers/text/text_reader.h"
#include "test_support.h"

using namespace normkit;
using normkit::recognizer::BlockHint;

namespace {

Document load_xml(const std::string& rel) {
  Diagnostics diags;
  std::optional<Document> doc = read_canonical_xml(test::slurp(test::repo_path(rel)), diags);
  REQUIRE(doc);
  assign_identity(*doc, &diags);
  return *doc;
}

Document ingest_md(const std::string& md, Diagnostics& diags) {
  ReaderOptions options;
  options.source_name = "x.md";
  std::optional<Document> doc = markdown::read_markdown(md, options, diags);
  REQUIRE(doc);
  return *doc;
}

// Removes every node (at any depth) for which `pred` holds; returns how many went.
size_t erase_nodes(std::vector<Node>& roots, const std::function<bool(const Node&)>& pred) {
  size_t erased = 0;
  std::vector<std::vector<Node>*> stack{&roots};
  while (!stack.empty()) {
    std::vector<Node>* v = stack.back();
    stack.pop_back();
    const size_t before = v->size();
    v->erase(std::remove_if(v->begin(), v->end(), [&](const Node& n) { return pred(n); }), v->end());
    erased += before - v->size();
    for (Node& n : *v) stack.push_back(&n.children);
  }
  return erased;
}

// Source lines belong to the file a document was read from; they differ by design.
void clear_source_lines(Document& doc) {
  auto clear = [](Node& n, int) {
    n.origin_line = 0;
    return true;
  };
  walk_mutable(doc.body, clear);
  for (Definition& d : doc.definitions) {
    d.origin_line = 0;
    walk_mutable(d.explanation, clear);
  }
  for (KeywordUsage& k : doc.word_usage) {
    k.origin_line = 0;
    walk_mutable(k.explanation, clear);
  }
  for (CatalogEntry& e : doc.catalog) e.origin_line = 0;
}

// The round trip's documented differences (docs/authoring.md), taken out of both documents:
// furniture is not written, the reader records its own source, source lines are the read file's.
// Whatever else differs makes the canonical XML differ.
void expect_same_but_documented_differences(Document original, Document back) {
  erase_nodes(original.body, [](const Node& n) { return n.type == NodeType::Furniture; });
  back.meta.sources.clear();
  original.meta.sources.clear();
  clear_source_lines(original);
  clear_source_lines(back);
  CHECK(write_canonical_xml(back) == write_canonical_xml(original));
}

const Node* find_node(const std::vector<Node>& roots, const std::function<bool(const Node&)>& pred) {
  const Node* found = nullptr;
  walk(roots, [&](const Node& n, int, const Node*) {
    if (!found && pred(n)) found = &n;
    return !found;
  });
  return found;
}

}  // namespace

// --- Generator -----------------------------------------------------------------------------------

TEST_CASE("markdown writer: labels, anchors, grading and links survive", "[markdown]") {
  const std::string md = markdown::write_document(load_xml("corpus/sample-perfusion-practice/2017.xml"));
  CHECK(md.rfind("---\nwork: sample-perfusion-practice\nedition: \"2017\"\n", 0) == 0);
  CHECK(md.find("<a id=\"nkdqzttrn4g8\"></a>**Standard 1.1:** Each program shall keep written "
                "[protocols](#nk33pc0mhj0d)") != std::string::npos);
  CHECK(md.find("## <a id=\"nksvca6vypp1\"></a>Standard 1: Written Protocols") != std::string::npos);
  CHECK(md.find("[Standard 2](#nkch6e2a3wrr)") != std::string::npos);
  CHECK(md.find("  - a) names a deputy;") != std::string::npos);  // lettered list kept as a label
  CHECK(md.find("| Anticoagulation confirmed (ACT \\> 400 s) | Perfusionist *and* anesthesia provider |") !=
        std::string::npos);
  CHECK(md.find("data-alt=\"perfusion teams\" data-source=\"Example Society of Perfusion glossary\"") !=
        std::string::npos);
  CHECK(md.find("1 Sample Street") == std::string::npos);  // furniture left out
  const std::string cpg = markdown::write_document(load_xml("corpus/sample-temperature-cpg/2015.xml"));
  CHECK(cpg.find("**Recommendation 5:** Arterial outlet temperatures above 37 °C should not be used. "
                 "(Class III: Harm, Level A)") != std::string::npos);
  CHECK(cpg.find("data-grading=\"acc-aha-2015\"") != std::string::npos);
}

TEST_CASE("markdown writer: cmark escapes whatever the text holds", "[markdown]") {
  Document doc = load_xml("corpus/sample-temperature-cpg/2015.xml");
  const std::string tricky = "1. *not* [a link](x) <b>raw</b> # hash | pipe \\ back `tick` _under_";
  doc.body.insert(doc.body.begin(), Node::make_paragraph({Node::make_text(tricky)}));
  const std::string md = markdown::write_document(doc);
  Diagnostics diags;
  const markdown::MarkdownBlocks mb = markdown::markdown_to_blocks(md, diags);
  bool found = false;
  for (const auto& b : mb.blocks) found = found || b.text == tricky;
  CHECK(found);
  CHECK(md.find("<b>raw</b>") == std::string::npos);
}

// Text that needs no escaping goes to cmark as literal text (markdown_writer.cpp); what does need
// it must still be escaped, wherever it stands: at the start of a paragraph, a heading, a list
// item, a table cell, after a line break, or glued to a keyword.
TEST_CASE("markdown writer: literal text only where cmark would not escape it", "[markdown]") {
  const std::vector<std::string> texts = {
      "1. not a list",  "- not a bullet",   "+ plus", "= equals",     "2) paren",       ") close",
      ". dot",          "# not a heading",  "a  b",   "x & y",        "&amp; stays",    "AT&T",
      "!not [image]",   "tilde ~~x~~",      "<tag>",  "back\\slash", "under_score",    "star*",
      "plain text",     "café 37 °C",       "3",      "10. ten",      "a - b + c = d.", "1.1 Scope",
  };
  for (const std::string& t : texts) {
    INFO(t);
    Document doc = load_xml("corpus/sample-perfusion-practice/2017.xml");
    // At the start of a paragraph; glued to a keyword ("&" + "amp;" must read back as written);
    // after a line break; in a list item; in a table cell; as a section title.
    std::vector<Node> glued{Node::make_keyword("shall", "shall", Force::Mandatory), Node::make_text(t)};
    std::vector<Node> broken{Node::make_text("x"), Node(NodeType::LineBreak), Node::make_text(t)};
    doc.body.insert(doc.body.begin(), Node::make_paragraph({Node::make_text(t)}));
    doc.body.insert(doc.body.begin() + 1, Node::make_paragraph(glued));
    doc.body.insert(doc.body.begin() + 2, Node::make_paragraph(broken));
    Node list(NodeType::List);
    list.list_style = ListStyle::Bullet;
    Node item(NodeType::ListItem);
    item.children.push_back(Node::make_text(t));
    list.children.push_back(item);
    doc.body.insert(doc.body.begin() + 3, list);
    Node table(NodeType::Table);
    Node row(NodeType::Row);
    Node cell(NodeType::Cell);
    cell.children.push_back(Node::make_text(t));
    row.children.push_back(cell);
    table.children.push_back(row);
    doc.body.insert(doc.body.begin() + 4, table);
    // A section without an id: its heading starts with the title text itself.
    Node section = Node::make_section("", "");
    section.title.push_back(Node::make_text(t));
    doc.body.push_back(section);
    const std::string md = markdown::write_document(doc);
    Diagnostics diags;
    const markdown::MarkdownBlocks mb = markdown::markdown_to_blocks(md, diags);
    const std::string squeezed = normkit::collapse_whitespace(t);
    std::vector<std::string> seen;
    for (const auto& b : mb.blocks) {
      seen.push_back(b.text);
      for (const std::string& c : b.cells) seen.push_back(c);
    }
    const auto count = [&](const std::string& x) { return std::count(seen.begin(), seen.end(), x); };
    CHECK(count(squeezed) >= 4);  // paragraph, list item, cell, heading
    CHECK(count("shall" + squeezed) == 1);
    CHECK(count("x" + plain_text({Node(NodeType::LineBreak)}) + squeezed) == 1);
  }
}

TEST_CASE("markdown writer: deterministic, index and glossary", "[markdown]") {
  Corpus corpus;
  Diagnostics diags;
  REQUIRE(load_corpus({test::repo_path("corpus").string()}, corpus, diags));
  OutputTree a, b;
  REQUIRE(markdown::generate_markdown(corpus, {}, a, diags));
  REQUIRE(markdown::generate_markdown(corpus, {}, b, diags));
  CHECK(a.files() == b.files());
  CHECK(a.contains("sample-perfusion-practice/2017.md"));
  CHECK(a.contains("sample-temperature-cpg/2015.md"));
  REQUIRE(a.contains("glossary.md"));
  const std::string& glossary = *a.get("glossary.md");
  CHECK(glossary.find("[Nadir Temperature](sample-temperature-cpg/2015.md#nka3ntk89psf)") != std::string::npos);
  CHECK(glossary.find("[Guideline]") < glossary.find("[Perfusion Team]"));
  CHECK(a.get("index.md")->find("[Sample Standards and Clinical Practice Guidelines](sample-society-catalog/2024.md)") !=
        std::string::npos);
}

TEST_CASE("normkit convert and build write Markdown", "[markdown][cli]") {
  test::TempDir dir;
  auto r = test::run({"convert", test::repo_path("corpus/sample-temperature-cpg/2015.xml").string(), "-t", "md",
                      "-o", (dir / "t.md").string()});
  CHECK(r.code == 0);
  CHECK(test::slurp(dir / "t.md").find("# Sample Clinical Practice Guideline") != std::string::npos);
  r = test::run({"convert", test::repo_path("corpus/sample-temperature-cpg/2015.xml").string(), "-t", "nope"});
  CHECK(r.code == 2);
  r = test::run({"build", test::repo_path("corpus").string(), "-o", (dir / "out").string(), "--only", "markdown"});
  CHECK(r.code == 0);
  CHECK(std::filesystem::exists(dir / "out/markdown/sample-perfusion-practice/2017.md"));
  CHECK(std::filesystem::exists(dir / "out/markdown/glossary.md"));
}

TEST_CASE("normkit ingest reads .md and .html by file name", "[markdown][html][cli]") {
  test::TempDir dir;
  test::spit(dir / "d.md", "---\nwork: demo\nedition: \"2021\"\n---\n# Demo\n\n## Standard 1: A\n\n**Standard 1.1:** Teams shall act.\n");
  auto r = test::run({"ingest", (dir / "d.md").string(), "-o", (dir / "d.xml").string()});
  CHECK(r.code == 0);
  const std::string xml = test::slurp(dir / "d.xml");
  CHECK(xml.find("work=\"demo\" edition=\"2021\"") != std::string::npos);
  CHECK(xml.find("format=\"markdown\"") != std::string::npos);
  r = test::run({"validate", (dir / "d.xml").string()});
  CHECK(r.code == 0);
  r = test::run({"ingest", test::repo_path("tests/pages/society-standards.html").string(), "--work", "circuit-safety",
                 "--edition", "2024", "-o", (dir / "p.xml").string()});
  CHECK(r.code == 0);
  CHECK(test::slurp(dir / "p.xml").find("format=\"html\"") != std::string::npos);
  CHECK(test::run({"validate", (dir / "p.xml").string()}).code == 0);
  // convert goes through the same readers: Markdown back out of a web page.
  r = test::run({"convert", test::repo_path("tests/pages/society-standards.html").string(), "-t", "md"});
  CHECK(r.code == 0);
  CHECK(r.out.find("**Standard 1.1:** Each [circuit](#") != std::string::npos);
}

// --- Round trip ------------------------------------------------------------------------------------

// XML → Markdown → XML for every document in corpus/. The differences docs/authoring.md lists
// are asserted one by one and then taken out of both sides; what remains must be identical.
TEST_CASE("markdown round trip over corpus/", "[markdown][roundtrip]") {
  for (const char* rel : {"corpus/sample-perfusion-practice/2017.xml", "corpus/sample-society-catalog/2024.xml",
                          "corpus/sample-temperature-cpg/2015.xml"}) {
    INFO(rel);
    Document original = load_xml(rel);
    Diagnostics diags;
    Document back = ingest_md(markdown::write_document(original), diags);
    for (const Diagnostic& d : diags.all()) {
      INFO(d.code << ": " << d.message);
      // Everything the generator writes is read as it was meant: no markup is dropped.
      CHECK(d.code.rfind("md-", 0) != 0);
      CHECK(d.code != "front-matter");
      CHECK(d.code != "bad-anchor");
    }
    Diagnostics integrity;
    check_integrity(back, integrity);
    CHECK_FALSE(integrity.has_errors());

    // 1. Page furniture is not written.
    erase_nodes(original.body, [](const Node& n) { return n.type == NodeType::Furniture; });
    CHECK(find_node(back.body, [](const Node& n) { return n.type == NodeType::Furniture; }) == nullptr);
    // 2. The reader records its own source.
    REQUIRE(back.meta.sources.size() == 1);
    CHECK(back.meta.sources[0].format == "markdown");
    back.meta.sources.clear();
    original.meta.sources.clear();

    // Scope, notes (with their kind, inside their provision), tables (inside their provision, with
    // caption and formatted cells) and the reference list come back as they were: the identity
    // below covers them. Make sure the samples hold each, so that it does.
    if (std::string(rel).find("perfusion-practice") != std::string::npos) {
      CHECK(find_node(original.body, [](const Node& n) { return n.type == NodeType::Scope; }));
      const Node* note = find_node(back.body, [](const Node& n) { return n.type == NodeType::Note; });
      REQUIRE(note);
      CHECK(note->text == "example");
      const Node* table = find_node(back.body, [](const Node& n) { return n.type == NodeType::Table; });
      REQUIRE(table);
      CHECK(plain_text(table->title) == "Minimum checklist items");
      CHECK(find_node(back.body, [](const Node& n) {
        return n.type == NodeType::Cell && !n.children.empty() && n.children.size() > 1;
      }));
      REQUIRE(back.references.size() == 1);
      CHECK(back.references[0].href == "https://example.org/ref/1");
    }

    // 3. Source lines are lines of the file read.
    clear_source_lines(original);
    clear_source_lines(back);
    CHECK(write_canonical_xml(back) == write_canonical_xml(original));
  }
}

// Beyond the samples: lists, notes and tables inside a definition's or keyword's explanation come
// back in place, and a table without a header row comes back without one.
TEST_CASE("markdown round trip: lists, notes and tables in explanations", "[markdown][roundtrip]") {
  Document original = load_xml("corpus/sample-perfusion-practice/2017.xml");
  Node list(NodeType::List);
  list.list_style = ListStyle::Bullet;
  for (const char* t : {"one kind of practice;", "another kind."}) {
    Node item(NodeType::ListItem);
    item.children.push_back(Node::make_paragraph({Node::make_text(t)}));
    list.children.push_back(item);
  }
  Node note(NodeType::Note);
  note.text = "example";
  note.children.push_back(Node::make_paragraph({Node::make_text("A sample note.")}));
  Node table(NodeType::Table);
  Node row(NodeType::Row);
  Node cell(NodeType::Cell);
  Node em(NodeType::Emphasis);
  em.children.push_back(Node::make_text("cell"));
  cell.children.push_back(em);
  row.children.push_back(cell);
  table.children.push_back(row);
  original.definitions[0].explanation.push_back(list);
  original.definitions[0].explanation.push_back(note);
  original.definitions[0].explanation.push_back(table);
  original.word_usage[1].explanation.push_back(list);
  Diagnostics diags;
  Document back = ingest_md(markdown::write_document(original), diags);
  REQUIRE(back.definitions.size() == original.definitions.size());
  CHECK(back.definitions[0].explanation.size() == 4);
  CHECK(back.word_usage[1].explanation.size() == 2);
  expect_same_but_documented_differences(original, back);
}

// The benchmarks' synthetic documents (standards with lists, guidelines, graded recommendations under
// numbered sections, a "Protocols" section among them, default keywords without explanation) come
// back identical but for <source> and source lines.
TEST_CASE("markdown round trip over synthetic documents", "[markdown][roundtrip]") {
  bench::Rng rng{7};
  bool protocols_then_more = false, bare_default_word = false;
  for (size_t i = 0; i < 8; ++i) {
    INFO("document " << i);
    Diagnostics d0;
    std::optional<Document> canonical = read_canonical_xml(write_canonical_xml(bench::make_document(rng, i, 40)), d0);
    REQUIRE(canonical);
    Document original = *canonical;
    for (size_t k = 0; k + 1 < original.body.size(); ++k)
      if (original.body[k].type == NodeType::Section && plain_text(original.body[k].title) == "Protocols" &&
          original.body[k + 1].type == NodeType::Section)
        protocols_then_more = true;
    for (const KeywordUsage& k : original.word_usage)
      if (!k.from_document && k.explanation.empty()) bare_default_word = true;
    Diagnostics diags;
    Document back = ingest_md(markdown::write_document(original), diags);
    CHECK(compute_stats(back).recommendations + compute_stats(back).standards > 0);
    expect_same_but_documented_differences(original, back);
  }
  CHECK(protocols_then_more);
  CHECK(bare_default_word);
}

// Every real published text (../shared/corpus/real): text → XML → Markdown → XML gives the same
// document but for page furniture, <source> and source lines (titles read from a long "# Title",
// a citation note, scopes in a definitions region, legacy Essentials with their practice
// guidelines, documents without a title).
TEST_CASE("markdown round trip over the real texts", "[markdown][roundtrip][real]") {
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::real_corpus_path(""))) {
    if (entry.path().extension() != ".txt") continue;
    ++files;
    INFO(entry.path().filename().string());
    Diagnostics d0;
    ReaderOptions options;
    options.source_name = entry.path().filename().string();
    std::optional<Document> ingested = text::read_text(test::slurp(entry.path()), options, d0);
    REQUIRE(ingested);
    std::optional<Document> canonical = read_canonical_xml(write_canonical_xml(*ingested), d0);
    REQUIRE(canonical);
    Document original = *canonical;
    Diagnostics diags;
    Document back = ingest_md(markdown::write_document(original), diags);
    CHECK_FALSE(diags.has_errors());
    expect_same_but_documented_differences(original, back);
  }
  CHECK(files >= 9);
}

// --- Reader ----------------------------------------------------------------------------------------

TEST_CASE("markdown blocks: headings, labels, lists, tables, positions", "[markdown]") {
  const std::string md =
      "---\nwork: demo\n---\n"
      "# Demo Standards\n\n"
      "## Standard 1: Records\n\n"
      "**Standard 1.1:** Each team shall keep\na record.\n\n"
      "- first\n  - nested\n- (b) lettered\n\n"
      "3. three\n4. four\n\n"
      "| A | B |\n| --- | :-: |\n| x \\| y | *z* |\n\n"
      "[bad](javascript:alert(1)) and [ok](https://example.org)\n";
  Diagnostics diags;
  const markdown::MarkdownBlocks mb = markdown::markdown_to_blocks(md, diags);
  REQUIRE(mb.front_matter.closed);
  const auto& b = mb.blocks;
  std::vector<std::string> texts;
  for (const auto& x : b)
    if (x.hint != BlockHint::Blank) texts.push_back(x.text);
  CHECK(texts == std::vector<std::string>{"Demo Standards", "Standard 1: Records", "Standard 1.1: Each team shall keep a record.",
                                          "first", "nested", "lettered", "three", "four", "A B", "x | y z",
                                          "bad and ok"});
  CHECK(b[0].hint == BlockHint::Heading);
  CHECK(b[0].heading_level == 1);
  CHECK(b[0].loc.line == 4);  // lines of the user's file, front matter included
  const auto find = [&](const std::string& t) {
    for (const auto& x : b)
      if (x.text == t) return x;
    FAIL("no block " << t);
    return b[0];
  };
  const auto label = find("Standard 1.1: Each team shall keep a record.");
  CHECK(label.hint == BlockHint::BoldLabel);
  CHECK(label.label_length == std::string("Standard 1.1:").size());
  CHECK(label.loc.line == 8);
  CHECK(find("nested").list_depth == 1);
  CHECK(find("lettered").ordered);
  CHECK(find("lettered").list_label == "b");
  CHECK(find("four").list_label == "4");
  CHECK(find("A B").header_row);
  CHECK(find("x | y z").cells == std::vector<std::string>{"x | y", "z"});
  const auto links = find("bad and ok");
  CHECK(links.inlines.size() == 2);  // text "bad and " + the safe link
  CHECK(links.inlines.back().type == NodeType::Link);
  bool warned = false;
  for (const auto& d : diags.all()) warned = warned || d.code == "unsafe-link";
  CHECK(warned);
}

TEST_CASE("markdown blocks: anchors map words of wrapped paragraphs to their lines", "[markdown]") {
  const std::string md = "Intro.\n\n**Standard 1.1:**  Each team\nshall keep  a\n   record.\n\n- b) lettered\n  item wraps\n";
  Diagnostics diags;
  const auto mb = markdown::markdown_to_blocks(md, diags);
  const recognizer::SourceBlock* para = nullptr;
  const recognizer::SourceBlock* item = nullptr;
  for (const auto& b : mb.blocks) {
    if (b.hint == BlockHint::BoldLabel) para = &b;
    if (b.hint == BlockHint::ListItem) item = &b;
  }
  REQUIRE(para);
  CHECK(para->text == "Standard 1.1: Each team shall keep a record.");
  REQUIRE(para->anchors.size() == 2);
  CHECK(para->text.substr(para->anchors[0].offset, 5) == "shall");
  CHECK(para->anchors[0].loc.line == 4);
  CHECK(para->anchors[0].loc.col == 1);
  CHECK(para->text.substr(para->anchors[1].offset, 6) == "record");
  CHECK(para->anchors[1].loc.line == 5);
  CHECK(para->anchors[1].loc.col == 4);
  const SourceLoc where = recognizer::locate(*para, para->text.find("record"));
  CHECK(where.line == 5);
  REQUIRE(item);
  CHECK(item->text == "lettered item wraps");
  REQUIRE(item->anchors.size() == 1);
  CHECK(item->text.substr(item->anchors[0].offset) == "item wraps");
  CHECK(item->anchors[0].loc.line == 8);
}


// The mapper merges, collapses and trims text as it appends it instead of calling
// normalize_inline_whitespace afterwards; white space at every seam must still come out normal.
TEST_CASE("markdown blocks: inlines follow the model's whitespace rule", "[markdown]") {
  const std::string md =
      "#   Heading  with `a\tcode   span`   \n\n"
      "**Standard 1.1: ** the team  shall\n   keep ` two  spaces ` *em  ** strong **  em*  \n"
      "end<br>after break\\\nhard break   \n\n"
      "- a) item *with* [a link ](https://example.org)  \n"
      "- plain\t\ttabs and Cafe\xcc\x81 combining\n\n"
      "*** ** *deep*** ** **\n\n"
      "| A  |  *B  c*  |\n| - | - |\n| `x  y` | z  <br>  w |\n";
  Diagnostics diags;
  const markdown::MarkdownBlocks mb = markdown::markdown_to_blocks(md, diags);
  size_t checked = 0;
  for (const recognizer::SourceBlock& b : mb.blocks) {
    if (b.hint == BlockHint::Blank) continue;
    if (b.hint == BlockHint::TableRow) {
      REQUIRE(b.cell_inlines.size() == b.cells.size());
      for (size_t i = 0; i < b.cells.size(); ++i) {
        CHECK(inline_whitespace_is_normal(b.cell_inlines[i]));
        CHECK(plain_text(b.cell_inlines[i]) == b.cells[i]);
      }
    } else {
      INFO(b.text);
      CHECK(inline_whitespace_is_normal(b.inlines));
      CHECK(plain_text(b.inlines) == b.text);
    }
    ++checked;
  }
  CHECK(checked == 7);  // heading, paragraph, two items, paragraph, two table rows
  std::vector<std::string> texts;
  for (const auto& b : mb.blocks)
    if (b.hint != BlockHint::Blank) texts.push_back(b.text);
  REQUIRE(texts.size() == 7);
  CHECK(texts[0] == "Heading with a code span");
  CHECK(texts[2] == "item with a link ");  // only the outer ends are trimmed; this one is the link's
  CHECK(texts[3] == "plain tabs and Caf\xc3\xa9 combining");  // collapsed, and NFC
  CHECK(texts[6] == "x y z   w");  // "z ", a line break, " w"
}
// The reader decodes to valid UTF-8 first; a direct caller's invalid bytes still never reach
// the blocks (cmark's own check is skipped only for text known to be valid).
TEST_CASE("markdown blocks: invalid UTF-8 from a direct caller becomes U+FFFD", "[markdown][bad]") {
  Diagnostics diags;
  const auto mb = markdown::markdown_to_blocks("Caf\xe9 and\n\n| a\xff | b |\n| - | - |\n", diags);
  std::vector<std::string> texts;
  for (const auto& b : mb.blocks)
    if (b.hint != BlockHint::Blank) texts.push_back(b.text);
  CHECK(texts == std::vector<std::string>{"Caf\xef\xbf\xbd and", "a\xef\xbf\xbd b"});
  for (const std::string& t : texts) CHECK(is_valid_utf8(t));
}

TEST_CASE("markdown front matter: the documented YAML subset", "[markdown]") {
  const markdown::FrontMatter fm = markdown::parse_front_matter(
      "---\nwork: w\ntitle: \"A: \\\"quoted\\\" title\" # comment\nlist:\n  - one\n  - \"two\"\nbad line\n"
      "anchor: &x y\n---\nbody\n");
  REQUIRE(fm.closed);
  REQUIRE(fm.entries.size() == 3);
  CHECK(fm.entries[1].value == "A: \"quoted\" title");
  CHECK(fm.entries[2].items == std::vector<std::string>{"one", "two"});
  CHECK(fm.problems.size() == 2);
  CHECK(fm.body_first_line == 10);
  CHECK_FALSE(markdown::parse_front_matter("---\nwork: w\nno end\n").closed);
}

TEST_CASE("markdown reader: front matter metadata and a recognized document", "[markdown]") {
  const std::string md =
      "---\nwork: demo-standards\nedition: \"2020\"\ntitle: Demo Standards\n"
      "organizations:\n  - author: Demo Society of Perfusion (DSP)\ndates:\n  - published: \"2020-05\"\n---\n\n"
      "# Demo Standards\n\n## Standard 1: Records\n\n**Standard 1.1:** Each team shall keep a record.\n\n"
      "**Guideline 1.1:** Each team should review it.\n";
  Diagnostics diags;
  Document doc = ingest_md(md, diags);
  CHECK(doc.work == "demo-standards");
  CHECK(doc.edition == "2020");
  REQUIRE(doc.meta.organizations.size() == 1);
  CHECK(doc.meta.organizations[0].abbrev == "DSP");
  REQUIRE(doc.meta.dates.size() == 1);
  CHECK(doc.meta.dates[0].value == "2020-05");
  const DocumentStats stats = compute_stats(doc);
  CHECK(stats.standards == 1);
  CHECK(stats.guidelines == 1);
  Diagnostics integrity;
  check_integrity(doc, integrity);
  CHECK_FALSE(integrity.has_errors());
}

TEST_CASE("markdown reader: notes, tables, references and scope", "[markdown]") {
  const std::string md =
      "---\nwork: demo\nedition: \"2020\"\n---\n# Demo Standards\n\n"
      "**Scope:** These demo standards cover adult bypass.\n\n"
      "They do not cover children.\n\n"
      "## Standard 1: Records\n\n"
      "**Standard 1.1:** Each team shall keep a record.\n\n"
      "> **Example:** A paper log.\n>\n> - first entry\n> - second entry\n\n"
      "> A second note, without a kind.\n>\n> > nested quotes join it\n\n"
      "Table: Record *fields*\n\n"
      "| Field | Kept by |\n| --- | --- |\n| Date | the **lead** who shall sign |\n\n"
      "**Standard 1.2:** Each team shall review it.\n\n"
      "## Standard 2: Reviews\n\n"
      "> A note outside any provision.\n\n"
      "Table: not followed by a table\n\n"
      "## References\n\n"
      "1. <a id=\"ref-smith\"></a>[Smith A. A study. 2019.](https://example.org/smith)\n"
      "2. Jones B. Another study, [online](https://example.org/jones).\n";
  Diagnostics diags;
  const Document doc = ingest_md(md, diags);
  Diagnostics integrity;
  check_integrity(doc, integrity);
  CHECK_FALSE(integrity.has_errors());
  // Scope: the label goes, the next paragraph up to the heading joins it.
  REQUIRE(doc.body.size() >= 1);
  REQUIRE(doc.body[0].type == NodeType::Scope);
  REQUIRE(doc.body[0].children.size() == 2);
  CHECK(plain_text(doc.body[0].children[0].children) == "These demo standards cover adult bypass.");
  // Notes: inside their provision, kind from the bold label, lists kept, two notes stay two.
  const Node* s11 = find_node(doc.body, [](const Node& n) { return n.labeled && n.labeled->label == "Standard 1.1"; });
  REQUIRE(s11);
  std::vector<const Node*> notes, tables;
  for (const Node& c : s11->children) {
    if (c.type == NodeType::Note) notes.push_back(&c);
    if (c.type == NodeType::Table) tables.push_back(&c);
  }
  REQUIRE(notes.size() == 2);
  CHECK(notes[0]->text == "example");
  REQUIRE(notes[0]->children.size() == 2);
  CHECK(plain_text(notes[0]->children[0].children) == "A paper log.");
  CHECK(notes[0]->children[1].type == NodeType::List);
  CHECK(notes[1]->text.empty());
  CHECK(notes[1]->children.size() == 2);  // the nested quote's paragraph joins the note
  // The table: inside the provision, its caption with formatting, cells with inlines and keywords.
  REQUIRE(tables.size() == 1);
  CHECK(plain_text(tables[0]->title) == "Record fields");
  CHECK(find_node(tables[0]->title, [](const Node& n) { return n.type == NodeType::Emphasis; }));
  REQUIRE(tables[0]->children.size() == 2);
  const Node& cell = tables[0]->children[1].children[1];
  CHECK(plain_text(cell.children) == "the lead who shall sign");
  CHECK(find_node(cell.children, [](const Node& n) { return n.type == NodeType::Strong; }));
  CHECK(find_node(cell.children, [](const Node& n) { return n.type == NodeType::Keyword; }));
  // The provision after the table is still read as one.
  CHECK(find_node(doc.body, [](const Node& n) { return n.labeled && n.labeled->label == "Standard 1.2"; }));
  // A note outside a provision belongs to the section; a lone "Table:" line stays a paragraph.
  const Node* s2 = find_node(doc.body, [](const Node& n) { return n.labeled && n.labeled->label == "Standard 2"; });
  REQUIRE(s2);
  REQUIRE(s2->children.size() == 2);
  CHECK(s2->children[0].type == NodeType::Note);
  CHECK(plain_text(s2->children[1].children) == "Table: not followed by a table");
  // References: the list is the document's reference list, not a section.
  CHECK_FALSE(find_node(doc.body, [](const Node& n) { return n.type == NodeType::Section && plain_text(n.title) == "References"; }));
  REQUIRE(doc.references.size() == 2);
  CHECK(doc.references[0].id == "ref-smith");
  CHECK(doc.references[0].href == "https://example.org/smith");
  CHECK(plain_text(doc.references[0].content) == "Smith A. A study. 2019.");
  CHECK(doc.references[1].id == "ref-2");
  CHECK(doc.references[1].href.empty());
  CHECK(plain_text(doc.references[1].content) == "Jones B. Another study, online.");
}

TEST_CASE("markdown reader: a References heading over prose stays a section", "[markdown]") {
  Diagnostics diags;
  const Document doc = ingest_md("# Demo\n\n## References\n\nSee the society's website.\n", diags);
  CHECK(doc.references.empty());
  CHECK(find_node(doc.body, [](const Node& n) { return n.type == NodeType::Section && plain_text(n.title) == "References"; }));
}

TEST_CASE("docs/authoring.md example", "[markdown]") {
  const std::string doc_text = test::slurp(test::repo_path("docs/authoring.md"));
  const size_t start = doc_text.find("```markdown\n");
  REQUIRE(start != std::string::npos);
  const size_t end = doc_text.find("```\n", start + 12);
  Diagnostics diags;
  const Document doc = ingest_md(doc_text.substr(start + 12, end - start - 12), diags);
  CHECK(doc.work == "sample-circuit-safety");
  CHECK(doc.edition == "2024");
  CHECK(doc.meta.organizations.size() == 2);
  CHECK(doc.meta.dates.size() == 2);
  const DocumentStats stats = compute_stats(doc);
  CHECK(stats.standards == 2);
  CHECK(stats.guidelines == 1);
  CHECK(stats.recommendations == 1);
  REQUIRE(doc.word_usage.size() == 3);
  CHECK(doc.word_usage[0].word == "shall");
  CHECK(doc.word_usage[1].word == "should");
  CHECK_FALSE(doc.word_usage[2].from_document);
  REQUIRE(doc.definitions.size() == 1);
  CHECK(doc.definitions[0].term == "Circuit");
  CHECK(stats.term_mentions >= 4);
  const Node* rec = nullptr;
  walk(doc.body, [&](const Node& n, int, const Node*) {
    if (n.type == NodeType::Provision && n.labeled->kind == ProvisionKind::Recommendation) rec = &n;
    return true;
  });
  REQUIRE(rec);
  CHECK(rec->labeled->cls == "I");
  CHECK(rec->labeled->level == "B-NR");
  CHECK(diags.count(Severity::Warning) == 0);
}

// --- Bad input ---------------------------------------------------------------------------------------

namespace {

// Ingests `md`; checks it ends with a valid document or a clear error, within a few seconds.
Diagnostics ingest_bad(const std::string& md) {
  const auto start = std::chrono::steady_clock::now();
  Diagnostics diags;
  ReaderOptions options;
  options.source_name = "bad.md";
  std::optional<Document> doc = markdown::read_markdown(md, options, diags);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 20.0);  // generous bound for a loaded CI machine: guards against quadratic blow-ups
  if (doc) {
    Diagnostics integrity;
    check_integrity(*doc, integrity);
    CHECK_FALSE(integrity.has_errors());
    CHECK_FALSE(write_canonical_xml(*doc).empty());
  } else {
    CHECK(diags.has_errors());
  }
  return diags;
}

bool has_code(const Diagnostics& d, const std::string& code) {
  for (const auto& x : d.all())
    if (x.code == code) return true;
  return false;
}

}  // namespace

TEST_CASE("markdown bad input: 100,000 nested list levels", "[markdown][bad]") {
  std::string md;
  for (int i = 0; i < 100000; ++i) md += "- ";
  md += "deep\n";
  CHECK(has_code(ingest_bad(md), "md-deep-list"));
}

TEST_CASE("markdown bad input: 100,000 nested block quotes", "[markdown][bad]") {
  std::string md(200000, ' ');
  for (size_t i = 0; i < md.size(); i += 2) md[i] = '>';
  md += "quoted\n";
  CHECK(has_code(ingest_bad(md), "md-deep-quote"));
}

TEST_CASE("markdown bad input: 50,000 unclosed brackets and deep emphasis", "[markdown][bad]") {
  const Diagnostics d1 = ingest_bad(std::string(50000, '[') + " text\n");
  CHECK_FALSE(d1.has_errors());
  std::string em;
  for (int i = 0; i < 5000; ++i) em += "*a **b ";
  ingest_bad(em + "\n");
  std::string nested;
  for (int i = 0; i < 200; ++i) nested += "*x ";
  nested += "core";
  for (int i = 0; i < 200; ++i) nested += " x*";
  CHECK(has_code(ingest_bad(nested + "\n"), "md-deep-inline"));
}

TEST_CASE("markdown bad input: a table of 10,000 columns", "[markdown][bad]") {
  std::string head = "|", delim = "|", row = "|";
  for (int i = 0; i < 10000; ++i) {
    head += " h" + std::to_string(i) + " |";
    delim += " --- |";
    row += " c |";
  }
  Diagnostics diags;
  const auto mb = markdown::markdown_to_blocks(head + "\n" + delim + "\n" + row + "\n", diags);
  REQUIRE(mb.blocks.size() == 2);
  CHECK(mb.blocks[0].cells.size() == markdown::kMaxTableColumns);
  CHECK(has_code(diags, "md-wide-table"));
  ingest_bad(head + "\n" + delim + "\n" + row + "\n");
}

TEST_CASE("markdown bad input: deeply nested block quotes inside a provision are one note", "[markdown][bad]") {
  std::string md = "# Demo\n\n**Standard 1.1:** Teams shall act.\n\n";
  for (int i = 0; i < 20000; ++i) md += "> ";
  md += "deep\n";
  const Diagnostics diags = ingest_bad(md);
  CHECK(has_code(diags, "md-deep-quote"));
  Diagnostics d2;
  const Document doc = ingest_md(md, d2);
  const Node* note = find_node(doc.body, [](const Node& n) { return n.type == NodeType::Note; });
  REQUIRE(note);
  CHECK(plain_text(note->children.at(0).children) == "deep");
}

TEST_CASE("markdown bad input: a table of 10,000 columns inside a provision", "[markdown][bad]") {
  std::string head = "|", delim = "|", row = "|";
  for (int i = 0; i < 10000; ++i) {
    head += " h" + std::to_string(i) + " |";
    delim += " --- |";
    row += " *c* |";
  }
  const std::string md = "# Demo\n\n**Standard 1.1:** Teams shall act.\n\nTable: wide\n\n" + head + "\n" + delim + "\n" + row + "\n";
  CHECK(has_code(ingest_bad(md), "md-wide-table"));
  Diagnostics diags;
  const Document doc = ingest_md(md, diags);
  const Node* table = find_node(doc.body, [](const Node& n) { return n.type == NodeType::Table; });
  REQUIRE(table);
  CHECK(plain_text(table->title) == "wide");
  REQUIRE(table->children.size() == 2);
  CHECK(table->children[1].children.size() == markdown::kMaxTableColumns);
  const Node* provision = find_node(doc.body, [](const Node& n) { return n.type == NodeType::Provision; });
  REQUIRE(provision);
  CHECK(provision->children.back().type == NodeType::Table);
}

TEST_CASE("markdown bad input: an anchor id that another block would get", "[markdown][bad]") {
  const std::string head = "---\nwork: demo\nedition: \"2020\"\n---\n# Demo\n\n## Standard 1: Records\n\n";
  Diagnostics d1;
  const Document plain = ingest_md(head + "**Standard 1.1:** Teams shall act.\n\n**Standard 1.2:** Teams shall record.\n", d1);
  const Node* first = find_node(plain.body, [](const Node& n) { return n.labeled && n.labeled->label == "Standard 1.1"; });
  REQUIRE(first);
  const std::string taken = first->labeled->id;
  // Standard 1.2 claims the id Standard 1.1 gets from the recognizer; a cross-reference names it.
  Diagnostics diags;
  const Document doc = ingest_md(head + "**Standard 1.1:** Teams shall act.\n\n<a id=\"" + taken +
                                     "\"></a>**Standard 1.2:** Teams shall record, see [this](#" + taken + ").\n",
                                 diags);
  Diagnostics integrity;
  check_integrity(doc, integrity);
  CHECK_FALSE(integrity.has_errors());
  CHECK(has_code(diags, "bad-anchor"));
  const Node* s11 = find_node(doc.body, [](const Node& n) { return n.labeled && n.labeled->label == "Standard 1.1"; });
  const Node* s12 = find_node(doc.body, [](const Node& n) { return n.labeled && n.labeled->label == "Standard 1.2"; });
  REQUIRE(s11);
  REQUIRE(s12);
  CHECK(s12->labeled->id == taken);
  CHECK(s11->labeled->id != taken);
  const Node* xref = find_node(doc.body, [](const Node& n) { return n.type == NodeType::XRef; });
  REQUIRE(xref);
  CHECK(xref->target == taken);  // the anchor's block
}

TEST_CASE("markdown bad input: a link to a fragment the document lacks stays a link", "[markdown][bad]") {
  // Links to "#..." name ids; one naming no id of the document (another renderer's heading
  // anchor, a typo) must neither break the document nor be dropped.
  const std::string md = "---\nwork: demo\nedition: \"2020\"\n---\n# Demo\n\n## Standard 1: Records\n\n"
                         "**Standard 1.1:** Teams shall act, see [the archive](#the-archive).\n";
  Diagnostics diags;
  const Document doc = ingest_md(md, diags);
  Diagnostics integrity;
  check_integrity(doc, integrity);
  CHECK_FALSE(integrity.has_errors());
  CHECK(has_code(diags, "dangling-link"));
  CHECK(find_node(doc.body, [](const Node& n) { return n.type == NodeType::XRef; }) == nullptr);
  const Node* link = find_node(doc.body, [](const Node& n) { return n.type == NodeType::Link; });
  REQUIRE(link);
  CHECK(link->target == "#the-archive");
  CHECK(plain_text(link->children) == "the archive");
  // The warning points at the paragraph's line (line 9 of the source).
  bool located = false;
  for (const Diagnostic& d : diags.all())
    if (d.code == "dangling-link") located = d.loc.line == 9;
  CHECK(located);
  // A link to an id the document has is still a cross-reference.
  const Node* standard = find_node(doc.body, [](const Node& n) { return n.labeled && n.labeled->label == "Standard 1.1"; });
  REQUIRE(standard);
  Diagnostics d2;
  const Document linked = ingest_md(md + "\n**Standard 1.2:** Teams shall record, see [it](#" + standard->labeled->id + ").\n", d2);
  const Node* xref = find_node(linked.body, [](const Node& n) { return n.type == NodeType::XRef; });
  REQUIRE(xref);
  CHECK(xref->target == standard->labeled->id);
}

TEST_CASE("markdown bad input: binary, NUL bytes, invalid UTF-8, images never fetched", "[markdown][bad]") {
  Diagnostics diags;
  CHECK_FALSE(markdown::read_markdown(std::string("\x00\x01\x02\x03\x00\xff", 6), {}, diags));
  CHECK(has_code(diags, "binary-input"));
  const Diagnostics latin = ingest_bad("# Caf\xe9 Standards\n\nText \xff\xfe.\n");
  CHECK(has_code(latin, "encoding"));
  test::TempDir dir;
  test::spit(dir / "secret.txt", "TOP-SECRET-CONTENT");
  const std::string md = "# Page\n\n![alt text](" + (dir / "secret.txt").string() + ") and <img src=\"file://" +
                         (dir / "secret.txt").string() + "\">\n";
  Diagnostics d2;
  ReaderOptions options;
  std::optional<Document> doc = markdown::read_markdown(md, options, d2);
  REQUIRE(doc);
  CHECK(write_canonical_xml(*doc).find("TOP-SECRET") == std::string::npos);
  CHECK(write_canonical_xml(*doc).find("alt text") != std::string::npos);
}

TEST_CASE("parse_anchor_html keeps the attributes the reader reads, last value winning", "[markdown]") {
  markdown::AnchorAttrs attrs;
  REQUIRE(markdown::parse_anchor_html(R"(<a id="a1" title="t" data-grading="g1"></a><a data-grading="g2"></a>)", attrs));
  CHECK(attrs.find("id") == std::optional<std::string_view>("a1"));
  CHECK(attrs.find("data-grading") == std::optional<std::string_view>("g2"));
  CHECK_FALSE(attrs.contains("title"));  // never read, so not kept
  CHECK_FALSE(attrs.contains("data-force"));

  markdown::AnchorAttrs named;
  REQUIRE(markdown::parse_anchor_html(R"(<a name="n1" data-source="A &amp; B"></a>)", named));
  CHECK(named.find("id") == std::optional<std::string_view>("n1"));
  CHECK(named.find("data-source") == std::optional<std::string_view>("A & B"));

  // Attributes the reader does not read still make the anchors non-empty.
  markdown::AnchorAttrs unread;
  REQUIRE(markdown::parse_anchor_html(R"(<a title="x"></a>)", unread));
  CHECK_FALSE(unread.empty());
  CHECK_FALSE(unread.contains("title"));

  markdown::AnchorAttrs none;
  CHECK_FALSE(markdown::parse_anchor_html("<span>x</span>", none));
}
