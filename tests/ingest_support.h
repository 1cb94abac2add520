// Helpers for the ingest tests: run the text reader on bytes, write and re-validate the result,
// and find nodes in the model.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/validate.h"
#include "core/xml_writer.h"
#include "parsers/text/text_reader.h"
#include "test_support.h"

namespace normkit::test {

struct Ingested {
  std::optional<Document> doc;
  Diagnostics diags;
  std::string xml;  // canonical XML; empty when no document
  bool valid = false;  // xml passed validate_document (schema + integrity)

  bool has(const std::string& code) const {
    for (const Diagnostic& d : diags.all())
      if (d.code == code) return true;
    return false;
  }
  size_t count(const std::string& code) const {
    size_t n = 0;
    for (const Diagnostic& d : diags.all()) n += d.code == code;
    return n;
  }
};

inline Ingested ingest_bytes(const std::string& bytes, const std::string& name = "input.txt",
                             bool validate = true) {
  Ingested r;
  r.diags.set_file(name);
  ReaderOptions options;
  options.source_name = name;
  r.doc = text::read_text(bytes, options, r.diags);
  if (r.doc) {
    r.xml = write_canonical_xml(*r.doc);
    if (validate) {
      Diagnostics v;
      r.valid = validate_document(r.xml, v).has_value();
      if (!r.valid)
        for (const Diagnostic& d : v.all()) UNSCOPED_INFO(format_text(d));
    }
  }
  return r;
}

inline std::vector<const Node*> provisions(const Document& doc, ProvisionKind kind) {
  std::vector<const Node*> out;
  walk(doc.body, [&](const Node& n, int, const Node*) {
    if (n.type == NodeType::Furniture) return false;
    if (n.type == NodeType::Provision && n.labeled->kind == kind) out.push_back(&n);
    return true;
  });
  return out;
}

inline std::vector<const Node*> nodes_of(const std::vector<Node>& roots, NodeType type) {
  std::vector<const Node*> out;
  walk(roots, [&](const Node& n, int, const Node*) {
    if (n.type == type) out.push_back(&n);
    return true;
  });
  return out;
}

inline std::string numbers_of(const std::vector<const Node*>& ps) {
  std::string s;
  for (const Node* p : ps) s += (s.empty() ? "" : " ") + p->labeled->number;
  return s;
}

}  // namespace normkit::test
