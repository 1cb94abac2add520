// Iterative depth-first walk over the model (included by model.h).
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace normkit {

namespace detail {

// The levels a walk has still to finish, each a range of sibling nodes: one entry per level
// started (not one per node), in a fixed array as deep as readers nest, moved to the heap (and
// doubled) only for deeper trees built by code. A push is a compare and a store.
template <class Span>
class WalkStack {
 public:
  WalkStack() : base_(fixed_), top_(fixed_), limit_(fixed_ + kFixed) {}
  WalkStack(const WalkStack&) = delete;
  WalkStack& operator=(const WalkStack&) = delete;
  bool empty() const { return top_ == base_; }
  void push(const Span& s) {
    if (top_ == limit_) grow();
    *top_++ = s;
  }
  Span pop() { return *--top_; }

 private:
  static constexpr size_t kFixed = 2 * static_cast<size_t>(kMaxDepth) + 2;  // a title and children per level
  void grow() {
    const size_t size = static_cast<size_t>(top_ - base_);
    auto bigger = std::make_unique<Span[]>(size * 2);
    std::copy(base_, top_, bigger.get());
    heap_ = std::move(bigger);
    base_ = heap_.get();
    top_ = base_ + size;
    limit_ = base_ + size * 2;
  }
  Span fixed_[kFixed];
  std::unique_ptr<Span[]> heap_;
  Span* base_;
  Span* top_;
  Span* limit_;
};

}  // namespace detail

// Both walks visit a node, then its title, then its children, then its next sibling. A node's
// title and children are read right after its visit, as ranges: the next sibling still to visit
// is kept per level, not every node pushed.
template <class Visitor>
void walk(const std::vector<Node>& roots, Visitor&& visit) {
  struct Span {
    const Node* at;
    const Node* end;
    const Node* parent;
    int depth;
  };
  detail::WalkStack<Span> stack;
  Span current{roots.data(), roots.data() + roots.size(), nullptr, 0};
  while (true) {
    if (current.at == current.end) {
      if (stack.empty()) return;
      current = stack.pop();
      continue;
    }
    const Node& n = *current.at++;
    if (!visit(n, current.depth, current.parent)) continue;
    const Node* const title = n.title.data();
    const Node* const title_end = title + n.title.size();
    const Node* const children = n.children.data();
    const Node* const children_end = children + n.children.size();
    if (title == title_end && children == children_end) continue;
    if (current.at != current.end) stack.push(current);
    const int depth = current.depth + 1;
    // Title inlines come before the children in reading order.
    if (title != title_end) {
      if (children != children_end) stack.push({children, children_end, &n, depth});
      current = {title, title_end, &n, depth};
    } else {
      current = {children, children_end, &n, depth};
    }
  }
}

template <class Visitor>
void walk_mutable(std::vector<Node>& roots, Visitor&& visit) {
  struct Span {
    Node* at;
    Node* end;
    int depth;
  };
  detail::WalkStack<Span> stack;
  Span current{roots.data(), roots.data() + roots.size(), 0};
  while (true) {
    if (current.at == current.end) {
      if (stack.empty()) return;
      current = stack.pop();
      continue;
    }
    Node& n = *current.at++;
    if (!visit(n, current.depth)) continue;
    Node* const title = n.title.data();
    Node* const title_end = title + n.title.size();
    Node* const children = n.children.data();
    Node* const children_end = children + n.children.size();
    if (title == title_end && children == children_end) continue;
    if (current.at != current.end) stack.push(current);
    const int depth = current.depth + 1;
    if (title != title_end) {
      if (children != children_end) stack.push({children, children_end, depth});
      current = {title, title_end, depth};
    } else {
      current = {children, children_end, depth};
    }
  }
}

}  // namespace normkit
