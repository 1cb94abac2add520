// The recognizer's input contract as the Markdown and HTML readers will use it: hints from
// markup, pre-parsed inline content, positions in the user's file.
#include <catch2/catch.hpp>

#include "ingest_support.h"

using namespace normkit;
using namespace normkit::test;
using namespace normkit::recognizer;

namespace {

SourceBlock block(std::string text, uint32_t line, BlockHint hint = BlockHint::Plain) {
  SourceBlock b;
  b.text = std::move(text);
  b.loc = {line, 1};
  b.hint = hint;
  return b;
}

}  // namespace

TEST_CASE("recognize() honours reader hints and keeps pre-parsed inlines", "[ingest][recognizer]") {
  std::vector<SourceBlock> blocks;
  SourceBlock title = block("Sample Markdown Standards", 1, BlockHint::Heading);
  title.heading_level = 1;
  blocks.push_back(title);
  SourceBlock menu = block("Home | Standards | Contact", 2, BlockHint::Furniture);
  menu.furniture = FurnitureKind::Navigation;
  blocks.push_back(menu);
  SourceBlock topic = block("Standard 1: Records", 3, BlockHint::Heading);
  topic.heading_level = 2;
  blocks.push_back(topic);
  // "Standard 1.1: Records shall follow the form." with "the form" as a link.
  SourceBlock provision = block("Standard 1.1: Records shall follow the form.", 5);
  provision.inlines.push_back(Node::make_text("Standard 1.1: Records shall follow "));
  Node link(NodeType::Link);
  link.target = "https://example.org/form";
  link.children.push_back(Node::make_text("the form"));
  provision.inlines.push_back(std::move(link));
  provision.inlines.push_back(Node::make_text("."));
  blocks.push_back(provision);
  SourceBlock item = block("signed by the lead", 6, BlockHint::ListItem);
  blocks.push_back(item);
  SourceBlock row1 = block("", 8, BlockHint::TableRow);
  row1.cells = {"Item", "Owner"};
  row1.header_row = true;
  blocks.push_back(row1);
  SourceBlock row2 = block("", 9, BlockHint::TableRow);
  row2.cells = {"Form", "Lead"};
  blocks.push_back(row2);

  Diagnostics diags;
  RecognizerOptions options;
  options.work = "sample-markdown";
  options.edition = "2024";
  Document doc = recognize(std::move(blocks), options, diags);

  Diagnostics integrity;
  check_integrity(doc, integrity);
  CHECK(!integrity.has_errors());
  CHECK(plain_text(doc.meta.title) == "Sample Markdown Standards");
  REQUIRE(doc.body.size() >= 2);
  CHECK(doc.body[0].type == NodeType::Furniture);
  CHECK(doc.body[0].furniture == FurnitureKind::Navigation);
  const auto standards = provisions(doc, ProvisionKind::Standard);
  REQUIRE(standards.size() == 1);
  CHECK(standards[0]->labeled->number == "1.1");
  CHECK(standards[0]->origin_line == 5);
  // The link survives the label cut, the keyword is marked around it.
  const auto links = nodes_of(standards[0]->children, NodeType::Link);
  REQUIRE(links.size() == 1);
  CHECK(links[0]->target == "https://example.org/form");
  CHECK(plain_text(links[0]->children) == "the form");
  CHECK(nodes_of(standards[0]->children, NodeType::Keyword).size() == 1);
  CHECK(plain_text(standards[0]->children[0].children) == "Records shall follow the form.");
  // The list item belongs to the provision; the table rows make one table.
  CHECK(nodes_of(standards[0]->children, NodeType::List).size() == 1);
  const auto tables = nodes_of(doc.body, NodeType::Table);
  REQUIRE(tables.size() == 1);
  CHECK(tables[0]->children.size() == 2);
  CHECK(tables[0]->children[0].flag);
  // No heading was guessed: the reader said which lines are headings.
  for (const Diagnostic& d : diags.all()) CHECK(d.code != "heading-guessed");
}

TEST_CASE("locate() maps offsets of a joined block back to the user's lines", "[ingest][recognizer]") {
  SourceBlock b = block("first line second line", 10);
  b.loc = {10, 3};
  b.anchors.push_back({11, {11, 5}});
  CHECK(locate(b, 0).line == 10);
  CHECK(locate(b, 0).col == 3);
  CHECK(locate(b, 6).col == 9);
  CHECK(locate(b, 11).line == 11);
  CHECK(locate(b, 11).col == 5);
  CHECK(locate(b, 18).col == 12);
}
