// Flattens a Document into what the bundle writers need: sections and provisions in document
// order with their parents, their plain and marked text, and every keyword mark and term
// mention. Computed once per document (in parallel) and shared by the JSON and SQLite writers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"

namespace normkit::bundle {

// A run of a section's or provision's own text with the mark it carries: bytes [begin, end) of
// OwnText::plain, so the runs concatenated are the plain text by construction, and no text is
// stored twice.
enum class MarkKind : uint8_t { None, Keyword, Term, XRef, Link };
struct MarkedRun {
  MarkKind kind = MarkKind::None;
  uint32_t begin = 0;
  uint32_t end = 0;
  // The Keyword, TermRef, XRef or Link node (in the corpus, which outlives the extraction):
  // `target` is the word, definition id, target id or href; `force` a keyword's force.
  const Node* mark = nullptr;
};

// A keyword mark or a term mention in a section's or provision's own text.
struct Mention {
  MarkKind kind = MarkKind::Keyword;  // Keyword or Term
  int section = -1;    // index into sections of the section whose text holds it, or -1
  int provision = -1;  // index into provisions, or -1
  std::string as_written;
  std::string target;  // Keyword: word; Term: definition id
  Force force = Force::Informative;
};

// A section or provision's own text: its blocks except nested sections and provisions (they
// have their own) and page furniture (not part of the document). Blocks are separated by "\n".
// Invalid UTF-8 in a text node becomes U+FFFD here, so every run boundary falls between
// characters.
struct OwnText {
  std::string plain;
  std::vector<MarkedRun> marked;
};

struct ExtractedSection {
  const Labeled* labeled = nullptr;
  std::string title;
  int parent = -1;  // index of the enclosing section
  int depth = 0;    // 0 for a top-level section
  int outline = -1; // index into ExtractedDocument::outline
  OwnText text;
};

struct ExtractedProvision {
  const Labeled* labeled = nullptr;
  std::string title;
  int section = -1;           // index of the nearest enclosing section
  int parent_provision = -1;  // index of the enclosing provision (nested provisions)
  int outline = -1;
  OwnText text;
};

// Sections and provisions in document order, each knowing its parent in the outline.
struct OutlineItem {
  bool is_section = true;
  int index = 0;    // into sections or provisions
  int parent = -1;  // index into outline
};

struct ExtractedDocument {
  const Document* doc = nullptr;
  std::string title;
  std::string subtitle;
  std::vector<ExtractedSection> sections;
  std::vector<ExtractedProvision> provisions;
  std::vector<OutlineItem> outline;
  std::vector<Mention> mentions;
  DocumentStats stats;  // counted from the above (furniture excluded)
};

ExtractedDocument extract_document(const Document& doc);

// Plain text of a block forest (definitions' and keywords' explanations), blocks separated by
// "\n", furniture left out.
std::string blocks_text(const std::vector<Node>& blocks);

// Replaces invalid UTF-8 (including encoded surrogates) with U+FFFD; valid text is returned as is.
std::string sanitize_utf8(std::string_view s);

}  // namespace normkit::bundle
