// normkit ingest page.html: a published web page → the shared recognizer → Document.
// What is read and what is dropped: parsers/html/html_blocks.h.
#pragma once

#include <optional>
#include <string_view>

#include "core/diagnostics.h"
#include "core/model.h"
#include "parsers/registry.h"

namespace normkit::html {

std::optional<Document> read_html(std::string_view bytes, const ReaderOptions& options,
                                  Diagnostics& diags);
int sniff_html(std::string_view bytes);

}  // namespace normkit::html
