// A corpus: the canonical documents a build reads, in a fixed order.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/model.h"

namespace normkit {

struct CorpusDocument {
  std::string file;  // path as found, for diagnostics
  Document doc;
};

struct Corpus {
  std::string name;  // directory name, used in bundle names ("corpus")
  std::vector<CorpusDocument> documents;  // sorted by (work, edition)
};

// Reads and validates every *.xml file under `paths` (files or directories). Invalid documents
// are reported and left out; returns false when any file had an error or two files claim the same
// work and edition.
struct LoadOptions {
  // Validate each file against the RELAX NG schema too (libxml2; about 10 MB/s). Off, the strict
  // reader and the integrity rules still run: what `normkit build` uses for speed. Default on.
  bool check_schema = true;
  size_t* skipped = nullptr;  // out: files in the directories not read because they are not .xml
  unsigned threads = 0;       // worker threads; 0: one per core
};
bool load_corpus(const std::vector<std::string>& paths, Corpus& corpus, Diagnostics& diags,
                 const LoadOptions& options = {});

}  // namespace normkit
