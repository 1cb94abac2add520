// The client-side search index: built here at build time, read by site/search.js.
// Format (docs/site.md has the full description):
//   search/meta.js     nkIndex("meta", {...})  documents, works, facet tables, one facet code per
//                      entry, the list of term shards
//   search/t/<n>.js    nkIndex("t<n>", [[term, postings], ...])  the terms whose longest
//                      prefix among the shard keys is key n; postings = entry numbers, delta-coded
//   search/s/<n>.js    nkIndex("s<n>", [[anchor, label, text], ...])  snippets of entries
//                      n*kSnippetChunk ... (n+1)*kSnippetChunk-1
// Files are JavaScript, not JSON, so that index.html opened from disk (file://, where fetch()
// is refused) can load them with <script> elements.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/io.h"
#include "generators/site/search_text.h"
#include "generators/site/site_model.h"

namespace normkit::site {

inline constexpr size_t kSnippetChunk = 32;     // entries per snippet file
inline constexpr size_t kSnippetMaxBytes = 320;  // snippet text kept per entry
inline constexpr size_t kShardKeyChars = 2;      // code points of a term that pick its shard...
inline constexpr size_t kMaxShardKeyChars = kMaxTermChars;  // ...or more when a shard would be large
inline constexpr size_t kShardSplitBytes = 16 * 1024;  // "large": raw bytes of a shard

// One document's share of the index, prepared in parallel and kept compact: a big corpus holds
// 100,000 of these entries in memory at once.
struct DocIndexPart {
  uint32_t entry_count = 0;
  std::string snippets;                  // JSON records [anchor,label,text], one after another
  std::vector<uint32_t> snippet_ends;    // end of each entry's record in `snippets`
  std::vector<uint16_t> facet_codes;     // per entry: kind + 9 * (class + 7 * level)
  std::string terms;                     // the document's distinct terms, sorted, each ending in '\0'
  std::vector<uint32_t> term_entry_ends;  // per term: end of its entries in `term_entries`
  std::vector<uint32_t> term_entries;     // per term, the entries that contain it, ascending
};

class Segmenter;
// Makes a document's part from its entries (site_model.h), in entry order.
void make_index_part(const std::vector<SearchEntry>& entries, Segmenter& segmenter, DocIndexPart& part);

struct SearchIndexStats {
  size_t entries = 0;
  size_t provisions = 0;
  size_t terms = 0;
  size_t term_bytes = 0;     // all term shards
  size_t snippet_bytes = 0;  // all snippet files
  size_t meta_bytes = 0;
};

// The first `n` code points of a term.
std::string prefix_chars(const std::string& term, size_t n);
// The shortest shard key of a folded term: its first kShardKeyChars code points.
std::string shard_key(const std::string& term);

// Encodes ascending entry numbers as the postings string (see docs/site.md).
std::string encode_postings(const std::vector<uint32_t>& ascending);
std::vector<uint32_t> decode_postings(std::string_view s);

// Writes search/meta.js, search/t/*.js and search/s/*.js. Releases each part's snippets once
// they are written.
void build_search_index(const SiteModel& site, std::vector<DocIndexPart>& parts, OutputTree& out,
                        SearchIndexStats* stats = nullptr);

}  // namespace normkit::site
