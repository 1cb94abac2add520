#include "core/corpus.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/io.h"
#include "core/validate.h"

namespace normkit {

bool load_corpus(const std::vector<std::string>& paths, Corpus& corpus, Diagnostics& diags,
                 const LoadOptions& options) {
  bool ok = true;
  const size_t errors_before = diags.count(Severity::Error);
  if (corpus.name.empty() && !paths.empty()) {
    corpus.name = std::filesystem::path(paths.front()).lexically_normal().filename().string();
    if (corpus.name.empty()) corpus.name = "corpus";
  }
  const std::string saved_file = diags.file();
  for (const std::filesystem::path& path : collect_files(paths, {".xml"}, diags, options.skipped)) {
    diags.set_file(path.string());
    std::optional<std::string> bytes = read_file(path, diags);
    if (!bytes) {
      ok = false;
      continue;
    }
    std::optional<Document> doc = options.check_schema ? validate_document(*bytes, diags)
                                                       : read_and_check_document(*bytes, diags);
    if (!doc) {
      ok = false;
      continue;
    }
    corpus.documents.push_back({path.string(), std::move(*doc)});
  }
  diags.set_file(saved_file);
  std::stable_sort(corpus.documents.begin(), corpus.documents.end(),
                   [](const CorpusDocument& a, const CorpusDocument& b) {
                     return std::tie(a.doc.work, a.doc.edition) < std::tie(b.doc.work, b.doc.edition);
                   });
  std::map<std::pair<std::string, std::string>, std::string> seen;
  for (const CorpusDocument& d : corpus.documents) {
    auto [it, fresh] = seen.emplace(std::make_pair(d.doc.work, d.doc.edition), d.file);
    if (!fresh) {
      diags.set_file(d.file);
      diags.error("duplicate-edition", "work '" + d.doc.work + "' edition '" + d.doc.edition +
                                           "' is also in '" + it->second + "'");
      diags.set_file(saved_file);
      ok = false;
    }
  }
  return ok && diags.count(Severity::Error) == errors_before;
}

}  // namespace normkit
