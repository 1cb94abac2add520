// One JSON file per document edition (schema/bundle-document.schema.json).
#include <nlohmann/json.hpp>

#include "generators/bundle/bundle.h"

namespace normkit::bundle {

using nlohmann::json;

namespace {

// Every string goes through here: the model should hold valid UTF-8, but a bundle must never
// fail or carry invalid text because one document slipped through.
json str(std::string_view s) { return sanitize_utf8(s); }

// Builds an object key by key. nlohmann's {{"key", value}, ...} lists build a temporary
// two-element array per key first; on the hot paths (provisions, runs, outline items) that
// doubled the allocations.
class Object {
 public:
  Object() : value_(json::object()), map_(value_.get_ref<json::object_t&>()) {}
  Object& add(const char* key, json v) {
    map_.emplace(key, std::move(v));
    return *this;
  }
  json take() { return std::move(value_); }

 private:
  json value_;
  json::object_t& map_;
};

json id_or_null(const Labeled* l) { return l ? str(l->id) : json(nullptr); }

json organizations_json(const std::vector<Organization>& orgs) {
  json out = json::array();
  for (const Organization& o : orgs)
    out.push_back({{"name", str(o.name)}, {"abbrev", str(o.abbrev)}, {"role", to_string(o.role)}});
  return out;
}

// Marked text: plain runs are strings, marked runs are objects; the runs' text concatenated is
// the plain text.
json marked_json(const OwnText& text) {
  json out = json::array();
  out.get_ref<json::array_t&>().reserve(text.marked.size());
  const std::string_view plain = text.plain;
  for (const MarkedRun& r : text.marked) {
    const std::string_view run_text = plain.substr(r.begin, r.end - r.begin);
    if (r.kind == MarkKind::None) {
      out.push_back(str(run_text));
      continue;
    }
    Object run;
    run.add("text", str(run_text));
    switch (r.kind) {
      case MarkKind::Keyword:
        run.add("mark", "keyword").add("word", str(r.mark->target)).add("force", to_string(r.mark->force));
        break;
      case MarkKind::Term: run.add("mark", "term").add("definition", str(r.mark->target)); break;
      case MarkKind::XRef: run.add("mark", "xref").add("target", str(r.mark->target)); break;
      case MarkKind::Link: run.add("mark", "link").add("href", str(r.mark->target)); break;
      case MarkKind::None: break;
    }
    out.push_back(run.take());
  }
  return out;
}

json section_item(const ExtractedSection& s) {
  const Labeled& l = *s.labeled;
  return Object()
      .add("type", "section").add("id", str(l.id)).add("position_id", str(l.position_id))
      .add("label", str(l.label)).add("number", str(l.number)).add("title", str(s.title))
      .add("depth", s.depth).add("text", str(s.text.plain)).add("children", json::array())
      .take();
}

json provision_item(const ExtractedProvision& p) {
  const Labeled& l = *p.labeled;
  return Object()
      .add("type", "provision").add("id", str(l.id)).add("position_id", str(l.position_id))
      .add("label", str(l.label)).add("kind", to_string(l.kind)).add("children", json::array())
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
  json roots = json::array();
  std::vector<size_t> root_items;
  for (size_t i = 0; i < d.outline.size(); ++i) {
    const int parent = d.outline[i].parent;
    if (parent < 0) root_items.push_back(i);
    else children[static_cast<size_t>(parent)].push_back(i);
  }
  for (size_t i = d.outline.size(); i-- > 0;) {
    json& kids = items[i]["children"];
    for (size_t c : children[i]) kids.push_back(std::move(items[c]));
  }
  for (size_t r : root_items) roots.push_back(std::move(items[r]));
  return roots;
}

json provision_json(const ExtractedDocument& d, const ExtractedProvision& p) {
  const Labeled& l = *p.labeled;
  return Object()
      .add("id", str(l.id))
      .add("position_id", str(l.position_id))
      .add("label", str(l.label))
      .add("kind", to_string(l.kind))
      .add("number", str(l.number))
      .add("class", str(l.cls))
      .add("level", str(l.level))
      .add("grading", str(l.grading))
      .add("title", str(p.title))
      .add("section", p.section >= 0 ? id_or_null(d.sections[p.section].labeled) : json(nullptr))
      .add("parent", p.parent_provision >= 0 ? id_or_null(d.provisions[p.parent_provision].labeled)
                                             : json(nullptr))
      .add("text", str(p.text.plain))
      .add("marked", marked_json(p.text))
      .take();
}

}  // namespace

std::string document_path(const Document& doc) {
  return "documents/" + doc.work + "/" + doc.edition + ".json";
}

std::string document_json(const ExtractedDocument& d) {
  const Document& doc = *d.doc;
  json j = json::object();
  j["$schema"] = kDocumentSchemaId;
  j["format_version"] = kFormatVersion;
  j["model_version"] = str(doc.model_version);
  j["work"] = str(doc.work);
  j["edition"] = str(doc.edition);
  j["lang"] = str(doc.lang);
  j["type"] = to_string(doc.type);
  j["title"] = str(d.title);
  j["subtitle"] = str(d.subtitle);
  j["organizations"] = organizations_json(doc.meta.organizations);
  json& dates = j["dates"] = json::array();
  for (const DateEntry& e : doc.meta.dates)
    dates.push_back({{"type", to_string(e.type)}, {"value", str(e.value)}});
  json& sources = j["sources"] = json::array();
  for (const SourceInfo& s : doc.meta.sources)
    sources.push_back({{"file", str(s.file)}, {"format", str(s.format)}, {"sha256", str(s.sha256)},
                       {"url", str(s.url)}});
  json& usage = j["word_usage"] = json::array();
  for (const KeywordUsage& k : doc.word_usage)
    usage.push_back({{"word", str(k.word)}, {"force", to_string(k.force)},
                     {"from_document", k.from_document}, {"explanation", str(blocks_text(k.explanation))}});
  json& defs = j["definitions"] = json::array();
  for (const Definition& def : doc.definitions) {
    json alternates = json::array();
    for (const std::string& a : def.alternates) alternates.push_back(str(a));
    defs.push_back({{"id", str(def.id)}, {"position_id", str(def.position_id)},
                    {"label", str(def.label)}, {"term", str(def.term)},
                    {"alternates", std::move(alternates)}, {"source", str(def.source)},
                    {"explanation", str(blocks_text(def.explanation))}});
  }
  j["outline"] = outline_json(d);
  json& provisions = j["provisions"] = json::array();
  for (const ExtractedProvision& p : d.provisions) provisions.push_back(provision_json(d, p));
  json& catalog = j["catalog"] = json::array();
  for (const CatalogEntry& c : doc.catalog)
    catalog.push_back({{"id", str(c.id)}, {"kind", to_string(c.kind)}, {"year", str(c.year)},
                       {"work", str(c.work)}, {"href", str(c.href)},
                       {"title", str(plain_text(c.title))},
                       {"organizations", organizations_json(c.organizations)},
                       {"endorsement", str(plain_text(c.endorsement))}});
  json& refs = j["references"] = json::array();
  for (const Reference& r : doc.references)
    refs.push_back({{"id", str(r.id)}, {"href", str(r.href)}, {"text", str(plain_text(r.content))}});
  // Replace, not throw: sanitizing above already made the text valid; this is the second fence.
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace normkit::bundle
