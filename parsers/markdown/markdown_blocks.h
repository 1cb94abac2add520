// Markdown → SourceBlocks for the shared recognizer (parsers/recognizer/recognizer.h).
//
// Parsed with cmark (CommonMark 0.30) and walked with cmark_iter, never by recursion. What is
// mapped (the documented subset, docs/authoring.md):
//   ATX and setext headings   → Heading blocks (level 1..6)
//   paragraphs                → Plain blocks, or BoldLabel when they start with **bold**
//   list items (nested)       → ListItem blocks; "a)", "(b)", "iv." at the start of a bullet
//                               item become its label, so lettered lists survive CommonMark
//   pipe tables               → TableRow blocks (cmark core has no tables: a paragraph whose
//                               lines start with '|' and whose second line is a delimiter row),
//                               each cell's inlines parsed; "Table: caption" just before one →
//                               a TableCaption block
//   emphasis, strong, links,  → inlines; links to "#id" become cross-references, unsafe schemes
//   hard line breaks             (javascript:, data:, vbscript:, file:) are dropped with a warning
//   <a id="..."></a>          → anchors: the permanent ids of the block that follows or holds them
//   block quotes              → their blocks with note_depth (a note; nested quotes join it)
//   code, images, raw HTML    → text only (code, image alt text), raw HTML dropped with a warning
// Blank blocks stand where the source has a blank line between blocks.
// Positions are lines and code-point columns of the user's file, front matter included.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostics.h"
#include "parsers/markdown/front_matter.h"
#include "parsers/recognizer/recognizer.h"

namespace normkit::markdown {

// Widest table kept cell by cell; further cells are joined into the last one (with a warning).
inline constexpr size_t kMaxTableColumns = 1000;

// Attributes of a block's anchors by name. A block has a few (normkit writes an id and one or
// two data- attributes), so they live in one string, each as [name size][value size][name][value]
// in the order set: one allocation per block's anchors, where a vector of string pairs cost an
// allocation and a sorted insert per attribute.
// Only the attributes the reader reads (kReadAnchorAttributes) are stored: the others would
// change nothing, and a tag of thousands of them would make every lookup long. They still make
// the attributes non-empty, as a block with anchors differs from one without.
inline constexpr std::string_view kReadAnchorAttributes[] = {
    "id", "data-force", "data-origin", "data-alt", "data-source", "data-grading",
    "data-number", "data-kind", "data-work", "data-href", "data-orgs"};

class AnchorAttrs {
 public:
  // The value of `name`, or nullopt when the anchors do not set it. Valid until the next change.
  std::optional<std::string_view> find(std::string_view name) const;
  bool contains(std::string_view name) const { return find(name).has_value(); }
  // Sets `name` to `value`, replacing a value it had.
  void set(std::string_view name, std::string_view value);
  // Every attribute of `other`, replacing values these had.
  void set_all(AnchorAttrs&& other);
  // The attributes of `other` these do not have.
  void add_missing(const AnchorAttrs& other);
  void reserve(size_t bytes) { data_.reserve(bytes); }
  bool empty() const { return !any_; }
  void clear() {
    data_.clear();
    any_ = false;
  }
  void swap(AnchorAttrs& other) noexcept {
    data_.swap(other.data_);
    std::swap(any_, other.any_);
  }
  // Calls visit(name, value) for each attribute, in the order they were first set.
  template <class Visit>
  void each(Visit&& visit) const {
    for (size_t at = 0; at < data_.size();) {
      const Entry e = entry(at);
      visit(e.name, e.value);
      at = e.next;
    }
  }

 private:
  struct Entry {
    std::string_view name, value;
    size_t next;  // offset of the following entry
  };
  Entry entry(size_t at) const;
  void append(std::string_view name, std::string_view value);
  std::string data_;
  bool any_ = false;  // an attribute was set, stored or not
};

struct MarkdownBlocks {
  FrontMatter front_matter;
  std::vector<recognizer::SourceBlock> blocks;
  // Attributes of the <a id="..." data-...></a> anchors that belong to each block (parallel to
  // blocks): the permanent id, and what Markdown text cannot show (data-alt, data-source,
  // data-force, data-origin).
  std::vector<AnchorAttrs> anchor_attrs;
};

// Parses a run of <a ...></a> tags; false when the HTML holds anything else.
bool parse_anchor_html(std::string_view html, AnchorAttrs& attrs);

// Escapes an attribute value for an anchor tag (&, <, >, ").
std::string escape_anchor_attr(std::string_view value);

// `utf8` must be valid UTF-8 (the reader decodes first). Diagnostics carry positions in it.
// `checked_utf8`: the caller has checked that it is (else it is checked again).
MarkdownBlocks markdown_to_blocks(std::string_view utf8, Diagnostics& diags, bool checked_utf8 = false);

}  // namespace normkit::markdown
