// The machine-readable bundle: JSON per document edition, a manifest, an SQLite database with
// full-text search, the JSON Schemas, SHA256SUMS and a deterministic .tar.gz of all of them.
// The format is documented in docs/bundle-format.md; the schemas live in schema/bundle-*.json.
//
// Files go to the OutputTree as they are made (straight to disk when the CLI streams it), the
// archive too, piece by piece; the SQLite database is built in its file there (in memory only
// for an in-memory tree). The output is byte-identical for the same corpus, options and library
// versions, whatever the thread count and the tree's mode.
#pragma once

#include <atomic>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

#include "core/corpus.h"
#include "core/diagnostics.h"
#include "core/io.h"
#include "generators/bundle/extract.h"
#include "generators/bundle/tasks.h"
#include "generators/registry.h"

namespace normkit::bundle {

// Bundle format version. Additive changes (new fields, tables, views) bump the minor number;
// anything else (renames, removals, changed meanings) bumps the major number, which is also in
// every schema $id and in the SQLite PRAGMA user_version.
inline constexpr int kFormatMajor = 1;
inline constexpr int kFormatMinor = 1;
inline constexpr std::string_view kFormatVersion = "1.1";

inline constexpr std::string_view kManifestSchemaId = "urn:normkit:bundle:1:manifest";
inline constexpr std::string_view kDocumentSchemaId = "urn:normkit:bundle:1:document";

// File names inside the bundle.
inline constexpr std::string_view kManifestPath = "manifest.json";
inline constexpr std::string_view kSqlitePath = "normkit.sqlite";
inline constexpr std::string_view kChecksumsPath = "SHA256SUMS";

// "documents/<work>/<edition>.json"
std::string document_path(const Document& doc);

// One document's JSON text (compact, UTF-8; invalid UTF-8 in the model becomes U+FFFD).
std::string document_json(const ExtractedDocument& doc);

// What the SQLite rows of one document need besides the model: the extraction and every text
// made from the model (explanations, JSON arrays, plain titles), all valid UTF-8. Made by
// prepare_sqlite_document on any thread, so that the thread building the database (the
// bundle's longest job) only binds and steps.
struct SqliteDocument {
  ExtractedDocument d;
  std::string path;                                   // document_path
  std::vector<std::string> usage_explanations;       // per word_usage entry
  std::vector<std::string> definition_alternates;    // per definition: JSON array
  std::vector<std::string> definition_explanations;  // per definition
  std::vector<std::string> catalog_titles;           // per catalog entry
  std::vector<std::string> catalog_organizations;    // per catalog entry: JSON array
  std::vector<std::string> catalog_endorsements;     // per catalog entry
  std::vector<std::string> reference_texts;          // per reference
};
SqliteDocument prepare_sqlite_document(const Document& doc);

// Hands build_sqlite the prepared documents, in corpus order: get(0), release(0), get(1), ...
// (the bundle generator makes them ahead on its other threads).
class SqliteFeed {
 public:
  virtual ~SqliteFeed() = default;
  virtual const SqliteDocument& get(size_t i) = 0;  // valid until release(i)
  virtual void release(size_t i) = 0;
};

// CPU seconds of the build's thread in its three parts (for the benchmark).
struct SqliteTimes {
  double rows_cpu = 0;     // the rows (with their preparation when there is no feed)
  double indexes_cpu = 0;  // CREATE INDEX, after the rows
  double fts_cpu = 0;      // the FTS5 'rebuild' and the commit
};

// The SQLite database built in memory (when there is no file to build it in); bytes() is its
// serialized image, owned by the open in-memory connection, so it is never copied.
class SqliteImage {
 public:
  SqliteImage() = default;
  ~SqliteImage() { reset(); }
  SqliteImage(const SqliteImage&) = delete;
  SqliteImage& operator=(const SqliteImage&) = delete;
  std::string_view bytes() const { return bytes_; }
  void reset();  // closes the database, frees its memory

