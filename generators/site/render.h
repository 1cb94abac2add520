// Renders the model's blocks and inlines as HTML, iteratively (an explicit stack, no recursion),
// escaping through escape.h only. Furniture renders as nothing.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "core/model.h"
#include "generators/site/site_model.h"

namespace normkit::site {

// Where the content being rendered lives and what its links point to.
struct RenderContext {
  const SiteModel* site = nullptr;
  size_t doc = 0;          // index of the document the content belongs to
  std::string root;        // relative path from the page to the site root: "" or "../../"
  std::string xref_page;   // prefix of cross-reference targets: "" on the document's own page
  int base_heading = 2;    // heading level of top-level sections
  int next_tooltip = 0;    // unique tooltip ids on one page
  int next_scope = 0;      // scope statements seen so far (their anchors count in order)
  // Plain text of each definition of the document, for tooltips.
  const std::unordered_map<std::string, std::string>* definition_text = nullptr;
};

void render_blocks(RenderContext& ctx, const std::vector<Node>& blocks, std::string& out);
void render_inlines(RenderContext& ctx, const std::vector<Node>& inlines, std::string& out);

// A keyword shown with its force: <strong class="kw f-mandatory">.
void render_keyword(std::string_view as_written, Force force, std::string& out);

// Badges of a provision: kind, class, level.
void render_badges(const Labeled& l, std::string& out);

}  // namespace normkit::site
