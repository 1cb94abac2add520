// Web pages → SourceBlocks for the shared recognizer (parsers/recognizer/recognizer.h).
//
// Bytes are decoded first (BOM, then <meta charset> / http-equiv, then detection; a declared
// charset the bytes contradict gets a warning and the decoding that fits), then parsed with
// libxml2's HTML parser: no network, no entities loaded, errors tolerated. The tree is walked
// iteratively (an explicit stack, never recursion), so a page nested 100,000 levels deep costs
// heap, not stack.
//
//  - the main content is <main>, else role="main", else the first <article>, else the element
//    whose direct block children hold the most text ("densest text block");
//  - <script>, <style>, <noscript>, <template>, forms and their controls, <iframe>, <object>,
//    <embed>, <svg> and <canvas> are dropped; <img> keeps its alt text; nothing is ever fetched;
//  - <nav>, <header>, <footer>, <aside>, cookie banners and anything outside the main content are
//    kept as page furniture (BlockHint::Furniture);
//  - <h1>..<h6> → Heading; <p> and loose text → Plain, BoldLabel when it starts with <b>/<strong>;
//    <br> splits a paragraph into one block per line; <li> → ListItem (nesting, <ol> numbers and
//    type="a"); <dt>Term</dt><dd>text</dd> → one BoldLabel block "Term: text";
//    data tables → TableRow; tables used for layout (cells holding blocks) are read as
//    containers; <a href> → links (javascript:, data:, vbscript:, file: dropped with a warning).
// Positions are the line numbers libxml2 records per element (column 1); libxml2's HTML parser
// stops counting at 65535, and later lines are reported as unknown (0).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "parsers/recognizer/recognizer.h"

namespace normkit::html {

struct HtmlBlocks {
  std::vector<recognizer::SourceBlock> blocks;
  std::string title;         // <title>, for the document title when no <h1> is found
  std::string charset_used;  // "utf-8" or "windows-1252", ...
  bool parsed = false;       // false: the bytes could not be read as a page at all (error given)
};

// Decodes `bytes` to UTF-8 as described above; `used` names the decoding chosen.
std::string decode_html_bytes(std::string_view bytes, std::string& used, Diagnostics& diags);

HtmlBlocks html_to_blocks(std::string_view bytes, Diagnostics& diags);

}  // namespace normkit::html
