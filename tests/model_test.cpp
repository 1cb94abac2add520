#include <catch2/catch.hpp>

#include "core/model.h"

using namespace normkit;

TEST_CASE("vocabulary names round-trip through to_string and parse", "[model]") {
  for (int i = 0; i <= static_cast<int>(Force::Informative); ++i) {
    const auto f = static_cast<Force>(i);
    REQUIRE(parse_force(to_string(f)) == f);
  }
  for (int i = 0; i <= static_cast<int>(ProvisionKind::Requirement); ++i) {
    const auto k = static_cast<ProvisionKind>(i);
    REQUIRE(parse_provision_kind(to_string(k)) == k);
  }
  for (int i = 0; i <= static_cast<int>(FurnitureKind::Other); ++i) {
    const auto k = static_cast<FurnitureKind>(i);
    REQUIRE(parse_furniture_kind(to_string(k)) == k);
  }
  CHECK_FALSE(parse_force("Mandatory").has_value());
  CHECK_FALSE(parse_doc_type("").has_value());
  CHECK(display_name(ProvisionKind::Guideline) == "Guideline");
}

TEST_CASE("class and level vocabularies are the ACC/AHA ones", "[model]") {
  for (const char* c : {"I", "IIa", "IIb", "III", "III-no-benefit", "III-harm"}) CHECK(is_valid_class(c));
  for (const char* c : {"IIA", "1", "IV", "", "III harm"}) CHECK_FALSE(is_valid_class(c));
  for (const char* l : {"A", "B", "C", "B-R", "B-NR", "C-LD", "C-EO"}) CHECK(is_valid_level(l));
  for (const char* l : {"D", "b", "B-X", ""}) CHECK_FALSE(is_valid_level(l));
}

TEST_CASE("walk visits titles before children, in document order, without recursion", "[model]") {
  std::vector<Node> body;
  Node section = Node::make_section("1", "Standard 1");
  section.title.push_back(Node::make_text("Title"));
  Node provision = Node::make_provision(ProvisionKind::Standard, "1.1", "");
  provision.children.push_back(Node::make_paragraph({Node::make_text("a "), Node::make_keyword("SHALL", "shall", Force::Mandatory)}));
  section.children.push_back(std::move(provision));
  body.push_back(std::move(section));
  std::vector<std::string> seen;
  walk(body, [&](const Node& n, int depth, const Node*) {
    seen.push_back(std::to_string(depth) + ":" + std::to_string(static_cast<int>(n.type)) + ":" + n.text);
    return true;
  });
  const std::vector<std::string> expected = {
      "0:" + std::to_string(static_cast<int>(NodeType::Section)) + ":",
      "1:" + std::to_string(static_cast<int>(NodeType::Text)) + ":Title",
      "1:" + std::to_string(static_cast<int>(NodeType::Provision)) + ":",
      "2:" + std::to_string(static_cast<int>(NodeType::Paragraph)) + ":",
      "3:" + std::to_string(static_cast<int>(NodeType::Text)) + ":a ",
      "3:" + std::to_string(static_cast<int>(NodeType::Keyword)) + ":SHALL"};
  CHECK(seen == expected);
}

TEST_CASE("walk handles a very deep tree without overflowing the stack", "[model]") {
  // Deeper than any reader allows, to prove the walk itself does not recurse.
  Node root(NodeType::Note);
  Node* cur = &root;
  for (int i = 0; i < 100000; ++i) {
    cur->children.emplace_back(NodeType::Note);
    cur = &cur->children.back();
  }
  std::vector<Node> roots;
  roots.push_back(std::move(root));
  int max_depth = 0;
  size_t count = 0;
  walk(roots, [&](const Node&, int depth, const Node*) {
    max_depth = std::max(max_depth, depth);
    ++count;
    return true;
  });
  CHECK(count == 100001);
  CHECK(max_depth == 100000);
  // Dismantle iteratively: the default destructor would recurse 100,000 levels.
  std::vector<Node> pending;
  pending.push_back(std::move(roots[0]));
  while (!pending.empty()) {
    Node n = std::move(pending.back());
    pending.pop_back();
    for (Node& c : n.children) pending.push_back(std::move(c));
    n.children.clear();
  }
}

TEST_CASE("inline white space is normalized the same way every time", "[model]") {
  std::vector<Node> v;
  v.push_back(Node::make_text("  The\n\tteam "));
  v.push_back(Node::make_text("  "));
  v.push_back(Node::make_keyword("shall", "shall", Force::Mandatory));
  v.push_back(Node::make_text(" act  "));
  Node em(NodeType::Emphasis);
  em.children.push_back(Node::make_text("  now  "));
  v.push_back(std::move(em));
  v.push_back(Node::make_text("   "));
  normalize_inline_whitespace(v);
  REQUIRE(v.size() == 4);
  CHECK(v[0].text == "The team ");
  CHECK(v[1].type == NodeType::Keyword);
  CHECK(v[2].text == " act ");
  CHECK(v[3].type == NodeType::Emphasis);
  CHECK(v[3].children[0].text == " now ");  // inner spaces collapse but are not trimmed
  std::vector<Node> again = v;
  normalize_inline_whitespace(again);
  CHECK(plain_text(again) == plain_text(v));
  CHECK(plain_text(v) == "The team shall act  now ");
}

