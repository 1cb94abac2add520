#include "core/validate.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>

#include <map>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"
#include "core/xml_reader.h"

namespace normkit {

// --- Schema ---------------------------------------------------------------------------------

namespace {

struct SchemaHolder {
  xmlRelaxNGPtr schema = nullptr;
  std::string error;
};

void silent_error(void*, xmlErrorPtr) {}

const SchemaHolder& compiled_schema() {
  static SchemaHolder holder;
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    const std::string_view rng = embedded_schema();
    xmlRelaxNGParserCtxtPtr pctx =
        xmlRelaxNGNewMemParserCtxt(rng.data(), static_cast<int>(rng.size()));
    xmlRelaxNGSetParserStructuredErrors(pctx, silent_error, nullptr);
    holder.schema = xmlRelaxNGParse(pctx);
    if (!holder.schema) holder.error = "the embedded schema does not compile";
    xmlRelaxNGFreeParserCtxt(pctx);
  });
  return holder;
}

struct ErrorSink {
  Diagnostics* diags;
  int reported = 0;
};

void collect_error(void* user, xmlErrorPtr err) {
  auto* sink = static_cast<ErrorSink*>(user);
  if (!err || sink->reported >= 100) return;
  ++sink->reported;
  std::string msg = err->message ? err->message : "schema violation";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  long line = err->line;
  if (err->node) line = xmlGetLineNo(static_cast<xmlNodePtr>(err->node));
  SourceLoc loc;
  if (line > 0) loc = SourceLoc{static_cast<uint32_t>(line), 1};
  sink->diags->error("schema", msg, loc);
}

}  // namespace

bool validate_schema(std::string_view bytes, Diagnostics& diags) {
  const SchemaHolder& holder = compiled_schema();
  if (!holder.schema) {
    diags.error("internal", holder.error);
    return false;
  }
  // No network, no DTD loading, no entity substitution: only the bytes given are read.
  const int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
                      XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
  xmlDocPtr xml = xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, "UTF-8", options);
  if (!xml) {
    const xmlError* e = xmlGetLastError();
    SourceLoc loc;
    if (e && e->line > 0) loc = SourceLoc{static_cast<uint32_t>(e->line), static_cast<uint32_t>(std::max(1, e->int2))};
    std::string msg = e && e->message ? e->message : "libxml2 could not parse the file";
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    diags.error("xml-syntax", "malformed XML: " + msg, loc);
    return false;
  }
  ErrorSink sink{&diags};
  xmlRelaxNGValidCtxtPtr vctx = xmlRelaxNGNewValidCtxt(holder.schema);
  xmlRelaxNGSetValidStructuredErrors(vctx, collect_error, &sink);
  const int rc = xmlRelaxNGValidateDoc(vctx, xml);
  xmlRelaxNGFreeValidCtxt(vctx);
  xmlFreeDoc(xml);
  if (rc != 0 && sink.reported == 0) diags.error("schema", "document does not match the normkit schema");
  return rc == 0;
}

// --- Integrity ------------------------------------------------------------------------------

bool is_unsafe_url(std::string_view url) {
  // Browsers ignore leading spaces and control characters, and tabs or newlines inside the
  // scheme; compare the same way.
  std::string scheme;
  for (char c : url) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 && scheme.empty()) continue;
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c == ':') break;
    if (c == '/' || c == '?' || c == '#') return false;
    scheme += static_cast<char>(std::tolower(u));
    if (scheme.size() > 16) return false;
  }
  if (url.find(':') == std::string_view::npos) return false;
  return scheme == "javascript" || scheme == "data" || scheme == "vbscript" || scheme == "file";
}

namespace {

// Sibling numbering key: the same number may appear once per (parent, node type, provision kind).
struct NumberKey {
  const void* parent;
  int type;
  int kind;
  std::string_view number;
  bool operator==(const NumberKey& o) const {
    return parent == o.parent && type == o.type && kind == o.kind && number == o.number;
  }
};
struct NumberKeyHash {
  size_t operator()(const NumberKey& k) const {
    return std::hash<const void*>()(k.parent) ^ (std::hash<std::string_view>()(k.number) * 31) ^
           static_cast<size_t>(k.type * 7 + k.kind);
  }
};

}  // namespace

