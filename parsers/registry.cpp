#include "parsers/registry.h"

#include "core/ids.h"
#include "core/xml_reader.h"
#include "parsers/html/html_reader.h"
#include "parsers/markdown/markdown_reader.h"
#include "parsers/text/text_reader.h"

namespace normkit {

namespace {

// --- Canonical XML as an input format --------------------------------------------------------

std::optional<Document> read_xml(std::string_view bytes, const ReaderOptions&, Diagnostics& diags) {
  std::optional<Document> doc = read_canonical_xml(bytes, diags);
  if (doc) assign_identity(*doc, &diags);
  return doc;
}

int sniff_xml(std::string_view bytes) {
  return bytes.substr(0, 512).find("urn:normkit:document:") != std::string_view::npos ? 100 : 0;
}

}  // namespace

const std::vector<ReaderEntry>& readers() {
  // One line per input format.
  static const std::vector<ReaderEntry> table = {
      {"xml", {".xml"}, "canonical normkit XML", read_xml, sniff_xml},
      {"text", {".txt"}, "extracted text of published pages and documents", text::read_text, text::sniff_text},
      {"markdown", {".md", ".markdown"}, "CommonMark with front matter (docs/authoring.md)", markdown::read_markdown, markdown::sniff_markdown},
      {"html", {".html", ".htm"}, "published web pages", html::read_html, html::sniff_html},
  };
  return table;
}

const ReaderEntry* find_reader(std::string_view name) {
  for (const ReaderEntry& r : readers())
    if (r.name == name) return &r;
  return nullptr;
}

const ReaderEntry* detect_reader(std::string_view file_name, std::string_view bytes) {
  for (const ReaderEntry& r : readers())
    for (std::string_view ext : r.extensions)
      if (file_name.size() > ext.size() && file_name.substr(file_name.size() - ext.size()) == ext)
        return &r;
  const ReaderEntry* best = nullptr;
  int best_score = 0;
  for (const ReaderEntry& r : readers()) {
    const int score = r.sniff ? r.sniff(bytes) : 0;
    if (score > best_score) {
      best = &r;
      best_score = score;
    }
  }
  return best;
}

}  // namespace normkit
