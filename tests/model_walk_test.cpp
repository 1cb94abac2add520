#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "core/model.h"

using namespace normkit;

namespace {

// The walks restated plainly: every node pushed on a stack of its own, children then title in
// reverse, so that a node comes first, then its title, then its children.
struct Visit {
  const Node* node;
  int depth;
  const Node* parent;
  bool operator==(const Visit&) const = default;
};

template <class Skip>
std::vector<Visit> reference_walk(const std::vector<Node>& roots, Skip skip) {
  std::vector<Visit> seen, stack;
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.push_back({&*it, 0, nullptr});
  while (!stack.empty()) {
    const Visit v = stack.back();
    stack.pop_back();
    seen.push_back(v);
    if (skip(*v.node)) continue;
    for (auto it = v.node->children.rbegin(); it != v.node->children.rend(); ++it)
      stack.push_back({&*it, v.depth + 1, v.node});
    for (auto it = v.node->title.rbegin(); it != v.node->title.rend(); ++it)
      stack.push_back({&*it, v.depth + 1, v.node});
  }
  return seen;
}

// Random forests: empty and non-empty titles and children at every level, some levels far deeper
// than readers allow and wide at each level (so that many levels are left unfinished at once).
struct ForestGenerator {
  std::mt19937 rng;
  size_t budget = 0;
  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); }
  std::vector<Node> level(int depth, int max_depth) {
    std::vector<Node> out;
    const size_t count = depth >= max_depth || budget == 0 ? 0 : pick(4);
    for (size_t i = 0; i < count && budget > 0; ++i) {
      --budget;  // before the levels below take theirs
      Node n(static_cast<NodeType>(pick(static_cast<size_t>(NodeType::LineBreak) + 1)));
      n.text = std::to_string(budget);
      if (pick(3) == 0) n.title = level(depth + 1, max_depth);
      if (pick(4) != 0) n.children = level(depth + 1, max_depth);
      out.push_back(std::move(n));
    }
    return out;
  }
  // A spine `depth` levels deep with a sibling and a title at every level.
  std::vector<Node> deep(int depth) {
    std::vector<Node> roots(1);
    Node* at = &roots[0];
    for (int i = 0; i < depth; ++i) {
      at->title.push_back(Node::make_text("t"));
      at->children.resize(2);
      at = &at->children[0];
    }
    return roots;
  }
};

void dismantle(std::vector<Node>& roots) {
  // Iteratively: the default destructor would recurse as deep as the tree.
  std::vector<Node> pending = std::move(roots);
  while (!pending.empty()) {
    Node n = std::move(pending.back());
    pending.pop_back();
    for (Node& c : n.children) pending.push_back(std::move(c));
    for (Node& c : n.title) pending.push_back(std::move(c));
    n.children.clear();
    n.title.clear();
  }
}

}  // namespace

TEST_CASE("walk and walk_mutable visit what a per-node stack visits, in the same order", "[model]") {
  ForestGenerator gen{std::mt19937(20261125)};
  for (int round = 0; round < 400; ++round) {
    std::vector<Node> roots;
    if (round % 50 == 48) {
      roots = gen.deep(300 + round);  // beyond the walks' fixed stack
    } else {
      gen.budget = 1 + gen.pick(400);
      roots = gen.level(0, round % 3 == 0 ? 200 : 8);
    }
    // Skip the children of some nodes (the visitors' `false`), chosen by content.
    const auto skip = [&](const Node& n) { return round % 2 == 1 && n.text.size() % 3 == 0; };
    const std::vector<Visit> expected = reference_walk(roots, skip);

    std::vector<Visit> seen;
    walk(roots, [&](const Node& n, int depth, const Node* parent) {
      seen.push_back({&n, depth, parent});
      return !skip(n);
    });
    REQUIRE(seen == expected);

    std::vector<Visit> seen_mutable;
    walk_mutable(roots, [&](Node& n, int depth) {
      seen_mutable.push_back({&n, depth, nullptr});
      return !skip(n);
    });
    REQUIRE(seen_mutable.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      REQUIRE(seen_mutable[i].node == expected[i].node);
      REQUIRE(seen_mutable[i].depth == expected[i].depth);
    }
    dismantle(roots);
  }
}

TEST_CASE("walk_mutable reads a node's title and children after its visit", "[model]") {
  // The visitor may replace the node's own content (normalize_inline_whitespace does): the walk
  // goes on into the new content.
  std::vector<Node> roots(2);
  roots[0].children.resize(1);
  std::vector<std::string> seen;
  walk_mutable(roots, [&](Node& n, int depth) {
    seen.push_back(std::to_string(depth) + n.text);
    if (depth == 0 && n.text.empty() && &n == &roots[0]) {
      n.title = {Node::make_text("a"), Node::make_text("b")};
      n.children = {Node::make_text("c")};
    }
    return true;
  });
  CHECK(seen == std::vector<std::string>{"0", "1a", "1b", "1c", "0"});
}

TEST_CASE("plain_text is the text of every node in walk order", "[model]") {
  ForestGenerator gen{std::mt19937(7)};
  for (int round = 0; round < 300; ++round) {
    gen.budget = 1 + gen.pick(40);
    std::vector<Node> inlines = gen.level(0, 6);
    if (round % 4 == 0) {
      // One Text node (plain_text's shortcut), sometimes with something below it.
      inlines = {Node::make_text("text " + std::to_string(round))};
      if (round % 8 == 0) inlines[0].children = gen.level(1, 4);
      if (round % 16 == 0) inlines[0].title = {Node::make_text("title")};
    }
    std::string expected;
    for (const Visit& v : reference_walk(inlines, [](const Node&) { return false; })) {
      if (v.node->type == NodeType::Text || v.node->type == NodeType::Keyword) expected += v.node->text;
      if (v.node->type == NodeType::LineBreak) expected += ' ';
    }
    REQUIRE(plain_text(inlines) == expected);
  }
}
