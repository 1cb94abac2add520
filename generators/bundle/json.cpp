// One JSON file per document edition (schema/bundle-document.schema.json).
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "generators/bundle/bundle.h"

namespace normkit::bundle {

namespace {

// A document's JSON is built as a tree of tens of thousands of small values and dropped right
// after it is written out, so every allocation of the tree comes from a per-thread arena that is
// emptied after each document: no malloc or free per value.
class Arena {
 public:
  void* allocate(size_t bytes, size_t align) {
    size_t at = (used_ + align - 1) & ~(align - 1);
    if (chunk_ >= chunks_.size() || at + bytes > chunks_[chunk_].size) {
      next_chunk(bytes + align);
      at = 0;
    }
    used_ = at + bytes;
    return chunks_[chunk_].data.get() + at;
  }
  // Every allocation is dead: a few chunks are kept for the next document (a typical tree
  // takes one or two); what a huge document needed more is given back.
  void reset() {
    std::erase_if(chunks_, [](const Chunk& c) { return c.size > kChunkBytes; });
    if (chunks_.size() > kKeptChunks) chunks_.resize(kKeptChunks);
    chunk_ = 0;
    used_ = 0;
  }

 private:
  static constexpr size_t kChunkBytes = size_t{256} << 10;
  static constexpr size_t kKeptChunks = 8;
  struct Chunk {
    std::unique_ptr<std::byte[]> data;
    size_t size;
  };
  void next_chunk(size_t at_least) {
    if (!chunks_.empty()) ++chunk_;
    while (chunk_ < chunks_.size() && chunks_[chunk_].size < at_least) ++chunk_;
    if (chunk_ < chunks_.size()) return;
    const size_t size = std::max(kChunkBytes, at_least);
    chunks_.push_back({std::make_unique<std::byte[]>(size), size});
    chunk_ = chunks_.size() - 1;
  }
  std::vector<Chunk> chunks_;
  size_t chunk_ = 0;
  size_t used_ = 0;
};

thread_local Arena arena;

template <class T>
struct ArenaAllocator {
  using value_type = T;
  ArenaAllocator() noexcept = default;
  template <class U>
  ArenaAllocator(const ArenaAllocator<U>&) noexcept {}
  T* allocate(size_t n) {
    return static_cast<T*>(arena.allocate(n * sizeof(T), std::max<size_t>(alignof(T), 8)));
  }
  void deallocate(T*, size_t) noexcept {}
  template <class U>
  bool operator==(const ArenaAllocator<U>&) const noexcept {
    return true;
  }
  template <class U>
  bool operator!=(const ArenaAllocator<U>&) const noexcept {
    return false;
  }
};

using ArenaString = std::basic_string<char, std::char_traits<char>, ArenaAllocator<char>>;

// nlohmann's insertion-ordered flavour (one vector per object instead of a std::map node per
// key), with arena strings and containers. The format promises sorted keys, so every object
// is built through Object, which takes its keys in sorted order and refuses any other: the
// bytes are then exactly those of nlohmann::json (whose std::map sorts), as the
// [bundle-format] pin and the "keys are sorted" test check.
using json = nlohmann::basic_json<nlohmann::ordered_map, std::vector, ArenaString, bool, std::int64_t,
                                  std::uint64_t, double, ArenaAllocator>;

// Every string goes through here: the model should hold valid UTF-8, but a bundle must never
// fail or carry invalid text because one document slipped through.
json str(std::string_view s) {
  if (is_valid_utf8(s)) return json(ArenaString(s.data(), s.size()));
  const std::string clean = sanitize_utf8(s);
  return json(ArenaString(clean.data(), clean.size()));
}

// Own text (OwnText::plain and its runs) is valid UTF-8 by construction (extract.h): no check.
json own_text(std::string_view s) { return json(ArenaString(s.data(), s.size())); }

// Builds an object key by key, keys in strictly increasing byte order (std::less, as
// nlohmann::json's std::map sorts them).
class Object {
 public:
  explicit Object(size_t keys) : value_(json::object()), map_(value_.get_ref<json::object_t&>()) {
    map_.reserve(keys);
  }
  Object& add(std::string_view key, json v) {
    if (!map_.empty() && !(std::string_view(map_.back().first) < key))
      throw std::logic_error("bundle JSON: key '" + std::string(key) + "' out of order");
    map_.emplace_back(ArenaString(key.data(), key.size()), std::move(v));
    return *this;
  }
  json take() { return std::move(value_); }

