// Iterative depth-first walk over the model (included by model.h).
#pragma once

#include <utility>
#include <vector>

namespace normkit {

template <class Visitor>
void walk(const std::vector<Node>& roots, Visitor&& visit) {
  struct Frame {
    const Node* node;
    int depth;
    const Node* parent;
  };
  std::vector<Frame> stack;
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.push_back({&*it, 0, nullptr});
  while (!stack.empty()) {
    Frame f = stack.back();
    stack.pop_back();
    if (!visit(*f.node, f.depth, f.parent)) continue;
    // Title inlines come before the children in reading order, so push them last.
    for (auto it = f.node->children.rbegin(); it != f.node->children.rend(); ++it)
      stack.push_back({&*it, f.depth + 1, f.node});
    for (auto it = f.node->title.rbegin(); it != f.node->title.rend(); ++it)
      stack.push_back({&*it, f.depth + 1, f.node});
  }
}

template <class Visitor>
void walk_mutable(std::vector<Node>& roots, Visitor&& visit) {
  struct Frame {
    Node* node;
    int depth;
  };
  std::vector<Frame> stack;
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.push_back({&*it, 0});
  while (!stack.empty()) {
    Frame f = stack.back();
    stack.pop_back();
    if (!visit(*f.node, f.depth)) continue;
    for (auto it = f.node->children.rbegin(); it != f.node->children.rend(); ++it)
      stack.push_back({&*it, f.depth + 1});
    for (auto it = f.node->title.rbegin(); it != f.node->title.rend(); ++it)
      stack.push_back({&*it, f.depth + 1});
  }
}

}  // namespace normkit
