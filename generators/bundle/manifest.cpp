// manifest.json (schema/bundle-manifest.schema.json): what the bundle holds and the SHA-256 of
// every other file, so a consumer can check a bundle without SHA256SUMS tooling.
#include <ctime>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "generators/bundle/bundle.h"

namespace normkit::bundle {

using nlohmann::json;

namespace {


}  // namespace

std::string archive_name(const Corpus& corpus, const GeneratorOptions& options) {
  // Only [A-Za-z0-9._-] survive, so the name is a safe path segment whatever the corpus
  // directory or version string holds.
  const auto safe = [](std::string_view s, std::string_view fallback) {
    std::string out;
    for (char c : s) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
      out += ok ? c : '-';
    }
    while (!out.empty() && out.front() == '.') out.erase(0, 1);
    return out.empty() ? std::string(fallback) : out;
  };
  const std::string stamp = options.source_date_epoch ? utc_date(*options.source_date_epoch)
                                                      : safe(options.normkit_version, "dev");
  return "normkit-bundle-" + safe(corpus.name, "corpus") + "-" + stamp + ".tar.gz";
}

std::string manifest_json(const Corpus& corpus, const std::vector<DocumentSummary>& docs,
                          const GeneratorOptions& options, const std::string& archive,
                          const std::vector<FileDigest>& files) {
  json j = json::object();
  j["$schema"] = kManifestSchemaId;
  j["format_version"] = kFormatVersion;
  j["model_version"] = kModelVersion;
  j["generator"] = {{"name", "normkit"}, {"version", sanitize_utf8(options.normkit_version)}};
  j["corpus"] = sanitize_utf8(corpus.name);
  j["source_date"] = options.source_date_epoch ? json(utc_date(*options.source_date_epoch)) : json(nullptr);
  j["archive"] = archive;
  j["sqlite"] = kSqlitePath;
  json& documents = j["documents"] = json::array();
  for (const DocumentSummary& d : docs) {
    const DocumentStats& s = d.stats;
    documents.push_back({{"work", sanitize_utf8(d.doc->work)},
                         {"edition", sanitize_utf8(d.doc->edition)},
                         {"type", to_string(d.doc->type)},
                         {"title", sanitize_utf8(d.title)},
                         {"file", document_path(*d.doc)},
                         {"counts",
                          {{"sections", s.sections},
                           {"provisions", d.provisions},
                           {"standards", s.standards},
                           {"guidelines", s.guidelines},
                           {"recommendations", s.recommendations},
                           {"other_provisions", s.other_provisions},
                           {"definitions", s.definitions},
                           {"keywords", s.keywords},
                           {"term_mentions", s.term_mentions}}}});
  }
  json& list = j["files"] = json::array();
  for (const FileDigest& f : files)
    list.push_back({{"path", f.path}, {"sha256", f.sha256}, {"bytes", f.bytes}});
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace normkit::bundle
