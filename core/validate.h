// Validation of canonical documents: the RELAX NG schema (libxml2, schema embedded in the
// binary) plus the integrity rules a schema cannot express.
#pragma once

#include <optional>
#include <string_view>

#include "core/diagnostics.h"
#include "core/model.h"

namespace normkit {

// The schema text (schema/normkit.rng) compiled into the binary.
std::string_view embedded_schema();

// Validates `bytes` against the RELAX NG schema; reports each violation with its line.
// Call only on bytes that check_xml_bytes accepted and that have no DOCTYPE.
bool validate_schema(std::string_view bytes, Diagnostics& diags);

// Integrity rules: unique and safe ids and positional ids; every term mention resolves to a
// definition; every cross-reference resolves; every keyword mark uses a word declared in word
// usage (and its force agrees, else a warning); no duplicate numbers among sibling sections or
// among provisions of one kind in one section; no duplicate keywords or defined terms.
// Warnings: class or level on a provision that is not a recommendation, links with unsafe
// schemes (javascript:, data:, vbscript:, file:).
void check_integrity(const Document& doc, Diagnostics& diags);

// Everything `normkit validate` does for one file's bytes: byte checks, XML, schema, model,
// integrity. Returns the document when no error was found.
std::optional<Document> validate_document(std::string_view bytes, Diagnostics& diags);

// The same without the schema check (fast: the strict reader plus the integrity rules).
std::optional<Document> read_and_check_document(std::string_view bytes, Diagnostics& diags);

// True for URL schemes generators must never emit as links.
bool is_unsafe_url(std::string_view url);

}  // namespace normkit