void check_integrity(const Document& doc, Diagnostics& diags) {
  // Keys are views into `doc`, which outlives this function: no string copies.
  std::unordered_map<std::string_view, SourceLoc> ids;
  std::unordered_map<std::string_view, SourceLoc> positions;
  std::unordered_set<std::string_view> definition_ids;

  const auto check_id = [&](const std::string& id, const std::string& position, const char* what,
                            SourceLoc loc) {
    if (id.empty()) {
      diags.error("missing-id", std::string(what) + " has no id (normkit fmt assigns one)", loc);
    } else if (!is_safe_id(id)) {
      diags.error("unsafe-id", "id '" + id + "' is not safe as a file name or URL fragment", loc);
    } else if (!ids.emplace(id, loc).second) {
      diags.error("duplicate-id", "id '" + id + "' is used more than once", loc);
    }
    if (position.empty()) return;
    if (!is_safe_id(position)) {
      diags.error("unsafe-id", "position-id '" + position + "' is not safe as a file name or URL fragment", loc);
    } else if (!positions.emplace(position, loc).second) {
      diags.error("duplicate-position-id", "position-id '" + position + "' is used more than once", loc);
    }
  };

  std::map<std::string, Force> declared;
  for (const KeywordUsage& k : doc.word_usage) {
    if (!declared.emplace(k.word, k.force).second)
      diags.error("duplicate-keyword", "keyword '" + k.word + "' is declared more than once", k.loc);
  }
  std::set<std::string> terms;
  for (const Definition& d : doc.definitions) {
    check_id(d.id, d.position_id, "definition", d.loc);
    definition_ids.insert(d.id);
    if (!terms.insert(fold_case(d.term)).second)
      diags.error("duplicate-term", "term '" + d.term + "' is defined more than once", d.loc);
  }
  for (const CatalogEntry& e : doc.catalog) check_id(e.id, "", "catalog entry", e.loc);
  for (const Reference& r : doc.references) check_id(r.id, "", "reference", SourceLoc{});

  std::unordered_set<NumberKey, NumberKeyHash> numbers;
  std::vector<const Node*> xrefs;
  const auto visit = [&](const Node& n, int, const Node* parent) {
    switch (n.type) {
      case NodeType::Section:
      case NodeType::Provision: {
        const Labeled& l = *n.labeled;
        check_id(l.id, l.position_id, n.type == NodeType::Section ? "section" : "provision", n.loc);
        if (!l.number.empty()) {
          const int kind = n.type == NodeType::Provision ? static_cast<int>(l.kind) : -1;
          if (!numbers.insert(NumberKey{parent, static_cast<int>(n.type), kind, l.number}).second)
            diags.error("duplicate-number",
                        (n.type == NodeType::Section ? std::string("section")
                                                     : std::string(to_string(l.kind))) +
                            " number " + l.number + " occurs twice in the same section",
                        n.loc);
        }
        if (n.type == NodeType::Provision && l.kind != ProvisionKind::Recommendation &&
            (!l.cls.empty() || !l.level.empty()))
          diags.warning("grading-on-non-recommendation",
                        "class or level on a " + std::string(to_string(l.kind)) + "; only recommendations are graded", n.loc);
        break;
      }
      case NodeType::Keyword: {
        auto it = declared.find(n.target);  // a handful of words: a map is fine
        if (it == declared.end())
          diags.error("undeclared-keyword", "keyword '" + n.target + "' is not declared in <word-usage>", n.loc);
        else if (it->second != n.force)
          diags.warning("keyword-force", "'" + n.target + "' is marked " + std::string(to_string(n.force)) +
                                             " but word usage declares it " + std::string(to_string(it->second)),
                        n.loc);
        break;
      }
      case NodeType::TermRef:
        if (!definition_ids.count(n.target))
          diags.error("unresolved-term", "term mention refers to '" + n.target + "', which is no definition", n.loc);
        break;
      case NodeType::XRef:
        xrefs.push_back(&n);
        break;
      case NodeType::Link:
        if (is_unsafe_url(n.target))
          diags.warning("unsafe-link", "link to '" + n.target + "' uses an unsafe scheme; generators drop it", n.loc);
        break;
      default:
        break;
    }
    return true;
  };
  walk(doc.body, visit);
  for (const KeywordUsage& k : doc.word_usage) walk(k.explanation, visit);
  for (const Definition& d : doc.definitions) walk(d.explanation, visit);
  walk(doc.meta.title, visit);
  for (const CatalogEntry& e : doc.catalog) {
    walk(e.title, visit);
    walk(e.endorsement, visit);
  }
  for (const Reference& r : doc.references) walk(r.content, visit);
  for (const Node* x : xrefs)
    if (!ids.count(x->target))
      diags.error("unresolved-xref", "cross-reference to '" + x->target + "', which is no id in this document", x->loc);
}

namespace {

std::optional<Document> check_document(std::string_view bytes, Diagnostics& diags, bool schema) {
  LineIndex lines(bytes);
  const LineIndex* previous = diags.source();
  diags.set_source(&lines);
  const size_t errors_before = diags.count(Severity::Error);
  std::optional<Document> doc = read_canonical_xml(bytes, diags, &lines);
  diags.set_source(&lines);
  if (doc) {
    if (schema) validate_schema(bytes, diags);
    check_integrity(*doc, diags);
  }
  diags.set_source(previous);
  if (!doc || diags.count(Severity::Error) > errors_before) return std::nullopt;
  return doc;
}

}  // namespace

std::optional<Document> validate_document(std::string_view bytes, Diagnostics& diags) {
  return check_document(bytes, diags, true);
}

std::optional<Document> read_and_check_document(std::string_view bytes, Diagnostics& diags) {
  return check_document(bytes, diags, false);
}

}  // namespace normkit
