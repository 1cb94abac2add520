// Bundle benchmark: loads a corpus, then times the bundle generator (JSON + SQLite + archive) and
// prints the figures, with the CPU time of the SQLite thread and of the calling thread. Not a
// test: see bench/README.md.
//
//   build/bench/normkit-gen-corpus --docs 2000 --provisions 40 -o /tmp/nk-bench
//   build/bench/normkit-bundle-bench /tmp/nk-bench [--threads N] [--repeat N] [--stream DIR]
//   build/bench/normkit-bundle-bench /tmp/nk-bench --sqlite-only [--repeat N] [--stream DIR]
//
// --stream DIR: the generator writes its files under DIR/run-N as it makes them (a streaming
// OutputTree, as `normkit bundle` runs it: the SQLite database is built in its file) instead of
// keeping them in memory (the database then built in memory too).
// --sqlite-only: only the SQLite build (build_sqlite), on the calling thread, N times.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "core/corpus.h"
#include "generators/bundle/bundle.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// User + system CPU seconds of the whole process so far: on a shared machine this says more
// than the wall time.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double sys_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_stime.tv_sec) + static_cast<double>(u.ru_stime.tv_usec) / 1e6;
}

long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;  // Linux: kilobytes
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "unknown" : one;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: %s CORPUS_DIR [--threads N] [--repeat N] [--stream DIR] [--sqlite-only]\n",
                 argv[0]);
    return 2;
  }
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  int repeat = 3;
  std::string stream_dir;
  bool sqlite_only = false;
  for (int i = 2; i < argc; ++i) {
    const std::string opt = argv[i];
    if (opt == "--sqlite-only") {
      sqlite_only = true;
      continue;
    }
    if (i + 1 >= argc) break;
    ++i;
    if (opt == "--threads") threads = static_cast<unsigned>(std::atoi(argv[i]));
    else if (opt == "--repeat") repeat = std::atoi(argv[i]);
    else if (opt == "--stream") stream_dir = argv[i];
  }
  normkit::Diagnostics diags;
  normkit::Corpus corpus;
  normkit::LoadOptions load;
  load.check_schema = false;
  auto start = std::chrono::steady_clock::now();
  if (!normkit::load_corpus({argv[1]}, corpus, diags, load)) {
    std::fprintf(stderr, "cannot load %s\n", argv[1]);
    return 1;
  }
  std::printf("corpus: %zu documents loaded in %.3f s (not part of the bundle time), RSS %ld MB\n",
              corpus.documents.size(), seconds_since(start), peak_rss_mb());
  if (sqlite_only) {
    // The SQLite build alone, on this thread, into DIR/normkit.sqlite (--stream DIR) or in memory:
    // the bundle's longest single job, timed without the other thread's work beside it.
    double best_cpu = 1e9;
    for (int r = 0; r < repeat; ++r) {
      std::filesystem::path file;
      if (!stream_dir.empty()) {
        std::filesystem::create_directories(stream_dir);
        file = std::filesystem::path(stream_dir) / "normkit.sqlite";
        std::filesystem::remove(file);
      }
      normkit::bundle::SqliteImage image;
      start = std::chrono::steady_clock::now();
      const double cpu_start = cpu_seconds();
      const double sys_start = sys_seconds();
      normkit::bundle::SqliteTimes parts;
      if (!normkit::bundle::build_sqlite(corpus, file.empty() ? nullptr : &file, image, diags,
                                         nullptr, nullptr, &parts)) {
        std::fprintf(stderr, "SQLite build failed\n");
        return 1;
      }
      const double cpu = cpu_seconds() - cpu_start;
      const double sys = sys_seconds() - sys_start;
      best_cpu = std::min(best_cpu, cpu);
      std::printf("SQLite run %d: %.3f s wall, %.3f s CPU (%.3f s of it system): rows with their "
                  "preparation %.3f, indexes %.3f, FTS5 %.3f\n", r + 1, seconds_since(start), cpu,
                  sys, parts.rows_cpu, parts.indexes_cpu, parts.fts_cpu);
    }
    std::printf("SQLite alone: best %.3f s CPU; peak RSS %ld MB; load average now %s\n", best_cpu,
                peak_rss_mb(), load_average().c_str());
    return 0;
  }
  normkit::GeneratorOptions options;
  options.normkit_version = "bench";
  options.threads = threads;
  double best = 1e9;
  normkit::OutputTree out;
  for (int r = 0; r < repeat; ++r) {
    if (stream_dir.empty()) {
      out = normkit::OutputTree();
    } else {
      const std::filesystem::path dir = std::filesystem::path(stream_dir) / ("run-" + std::to_string(r + 1));
      std::filesystem::remove_all(dir);
      std::filesystem::create_directories(stream_dir);
      out = normkit::OutputTree(dir);
    }
    start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    normkit::bundle::PhaseTimes phases;
    if (!normkit::bundle::generate(corpus, options, out, diags, &phases)) {
      for (const normkit::Diagnostic& d : diags.all())
        std::fprintf(stderr, "%s: %s\n", d.code.c_str(), d.message.c_str());
      std::fprintf(stderr, "bundle failed\n");
      return 1;
    }
    const double t = seconds_since(start);
    const double cpu = cpu_seconds() - cpu_start;
    best = std::min(best, t);
    std::printf("run %d: %.3f s wall, %.3f s CPU (threads %u): documents (JSON, hash, write, archive) %.3f "
                "(this thread %.3f s CPU) beside SQLite %.3f (%.3f s CPU: rows %.3f, indexes %.3f, "
                "FTS5 %.3f) | wait %.3f | SQLite into the archive, schemas, manifest, sums, archive "
                "end %.3f\n",
                r + 1, t, cpu, threads, phases.documents, phases.documents_cpu, phases.sqlite,
                phases.sqlite_cpu, phases.sqlite_parts.rows_cpu, phases.sqlite_parts.indexes_cpu,
                phases.sqlite_parts.fts_cpu, phases.wait, phases.archive);
  }
  size_t json_bytes = 0, json_files = 0, sqlite_bytes = 0, archive_bytes = 0;
  const auto count = [&](const std::string& path, size_t size) {
    if (path.ends_with(".json") && path.starts_with("documents/")) json_bytes += size, ++json_files;
    else if (path == normkit::bundle::kSqlitePath) sqlite_bytes = size;
    else if (path.ends_with(".tar.gz")) archive_bytes = size;
  };
  if (out.streaming()) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(out.dir()))
      if (e.is_regular_file())
        count(e.path().lexically_relative(out.dir()).generic_string(), e.file_size());
  } else {
    for (const auto& [path, bytes] : out.files()) count(path, bytes.size());
  }
  std::printf("bundle (JSON + SQLite + archive, %s): best %.3f s wall; peak RSS %ld MB; "
              "load average now %s\n", out.streaming() ? "streamed to disk" : "in memory", best, peak_rss_mb(), load_average().c_str());
  std::printf("sizes: %zu document JSON files %.1f MB, normkit.sqlite %.1f MB, archive %.1f MB\n",
              json_files, json_bytes / 1e6, sqlite_bytes / 1e6, archive_bytes / 1e6);
  return 0;
}
