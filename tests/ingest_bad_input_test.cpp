// Bad input for `normkit ingest`: every case gets a diagnostic and either a valid (maybe nearly
// empty) document or a clear error with a non-zero exit; never a crash or a hang. Sizes are large
// enough to expose quadratic behaviour; nothing here asserts timing.
#include <catch2/catch.hpp>

#include <fstream>

#include "ingest_support.h"

using namespace normkit;
using namespace normkit::test;

TEST_CASE("binary input is refused with a positioned error and exit 1", "[ingest][bad-input]") {
  TempDir dir;
  std::string bytes = "\x89PNG\r\n\x1a\n";
  for (int i = 0; i < 4096; ++i) bytes += static_cast<char>((i * 37) % 32);
  spit(dir / "image.txt", bytes);
  const auto r = run({"ingest", (dir / "image.txt").string(), "-o", (dir / "out.xml").string()});
  CHECK(r.code == 1);
  CHECK(r.err.find("image.txt:2:") != std::string::npos);
  CHECK(r.err.find("error: not text") != std::string::npos);
  CHECK(r.err.find("[binary-input]") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "out.xml"));
}

TEST_CASE("an empty file gives a valid, empty document and a warning", "[ingest][bad-input]") {
  Ingested r = ingest_bytes("", "empty.txt");
  REQUIRE(r.doc);
  CHECK(r.valid);
  CHECK(r.has("empty-input"));
  CHECK(r.doc->body.empty());
  CHECK(r.doc->work == "empty");
  Ingested blanks = ingest_bytes("\n\n   \n\t\n", "blank.txt");
  REQUIRE(blanks.doc);
  CHECK(blanks.valid);
  CHECK(blanks.has("empty-input"));
}

TEST_CASE("NUL bytes inside text are removed and reported at their position", "[ingest][bad-input]") {
  Ingested r = ingest_bytes(std::string("Sample Standards\n\nStandard 1: Records\n\nStandard 1.1: The team sh\0all sign.\n", 75),
                            "nul.txt");
  REQUIRE(r.doc);
  CHECK(r.valid);
  const Diagnostic* d = nullptr;
  for (const Diagnostic& x : r.diags.all())
    if (x.code == "control-characters") d = &x;
  REQUIRE(d);
  CHECK(d->severity == Severity::Warning);
  CHECK(d->loc.line == 5);
  CHECK(d->loc.col == 26);
  CHECK(provisions(*r.doc, ProvisionKind::Standard).size() == 1);
  CHECK(r.xml.find(">shall</kw>") != std::string::npos);
}

TEST_CASE("invalid UTF-8 sequences become U+FFFD with a warning", "[ingest][bad-input]") {
  Ingested r = ingest_bytes("Sample Standards\n\nStandard 1: Caf\xC3\xA9\n\nStandard 1.1: Bad \xFF\xC3 bytes shall go.\n",
                            "bad.txt");
  REQUIRE(r.doc);
  CHECK(r.valid);
  const Diagnostic* d = nullptr;
  for (const Diagnostic& x : r.diags.all())
    if (x.code == "invalid-utf8") d = &x;
  REQUIRE(d);
  CHECK(d->loc.line == 5);
  CHECK(d->loc.col == 19);
  CHECK(r.xml.find("Bad \xEF\xBF\xBD\xEF\xBF\xBD bytes") != std::string::npos);
  CHECK(r.xml.find("Caf\xC3\xA9") != std::string::npos);
}

TEST_CASE("100,000 bullet lines stay one list in linear time", "[ingest][bad-input]") {
  std::string text = "Sample Standards\n\nStandard 1: Supplies\n\nStandard 1.1: The store shall hold:\n";
  for (int i = 0; i < 100000; ++i) text += "\xE2\x80\xA2 item number " + std::to_string(i) + "\n";
  Ingested r = ingest_bytes(text, "bullets.txt");
  REQUIRE(r.doc);
  CHECK(r.valid);
  const auto standards = provisions(*r.doc, ProvisionKind::Standard);
  REQUIRE(standards.size() == 1);
  const auto lists = nodes_of(standards[0]->children, NodeType::List);
  REQUIRE(lists.size() == 1);
  CHECK(lists[0]->children.size() == 100000);
}

