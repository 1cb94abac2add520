#include "generators/site/search_index.h"

#include <algorithm>
#include <unordered_map>

#include "generators/site/escape.h"

namespace normkit::site {

namespace {

// Postings digits: a number is written in base 32, most significant group first; every group
// but the last uses kMore, the last uses kLast. Gaps of 1 (consecutive entries) become "A",
// which gzip compresses to almost nothing.
constexpr std::string_view kLast = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";
constexpr std::string_view kMore = "ghijklmnopqrstuvwxyz0123456789-_";

void append_number(std::string& out, uint32_t v) {
  char groups[8];
  int n = 0;
  do {
    groups[n++] = static_cast<char>(v & 31);
    v >>= 5;
  } while (v);
  for (int i = n - 1; i > 0; --i) out += kMore[static_cast<size_t>(groups[i])];
  out += kLast[static_cast<size_t>(groups[0])];
}

// Facet vocabularies in a fixed order, so codes do not depend on the corpus.
const std::vector<std::string> kKinds = {"standard", "guideline", "recommendation", "essential", "requirement",
                                         "section", "definition", "scope", "text"};
const std::vector<std::string> kKindNames = {"Standard", "Guideline", "Recommendation", "Essential", "Requirement",
                                             "Section", "Definition", "Scope", "Other text"};
const std::vector<std::string> kClasses = {"", "I", "IIa", "IIb", "III", "III-no-benefit", "III-harm"};
const std::vector<std::string> kLevels = {"", "A", "B", "C", "B-R", "B-NR", "C-LD", "C-EO"};

// Digits of per-entry facet codes: printable ASCII without '"' and '\\', valid in a JSON string
// as they are. 91 digits; two digits per entry when a corpus uses more than 91 combinations.
std::string facet_digits() {
  std::string d;
  for (int c = 0x23; c < 0x7F; ++c)
    if (c != '\\') d += static_cast<char>(c);
  return d;
}

size_t index_of(const std::vector<std::string>& v, const std::string& s) {
  const auto it = std::find(v.begin(), v.end(), s);
  return it == v.end() ? 0 : static_cast<size_t>(it - v.begin());
}

void append_string_array(std::string& out, const std::vector<std::string>& v) {
  out += '[';
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, v[i]);
  }
  out += ']';
}

// Cuts text to at most `max` bytes at a word boundary (UTF-8 safe) and marks the cut.
std::string clip_snippet(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  const size_t space = text.rfind(' ', cut);
  if (space != std::string::npos && space > max / 2) cut = space;
  return text.substr(0, cut) + "\xE2\x80\xA6";  // …
}

}  // namespace

static uint16_t facet_code(const SearchEntry& e) {
  return static_cast<uint16_t>(index_of(kKinds, e.kind) +
                               kKinds.size() * (index_of(kClasses, e.cls) + kClasses.size() * index_of(kLevels, e.level)));
}

void make_index_part(const std::vector<SearchEntry>& entries, Segmenter& segmenter, DocIndexPart& part) {
  part.entry_count = static_cast<uint32_t>(entries.size());
  std::unordered_map<std::string, std::vector<uint32_t>> vocabulary;
  for (uint32_t e = 0; e < entries.size(); ++e) {
    const SearchEntry& entry = entries[e];
    part.facet_codes.push_back(facet_code(entry));
    part.snippets += '[';
    append_json_string(part.snippets, entry.anchor);
    part.snippets += ',';
    append_json_string(part.snippets, entry.label);
    part.snippets += ',';
    append_json_string(part.snippets, clip_snippet(entry.text, kSnippetMaxBytes));
    part.snippets += ']';
    part.snippet_ends.push_back(static_cast<uint32_t>(part.snippets.size()));
    for (std::string& term : segmenter.terms(entry.label + " " + entry.text)) {
      std::vector<uint32_t>& list = vocabulary[std::move(term)];
      if (list.empty() || list.back() != e) list.push_back(e);
    }
  }
  std::vector<std::pair<std::string, std::vector<uint32_t>>> sorted(std::make_move_iterator(vocabulary.begin()),
                                                                    std::make_move_iterator(vocabulary.end()));
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [term, list] : sorted) {
    part.terms += term;
    part.terms += '\0';
    part.term_entries.insert(part.term_entries.end(), list.begin(), list.end());
    part.term_entry_ends.push_back(static_cast<uint32_t>(part.term_entries.size()));
  }
  part.snippets.shrink_to_fit();
}

std::string prefix_chars(const std::string& term, size_t n) {
  size_t chars = 0, i = 0;
  for (; i < term.size(); ++i) {
    if ((static_cast<unsigned char>(term[i]) & 0xC0) != 0x80) {
      if (chars == n) break;
      ++chars;
    }
  }
  return term.substr(0, i);
}

std::string shard_key(const std::string& term) { return prefix_chars(term, kShardKeyChars); }

