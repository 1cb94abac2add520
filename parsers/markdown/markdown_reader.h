// normkit ingest X.md: CommonMark with a front-matter block → the shared recognizer → Document.
// The authoring convention is docs/authoring.md; the mapped Markdown subset is in
// parsers/markdown/markdown_blocks.h.
#pragma once

#include <optional>
#include <string_view>

#include "core/diagnostics.h"
#include "core/model.h"
#include "parsers/registry.h"

namespace normkit::markdown {

std::optional<Document> read_markdown(std::string_view bytes, const ReaderOptions& options,
                                      Diagnostics& diags);
int sniff_markdown(std::string_view bytes);

}  // namespace normkit::markdown
