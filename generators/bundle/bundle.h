// The machine-readable bundle: JSON per document edition, a manifest, an SQLite database with
// full-text search, the JSON Schemas, SHA256SUMS and a deterministic .tar.gz of all of them.
// The format is documented in docs/bundle-format.md; the schemas live in schema/bundle-*.json.
//
// Files go to the OutputTree as they are made (straight to disk when the CLI streams it); the
// SQLite database and the archive are built in memory. The output is byte-identical for the same corpus, options and library versions, whatever the thread count.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

#include "core/corpus.h"
#include "core/diagnostics.h"
#include "core/io.h"
#include "generators/bundle/extract.h"
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

// The SQLite database, built in memory; bytes() is its serialized image, owned by the open
// in-memory connection, so the (large) database is never copied on its way to disk.
class SqliteImage {
 public:
  SqliteImage() = default;
  ~SqliteImage() { reset(); }
  SqliteImage(const SqliteImage&) = delete;
  SqliteImage& operator=(const SqliteImage&) = delete;
  std::string_view bytes() const { return bytes_; }
  void reset();  // closes the database, frees its memory

 private:
  friend bool build_sqlite(const std::vector<ExtractedDocument>&, SqliteImage&, Diagnostics&);
  struct ::sqlite3* db_ = nullptr;
  std::string_view bytes_;
};

// Builds the SQLite database into `image`. Returns false on an SQLite error.
bool build_sqlite(const std::vector<ExtractedDocument>& docs, SqliteImage& image, Diagnostics& diags);

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

// Writes a gzip-compressed POSIX (pax) tar into memory, one file at a time, so compression can
// start before every file exists. Deterministic: one fixed mtime (SOURCE_DATE_EPOCH or 0), owner
// and group 0 without names, modes 0644/0755, no timestamp in the gzip header. Each file's
// missing parent directories are written just before it, all under `root/`.
class ArchiveWriter {
 public:
  ArchiveWriter(std::string root, int64_t mtime, std::string& bytes);
  ~ArchiveWriter();
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;
  bool add(const std::string& path, std::string_view data, Diagnostics& diags);
  bool finish(Diagnostics& diags);

 private:
  bool add_entry(const std::string& path, const std::string_view* data, Diagnostics& diags);
  bool failed(const char* what, Diagnostics& diags);
  struct archive* archive_ = nullptr;
  std::string root_;
  int64_t mtime_;
  std::set<std::string> dirs_written_;
  bool ok_ = true;
};

// The JSON Schemas as shipped in the bundle (schema/<name> in the source tree, embedded).
struct EmbeddedSchema {
  std::string_view file_name;  // "bundle-document.schema.json"
  std::string_view text;
};
const std::vector<EmbeddedSchema>& embedded_schemas();

// Seconds spent in each phase of one generate run, for bench/bundle_bench.cpp.
struct PhaseTimes {
  double extract = 0;  // walking every document (parallel)
  double json = 0;     // document JSON, hashed and archived (beside the SQLite build)
  double sqlite = 0;   // SQLite build and serialization, on its own thread
  double wait = 0;     // waiting for the SQLite thread after the JSON
  double archive = 0;  // the rest: SQLite, schemas, manifest, SHA256SUMS into the archive
};
bool generate(const Corpus& corpus, const GeneratorOptions& options, OutputTree& out,
              Diagnostics& diags, PhaseTimes* times);

}  // namespace normkit::bundle

namespace normkit {

// The registered generator (generators/registry.cpp).
bool generate_bundle(const Corpus& corpus, const GeneratorOptions& options, OutputTree& out,
                     Diagnostics& diags);

}  // namespace normkit
