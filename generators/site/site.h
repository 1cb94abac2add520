// The static website generator: home page, one page per document edition, glossary, search page
// and the client-side search index. Registered as "site" in generators/registry.cpp.
#pragma once

#include "generators/registry.h"
#include "generators/site/search_index.h"

namespace normkit::site {

// Fills `out` with the whole site. Uses options.threads workers for the per-document work
// (pages, entries, terms); the output does not depend on the number of threads.
bool generate_site(const Corpus& corpus, const GeneratorOptions& options, OutputTree& out, Diagnostics& diags);

// The same, reporting index sizes (for benchmarks and tests).
bool generate_site_with_stats(const Corpus& corpus, const GeneratorOptions& options, OutputTree& out,
                              Diagnostics& diags, SearchIndexStats* stats);

}  // namespace normkit::site
