// A fast check before normalize_inline_whitespace (core/model.h): most inline runs a reader builds
// already obey the whitespace rule, and normalizing copies every level. Shared by the Markdown and
// HTML readers.
#pragma once

#include <vector>

#include "core/model.h"

namespace normkit {

// True when normalize_inline_whitespace(inlines, true) would change nothing. Iterative.
inline bool inline_whitespace_is_normal(const std::vector<Node>& inlines) {
  auto text_ok = [](const std::string& t) {
    char prev = 'x';
    for (char c : t) {
      // One comparison for the common case: most characters are above the space.
      if (static_cast<unsigned char>(c) <= ' ') {
        if (c == '\t' || c == '\n' || c == '\r') return false;
        if (c == ' ' && prev == ' ') return false;
      }
      prev = c;
    }
    return true;
  };
  auto level_ok = [&](const std::vector<Node>& v, bool trim_ends) {
    for (size_t i = 0; i < v.size(); ++i) {
      const Node& n = v[i];
      if (n.type == NodeType::Text) {
        if (n.text.empty() || (i > 0 && v[i - 1].type == NodeType::Text)) return false;
        // Spaces may not double up across a boundary inside one container either.
        if (i > 0 && v[i - 1].type == NodeType::Text && v[i - 1].text.back() == ' ' && n.text.front() == ' ')
          return false;
      }
      if ((n.type == NodeType::Text || n.type == NodeType::Keyword) && !text_ok(n.text)) return false;
    }
    if (trim_ends && !v.empty()) {
      if (v.front().type == NodeType::Text && v.front().text.front() == ' ') return false;
      if (v.back().type == NodeType::Text && v.back().text.back() == ' ') return false;
    }
    return true;
  };
  if (!level_ok(inlines, true)) return false;
  bool ok = true;
  walk(inlines, [&](const Node& n, int, const Node*) {
    if (ok && !n.children.empty() && !level_ok(n.children, false)) ok = false;
    return ok;
  });
  return ok;
}

}  // namespace normkit
