// The bundle generator: the SQLite database on one thread while every thread makes, hashes and
// writes the document JSON and compresses the archive; then the manifest and SHA256SUMS.
#include "generators/bundle/bundle.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>

#include "core/text.h"

namespace normkit::bundle {

namespace {

// CPU seconds (user + system) of the calling thread so far.
double thread_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
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

// Documents are made in batches of this many, each batch a task.
constexpr size_t kBatchDocuments = 16;

// One document's output, made by a batch task.
struct DocumentOutput {
  std::string path;
  std::string json;  // dropped once it is in the archive
  FileDigest digest;
  DocumentSummary summary;
};

// The SQLite thread's documents, prepared (extracted, their texts made) a few chunks ahead of it
// by the other threads, so that the SQLite thread only binds and steps. A chunk is made by
// whichever thread claims it first: the SQLite thread makes one itself rather than wait for a
// chunk nobody has started (so one thread works too), and waits only for a chunk being made.
class PreparedFeed final : public SqliteFeed {
 public:
  PreparedFeed(const Corpus& corpus, TaskPool& pool)
      : corpus_(corpus), pool_(pool), slots_(corpus.documents.size()),
        chunks_((slots_.size() + kChunk - 1) / kChunk), state_(new std::atomic<int>[chunks_]) {
    for (size_t c = 0; c < chunks_; ++c) state_[c] = kQueued;
  }

  const SqliteDocument& get(size_t i) override {
    const size_t c = i / kChunk;
    for (; submitted_ < chunks_ && submitted_ <= c + kAhead; ++submitted_)
      pool_.submit_first([this, k = submitted_] { make(k); });
    make(c);
    for (int s = state_[c].load(); s != kReady; s = state_[c].load()) {
      if (s == kFailed)
        throw std::runtime_error("bundle: a document could not be prepared for SQLite");
      state_[c].wait(s);
    }
    return *slots_[i];
  }
  void release(size_t i) override { slots_[i].reset(); }

 private:
  static constexpr size_t kChunk = 8;   // documents per task
  static constexpr size_t kAhead = 12;  // chunks made ahead of the one the SQLite thread reads
  enum : int { kQueued, kRunning, kReady, kFailed };
  void make(size_t c) {
    int expected = kQueued;
    if (!state_[c].compare_exchange_strong(expected, kRunning)) return;
    try {
      for (size_t i = c * kChunk; i < std::min(slots_.size(), (c + 1) * kChunk); ++i)
        slots_[i] =
            std::make_unique<SqliteDocument>(prepare_sqlite_document(corpus_.documents[i].doc));
    } catch (...) {
      state_[c] = kFailed;
      state_[c].notify_all();
      throw;
    }
    state_[c] = kReady;
    state_[c].notify_all();
  }
  const Corpus& corpus_;
  TaskPool& pool_;
  std::vector<std::unique_ptr<SqliteDocument>> slots_;
  const size_t chunks_;
  std::unique_ptr<std::atomic<int>[]> state_;
  size_t submitted_ = 0;  // chunks queued so far (by the SQLite thread only)
};

}  // namespace

// The plan (docs/bundle-format.md has the bytes; bench/README.md the figures):
//  - the SQLite database is built on a worker thread from the start (the longest single job);
//    its documents are prepared a little ahead of it by the other threads (PreparedFeed);
//  - documents, in batches, are extracted, turned into JSON, hashed and written by whichever
//    thread is free; this thread puts them into the archive in corpus order, which cuts the tar
//    stream into pieces that any thread compresses (GzipWriter), and frees each JSON string;
//  - then the database goes into the archive (read back from its file, hashed on the way, its
//    pieces compressed on every thread), then the schemas, the manifest and SHA256SUMS.
// Every result lands in a fixed slot and the archive is fed in one fixed order, so the bytes do
// not depend on the thread count.
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
  const std::string archive = archive_name(corpus, options);
  std::unique_ptr<OutputTree::Stream> archive_file = out.open_stream(archive);
  if (!archive_file) return false;  // out.error() says why

  // What the tasks fill in. Declared before the pool, which is destroyed first: no task
  // outlives what it uses, on any way out.
  std::vector<DocumentOutput> docs(n);
  const size_t batches = (n + kBatchDocuments - 1) / kBatchDocuments;
  std::unique_ptr<std::atomic<bool>[]> batch_done(new std::atomic<bool>[batches]);
  for (size_t b = 0; b < batches; ++b) batch_done[b] = false;
  std::atomic<bool> write_failed{false}, cancel{false};
  // The database is built in its file when the output streams to a directory (it then never
  // sits in memory, and is written while it is built), else in memory.
  const std::filesystem::path sqlite_file =
      out.streaming() ? out.native_path(std::string(kSqlitePath)) : std::filesystem::path();
  if (out.streaming() && sqlite_file.empty()) return false;  // out.error() says why
  SqliteImage sqlite;
  Diagnostics sqlite_diags;
  std::atomic<bool> sqlite_done{false};
  bool sqlite_ok = false;
  std::optional<GzipWriter> gzip;
  std::optional<ArchiveWriter> tar;
  std::optional<PreparedFeed> feed;
  TaskPool pool(threads - 1);
  feed.emplace(corpus, pool);
  struct CancelGuard {  // a failure stops the SQLite build early
    std::atomic<bool>& cancel;
    ~CancelGuard() { cancel = true; }
  } cancel_guard{cancel};

  pool.submit(
      [&] {
        Stopwatch sqlite_watch;
        const double cpu_start = thread_cpu_seconds();
        sqlite_ok = build_sqlite(corpus, sqlite_file.empty() ? nullptr : &sqlite_file, sqlite,
                                 sqlite_diags, &cancel, &*feed, &t.sqlite_parts);
        t.sqlite = sqlite_watch.lap();
        t.sqlite_cpu = thread_cpu_seconds() - cpu_start;
        sqlite_done = true;
      },
      /*workers_only=*/true);

