// CommonMark output: one file per document edition, plus an index and a glossary for a corpus.
//
// The output is built as a cmark node tree and rendered with cmark_render_commonmark, so
// escaping is cmark's, in one place. The layout is the authoring convention of
// docs/authoring.md (front matter, "**Standard 1.1:**" labels, "(Class I, Level C)"
// annotations, a "Definitions" and a "Word Usage" section), so the Markdown reader reads it back.
// Anchors are the site's permanent ids (<a id="nk..."></a>); term mentions and cross-references
// are links to them. Page furniture is left out (it is not part of the document).
#pragma once

#include <optional>
#include <string>

#include "core/corpus.h"
#include "core/diagnostics.h"
#include "core/io.h"
#include "core/model.h"
#include "generators/registry.h"

namespace normkit::markdown {

// One document as CommonMark with a front-matter block. Deterministic.
std::string write_document(const Document& doc);

// `normkit convert -t md`.
std::optional<std::string> write_markdown(const Document& doc, Diagnostics& diags);

// `normkit build` → markdown/: <work>/<edition>.md per document, index.md, glossary.md.
bool generate_markdown(const Corpus& corpus, const GeneratorOptions& options, OutputTree& out,
                       Diagnostics& diags);

// The path of a document's file inside the markdown/ tree.
std::string document_path(const Document& doc);

}  // namespace normkit::markdown
