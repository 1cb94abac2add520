// normkit-bench-ingest: throughput and memory of `normkit ingest` on synthetic published text.
//
//   normkit-bench-ingest [--docs N] [--provisions P] [--seed S] [--rounds R]
//
// Generates N documents of P provisions each (bench/synthetic.h, deterministic by seed) as
// published text in memory, then runs the text reader and the canonical XML writer over all of
// them, one document at a time on one thread, R times. Prints MB/s of input text per core, the
// peak resident set size (getrusage) against the target (4 x input + 50 MB), and checks that
// every generated provision was recognized. A program, not a test: it never fails on timing.
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "bench/synthetic.h"
#include "core/xml_writer.h"
#include "parsers/text/text_reader.h"

using namespace normkit;

namespace {

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

// CPU time of this thread: on a shared machine, MB per CPU-second is the honest "per core" figure.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

int usage_error() {
  std::cerr << "usage: normkit-bench-ingest [--docs N] [--provisions P] [--seed S] [--rounds R]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  size_t docs = 4000, provisions = 40, rounds = 3;
  uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    try {
      if (a == "--docs") docs = std::stoul(value());
      else if (a == "--provisions") provisions = std::stoul(value());
      else if (a == "--seed") seed = std::stoull(value());
      else if (a == "--rounds") rounds = std::stoul(value());
      else return usage_error();
    } catch (const std::exception&) {
      return usage_error();
    }
  }
  if (docs == 0 || provisions == 0 || rounds == 0) return usage_error();

  bench::Rng rng{seed};
  std::vector<std::string> texts;
  texts.reserve(docs);
  size_t input_bytes = 0;
  for (size_t i = 0; i < docs; ++i) {
    texts.push_back(bench::render_text(bench::make_document(rng, i, provisions)));
    input_bytes += texts.back().size();
  }
  const double input_mb = static_cast<double>(input_bytes) / 1e6;
  const double rss_after_generation = peak_rss_mb();

  size_t recognized = 0, output_bytes = 0, warnings = 0;
  double read_seconds = 0, write_seconds = 0, best_round = 1e300, best_round_cpu = 1e300;
  using clock = std::chrono::steady_clock;
  for (size_t round = 0; round < rounds; ++round) {
    const auto round_start = clock::now();
    const double round_cpu_start = thread_cpu_seconds();
    for (size_t i = 0; i < texts.size(); ++i) {
      Diagnostics diags;
      ReaderOptions options;
      options.source_name = "synthetic-" + std::to_string(i) + ".txt";
      const auto t0 = clock::now();
      std::optional<Document> doc = text::read_text(texts[i], options, diags);
      const auto t1 = clock::now();
      if (!doc) {
        std::cerr << "document " << i << " was not ingested\n";
        return 1;
      }
      const std::string xml = write_canonical_xml(*doc);
      const auto t2 = clock::now();
      read_seconds += std::chrono::duration<double>(t1 - t0).count();
      write_seconds += std::chrono::duration<double>(t2 - t1).count();
      if (round == 0) {
        const DocumentStats s = compute_stats(*doc);
        recognized += s.standards + s.guidelines + s.recommendations;
        output_bytes += xml.size();
        warnings += diags.count(Severity::Warning);
      }
    }
    best_round = std::min(best_round, std::chrono::duration<double>(clock::now() - round_start).count());
    best_round_cpu = std::min(best_round_cpu, thread_cpu_seconds() - round_cpu_start);
  }
  const double peak = peak_rss_mb();
  const double budget = 4 * input_mb + 50;
  std::printf("normkit-bench-ingest: %zu documents, %zu provisions generated (seed %llu)\n", docs,
              docs * provisions, static_cast<unsigned long long>(seed));
  std::printf("  input text          %.1f MB (%zu bytes), output XML %.1f MB\n", input_mb, input_bytes,
              static_cast<double>(output_bytes) / 1e6);
  std::printf("  provisions found    %zu of %zu%s, %zu warning(s)\n", recognized, docs * provisions,
              recognized == docs * provisions ? "" : "  <-- MISMATCH", warnings);
  std::printf("  ingest (read+write) %.1f MB per CPU-second (best of %zu rounds, one thread); wall clock %.1f MB/s\n",
              input_mb / best_round_cpu, rounds, input_mb / best_round);
  std::printf("  read only           %.1f MB/s wall clock (mean)\n", input_mb * rounds / read_seconds);
  std::printf("  write only          %.1f MB/s of input, wall clock (mean)\n", input_mb * rounds / write_seconds);
  std::printf("  peak RSS            %.1f MB (%.1f MB after generating the input); target < %.1f MB (4 x input + 50 MB)\n",
              peak, rss_after_generation, budget);
  return recognized == docs * provisions ? 0 : 1;
}
