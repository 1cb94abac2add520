// The bundle generator: extracts every document (in parallel), writes its JSON, builds the
// SQLite database while the JSON is hashed, then the manifest, SHA256SUMS and the archive.
#include "generators/bundle/bundle.h"

#include <algorithm>
#include <atomic>
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

}  // namespace

}  // namespace normkit::bundle

namespace normkit {

bool generate_bundle(const Corpus& corpus, const GeneratorOptions& options, OutputTree& out,
                     Diagnostics& diags) {
  using namespace bundle;
  const size_t n = corpus.documents.size();
  for (const CorpusDocument& cd : corpus.documents)
    if (!OutputTree::is_safe_path(document_path(cd.doc))) {
      diags.error("unsafe-path", "work '" + sanitize_utf8(cd.doc.work) + "' edition '" +
                                     sanitize_utf8(cd.doc.edition) + "' cannot name a bundle file");
      return false;
    }

  // 1. Extract and write each document's JSON, in parallel.
  std::vector<ExtractedDocument> docs(n);
  std::vector<std::string> jsons(n);
  const unsigned threads = std::max(1u, options.threads);
  parallel_for(n, threads, [&](size_t i) {
    docs[i] = extract_document(corpus.documents[i].doc);
    jsons[i] = document_json(docs[i]);
  });

  // 2. The SQLite database on a second thread while this one hashes the JSON.
  std::string sqlite_bytes;
  Diagnostics sqlite_diags;
  bool sqlite_ok = false;
  std::exception_ptr sqlite_error;
  const auto make_sqlite = [&]() {
    try {
      sqlite_ok = build_sqlite(docs, sqlite_bytes, sqlite_diags);
    } catch (...) {
      sqlite_error = std::current_exception();
    }
  };
  std::vector<FileDigest> digests;
  {
    std::thread sqlite_thread;
    if (threads > 1) sqlite_thread = std::thread(make_sqlite);
    for (size_t i = 0; i < n; ++i)
      digests.push_back({document_path(*docs[i].doc), sha256_hex(jsons[i]), jsons[i].size()});
    if (sqlite_thread.joinable()) sqlite_thread.join();
    else make_sqlite();
  }
  if (sqlite_error) std::rethrow_exception(sqlite_error);
  diags.merge(sqlite_diags);
  if (!sqlite_ok) return false;
  digests.push_back({std::string(kSqlitePath), sha256_hex(sqlite_bytes), sqlite_bytes.size()});
  for (const EmbeddedSchema& s : embedded_schemas())
    digests.push_back({"schema/" + std::string(s.file_name), sha256_hex(s.text), s.text.size()});

  // 3. Manifest (hashes of everything else) and SHA256SUMS (everything but itself).
  const std::string archive = archive_name(corpus, options);
  std::string manifest = manifest_json(corpus, docs, options, archive,
                                       [&] {
                                         auto sorted = digests;
                                         std::sort(sorted.begin(), sorted.end(),
                                                   [](const FileDigest& a, const FileDigest& b) {
                                                     return a.path < b.path;
                                                   });
                                         return sorted;
                                       }());
  digests.push_back({std::string(kManifestPath), sha256_hex(manifest), manifest.size()});
  std::sort(digests.begin(), digests.end(),
            [](const FileDigest& a, const FileDigest& b) { return a.path < b.path; });
  std::string sums;
  for (const FileDigest& d : digests) sums += d.sha256 + "  " + d.path + "\n";

  // 4. Everything into the tree, then the archive of the tree.
  bool ok = true;
  for (size_t i = 0; i < n; ++i) ok &= out.add(document_path(*docs[i].doc), std::move(jsons[i]));
  docs.clear();
  ok &= out.add(std::string(kSqlitePath), std::move(sqlite_bytes));
  for (const EmbeddedSchema& s : embedded_schemas())
    ok &= out.add("schema/" + std::string(s.file_name), std::string(s.text));
  ok &= out.add(std::string(kManifestPath), std::move(manifest));
  ok &= out.add(std::string(kChecksumsPath), std::move(sums));
  if (!ok) {
    diags.error("unsafe-path", "a bundle file name was refused");
    return false;
  }
  std::vector<std::pair<std::string, const std::string*>> members;
  for (const auto& [path, bytes] : out.files()) members.emplace_back(path, &bytes);
  const std::string root = archive.substr(0, archive.size() - std::string_view(".tar.gz").size());
  std::string archive_bytes;
  if (!build_archive(members, root, options.source_date_epoch.value_or(0), archive_bytes, diags))
    return false;
  return out.add(archive, std::move(archive_bytes));
}

}  // namespace normkit
