// Writes the model as canonical normkit XML: fixed element and attribute order, 2-space indent,
// UTF-8 in NFC, LF line ends, a final newline. Inline content stays on one line with its white
// space normalized (normalize_inline_whitespace), so reading the output back gives the same
// model and writing it again gives the same bytes.
#pragma once

#include <string>

#include "core/model.h"

namespace normkit {

std::string write_canonical_xml(const Document& doc);

}  // namespace normkit
