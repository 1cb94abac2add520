#include "generators/registry.h"

#include <ctime>

#include "core/xml_writer.h"
#include "generators/bundle/bundle.h"
#include "generators/markdown/markdown_writer.h"
#include "generators/site/site.h"

namespace normkit {

namespace {

std::optional<std::string> write_xml(const Document& doc, Diagnostics&) {
  return write_canonical_xml(doc);
}

}  // namespace

const std::vector<WriterEntry>& writers() {
  // One line per single-document output format.
  static const std::vector<WriterEntry> table = {
      {"xml", ".xml", "canonical normkit XML", write_xml},
      {"md", ".md", "CommonMark, one file (docs/authoring.md)", markdown::write_markdown},
  };
  return table;
}

const std::vector<GeneratorEntry>& generators() {
  // One line per corpus generator, in the order normkit build runs them.
  static const std::vector<GeneratorEntry> table = {
      {"site", "", "static website with search", site::generate_site},
      {"markdown", "markdown", "CommonMark per edition, index and glossary", markdown::generate_markdown},
      {"bundle", "bundle", "JSON, SQLite and archive bundle", generate_bundle},
  };
  return table;
}

std::string utc_date(int64_t epoch_seconds) {
  const std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

const WriterEntry* find_writer(std::string_view name) {
  for (const WriterEntry& w : writers())
    if (w.name == name) return &w;
  return nullptr;
}

const GeneratorEntry* find_generator(std::string_view name) {
  for (const GeneratorEntry& g : generators())
    if (g.name == name) return &g;
  return nullptr;
}

}  // namespace normkit
