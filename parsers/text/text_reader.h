// The text reader: published pages and documents as extracted text (a browser copy, a web
// scrape, a PDF's text layer) → SourceBlocks → the shared structure recognizer.
//
// What it undoes, each reported as a note or warning at its position in the user's file:
//  - encodings: UTF-8 with or without BOM, UTF-16 (BOM or NUL pattern), Windows-1252; invalid
//    UTF-8 sequences become U+FFFD (warning); binary input is refused (error);
//  - NUL and other control characters (removed, warning), soft hyphens and zero-width spaces
//    (removed), no-break spaces (become spaces), ligatures (ﬁ → fi), then NFC;
//  - provenance lines at the very top ("# source: URL" → <source url>, "# fidelity: ..." → note);
//  - running heads (a line repeated at page starts or back to back three times or more: the
//    first is kept), lone page numbers ("12", "Page 3 of 9"), numeric id lines of aggregators
//    ("316232": a separator);
//  - hard-wrapped lines joined into paragraphs, hyphenation at line ends undone, sentences glued
//    without a space ("2007.The") separated;
//  - bullets ("•", "-", "*", "–") and numbered or lettered items ("1.", "a)") with their
//    nesting by indentation become list-item blocks.
// Positions are line and code-point column in the user's file, whatever its encoding.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "parsers/recognizer/recognizer.h"
#include "parsers/registry.h"

namespace normkit::text {

// The reader of the registry table ("text", ".txt").
std::optional<Document> read_text(std::string_view bytes, const ReaderOptions& options, Diagnostics& diags);
// 10 for anything that decodes as text (text is the fallback format), 0 for binary.
int sniff_text(std::string_view bytes);

// The blocks the reader hands to the recognizer, from already decoded UTF-8 (for tests and for
// readers of formats that contain plain text). `url` receives a "# source:" provenance URL.
std::vector<recognizer::SourceBlock> split_blocks(std::string_view utf8, Diagnostics& diags, std::string* url);

// The physical lines of `text` as split_blocks reads them (each ends at '\n', '\r' or "\r\n"; an
// empty text is one empty line; a final line end starts no further line), when nothing in it
// needs cleaning: no control character but line ends, no no-break space, soft hyphen, zero-width
// character, BOM or ligature. std::nullopt otherwise.
std::optional<std::vector<std::string_view>> lines_if_clean(std::string_view text);

// The physical lines of `bytes` as lines_if_clean finds them and the line starts as LineIndex
// finds them (a final line end adds the start of an empty line), found in one pass, when the bytes
// are what detect_encoding calls UTF-8 and need no cleaning. std::nullopt otherwise.
struct CleanUtf8Lines {
  std::vector<std::string_view> lines;
  std::vector<size_t> starts;
};
std::optional<CleanUtf8Lines> lines_if_clean_utf8(std::string_view bytes);

// Appends a line's text to a block's text, as the reader joins lines: a space right after a space
// in `line` is dropped (a leading space too when `out` is empty or ends in one), and a space goes
// after a '.' that glues two sentences ("2007.The": lower-case letter or digit, '.', upper-case
// letter, lower-case letter, and no '.' two bytes before). Adds the spaces put in to `*glued`;
// `*first_glued_end` is set, when `*glued` was 0, to the offset in `line` after the first glued
// '.'. Returns whether `line` holds a non-ASCII byte.
bool append_line_text(std::string& out, std::string_view line, size_t* glued, size_t* first_glued_end);

}  // namespace normkit::text
