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
bool load_corpus(const std::vector<std::string>& paths, Corpus& corpus, Diagnostics& diags,
                 size_t* skipped = nullptr);
// `skipped`: files in the directories that were not read because they are not .xml.

}  // namespace normkit