TEST_CASE("Node copies are deep", "[model]") {
  Node p = Node::make_provision(ProvisionKind::Recommendation, "3", "Recommendation 3");
  p.labeled->cls = "IIa";
  Node copy = p;
  copy.labeled->cls = "I";
  CHECK(p.labeled->cls == "IIa");
  CHECK(copy.labeled->label == "Recommendation 3");
}

TEST_CASE("compute_stats counts provisions by kind and ignores furniture", "[model]") {
  Document doc;
  Node s = Node::make_section("1", "");
  s.children.push_back(Node::make_provision(ProvisionKind::Standard, "1.1", ""));
  s.children.push_back(Node::make_provision(ProvisionKind::Standard, "1.2", ""));
  s.children.push_back(Node::make_provision(ProvisionKind::Guideline, "1.1", ""));
  doc.body.push_back(std::move(s));
  Node f(NodeType::Furniture);
  f.children.push_back(Node::make_provision(ProvisionKind::Standard, "9.9", ""));
  doc.body.push_back(std::move(f));
  // A provision inside a list item, and a paragraph with a keyword and a term mention.
  Node list(NodeType::List);
  Node item(NodeType::ListItem);
  item.children.push_back(Node::make_provision(ProvisionKind::Recommendation, "3", ""));
  Node term(NodeType::TermRef);
  term.children.push_back(Node::make_text("team"));
  item.children.push_back(Node::make_paragraph(
      {Node::make_keyword("shall", "shall", Force::Mandatory), Node::make_text(" "), std::move(term)}));
  list.children.push_back(std::move(item));
  doc.body.push_back(std::move(list));
  // Structure only (count_inline false): the same counts, without looking into inline content.
  for (const bool count_inline : {true, false}) {
    INFO("count_inline " << count_inline);
    const DocumentStats st = compute_stats(doc, count_inline);
    CHECK(st.sections == 1);
    CHECK(st.standards == 2);
    CHECK(st.guidelines == 1);
    CHECK(st.recommendations == 1);
    CHECK(st.furniture == 1);
    CHECK(st.keywords == (count_inline ? 1u : 0u));
    CHECK(st.term_mentions == (count_inline ? 1u : 0u));
  }
}

TEST_CASE("white space that needs collapsing is found at every offset of a long text", "[model]") {
  // The check reads eight bytes at a time: put each kind of white space at every offset of the
  // first words, across word boundaries and in the tail, beside a text that is already normal.
  const std::string base = "The perfusionist records the pump flow and the temperature.";
  for (const std::string& bad : {std::string("  "), std::string("\t"), std::string("\n"),
                                 std::string("\r")}) {
    for (size_t at = 1; at + 1 < base.size(); ++at) {
      std::string s = base;
      s.insert(at, bad);
      std::vector<Node> v{Node::make_text(s)};
      INFO("'" << s << "'");
      CHECK_FALSE(inline_whitespace_is_normal(v));
      normalize_inline_whitespace(v);
      CHECK(inline_whitespace_is_normal(v));
      CHECK(v[0].text.find("  ") == std::string::npos);
    }
  }
  std::vector<Node> normal{Node::make_text(base)};
  CHECK(inline_whitespace_is_normal(normal));
  std::vector<Node> single_spaces{Node::make_text("a b c d e f g h i j k l m n o p q r s t")};
  CHECK(inline_whitespace_is_normal(single_spaces));
  // A control byte other than tab, line feed and carriage return is not white space to collapse.
  std::vector<Node> form_feed{Node::make_text("page one \f page two")};
  CHECK(inline_whitespace_is_normal(form_feed));
}

TEST_CASE("has_collapsible_whitespace agrees with a byte-by-byte reading", "[model]") {
  // The writer and the recognizer ask it directly: every length up to 40, each byte that matters
  // (space, tab, line feed, carriage return, another control byte, a high byte) at every place,
  // alone and beside a space.
  const auto by_bytes = [](std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r') return true;
      if (s[i] == ' ' && i + 1 < s.size() && s[i + 1] == ' ') return true;
    }
    return false;
  };
  size_t collapsible = 0;
  for (size_t len = 0; len <= 40; ++len)
    for (size_t at = 0; at < len; ++at)
      for (const char c : {' ', '\t', '\n', '\r', '\f', '\x85'})
        for (const bool space_after : {false, true}) {
          std::string s(len, 'x');
          s[at] = c;
          if (space_after && at + 1 < len) s[at + 1] = ' ';
          INFO("length " << len << ", byte " << int(static_cast<unsigned char>(c)) << " at " << at);
          CHECK(has_collapsible_whitespace(s) == by_bytes(s));
          collapsible += by_bytes(s);
        }
  CHECK(collapsible > 1000);  // the cases above hold both answers
  CHECK_FALSE(has_collapsible_whitespace(""));
}
