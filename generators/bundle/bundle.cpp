// The bundle generator: extracts every document (in parallel), writes its JSON, builds the
// SQLite database while the JSON is hashed, then the manifest, SHA256SUMS and the archive.
#include "generators/bundle/bundle.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <thread>

#include "core/text.h"

namespace normkit::bundle {

namespace {

// Runs fn(i) for i in [0, n) on up to `threads` threads. Results go to slot i, so the output
// does not depend on scheduling. The first exception is rethrown on the calling thread.
template <class Fn>
void parallel_for(size_t n, unsigned threads, Fn fn) {
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::atomic<bool> failed{false};
  const auto worker = [&]() {
    try {
      for (size_t i = next++; i < n && !failed; i = next++) fn(i);
    } catch (...) {
      if (!failed.exchange(true)) error = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  const unsigned extra = std::min<size_t>(threads > 0 ? threads - 1 : 0, n > 0 ? n - 1 : 0);
  for (unsigned t = 0; t < extra; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

class Stopwatch {
 public:
  // Seconds since the last lap (or construction).
  double lap() {
    const auto now = std::chrono::steady_clock::now();
    const double s = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    return s;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace

bool generate(const Corpus& corpus, const GeneratorOptions& options, OutputTree& out,
              Diagnostics& diags, PhaseTimes* times) {
  PhaseTimes unused;
  PhaseTimes& t = times ? *times : unused;
  Stopwatch watch;
  const size_t n = corpus.documents.size();
  for (const CorpusDocument& cd : corpus.documents)
    if (!OutputTree::is_safe_path(document_path(cd.doc))) {
      diags.error("unsafe-path", "work '" + sanitize_utf8(cd.doc.work) + "' edition '" +
                                     sanitize_utf8(cd.doc.edition) + "' cannot name a bundle file");
      return false;
    }
  const unsigned threads = std::max(1u, options.threads);

  // 1. Extract every document, in parallel.
  std::vector<ExtractedDocument> docs(n);
  parallel_for(n, threads, [&](size_t i) { docs[i] = extract_document(corpus.documents[i].doc); });
  t.extract = watch.lap();

  // 2. The SQLite database on its own thread, while this thread writes, hashes and archives the
  //    JSON. Everything lands in fixed slots and in a fixed order, so the bytes do not depend on
  //    the thread count.
  SqliteImage sqlite;
  std::string sqlite_sha256;  // hashed on the SQLite thread too
  Diagnostics sqlite_diags;
  bool sqlite_ok = false;
  std::exception_ptr sqlite_error;
  const auto make_sqlite = [&]() {
    try {
      Stopwatch sqlite_watch;
      sqlite_ok = build_sqlite(docs, sqlite, sqlite_diags);
      if (sqlite_ok) sqlite_sha256 = sha256_hex(sqlite.bytes());
      t.sqlite = sqlite_watch.lap();
    } catch (...) {
      sqlite_error = std::current_exception();
    }
  };
  std::thread sqlite_thread;
  if (threads > 1) sqlite_thread = std::thread(make_sqlite);
  struct JoinGuard {  // joins on every path out, exceptions included
    std::thread& thread;
    ~JoinGuard() {
      if (thread.joinable()) thread.join();
    }
  } join_guard{sqlite_thread};

  const std::string archive = archive_name(corpus, options);
  std::string archive_bytes;
  ArchiveWriter tar(archive.substr(0, archive.size() - std::string_view(".tar.gz").size()),
                    options.source_date_epoch.value_or(0), archive_bytes);
  std::vector<FileDigest> digests;
  digests.reserve(n + 8);
  Stopwatch json_watch;
  for (size_t i = 0; i < n; ++i) {
    std::string json = document_json(docs[i]);
    const std::string path = document_path(*docs[i].doc);
    digests.push_back({path, sha256_hex(json), json.size()});
    if (!tar.add(path, json, diags)) return false;
    out.add(path, std::move(json));
  }
  t.json = json_watch.lap();
  if (sqlite_thread.joinable()) sqlite_thread.join();
  else make_sqlite();
  if (sqlite_error) std::rethrow_exception(sqlite_error);
  diags.merge(sqlite_diags);
  if (!sqlite_ok) return false;
  std::vector<DocumentSummary> summaries;
  for (const ExtractedDocument& d : docs)
    summaries.push_back({d.doc, d.title, d.stats, d.provisions.size()});
  docs.clear();  // the text copies are no longer needed
  t.wait = watch.lap() - t.json;

  // 3. The database, the schemas, then the manifest (hashes of all those) and SHA256SUMS
  //    (hashes of everything but itself) close the archive.
  const auto add_file = [&](const std::string& path, std::string bytes, std::string sha256 = {}) {
    digests.push_back({path, sha256.empty() ? sha256_hex(bytes) : std::move(sha256), bytes.size()});
    if (!tar.add(path, bytes, diags)) return false;
    return out.add(path, std::move(bytes));
  };
  digests.push_back({std::string(kSqlitePath), std::move(sqlite_sha256), sqlite.bytes().size()});
  if (!tar.add(std::string(kSqlitePath), sqlite.bytes(), diags) ||
      !out.add_bytes(std::string(kSqlitePath), sqlite.bytes()))
    return false;
  sqlite.reset();
  for (const EmbeddedSchema& s : embedded_schemas())
    if (!add_file("schema/" + std::string(s.file_name), std::string(s.text))) return false;
  std::sort(digests.begin(), digests.end(),
            [](const FileDigest& a, const FileDigest& b) { return a.path < b.path; });
  if (!add_file(std::string(kManifestPath), manifest_json(corpus, summaries, options, archive, digests)))
    return false;
  std::sort(digests.begin(), digests.end(),
            [](const FileDigest& a, const FileDigest& b) { return a.path < b.path; });
  std::string sums;
  for (const FileDigest& d : digests) sums += d.sha256 + "  " + d.path + "\n";
  if (!tar.add(std::string(kChecksumsPath), sums, diags) ||
      !out.add(std::string(kChecksumsPath), std::move(sums)) || !tar.finish(diags))
    return false;
  t.archive = watch.lap();
  return out.add(archive, std::move(archive_bytes));
}

}  // namespace normkit::bundle

namespace normkit {

bool generate_bundle(const Corpus& corpus, const GeneratorOptions& options, OutputTree& out,
                     Diagnostics& diags) {
  return bundle::generate(corpus, options, out, diags, nullptr);
}

}  // namespace normkit
