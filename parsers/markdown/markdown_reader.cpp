#include "parsers/markdown/markdown_reader.h"

#include <algorithm>
#include <map>
#include <set>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view_set.h"
#include "parsers/markdown/markdown_blocks.h"
#include "parsers/recognizer/recognizer.h"

namespace normkit::markdown {

namespace {

const FrontMatterEntry* fm_find(const FrontMatter& fm, std::string_view key) {
  for (const FrontMatterEntry& e : fm.entries)
    if (e.key == key) return &e;
  return nullptr;
}

// A list item "key: value" → key and (unquoted) value.
bool fm_pair(const std::string& item, std::string& key, std::string& value) {
  const size_t colon = item.find(':');
  if (colon == std::string::npos) return false;
  key.assign(trim(item.substr(0, colon)));
  std::string problem;
  return parse_scalar(item.substr(colon + 1), value, problem);
}

bool fm_flag(const FrontMatter& fm, std::string_view key, bool fallback) {
  const FrontMatterEntry* e = fm_find(fm, key);
  if (!e) return fallback;
  return !(e->value == "false" || e->value == "no" || e->value == "off");
}

// Metadata the front matter states explicitly wins over what the recognizer guessed.
void apply_front_matter(const FrontMatter& fm, Document& doc, Diagnostics& diags) {
  for (const FrontMatterEntry& e : fm.entries) {
    const SourceLoc loc{e.line, 1};
    // Front matter is plain text: a title the recognizer took from the "# Title" heading with
    // its formatting is kept when it reads the same.
    if (e.key == "title") {
      if (!e.value.empty() && plain_text(doc.meta.title) != nfc(e.value)) doc.meta.title = {Node::make_text(nfc(e.value))};
    } else if (e.key == "subtitle") {
      if (plain_text(doc.meta.subtitle) != nfc(e.value)) doc.meta.subtitle = {Node::make_text(nfc(e.value))};
    } else if (e.key == "type") {
      if (auto t = parse_doc_type(e.value)) doc.type = *t;
      else diags.warning("front-matter", "unknown document type '" + e.value + "'", loc);
    } else if (e.key == "lang" && !e.value.empty()) {
      doc.lang = e.value;
    } else if (e.key == "organizations") {
      std::vector<Organization> orgs;
      for (const std::string& item : e.items) {
        std::string key, value;
        const std::optional<OrgRole> role = fm_pair(item, key, value) ? parse_org_role(key) : std::nullopt;
        if (!role) {
          diags.warning("front-matter", "organization '" + item + "' needs a role: author, co-author, endorser or publisher", loc);
          continue;
        }
        Organization o;
        o.role = *role;
        split_name_abbrev(nfc(value), o.name, o.abbrev);
        orgs.push_back(std::move(o));
      }
      doc.meta.organizations = std::move(orgs);
    } else if (e.key == "dates") {
      std::vector<DateEntry> dates;
      for (const std::string& item : e.items) {
        std::string key, value;
        const std::optional<DateType> type = fm_pair(item, key, value) ? parse_date_type(key) : std::nullopt;
        const bool date_ok = (value.size() == 4 || value.size() == 7 || value.size() == 10) &&
                             value.find_first_not_of("0123456789-") == std::string::npos;
        if (!type || !date_ok) {
          diags.warning("front-matter", "date '" + item + "' must read 'published: YYYY[-MM[-DD]]'", loc);
          continue;
        }
        dates.push_back({*type, value});
      }
      doc.meta.dates = std::move(dates);
    } else if (e.key == "url") {
      for (SourceInfo& s : doc.meta.sources) s.url = e.value;
    } else if (e.key != "work" && e.key != "edition" && e.key != "mark-keywords" && e.key != "link-terms") {
      diags.warning("front-matter", "unknown front-matter key '" + e.key + "' ignored", loc);
    }
  }
}

// The anchors' attributes restore what the Markdown text does not show: permanent ids (kept even
// when they were first assigned in an earlier edition), a definition's alternate forms and source,
// a keyword's force and origin. They apply to what the recognizer built from the same line.
void apply_anchors(const std::vector<uint32_t>& lines, const std::vector<AnchorAttrs>& attrs,
                   Document& doc, Diagnostics& diags) {
  // Line → the first block's anchors on it, sorted by line for binary search (a std::map of
  // them cost more than the lookups). Blocks come in source order, so this is nearly sorted.
  std::vector<std::pair<uint32_t, const AnchorAttrs*>> by_line;
  for (size_t i = 0; i < lines.size() && i < attrs.size(); ++i)
    if (!attrs[i].empty()) by_line.emplace_back(lines[i], &attrs[i]);
  if (by_line.empty()) return;
  const auto line_less = [](const auto& a, const auto& b) { return a.first < b.first; };
  std::stable_sort(by_line.begin(), by_line.end(), line_less);
  by_line.erase(std::unique(by_line.begin(), by_line.end(),
                            [](const auto& a, const auto& b) { return a.first == b.first; }),
                by_line.end());
  auto at = [&](SourceLoc loc) -> const AnchorAttrs* {
    auto it = std::lower_bound(by_line.begin(), by_line.end(), std::make_pair(loc.line, nullptr), line_less);
    return it == by_line.end() || it->first != loc.line ? nullptr : it->second;
  };
  auto get = [](const AnchorAttrs* a, std::string_view key) -> std::string_view {
    if (!a) return {};
    return a->find(key).value_or(std::string_view());
  };
  // Ids taken from anchors: views of the anchors' text, which outlives this function.
  ViewSet used(by_line.size());
  // Every id field, for the clash check below, with whether an anchor wrote it; in the order
  // definitions, sections and provisions, catalog entries, references.
  std::vector<std::pair<std::string*, bool>> ids;
  std::map<std::string, std::string> renamed;  // recognizer's id → anchor id
  // Returns whether the anchor's id was written to `id`.
  auto take_id = [&](std::string& id, SourceLoc loc) -> bool {
    const std::string_view wanted = get(at(loc), "id");
    if (wanted.empty()) return false;
    if (!is_safe_id(wanted) || !used.insert(wanted)) {
      diags.warning("bad-anchor", "anchor id '" + std::string(wanted.substr(0, 40)) + "' is unsafe or used twice; ignored", loc);
      return false;
    }
    if (wanted == id) return true;
    renamed[id] = wanted;
    id = wanted;
    return true;
  };
  for (KeywordUsage& k : doc.word_usage) {
    const AnchorAttrs* a = at(k.loc);
    if (auto f = parse_force(get(a, "data-force"))) k.force = *f;
    if (get(a, "data-origin") == "default") k.from_document = false;
  }
  for (Definition& d : doc.definitions) {
    const bool anchored = take_id(d.id, d.loc);
    ids.emplace_back(&d.id, anchored);
    const AnchorAttrs* a = at(d.loc);
    const std::string_view alt = get(a, "data-alt");
    if (!alt.empty()) {
      d.alternates.clear();
      for (size_t start = 0; start <= alt.size();) {
        size_t end = alt.find('|', start);
        if (end == std::string_view::npos) end = alt.size();
        if (end > start) d.alternates.push_back(nfc(alt.substr(start, end - start)));
        start = end + 1;
      }
    }
    if (const std::string_view src = get(a, "data-source"); !src.empty()) d.source = nfc(src);
  }
  std::vector<bool> reference_anchored(doc.references.size());
  for (size_t i = 0; i < doc.references.size(); ++i)
    reference_anchored[i] = take_id(doc.references[i].id, doc.references[i].loc);
  walk_mutable(doc.body, [&](Node& n, int) {
    // Sections and provisions hold the blocks that hold them; paragraphs, cells and inline
    // content hold none (core/model.h), so the walk skips them.
    if (is_inline(n.type) || n.type == NodeType::Paragraph || n.type == NodeType::Cell) return false;
    if (n.labeled && (n.type == NodeType::Section || n.type == NodeType::Provision)) {
      const bool anchored = take_id(n.labeled->id, n.loc);
      ids.emplace_back(&n.labeled->id, anchored);
      const AnchorAttrs* a = at(n.loc);
      if (const std::string_view grading = get(a, "data-grading"); !grading.empty()) n.labeled->grading = grading;
      if (const std::string_view number = get(a, "data-number"); !number.empty() && n.type == NodeType::Section) {
        n.labeled->number = number;
        n.labeled->position_id = position_id_for_section(number, plain_text(n.title));
      }
    }
    return n.type != NodeType::Furniture;
  });
  std::vector<bool> catalog_anchored(doc.catalog.size());
  for (size_t i = 0; i < doc.catalog.size(); ++i) {
    CatalogEntry& e = doc.catalog[i];
    const AnchorAttrs* a = at(e.loc);
    if (!a) continue;
    catalog_anchored[i] = take_id(e.id, e.loc);
    if (auto kind = parse_catalog_kind(get(a, "data-kind"))) e.kind = *kind;
    if (const std::string_view work = get(a, "data-work"); !work.empty()) e.work = work;
    if (const std::string_view href = get(a, "data-href"); !href.empty() && !is_unsafe_url(href)) e.href = href;
    if (a->contains("data-orgs")) {
      e.organizations.clear();
      const std::string_view orgs = get(a, "data-orgs");
      for (size_t start = 0; start < orgs.size();) {
        size_t end = orgs.find('|', start);
        if (end == std::string_view::npos) end = orgs.size();
        const std::string_view item = orgs.substr(start, end - start);
        const size_t colon = item.find(':');
        if (colon != std::string_view::npos)
          if (auto role = parse_org_role(item.substr(0, colon))) {
            Organization o;
            o.role = *role;
            split_name_abbrev(nfc(item.substr(colon + 1)), o.name, o.abbrev);
            e.organizations.push_back(std::move(o));
          }
        start = end + 1;
      }
    }
  }
  // An id the recognizer gave one thing may be the anchor id of another (when the Markdown was
  // edited, or read differently): the one without anchor gets a fresh id, so ids stay unique.
  if (!used.empty()) {
    std::vector<std::string*> clashes;
    for (size_t i = 0; i < doc.catalog.size(); ++i) ids.emplace_back(&doc.catalog[i].id, catalog_anchored[i]);
    for (size_t i = 0; i < doc.references.size(); ++i) ids.emplace_back(&doc.references[i].id, reference_anchored[i]);
    for (const auto& [id, anchored] : ids)
      if (!anchored && used.contains(*id)) clashes.push_back(id);
    if (!clashes.empty()) {
      std::set<std::string> all;
      used.each([&](std::string_view u) { all.emplace(u); });
      for (const auto& entry : ids) all.insert(*entry.first);
      for (std::string* id : clashes) {
        std::string fresh;
        for (int k = 2; fresh.empty() || all.count(fresh); ++k) fresh = *id + "-" + std::to_string(k);
        diags.warning("bad-anchor", "id '" + *id + "' is an anchor of another block; this one gets '" + fresh + "'");
        all.insert(fresh);
        // Links in the Markdown name anchors, so a link to this id means the anchor's block: no
        // retargeting to the fresh id.
        *id = fresh;
      }
    }
  }
  // Keyword marks take the force their word usage declares; links follow renamed ids, and a
  // Markdown link to a definition's anchor is a term mention. One walk does both.
  std::map<std::string, Force> force_of;
  for (const KeywordUsage& k : doc.word_usage) force_of[k.word] = k.force;
  std::set<std::string, std::less<>> definition_ids;
  for (const Definition& d : doc.definitions) definition_ids.insert(d.id);
  auto retarget = [&](Node& n) {
    if (n.type == NodeType::TermRef || n.type == NodeType::XRef) {
      if (!renamed.empty())
        if (auto it = renamed.find(n.target); it != renamed.end()) n.target = it->second;
      if (n.type == NodeType::XRef && definition_ids.count(n.target)) n.type = NodeType::TermRef;
    }
  };
  auto reforce_and_retarget = [&](Node& n, int) {
    if (n.type == NodeType::Keyword) {
      if (auto it = force_of.find(n.target); it != force_of.end()) n.force = it->second;
    } else {
      retarget(n);
    }
    return true;
  };
  walk_mutable(doc.body, reforce_and_retarget);
  for (Definition& d : doc.definitions) walk_mutable(d.explanation, reforce_and_retarget);
  for (KeywordUsage& k : doc.word_usage) walk_mutable(k.explanation, [&](Node& n, int) {
    retarget(n);
    return true;
  });
}

// A Markdown link to "#id" is read as a cross-reference; when the document has no such id (a
// heading anchor another renderer makes, a typo, a block since deleted) it stays a link to that
// fragment, with a warning, instead of a cross-reference that would break the document.
void keep_dangling_fragment_links(Document& doc, Diagnostics& diags) {
  std::set<std::string, std::less<>> ids;
  for (const Definition& d : doc.definitions) ids.insert(d.id);
  for (const CatalogEntry& e : doc.catalog) ids.insert(e.id);
  for (const Reference& r : doc.references) ids.insert(r.id);
  walk_mutable(doc.body, [&](Node& n, int) {
    if (n.labeled) ids.insert(n.labeled->id);
    return true;
  });
  SourceLoc block_loc;  // inlines carry no position of their own: the block's is reported
  const auto keep_as_link = [&](Node& n, int) {
    if (is_block(n.type) && n.loc.line != 0) block_loc = n.loc;
    if (n.type == NodeType::XRef && !ids.contains(n.target)) {
      diags.warning("dangling-link",
                    "link to '#" + n.target + "', which is no id in this document; kept as a plain link",
                    n.loc.line != 0 ? n.loc : block_loc);
      n.type = NodeType::Link;
      n.target.insert(0, 1, '#');
    }
    return true;
  };
  walk_mutable(doc.body, keep_as_link);
  block_loc = SourceLoc{};
  walk_mutable(doc.meta.title, keep_as_link);
  for (KeywordUsage& k : doc.word_usage) {
    block_loc = k.loc;
    walk_mutable(k.explanation, keep_as_link);
  }
  for (Definition& d : doc.definitions) {
    block_loc = d.loc;
    walk_mutable(d.explanation, keep_as_link);
  }
  for (CatalogEntry& e : doc.catalog) {
    block_loc = e.loc;
    walk_mutable(e.title, keep_as_link);
    walk_mutable(e.endorsement, keep_as_link);
  }
  for (Reference& r : doc.references) {
    block_loc = r.loc;
    walk_mutable(r.content, keep_as_link);
  }
}

}  // namespace

int sniff_markdown(std::string_view bytes) {
  const std::string_view head = bytes.substr(0, 1024);
  if (head.rfind("---\n", 0) == 0 && head.find("\nwork:") != std::string_view::npos) return 90;
  if (head.rfind("# ", 0) == 0 || head.find("\n## ") != std::string_view::npos) return 40;
  return 0;
}

std::optional<Document> read_markdown(std::string_view bytes, const ReaderOptions& options,
                                      Diagnostics& diags) {
  const Encoding enc = detect_encoding(bytes);
  if (enc == Encoding::Binary) {
    diags.error("binary-input", "the input is binary, not Markdown");
    return std::nullopt;
  }
  size_t replaced = 0;
  // Valid UTF-8 (nearly every file) is read in place; other encodings are decoded into `decoded`.
  const std::string decoded = enc == Encoding::Utf8 ? std::string() : to_utf8(bytes, enc, &replaced);
  const std::string_view utf8 = enc == Encoding::Utf8 ? bytes : std::string_view(decoded);
  if (enc == Encoding::Windows1252)
    diags.warning("encoding", "the input is not UTF-8; decoded as windows-1252");
  if (replaced) diags.warning("encoding", std::to_string(replaced) + " undecodable byte(s) replaced with U+FFFD");

  // detect_encoding said Utf8 only after checking every byte.
  MarkdownBlocks mb = markdown_to_blocks(utf8, diags, enc == Encoding::Utf8);
  if (diags.has_errors()) return std::nullopt;
  recognizer::RecognizerOptions ro = recognizer::recognizer_options(options, "markdown", bytes);
  const FrontMatterEntry* work = fm_find(mb.front_matter, "work");
  const FrontMatterEntry* edition = fm_find(mb.front_matter, "edition");
  if (ro.work.empty() && work) ro.work = work->value;
  if (ro.edition.empty() && edition) ro.edition = edition->value;
  ro.mark_keywords = fm_flag(mb.front_matter, "mark-keywords", true);
  ro.link_terms = fm_flag(mb.front_matter, "link-terms", true);
  ro.title_known = fm_find(mb.front_matter, "title") != nullptr;
  std::vector<uint32_t> block_lines;
  block_lines.reserve(mb.blocks.size());
  for (const recognizer::SourceBlock& b : mb.blocks) block_lines.push_back(b.loc.line);
  Document doc = recognizer::recognize(std::move(mb.blocks), ro, diags);
  apply_front_matter(mb.front_matter, doc, diags);
  apply_anchors(block_lines, mb.anchor_attrs, doc, diags);
  keep_dangling_fragment_links(doc, diags);
  return doc;
}

}  // namespace normkit::markdown
