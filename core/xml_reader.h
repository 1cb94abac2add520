// Reads canonical normkit XML into the model, safely and strictly.
//
// Safe: no DTD is read and no entity is expanded (a DOCTYPE is an error), nothing outside the
// given bytes is ever opened. Strict: every element, attribute and piece of text the model cannot
// hold is an error, so a read-then-write (normkit fmt) never drops content silently.
// Missing identity attributes (id, position-id, label) are allowed here and filled in by
// assign_identity(); the schema check in validate reports them.
#pragma once

#include <optional>
#include <string_view>

#include "core/diagnostics.h"
#include "core/model.h"

namespace normkit {

// Checks that `bytes` can be canonical XML at all: not empty, UTF-8 (a BOM is tolerated),
// no NUL bytes, no UTF-16/32. Reports the first problem with its position; returns false on error.
bool check_xml_bytes(std::string_view bytes, Diagnostics& diags);

// Parses canonical XML. Returns nullopt when an error was reported. Findings carry positions in
// `bytes` and the file name set on `diags`.
// `lines` may pass an index of `bytes` the caller already built.
std::optional<Document> read_canonical_xml(std::string_view bytes, Diagnostics& diags,
                                           const LineIndex* lines = nullptr);

}  // namespace normkit