 private:
  friend bool build_sqlite(const Corpus&, const std::filesystem::path*, SqliteImage&, Diagnostics&,
                           const std::atomic<bool>*, SqliteFeed*, SqliteTimes*);
  struct ::sqlite3* db_ = nullptr;
  std::string_view bytes_;
};

// Builds the SQLite database of the corpus into `file` (which must not exist; closed when done)
// or, without a file, into `image`, taking each document from `feed` (or, without one,
// preparing it on this thread) and dropping it when its rows are in. Returns false on an error
// (code "io" for a write error of the file, else "sqlite"), or, without a diagnostic, when
// *cancel becomes true.
bool build_sqlite(const Corpus& corpus, const std::filesystem::path* file, SqliteImage& image,
                  Diagnostics& diags, const std::atomic<bool>* cancel = nullptr,
                  SqliteFeed* feed = nullptr, SqliteTimes* times = nullptr);

// The manifest JSON; `files` maps every other bundle file (not the manifest, SHA256SUMS or the
// archive) to its SHA-256.
struct FileDigest {
  std::string path;
  std::string sha256;
  size_t bytes = 0;
};
struct DocumentSummary {
  const Document* doc = nullptr;
  std::string title;
  DocumentStats stats;
  size_t provisions = 0;
};
std::string manifest_json(const Corpus& corpus, const std::vector<DocumentSummary>& docs,
                          const GeneratorOptions& options, const std::string& archive_name,
                          const std::vector<FileDigest>& files);

// "normkit-bundle-<corpus>-<YYYY-MM-DD from SOURCE_DATE_EPOCH, or the normkit version>.tar.gz"
std::string archive_name(const Corpus& corpus, const GeneratorOptions& options);

// Deterministic parallel gzip (docs/bundle-format.md, "The archive"): the uncompressed stream is
// cut into pieces of kPieceBytes; each piece is compressed on its own (raw deflate, level 1,
// ending with a sync flush) by whichever thread of the pool is free, and the pieces are
// written to `out` in order between one gzip header and one trailer (the CRC-32s combined with
// zlib's crc32_combine). One gzip member, valid for every gzip reader; the bytes depend only on
// the input, never on the thread count or the scheduling. write() and finish() are for one
// producing thread; at most `max_pending` pieces wait to be compressed (the producer
// compresses too while more do), so memory stays bounded. The pool must be stopped (destroyed)
// before the writer: queued pieces point into it.
class GzipWriter {
 public:
  static constexpr size_t kPieceBytes = size_t{1} << 20;
  static constexpr int kLevel = 1;
  GzipWriter(TaskPool& pool, OutputTree::Stream& out, unsigned max_pending);
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;
  bool write(std::string_view data);
  // Compresses what is left, waits for every piece and writes the end of the stream.
  bool finish();
  // Takes nothing more (a failed bundle).
  void abandon() { ok_ = false; }
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }  // a compression failure; write errors are out's

 private:
  struct Piece {
    std::string in, out;
    uint32_t crc = 0;
    size_t size = 0;
    bool ok = false;
    bool done = false;  // under mutex_
  };
  void submit();
  void drain();  // writes the finished pieces at the front, in order
  // Buffers are reused from piece to piece: no fresh (page-faulting) megabyte for each.
  std::string spare();
  void recycle(std::string& buffer);
  TaskPool& pool_;
  OutputTree::Stream& out_;
  const unsigned max_pending_;
  std::string current_;
  std::deque<std::unique_ptr<Piece>> pieces_;  // submitted, not yet written
  std::mutex mutex_;
  std::vector<std::string> spares_;  // under mutex_
  unsigned pending_ = 0;  // submitted, not yet compressed (under mutex_)
  uint32_t crc_ = 0;
  uint64_t size_ = 0;
  bool ok_ = true;
  std::string error_;
};

// Writes a POSIX (pax) tar through a GzipWriter, one file at a time, so compression can start
// before every file exists. Deterministic: one fixed mtime (SOURCE_DATE_EPOCH or 0), owner and
// group 0 without names, modes 0644/0755. Each file's missing parent directories are written
// just before it, all under `root/`. finish() ends the tar and the gzip stream.
class ArchiveWriter {
 public:
  ArchiveWriter(std::string root, int64_t mtime, GzipWriter& gzip);
  ~ArchiveWriter();
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;
  bool add(const std::string& path, std::string_view data, Diagnostics& diags);
  // A file given in parts: begin() with its size, then write() exactly that many bytes.
  bool begin(const std::string& path, uint64_t size, Diagnostics& diags);
  bool write(std::string_view data, Diagnostics& diags);
  bool finish(Diagnostics& diags);

 private:
  bool add_entry(const std::string& path, bool is_file, uint64_t size, Diagnostics& diags);
  bool failed(const char* what, Diagnostics& diags);
  struct archive* archive_ = nullptr;
  std::string root_;
  int64_t mtime_;
  GzipWriter& gzip_;
  std::set<std::string> dirs_written_;
  bool ok_ = true;
  bool finished_ = false;
};

// The JSON Schemas as shipped in the bundle (schema/<name> in the source tree, embedded).
struct EmbeddedSchema {
  std::string_view file_name;  // "bundle-document.schema.json"
  std::string_view text;
};
const std::vector<EmbeddedSchema>& embedded_schemas();

// Seconds spent in each phase of one generate run, for bench/bundle_bench.cpp.
struct PhaseTimes {
  double documents = 0;  // every document extracted, as JSON, hashed, written, into the archive
  double sqlite = 0;     // SQLite build on its own thread (beside the documents)
  double wait = 0;       // waiting for the SQLite build after the documents
  double archive = 0;    // the rest: SQLite file, schemas, manifest, SHA256SUMS, the archive's end
  // CPU seconds (user + system) of the thread that built the database, and of the calling
  // thread during the documents, as a check of the balance between the two.
  double sqlite_cpu = 0;
  double documents_cpu = 0;
  SqliteTimes sqlite_parts;  // sqlite_cpu's rows, indexes and FTS5
};
bool generate(const Corpus& corpus, const GeneratorOptions& options, OutputTree& out,
              Diagnostics& diags, PhaseTimes* times);

}  // namespace normkit::bundle

namespace normkit {

// The registered generator (generators/registry.cpp).
bool generate_bundle(const Corpus& corpus, const GeneratorOptions& options, OutputTree& out,
                     Diagnostics& diags);

}  // namespace normkit
