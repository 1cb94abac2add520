#include "generators/site/site.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <set>
#include <string_view>
#include <thread>

#include "generators/site/assets.h"
#include "generators/site/pages.h"
#include "generators/site/search_text.h"

namespace normkit::site {

namespace {

struct DocOutput {
  DocIndexPart index;
  std::vector<TermUse> uses;
  std::string error;  // non-empty: this document could not be rendered
  bool write_failed = false;
};

// `scratch` is the thread's page buffer: the page is built in it and handed to the output tree
// at once (written straight to disk when the tree streams), so pages never pile up in memory.
void process_document(const SiteModel& site, size_t d, Segmenter& segmenter, std::string& scratch,
                      OutputTree& tree, DocOutput& out) {
  const Document& doc = *site.docs[d].doc;
  std::vector<SearchEntry> entries;
  extract_entries(doc, entries, out.uses);
  make_index_part(entries, segmenter, out.index);
  scratch.clear();
  document_page(site, d, scratch);
  if (!tree.add(site.docs[d].url, std::string(scratch))) out.write_failed = true;
}

}  // namespace

bool generate_site_with_stats(const Corpus& corpus, const GeneratorOptions& options, OutputTree& out,
                              Diagnostics& diags, SearchIndexStats* stats) {
  const SiteModel site = make_site_model(corpus, options);
  const size_t n = site.docs.size();
  std::vector<DocOutput> outputs(n);

  // Page paths are checked before anything is written: two editions with ids that slugify to
  // the same page would overwrite each other.
  {
    std::set<std::string_view> urls;
    for (const auto& doc : site.docs) {
      if (!OutputTree::is_safe_path(doc.url)) {
        diags.error("site-path", "unsafe page path '" + doc.url + "'");
        return false;
      }
      if (!urls.insert(doc.url).second) {
        diags.error("site-path", "two documents map to the same page path");
        return false;
      }
    }
  }

  // Per-document work on every thread; each result lands in its own slot, so the output is
  // the same whatever the scheduling.
  std::atomic<size_t> next{0};
  auto worker = [&]() {
    std::unique_ptr<Segmenter> segmenter;
    std::string scratch;
    try {
      segmenter = std::make_unique<Segmenter>();
    } catch (const std::exception& e) {
      for (size_t d = next++; d < n; d = next++) outputs[d].error = e.what();
      return;
    }
    for (size_t d = next++; d < n; d = next++) {
      try {
        process_document(site, d, *segmenter, scratch, out, outputs[d]);
      } catch (const std::exception& e) {
        outputs[d].error = e.what();
      }
    }
  };
  const unsigned threads = std::max(1u, std::min<unsigned>(options.threads, static_cast<unsigned>(std::max<size_t>(n, 1))));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();

  bool ok = true;
  std::vector<DocIndexPart> parts(n);
  std::vector<std::vector<TermUse>> uses(n);
  for (size_t d = 0; d < n; ++d) {
    if (!outputs[d].error.empty()) {
      Diagnostic& diag = diags.error("site-render", "cannot render " + site.docs[d].doc->work + " " +
                                                        site.docs[d].doc->edition + ": " + outputs[d].error);
      diag.file = corpus.documents[d].file;
      ok = false;
      continue;
    }
    if (outputs[d].write_failed) {
      diags.error("io", "cannot write page '" + site.docs[d].url + "'" +
                            (out.error().empty() ? std::string() : ": " + out.error()));
      ok = false;
    }
    parts[d] = std::move(outputs[d].index);
    uses[d] = std::move(outputs[d].uses);
  }
  if (!ok) return false;

  out.add("index.html", home_page(site));
  out.add("glossary.html", glossary_page(site, uses));
  out.add("search.html", search_page(site));
  for (const auto& [name, bytes] : embedded_site_assets()) out.add("assets/" + std::string(name), std::string(bytes));
  build_search_index(site, parts, out, stats);
  return true;
}

bool generate_site(const Corpus& corpus, const GeneratorOptions& options, OutputTree& out, Diagnostics& diags) {
  return generate_site_with_stats(corpus, options, out, diags, nullptr);
}

}  // namespace normkit::site
