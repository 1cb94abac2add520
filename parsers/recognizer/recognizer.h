// The structure recognizer: the one place that turns a sequence of source blocks into a normkit
// Document (standards, guidelines, recommendations, definitions, word usage, catalog, furniture).
//
// Every reader of published text feeds it: the text reader (parsers/text/), and the Markdown and
// HTML readers. A reader does what only it can do (decode bytes, undo extraction artefacts, parse
// its own markup into blocks, keep positions in the user's file) and hands over SourceBlocks with
// layout hints; the recognizer does everything else. Readers must not grow a second recognizer:
// when a layout is missing, add it here.
//
// Input contract (also in docs/ingest.md):
//  - One SourceBlock per logical block in reading order: a paragraph (wrapped lines already joined
//    with one space), a heading, one list item, one table row, or a blank line. Blank blocks matter:
//    they separate paragraphs and end provisions' bullet lists as in the source.
//  - `text` is UTF-8 in NFC, without list markers or heading markup, with inner white space
//    collapsed. Readers never put raw markup in it.
//  - `loc` is where `text` begins in the USER's source (line, code-point column), not in an
//    intermediate buffer; `anchors` give the positions of later parts of a joined block so that
//    diagnostics about a word in the middle point to the right line.
//  - `inlines` is optional: a reader that parsed links or emphasis passes them here. When it is
//    not empty, plain_text(inlines) must equal `text` (the recognizer matches patterns on `text`
//    and cuts `inlines` at the same offsets).
//  - Notes: every block inside a note (Markdown block quote, HTML <blockquote>) has note_depth > 0;
//    the first block of each note has note_start. A note attaches to the open provision, else to
//    the current section; a first paragraph "**Example:** ..." (BoldLabel) names its kind.
//  - Tables: one TableRow per row; `cell_inlines`, when given, holds each cell's inline content
//    (parallel to `cells`). A TableCaption block just before the rows is the table's caption.
//    A table attaches to the open provision, else to the current section.
//  - References: a "References" heading followed by list items gives the document's reference
//    list (core/model.h Reference), one item each; an item that is one link gives its href.
//  - Scope: a block "Scope: text" (Plain) or "**Scope:** text" (BoldLabel) is a scope statement;
//    after the bold form, further blocks up to the next heading or label belong to the scope.
// Output: a Document with identity assigned (core/ids.h) and whitespace normalized; every block
// that was not placed in a structure is kept (as a paragraph or furniture) and reported.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/model.h"
#include "parsers/registry.h"

namespace normkit::recognizer {

// What the reader knows about a block's layout. The recognizer trusts Heading, ListItem,
// TableRow and Furniture hints; for Plain blocks it guesses (short title-case line → heading,
// "Standard 1.1:" → provision, "Term: text" in a definitions context → definition, ...).
enum class BlockHint : uint8_t {
  Plain,      // a paragraph or a line whose role the reader does not know
  Blank,      // an empty line (text is empty)
  Heading,    // a heading the source marks as such (Markdown '#', HTML <h1>..<h6>)
  ListItem,   // one list item: see list_depth, ordered, list_label
  BoldLabel,  // the block starts with a bold run (HTML <strong>Standard 1.1:</strong>) of label_length bytes
  TableRow,   // one table row: see cells, header_row
  Furniture,  // page furniture the reader recognized by markup (<nav>, <footer>): see furniture
  TableCaption,  // the caption of the table whose rows follow (text and inlines); a paragraph otherwise
};

// Maps an offset in a block's text back to a position in the user's source.
struct SourceAnchor {
  uint32_t offset = 0;  // byte offset in SourceBlock::text
  SourceLoc loc;        // where that byte came from
};

struct SourceBlock {
  std::string text;                  // UTF-8 NFC, markers and markup removed
  SourceLoc loc;                     // position of text[0] in the user's source
  std::vector<SourceAnchor> anchors; // optional, ascending offsets; loc covers offset 0
  BlockHint hint = BlockHint::Plain;
  int heading_level = 0;             // Heading: 1 (top) .. 6
  int list_depth = 0;                // ListItem: 0 = top level; deeper than kMaxDepth-8 is clamped
  bool ordered = false;              // ListItem: numbered or lettered
  std::string list_label;            // ListItem: the number or letter as written ("3", "a"); empty for bullets
  uint32_t label_length = 0;         // BoldLabel: bytes of text covered by the bold run
  FurnitureKind furniture = FurnitureKind::Other;  // Furniture
  std::vector<std::string> cells;    // TableRow: cell texts
  std::vector<std::vector<Node>> cell_inlines;  // TableRow: optional, each cell's inlines (parallel to cells)
  bool header_row = false;           // TableRow
  int note_depth = 0;                // > 0: the block is inside a note (nested notes are read as one)
  bool note_start = false;           // the first block of a note (two notes in a row stay two)
  std::vector<Node> inlines;         // optional pre-parsed inline content; see the contract above
};

struct RecognizerOptions {
  std::string work;            // work id; empty: derived from the title, then from source_name
  std::string edition;         // edition; empty: the publication year found, else "1"
  std::string source_name;     // base name of the input, for <source file=...>
  std::string source_format;   // reader name, for <source format=...>: "text", "markdown", "html"
  std::string source_sha256;   // of the bytes the user gave
  std::string url;             // where the source was published, when the reader knows it
  bool mark_keywords = true;   // default on: mark normative keywords (<kw>) in the body and definitions
  bool link_terms = true;      // default on: link mentions of defined terms to their definitions
  bool editorial_checks = true;// default on: warn about wording/numbering problems (editorial.h)
  bool title_known = false;    // default off: the reader has the title (Markdown front matter), so
                               // only a level-1 heading is read as the title, never a guess
};

// The options every reader passes on: what the user gave (ReaderOptions), the reader's name for
// <source format=...> and the SHA-256 of the bytes the user gave. A reader then sets what only
// it knows (Markdown's front matter).
RecognizerOptions recognizer_options(const ReaderOptions& options, std::string format,
                                     std::string_view bytes);

// Builds the document. Never throws on any input; every uncertain decision gets a note or a
// warning at its source position. The result passes check_integrity (core/validate.h).
Document recognize(std::vector<SourceBlock> blocks, const RecognizerOptions& options,
                   Diagnostics& diags);

// Position in the user's source of byte `offset` of `block.text`, using its anchors.
SourceLoc locate(const SourceBlock& block, size_t offset);

}  // namespace normkit::recognizer
