#include "core/corpus.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <filesystem>
#include <map>

#include "core/io.h"
#include "core/validate.h"

namespace normkit {

bool load_corpus(const std::vector<std::string>& paths, Corpus& corpus, Diagnostics& diags,
                 const LoadOptions& options) {
  const size_t errors_before = diags.count(Severity::Error);
  if (corpus.name.empty() && !paths.empty()) {
    corpus.name = std::filesystem::path(paths.front()).lexically_normal().filename().string();
    if (corpus.name.empty()) corpus.name = "corpus";
  }
  const std::vector<std::filesystem::path> files = collect_files(paths, {".xml"}, diags, options.skipped);

  // Each file is read and checked on its own, on every core; results are merged in file order,
  // so the findings and the corpus are the same whatever the scheduling.
  struct Slot {
    std::optional<Document> doc;
    Diagnostics diags;
  };
  std::vector<Slot> slots(files.size());
  std::atomic<size_t> next{0};
  const auto work = [&]() {
    for (size_t i = next++; i < files.size(); i = next++) {
      Slot& slot = slots[i];
      slot.diags.set_file(files[i].string());
      std::optional<std::string> bytes = read_file(files[i], slot.diags);
      if (!bytes) continue;
      slot.doc = options.check_schema ? validate_document(*bytes, slot.diags)
                                      : read_and_check_document(*bytes, slot.diags);
    }
  };
  const size_t threads = std::min<size_t>(std::max(1u, options.threads ? options.threads : std::thread::hardware_concurrency()),
                                          std::max<size_t>(1, files.size()));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();

  bool ok = true;
  for (size_t i = 0; i < files.size(); ++i) {
    diags.merge(slots[i].diags);
    if (!slots[i].doc) {
      ok = false;
      continue;
    }
    corpus.documents.push_back({files[i].string(), std::move(*slots[i].doc)});
  }
  std::stable_sort(corpus.documents.begin(), corpus.documents.end(),
                   [](const CorpusDocument& a, const CorpusDocument& b) {
                     return std::tie(a.doc.work, a.doc.edition) < std::tie(b.doc.work, b.doc.edition);
                   });
  std::map<std::pair<std::string, std::string>, std::string> seen;
  const std::string saved_file = diags.file();
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
