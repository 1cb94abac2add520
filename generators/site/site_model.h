// What every page of the site needs to know about the corpus: where each document's page is,
// its display title, and the glossary anchor of each definition. Built once, read by all
// threads.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "core/corpus.h"
#include "generators/registry.h"

namespace normkit::site {

struct SiteDoc {
  const Document* doc = nullptr;
  std::string url;    // relative to the site root: "doc/<work>/<edition>.html"
  std::string title;  // plain text of the title
  std::string year;   // published year (else the first date's, else the edition)
  std::vector<size_t> editions;  // every document of the same work, this one included, in order
};

// One thing the search index can find: a provision, a section's own text, a definition, a
// scope statement or text outside any section. Extracted in document order.
struct SearchEntry {
  std::string kind;    // provision kind ("standard", ...), "section", "definition", "scope", "text"
  std::string anchor;  // fragment on the document page
  std::string label;   // "Standard 1.1", "2 Checklists", the defined term
  std::string text;    // plain text, white space collapsed
  std::string cls;     // class of recommendation, if any
  std::string level;   // level of evidence, if any
};

// A mention of a defined term inside one of the entries above.
struct TermUse {
  std::string definition_id;
  size_t entry = 0;    // index into the document's entries
  std::string anchor;  // that entry's anchor and label
  std::string label;
};

struct SiteModel {
  const Corpus* corpus = nullptr;
  const GeneratorOptions* options = nullptr;
  std::vector<SiteDoc> docs;
  // Glossary anchor per document per definition id (unique across the whole glossary).
  std::vector<std::unordered_map<std::string, std::string>> glossary_anchor;
  std::string footer_note;  // generator and, with SOURCE_DATE_EPOCH, the build date
};

SiteModel make_site_model(const Corpus& corpus, const GeneratorOptions& options);

// Page anchor of the n-th (1-based) scope statement of a document.
std::string scope_anchor(int n);

// Walks a document once, iteratively: its search entries in document order and the term
// mentions in them. Furniture is skipped.
void extract_entries(const Document& doc, std::vector<SearchEntry>& entries, std::vector<TermUse>& uses);

// Plain text of blocks (white space collapsed, furniture skipped), for tooltips and snippets.
std::string blocks_plain_text(const std::vector<Node>& blocks);

// "Class I", "Class III: Harm"; "Level B-NR".
std::string class_display(const std::string& cls);
std::string level_display(const std::string& level);

}  // namespace normkit::site