std::string encode_postings(const std::vector<uint32_t>& ascending) {
  std::string out;
  out.reserve(ascending.size() + 4);
  int64_t prev = -1;
  for (uint32_t v : ascending) {
    append_number(out, static_cast<uint32_t>(v - prev - 1));
    prev = v;
  }
  return out;
}

std::vector<uint32_t> decode_postings(std::string_view s) {
  std::vector<uint32_t> out;
  int64_t prev = -1;
  uint32_t acc = 0;
  for (char c : s) {
    const size_t more = kMore.find(c);
    if (more != std::string_view::npos) {
      acc = acc * 32 + static_cast<uint32_t>(more);
      continue;
    }
    const size_t last = kLast.find(c);
    if (last == std::string_view::npos) return {};
    acc = acc * 32 + static_cast<uint32_t>(last);
    prev = prev + 1 + acc;
    out.push_back(static_cast<uint32_t>(prev));
    acc = 0;
  }
  return out;
}

void build_search_index(const SiteModel& site, std::vector<DocIndexPart>& parts, OutputTree& out,
                        SearchIndexStats* stats) {
  SearchIndexStats st;
  // --- Works and documents ----------------------------------------------------------------
  std::vector<std::string> work_ids;
  std::unordered_map<std::string, size_t> work_index;
  std::vector<size_t> work_latest_doc;
  for (size_t d = 0; d < site.docs.size(); ++d) {
    const std::string& w = site.docs[d].doc->work;
    auto [it, inserted] = work_index.emplace(w, work_ids.size());
    if (inserted) {
      work_ids.push_back(w);
      work_latest_doc.push_back(d);
    } else {
      work_latest_doc[it->second] = d;  // documents are sorted by (work, edition)
    }
  }

  // --- Postings -----------------------------------------------------------------------------
  std::unordered_map<std::string, std::vector<uint32_t>> postings;
  std::vector<uint32_t> first_entry(parts.size());
  uint32_t next = 0;
  // Documents in order and local entries ascending: every list comes out sorted.
  for (size_t d = 0; d < parts.size(); ++d) {
    first_entry[d] = next;
    const DocIndexPart& part = parts[d];
    size_t term_start = 0, from = 0;
    for (uint32_t to : part.term_entry_ends) {
      const size_t term_end = part.terms.find('\0', term_start);
      std::vector<uint32_t>& list = postings[part.terms.substr(term_start, term_end - term_start)];
      for (; from < to; ++from) list.push_back(next + part.term_entries[from]);
      term_start = term_end + 1;
    }
    next += part.entry_count;
  }
  const uint32_t total = next;

  // Shards: terms sorted, so every key's terms are one contiguous run. A run larger than
  // kShardSplitBytes is split by one more code point (up to kMaxShardKeyChars), so that a common
  // prefix ("re": record, recommended, review...) does not make the first search download a
  // large file. Terms no longer than a key stay under that key.
  std::vector<std::pair<std::string, std::string>> encoded;  // (term, postings), sorted by term
  encoded.reserve(postings.size());
  for (auto& [term, list] : postings) encoded.emplace_back(term, encode_postings(list));
  std::sort(encoded.begin(), encoded.end());
  struct Run {
    size_t begin, end, key_chars;
  };
  std::vector<Run> runs;
  {
    std::vector<Run> todo;
    for (size_t i = 0; i < encoded.size();) {
      const std::string key = prefix_chars(encoded[i].first, kShardKeyChars);
      size_t j = i;
      while (j < encoded.size() && prefix_chars(encoded[j].first, kShardKeyChars) == key) ++j;
      todo.push_back({i, j, kShardKeyChars});
      i = j;
    }
    std::reverse(todo.begin(), todo.end());
    while (!todo.empty()) {
      const Run r = todo.back();
      todo.pop_back();
      size_t bytes = 0;
      for (size_t i = r.begin; i < r.end; ++i) bytes += encoded[i].first.size() + encoded[i].second.size() + 8;
      if (bytes <= kShardSplitBytes || r.key_chars >= kMaxShardKeyChars || r.end - r.begin < 2) {
        runs.push_back(r);
        continue;
      }
      std::vector<Run> parts;
      for (size_t i = r.begin; i < r.end;) {
        const std::string key = prefix_chars(encoded[i].first, r.key_chars + 1);
        size_t j = i;
        while (j < r.end && prefix_chars(encoded[j].first, r.key_chars + 1) == key) ++j;
        parts.push_back({i, j, r.key_chars + 1});
        i = j;
      }
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) todo.push_back(*it);
    }
  }
  std::vector<std::string> shard_keys;
  for (size_t shard_no = 0; shard_no < runs.size(); ++shard_no) {
    const Run& r = runs[shard_no];
    std::string js = "nkIndex(\"t" + std::to_string(shard_no) + "\",[";
    for (size_t i = r.begin; i < r.end; ++i) {
      if (i > r.begin) js += ",\n";
      js += '[';
      append_json_string(js, encoded[i].first);
      js += ",\"" + encoded[i].second + "\"]";
    }
    js += "]);\n";
    st.term_bytes += js.size();
    st.terms += r.end - r.begin;
    out.add("search/t/" + std::to_string(shard_no) + ".js", std::move(js));
    shard_keys.push_back(prefix_chars(encoded[r.begin].first, r.key_chars));
  }

  // --- Snippets -----------------------------------------------------------------------------
  std::string chunk;
  size_t in_chunk = 0, chunk_no = 0;
  auto flush = [&]() {
    if (in_chunk == 0) return;
    chunk += "]);\n";
    st.snippet_bytes += chunk.size();
    out.add("search/s/" + std::to_string(chunk_no) + ".js", std::move(chunk));
    chunk.clear();
    in_chunk = 0;
    ++chunk_no;
  };
  for (DocIndexPart& part : parts) {
    uint32_t start = 0;
    for (uint32_t e = 0; e < part.entry_count; ++e) {
      if (in_chunk == 0) chunk = "nkIndex(\"s" + std::to_string(chunk_no) + "\",[";
      else chunk += ",\n";
      chunk.append(part.snippets, start, part.snippet_ends[e] - start);
      start = part.snippet_ends[e];
      if (++in_chunk == kSnippetChunk) flush();
      if (part.facet_codes[e] % kKinds.size() < 5) ++st.provisions;
    }
    std::string().swap(part.snippets);  // written: release it
  }
  flush();

  // --- Meta ---------------------------------------------------------------------------------
  std::string meta = "nkIndex(\"meta\",{\"version\":1,\"entries\":" + std::to_string(total) +
                     ",\"snippetChunk\":" + std::to_string(kSnippetChunk) +
                     ",\"shardKeyChars\":" + std::to_string(kShardKeyChars) + ",\n\"kinds\":";
  append_string_array(meta, kKinds);
  meta += ",\"kindNames\":";
  append_string_array(meta, kKindNames);
  meta += ",\"classes\":";
  append_string_array(meta, kClasses);
  meta += ",\"levels\":";
  append_string_array(meta, kLevels);
  meta += ",\n\"shards\":";
  append_string_array(meta, shard_keys);
  // works: [id, title of the latest edition]
  meta += ",\n\"works\":[";
  for (size_t w = 0; w < work_ids.size(); ++w) {
    if (w) meta += ",\n";
    meta += '[';
    append_json_string(meta, work_ids[w]);
    meta += ',';
    append_json_string(meta, site.docs[work_latest_doc[w]].title);
    meta += ']';
  }
  // docs: [work number, edition, number of entries(, url when it is not doc/<work>/<edition>.html)]
  meta += "],\n\"docs\":[";
  for (size_t d = 0; d < site.docs.size(); ++d) {
    const Document& doc = *site.docs[d].doc;
    if (d) meta += ",\n";
    meta += "[" + std::to_string(work_index[doc.work]) + ",";
    append_json_string(meta, doc.edition);
    meta += "," + std::to_string(parts[d].entry_count);
    if (site.docs[d].url != "doc/" + doc.work + "/" + doc.edition + ".html") {
      meta += ',';
      append_json_string(meta, site.docs[d].url);
    }
    meta += "]";
  }
  // Facets of each entry, one or two characters each: the digits (facet_digits) pick a
  // code from "palette"; a code is kind + 9 * (class + 7 * level).
  std::vector<size_t> palette;
  std::vector<size_t> slots;
  slots.reserve(total);
  for (const DocIndexPart& part : parts) {
    for (uint16_t code : part.facet_codes) {
      const size_t slot = static_cast<size_t>(std::find(palette.begin(), palette.end(), code) - palette.begin());
      if (slot == palette.size()) palette.push_back(code);
      slots.push_back(slot);
    }
  }
  const std::string digits = facet_digits();
  const size_t width = palette.size() <= digits.size() ? 1 : 2;  // 91 * 91 > 9 * 7 * 8
  std::string facet_chars;
  facet_chars.reserve(total * width);
  for (size_t slot : slots) {
    if (width == 2) facet_chars += digits[slot / digits.size()];
    facet_chars += digits[slot % digits.size()];
  }
  meta += "],\n\"palette\":[";
  for (size_t i = 0; i < palette.size(); ++i) meta += (i ? "," : "") + std::to_string(palette[i]);
  meta += "],\"facetWidth\":" + std::to_string(width) + ",\n\"facets\":\"" + facet_chars + "\"});\n";
  st.meta_bytes = meta.size();
  st.entries = total;
  out.add("search/meta.js", std::move(meta));
  if (stats) *stats = st;
}

}  // namespace normkit::site