TEST_CASE("deeply indented list items are clamped within the model's depth", "[ingest][bad-input]") {
  std::string text = "Sample\n\n";
  for (int i = 0; i < 3000; ++i) text += std::string(static_cast<size_t>(i), ' ') + "- level " + std::to_string(i) + "\n";
  Ingested r = ingest_bytes(text, "deep.txt");
  REQUIRE(r.doc);
  CHECK(r.valid);
  size_t items = 0;
  int deepest = 0;
  walk(r.doc->body, [&](const Node& n, int depth, const Node*) {
    if (n.type == NodeType::ListItem) ++items;
    deepest = std::max(deepest, depth);
    return true;
  });
  CHECK(items == 3000);
  CHECK(deepest < kMaxDepth);
}

TEST_CASE("text with no recognizable structure is kept as paragraphs and reported", "[ingest][bad-input]") {
  Ingested r = ingest_bytes("some words without any structure\n\nand a second short line of them\n", "plain.txt");
  REQUIRE(r.doc);
  CHECK(r.valid);
  CHECK(r.has("no-structure"));
  CHECK(nodes_of(r.doc->body, NodeType::Paragraph).size() == 2);
  CHECK(r.xml.find("and a second short line of them") != std::string::npos);
}

TEST_CASE("pathological parentheses and long lines stay linear", "[ingest][bad-input]") {
  std::string text = "Sample CPG\n\nRecommendations\n\n";
  for (int i = 0; i < 200000; ++i) text += "(Class ";
  text += "\n";
  Ingested r = ingest_bytes(text, "parens.txt");
  REQUIRE(r.doc);
  CHECK(r.valid);
}

namespace {

// A title, then one line holding `sentence` `times` times.
Ingested one_long_line(const std::string& sentence, int times, const std::string& name) {
  std::string text = "Sample CPG\n\n";
  for (int i = 0; i < times; ++i) text += sentence;
  text += "\n";
  return ingest_bytes(text, name);
}

}  // namespace

TEST_CASE("one line of 30,000 annotated recommendations with glued sentences", "[ingest][bad-input]") {
  // Each annotation ends a recommendation and the text after it starts the next: this once
  // recursed once per annotation (a stack overflow) and located every one from the start of
  // the line, as did the glued-sentence count (quadratic time).
  Ingested r = one_long_line("Use the pump.The team checks it (Class I, Level A) ", 30000, "annotations.txt");
  REQUIRE(r.doc);
  CHECK(r.valid);
  CHECK(nodes_of(r.doc->body, NodeType::Provision).size() == 30000);
  CHECK(r.has("glued-sentence"));
}

TEST_CASE("a 200 MB file without line breaks ingests in one pass", "[ingest][bad-input][huge]") {
  TempDir dir;
  const auto source = dir / "huge.txt";
  {
    std::ofstream out(source, std::ios::binary);
    const std::string sentence = "Perfusion data recorded during bypass are reviewed each month by the team. ";
    std::string chunk;
    while (chunk.size() < (1u << 20)) chunk += sentence;
    for (int i = 0; i < 200; ++i) out << chunk;
  }
  REQUIRE(std::filesystem::file_size(source) >= 200u * 1000 * 1000);
  const auto r = run({"ingest", source.string(), "-o", (dir / "huge.xml").string()});
  CHECK(r.code == 0);
  CHECK(r.err.find("[no-structure]") != std::string::npos);
  const auto size = std::filesystem::file_size(dir / "huge.xml");
  CHECK(size > std::filesystem::file_size(source));
  std::ifstream in(dir / "huge.xml", std::ios::binary);
  in.seekg(-12, std::ios::end);
  std::string tail(12, '\0');
  in.read(tail.data(), 12);
  CHECK(tail == "</document>\n");
}

TEST_CASE("one line of 20,000 unparenthesized annotations", "[ingest][bad-input]") {
  // Each "Class I, Level B." closes a recommendation. Every search for the next annotation once
  // looked for '(' to the end of the line, and every finding located its column from the start
  // of the line: both quadratic on one long line.
  Ingested r = one_long_line("The team should check it, Class I, Level B. ", 20000, "unparenthesized.txt");
  REQUIRE(r.doc);
  CHECK(r.valid);
  CHECK(nodes_of(r.doc->body, NodeType::Provision).size() == 20000);
}
