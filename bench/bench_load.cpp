// normkit-bench-load: how fast a corpus loads (strict reader + integrity rules, optionally the
// RELAX NG schema). Prints documents, bytes, seconds, MB/s and peak RSS.
//   normkit-bench-load [--schema] DIR
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <cstdio>
#include <string>

#include "core/corpus.h"

int main(int argc, char** argv) {
  using namespace normkit;
  bool schema = false;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--schema") schema = true;
    else dir = a;
  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: normkit-bench-load [--schema] DIR\n");
    return 2;
  }
  const auto t0 = std::chrono::steady_clock::now();
  Corpus corpus;
  Diagnostics diags;
  LoadOptions options;
  options.check_schema = schema;
  const bool ok = load_corpus({dir}, corpus, diags, options);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  size_t provisions = 0;
  for (const CorpusDocument& d : corpus.documents) {
    const DocumentStats s = compute_stats(d.doc);
    provisions += s.standards + s.guidelines + s.recommendations + s.other_provisions;
  }
  uintmax_t bytes = 0;
  for (const CorpusDocument& d : corpus.documents) bytes += std::filesystem::file_size(d.file);
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("load%s: %zu documents, %zu provisions, %.1f MB in %.3f s = %.1f MB/s, peak RSS %.1f MB%s\n",
              schema ? "+schema" : "", corpus.documents.size(), provisions, bytes / 1e6, secs,
              bytes / 1e6 / secs, ru.ru_maxrss / 1024.0, ok ? "" : " (errors)");
  return ok ? 0 : 1;
}
