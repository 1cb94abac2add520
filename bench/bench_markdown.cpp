// normkit-bench-markdown: Markdown output and Markdown ingest throughput on a corpus.
//
//   normkit-bench-markdown CORPUS_DIR [--rounds N] [--write-md DIR]
//
// Loads every canonical document under CORPUS_DIR (e.g. from normkit-gen-corpus --format xml),
// then measures, single-threaded, in CPU time (the machine may be shared), the best of N rounds of:
//   output:  Document → CommonMark (markdown::write_document), MB of Markdown produced per second
//   mapping: CommonMark → SourceBlocks (cmark parse + block mapping), MB of Markdown read per second
//   ingest:  CommonMark → Document (mapping + the shared recognizer + anchors), MB/s read
// With --write-md the Markdown files are written to DIR (for comparing with pandoc; see
// bench/markdown-bench.sh). Prints figures; never part of the test suite.
#include <time.h>

#include <cmark.h>

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "core/corpus.h"
#include "core/io.h"
#include "generators/markdown/markdown_writer.h"
#include "parsers/markdown/markdown_blocks.h"
#include "parsers/markdown/markdown_reader.h"

using namespace normkit;

namespace {

// CPU time of this thread: the machine is shared, and wall time would measure the neighbours.
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: normkit-bench-markdown CORPUS_DIR [--rounds N] [--write-md DIR]\n";
    return 2;
  }
  std::string corpus_dir = argv[1], md_dir;
  int rounds = 3;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rounds" && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
    else if (a == "--write-md" && i + 1 < argc) md_dir = argv[++i];
    else {
      std::cerr << "unknown argument " << a << "\n";
      return 2;
    }
  }
  Corpus corpus;
  Diagnostics diags;
  LoadOptions load;
  load.check_schema = false;
  if (!load_corpus({corpus_dir}, corpus, diags, load) || corpus.documents.empty()) {
    std::cerr << "could not load " << corpus_dir << "\n";
    return 3;
  }

  std::vector<std::string> markdown(corpus.documents.size());
  double best_output = 1e300, best_mapping = 1e300, best_ingest = 1e300;
  double best_cmark_parse = 1e300, best_cmark_render = 1e300;
  size_t md_bytes = 0, blocks = 0, provisions = 0;
  for (int r = 0; r < rounds; ++r) {
    double start = cpu_now();
    md_bytes = 0;
    for (size_t i = 0; i < corpus.documents.size(); ++i) {
      markdown[i] = markdown::write_document(corpus.documents[i].doc);
      md_bytes += markdown[i].size();
    }
    best_output = std::min(best_output, cpu_now() - start);

    start = cpu_now();
    blocks = 0;
    for (const std::string& md : markdown) {
      Diagnostics d;
      blocks += markdown::markdown_to_blocks(md, d).blocks.size();
    }
    best_mapping = std::min(best_mapping, cpu_now() - start);

    start = cpu_now();
    provisions = 0;
    for (const std::string& md : markdown) {
      Diagnostics d;
      ReaderOptions options;
      options.source_name = "bench.md";
      std::optional<Document> doc = markdown::read_markdown(md, options, d);
      if (doc) {
        const DocumentStats s = compute_stats(*doc);
        provisions += s.standards + s.guidelines + s.recommendations + s.other_provisions;
      }
    }
    best_ingest = std::min(best_ingest, cpu_now() - start);

    // cmark alone, for scale: parsing the Markdown, and rendering the parsed trees back.
    std::vector<cmark_node*> trees;
    start = cpu_now();
    for (const std::string& md : markdown) trees.push_back(cmark_parse_document(md.data(), md.size(), CMARK_OPT_SOURCEPOS));
    best_cmark_parse = std::min(best_cmark_parse, cpu_now() - start);
    start = cpu_now();
    for (cmark_node* t : trees) std::free(cmark_render_commonmark(t, CMARK_OPT_DEFAULT, 0));
    best_cmark_render = std::min(best_cmark_render, cpu_now() - start);
    for (cmark_node* t : trees) cmark_node_free(t);
  }
  if (!md_dir.empty()) {
    std::filesystem::create_directories(md_dir);
    for (size_t i = 0; i < markdown.size(); ++i) {
      const Document& doc = corpus.documents[i].doc;
      write_file_atomic(std::filesystem::path(md_dir) / (doc.work + "-" + doc.edition + ".md"), markdown[i], diags);
    }
  }
  size_t source_provisions = 0;
  for (const CorpusDocument& cd : corpus.documents) {
    const DocumentStats s = compute_stats(cd.doc);
    source_provisions += s.standards + s.guidelines + s.recommendations + s.other_provisions;
  }
  const double mb = static_cast<double>(md_bytes) / 1e6;
  std::printf("documents:           %zu (%zu provisions; %zu recognized back)\n", corpus.documents.size(),
              source_provisions, provisions);
  std::printf("markdown size:       %.1f MB, %zu blocks\n", mb, blocks);
  std::printf("markdown output:     %7.1f MB per CPU-second  (%.3f s, best of %d, 1 thread)\n", mb / best_output, best_output, rounds);
  std::printf("markdown mapping:    %7.1f MB per CPU-second  (%.3f s: cmark parse + SourceBlocks)\n", mb / best_mapping, best_mapping);
  std::printf("markdown ingest:     %7.1f MB per CPU-second  (%.3f s: mapping + recognizer + anchors)\n", mb / best_ingest, best_ingest);
  std::printf("  cmark parse alone:  %7.1f MB per CPU-second\n", mb / best_cmark_parse);
  std::printf("  cmark render alone: %7.1f MB per CPU-second (cmark_render_commonmark of parsed trees)\n",
              mb / best_cmark_render);
  return 0;
}