 private:
  json value_;
  json::object_t& map_;
};

json array(size_t reserve) {
  json out = json::array();
  out.get_ref<json::array_t&>().reserve(reserve);
  return out;
}

json id_or_null(const Labeled* l) { return l ? str(l->id) : json(nullptr); }

json organizations_json(const std::vector<Organization>& orgs) {
  json out = array(orgs.size());
  for (const Organization& o : orgs)
    out.push_back(Object(3).add("abbrev", str(o.abbrev)).add("name", str(o.name))
                      .add("role", to_string(o.role)).take());
  return out;
}

// Marked text: plain runs are strings, marked runs are objects; the runs' text concatenated is
// the plain text.
json marked_json(const OwnText& text) {
  json out = array(text.marked.size());
  const std::string_view plain = text.plain;
  for (const MarkedRun& r : text.marked) {
    const std::string_view run_text = plain.substr(r.begin, r.end - r.begin);
    if (r.kind == MarkKind::None) {
      out.push_back(own_text(run_text));
      continue;
    }
    Object run(4);
    switch (r.kind) {
      case MarkKind::Keyword:
        run.add("force", to_string(r.mark->force)).add("mark", "keyword")
            .add("text", own_text(run_text)).add("word", str(r.mark->target));
        break;
      case MarkKind::Term:
        run.add("definition", str(r.mark->target)).add("mark", "term")
            .add("text", own_text(run_text));
        break;
      case MarkKind::XRef:
        run.add("mark", "xref").add("target", str(r.mark->target)).add("text", own_text(run_text));
        break;
      case MarkKind::Link:
        run.add("href", str(r.mark->target)).add("mark", "link").add("text", own_text(run_text));
        break;
      case MarkKind::None: break;
    }
    out.push_back(run.take());
  }
  return out;
}

json section_item(const ExtractedSection& s) {
  const Labeled& l = *s.labeled;
  return Object(9)
      .add("children", json::array()).add("depth", s.depth).add("id", str(l.id))
      .add("label", str(l.label)).add("number", str(l.number)).add("position_id", str(l.position_id))
      .add("text", own_text(s.text.plain)).add("title", str(s.title)).add("type", "section")
      .take();
}

json provision_item(const ExtractedProvision& p) {
  const Labeled& l = *p.labeled;
  return Object(6)
      .add("children", json::array()).add("id", str(l.id)).add("kind", to_string(l.kind))
      .add("label", str(l.label)).add("position_id", str(l.position_id)).add("type", "provision")
      .take();
}

// The nested outline, built without recursion: children come after their parent in document
// order, so filling from the last item backwards finishes every child before its parent moves.
json outline_json(const ExtractedDocument& d) {
  std::vector<json> items;
  items.reserve(d.outline.size());
  for (const OutlineItem& it : d.outline)
    items.push_back(it.is_section ? section_item(d.sections[it.index])
                                  : provision_item(d.provisions[it.index]));
  std::vector<std::vector<size_t>> children(d.outline.size());
  std::vector<size_t> root_items;
  for (size_t i = 0; i < d.outline.size(); ++i) {
    const int parent = d.outline[i].parent;
    if (parent < 0) root_items.push_back(i);
    else children[static_cast<size_t>(parent)].push_back(i);
  }
  for (size_t i = d.outline.size(); i-- > 0;) {
    if (children[i].empty()) continue;
    json& kids = items[i].front();  // "children", the first key
    kids.get_ref<json::array_t&>().reserve(children[i].size());
    for (size_t c : children[i]) kids.push_back(std::move(items[c]));
  }
  json roots = array(root_items.size());
  for (size_t r : root_items) roots.push_back(std::move(items[r]));
  return roots;
}

json provision_json(const ExtractedDocument& d, const ExtractedProvision& p) {
  const Labeled& l = *p.labeled;
  return Object(13)
      .add("class", str(l.cls))
      .add("grading", str(l.grading))
      .add("id", str(l.id))
      .add("kind", to_string(l.kind))
      .add("label", str(l.label))
      .add("level", str(l.level))
      .add("marked", marked_json(p.text))
      .add("number", str(l.number))
      .add("parent", p.parent_provision >= 0 ? id_or_null(d.provisions[p.parent_provision].labeled)
                                             : json(nullptr))
      .add("position_id", str(l.position_id))
      .add("section", p.section >= 0 ? id_or_null(d.sections[p.section].labeled) : json(nullptr))
      .add("text", own_text(p.text.plain))
      .add("title", str(p.title))
      .take();
}

}  // namespace

std::string document_path(const Document& doc) {
  return "documents/" + doc.work + "/" + doc.edition + ".json";
}

namespace {

json document_tree(const ExtractedDocument& d);

}  // namespace

std::string document_json(const ExtractedDocument& d) {
  std::string text;
  {
    const json j = document_tree(d);
    // nlohmann's own serializer (compact). str() keeps every string valid UTF-8, so "replace"
    // never fires; it is there so that no input can make the bundle throw here.
    const ArenaString compact = j.dump(-1, ' ', false, json::error_handler_t::replace);
    text.reserve(compact.size() + 1);
    text.append(compact.data(), compact.size());
    text += '\n';
  }
  arena.reset();
  return text;
}

namespace {

json document_tree(const ExtractedDocument& d) {
  const Document& doc = *d.doc;
  json dates = array(doc.meta.dates.size());
  for (const DateEntry& e : doc.meta.dates)
    dates.push_back(Object(2).add("type", to_string(e.type)).add("value", str(e.value)).take());
  json sources = array(doc.meta.sources.size());
  for (const SourceInfo& s : doc.meta.sources)
    sources.push_back(Object(4).add("file", str(s.file)).add("format", str(s.format))
                          .add("sha256", str(s.sha256)).add("url", str(s.url)).take());
  json usage = array(doc.word_usage.size());
  for (const KeywordUsage& k : doc.word_usage)
    usage.push_back(Object(4).add("explanation", str(blocks_text(k.explanation)))
                        .add("force", to_string(k.force)).add("from_document", k.from_document)
                        .add("word", str(k.word)).take());
  json defs = array(doc.definitions.size());
  for (const Definition& def : doc.definitions) {
    json alternates = array(def.alternates.size());
    for (const std::string& a : def.alternates) alternates.push_back(str(a));
    defs.push_back(Object(7).add("alternates", std::move(alternates))
                       .add("explanation", str(blocks_text(def.explanation))).add("id", str(def.id))
                       .add("label", str(def.label)).add("position_id", str(def.position_id))
                       .add("source", str(def.source)).add("term", str(def.term)).take());
  }
  json provisions = array(d.provisions.size());
  for (const ExtractedProvision& p : d.provisions) provisions.push_back(provision_json(d, p));
  json catalog = array(doc.catalog.size());
  for (const CatalogEntry& c : doc.catalog)
    catalog.push_back(Object(8).add("endorsement", str(plain_text(c.endorsement)))
                          .add("href", str(c.href)).add("id", str(c.id)).add("kind", to_string(c.kind))
                          .add("organizations", organizations_json(c.organizations))
                          .add("title", str(plain_text(c.title))).add("work", str(c.work))
                          .add("year", str(c.year)).take());
  json refs = array(doc.references.size());
  for (const Reference& r : doc.references)
    refs.push_back(Object(3).add("href", str(r.href)).add("id", str(r.id))
                       .add("text", str(plain_text(r.content))).take());
  return Object(18)
                     .add("$schema", kDocumentSchemaId)
                     .add("catalog", std::move(catalog))
                     .add("dates", std::move(dates))
                     .add("definitions", std::move(defs))
                     .add("edition", str(doc.edition))
                     .add("format_version", kFormatVersion)
                     .add("lang", str(doc.lang))
                     .add("model_version", str(doc.model_version))
                     .add("organizations", organizations_json(doc.meta.organizations))
                     .add("outline", outline_json(d))
                     .add("provisions", std::move(provisions))
                     .add("references", std::move(refs))
                     .add("sources", std::move(sources))
                     .add("subtitle", str(d.subtitle))
                     .add("title", str(d.title))
                     .add("type", to_string(doc.type))
                     .add("word_usage", std::move(usage))
                     .add("work", str(doc.work))
                     .take();
}

}  // namespace

}  // namespace normkit::bundle
