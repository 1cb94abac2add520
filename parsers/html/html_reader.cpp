#include "parsers/html/html_reader.h"

#include "core/text.h"
#include "parsers/html/html_blocks.h"
#include "parsers/recognizer/recognizer.h"

namespace normkit::html {

int sniff_html(std::string_view bytes) {
  const std::string head = ascii_lower(bytes.substr(0, 1024));
  if (head.find("<!doctype html") != std::string::npos || head.find("<html") != std::string::npos) return 90;
  if (head.find("<body") != std::string::npos || head.find("<div") != std::string::npos) return 50;
  return 0;
}

std::optional<Document> read_html(std::string_view bytes, const ReaderOptions& options,
                                  Diagnostics& diags) {
  HtmlBlocks page = html_to_blocks(bytes, diags);
  if (!page.parsed) return std::nullopt;
  bool has_heading = false;
  for (const recognizer::SourceBlock& b : page.blocks)
    if (b.hint == recognizer::BlockHint::Heading && b.heading_level == 1) has_heading = true;
  if (!has_heading && !page.title.empty()) {
    // No <h1>: the page's <title> names the document.
    recognizer::SourceBlock title;
    title.hint = recognizer::BlockHint::Heading;
    title.heading_level = 1;
    title.text = page.title;
    title.loc = {1, 1};
    page.blocks.insert(page.blocks.begin(), std::move(title));
  }
  return recognizer::recognize(std::move(page.blocks),
                               recognizer::recognizer_options(options, "html", bytes), diags);
}

}  // namespace normkit::html