  gzip.emplace(pool, *archive_file, threads + 1);
  tar.emplace(archive.substr(0, archive.size() - std::string_view(".tar.gz").size()),
              options.source_date_epoch.value_or(0), *gzip);

  const double documents_cpu_start = thread_cpu_seconds();
  // 1. Documents: batches made ahead by any thread, archived here in order.
  const auto make_batch = [&](size_t b) {
    for (size_t i = b * kBatchDocuments; i < std::min(n, (b + 1) * kBatchDocuments); ++i) {
      const Document& doc = corpus.documents[i].doc;
      DocumentOutput& d = docs[i];
      {
        const ExtractedDocument e = extract_document(doc);
        d.json = document_json(e);
        d.summary = {&doc, e.title, e.stats, e.provisions.size()};
      }
      d.path = document_path(doc);
      d.digest = {d.path, sha256_hex(d.json), d.json.size()};
      if (!out.add_bytes(d.path, d.json)) write_failed = true;
    }
    batch_done[b] = true;
  };
  const size_t lookahead = 2 * threads;
  size_t submitted = 0;
  for (size_t b = 0; b < batches; ++b) {
    for (; submitted < batches && submitted <= b + lookahead; ++submitted)
      pool.submit([&make_batch, submitted] { make_batch(submitted); });
    pool.help_until([&] { return batch_done[b].load(); });
    if (write_failed) return false;  // out.error() says why
    for (size_t i = b * kBatchDocuments; i < std::min(n, (b + 1) * kBatchDocuments); ++i) {
      if (!tar->add(docs[i].path, docs[i].json, diags)) return false;
      std::string().swap(docs[i].json);  // frees it (assigning "" would keep the buffer)
    }
  }
  t.documents = watch.lap();
  t.documents_cpu = thread_cpu_seconds() - documents_cpu_start;

  // 2. The database into the archive a megabyte at a time, hashed on the way (its pieces are
  //    compressed on every thread).
  pool.help_until([&] { return sqlite_done.load(); });
  t.wait = watch.lap();
  if (!sqlite_ok) {
    for (const Diagnostic& d : sqlite_diags.all())
      if (d.code == "io") {  // the output's error, reported as such (exit code, message)
        out.fail(d.message);
        return false;
      }
    diags.merge(sqlite_diags);
    return false;
  }
  diags.merge(sqlite_diags);
  Sha256Stream sqlite_sha;
  uint64_t sqlite_size = 0;
  constexpr size_t kChunk = size_t{1} << 20;
  if (!sqlite_file.empty()) {
    const int fd = ::open(sqlite_file.c_str(), O_RDONLY | O_CLOEXEC);
    struct Closer {
      int fd;
      ~Closer() {
        if (fd >= 0) ::close(fd);
      }
    } closer{fd};
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
      out.fail("cannot read '" + sqlite_file.string() + "': " + std::strerror(errno));
      return false;
    }
    sqlite_size = static_cast<uint64_t>(st.st_size);
    if (!tar->begin(std::string(kSqlitePath), sqlite_size, diags)) return false;
    std::string chunk(kChunk, '\0');
    for (uint64_t done = 0; done < sqlite_size;) {
      const ssize_t got = ::read(fd, chunk.data(), std::min<uint64_t>(kChunk, sqlite_size - done));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        out.fail("cannot read '" + sqlite_file.string() + "': " +
                 (got < 0 ? std::strerror(errno) : "it shrank while being read"));
        return false;
      }
      const std::string_view part(chunk.data(), static_cast<size_t>(got));
      sqlite_sha.update(part);
      if (!tar->write(part, diags)) return false;
      done += static_cast<uint64_t>(got);
    }
    if (!out.adopt(std::string(kSqlitePath))) return false;
  } else {
    const std::string_view bytes = sqlite.bytes();
    sqlite_size = bytes.size();
    if (!tar->begin(std::string(kSqlitePath), sqlite_size, diags)) return false;
    for (size_t at = 0; at < bytes.size(); at += kChunk) {
      const std::string_view part = bytes.substr(at, kChunk);
      sqlite_sha.update(part);
      if (!tar->write(part, diags)) return false;
    }
    if (!out.add_bytes(std::string(kSqlitePath), bytes)) return false;
    sqlite.reset();
  }
  std::vector<FileDigest> digests;
  digests.reserve(n + 8);
  std::vector<DocumentSummary> summaries;
  summaries.reserve(n);
  for (DocumentOutput& d : docs) {
    digests.push_back(std::move(d.digest));
    summaries.push_back(d.summary);
  }
  digests.push_back({std::string(kSqlitePath), sqlite_sha.hex(), sqlite_size});

  // 3. The schemas, then the manifest (hashes of all those) and SHA256SUMS (hashes of
  //    everything but itself) close the archive.
  const auto add_file = [&](const std::string& path, std::string bytes) {
    digests.push_back({path, sha256_hex(bytes), bytes.size()});
    if (!tar->add(path, bytes, diags)) return false;
    return out.add(path, std::move(bytes));
  };
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
  if (!tar->add(std::string(kChecksumsPath), sums, diags) ||
      !out.add(std::string(kChecksumsPath), std::move(sums)) || !tar->finish(diags) ||
      !archive_file->close())
    return false;
  pool.finish();
  t.archive = watch.lap();
  return true;
}

}  // namespace normkit::bundle

namespace normkit {

bool generate_bundle(const Corpus& corpus, const GeneratorOptions& options, OutputTree& out,
                     Diagnostics& diags) {
  return bundle::generate(corpus, options, out, diags, nullptr);
}

}  // namespace normkit
