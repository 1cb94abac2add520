#include "parsers/markdown/markdown_reader.h"

#include <map>
#include <set>

#include "core/ids.h"
#include "core/text.h"
#include "parsers/markdown/markdown_blocks.h"
#include "parsers/recognizer/recognizer.h"

namespace normkit::markdown {

namespace {

const FrontMatterEntry* fm_find(const FrontMatter& fm, std::string_view key) {
  for (const FrontMatterEntry& e : fm.entries)
    if (e.key == key) return &e;
  return nullptr;
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
    if (e.key == "title" && !e.value.empty()) {
      doc.meta.title = {Node::make_text(nfc(e.value))};
    } else if (e.key == "subtitle") {
      doc.meta.subtitle = {Node::make_text(nfc(e.value))};
    } else if (e.key == "type") {
      if (auto t = parse_doc_type(e.value)) doc.type = *t;
      else diags.warning("front-matter", "unknown document type '" + e.value + "'", loc);
    } else if (e.key == "lang" && !e.value.empty()) {
      doc.lang = e.value;
    } else if (e.key == "organizations") {
      std::vector<Organization> orgs;
      for (const std::string& item : e.items) {
        const size_t colon = item.find(':');
        const std::optional<OrgRole> role =
            colon == std::string::npos ? std::nullopt : parse_org_role(std::string(trim(item.substr(0, colon))));
        if (!role) {
          diags.warning("front-matter", "organization '" + item + "' needs a role: author, co-author, endorser or publisher", loc);
          continue;
        }
        Organization o;
        o.role = *role;
        split_name_abbrev(nfc(item.substr(colon + 1)), o.name, o.abbrev);
        orgs.push_back(std::move(o));
      }
      doc.meta.organizations = std::move(orgs);
    } else if (e.key == "dates") {
      std::vector<DateEntry> dates;
      for (const std::string& item : e.items) {
        const size_t colon = item.find(':');
        const std::optional<DateType> type =
            colon == std::string::npos ? std::nullopt : parse_date_type(std::string(trim(item.substr(0, colon))));
        const std::string value(colon == std::string::npos ? "" : trim(item.substr(colon + 1)));
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

// The permanent ids written as <a id> anchors replace the ones the recognizer derived, so ids
// survive a trip through Markdown even when they were first assigned in an earlier edition.
void restore_anchor_ids(const MarkdownBlocks& mb, Document& doc, Diagnostics& diags) {
  std::map<uint32_t, std::string> id_by_line;
  for (size_t i = 0; i < mb.blocks.size(); ++i)
    if (!mb.anchor_ids[i].empty() && is_safe_id(mb.anchor_ids[i].front()))
      id_by_line.emplace(mb.blocks[i].loc.line, mb.anchor_ids[i].front());
  if (id_by_line.empty()) return;
  std::set<std::string> used;
  std::map<std::string, std::string> renamed;  // recognizer's id → anchor id
  auto take = [&](std::string& id, SourceLoc loc) {
    auto it = id_by_line.find(loc.line);
    if (it == id_by_line.end() || it->second == id) return;
    if (!used.insert(it->second).second) {
      diags.warning("duplicate-anchor", "anchor id '" + it->second + "' used twice; the second is ignored", loc);
      return;
    }
    renamed[id] = it->second;
    id = it->second;
  };
  for (Definition& d : doc.definitions) take(d.id, d.loc);
  walk_mutable(doc.body, [&](Node& n, int) {
    if (n.labeled && (n.type == NodeType::Section || n.type == NodeType::Provision)) take(n.labeled->id, n.loc);
    return n.type != NodeType::Furniture;
  });
  std::set<std::string> definition_ids;
  for (const Definition& d : doc.definitions) definition_ids.insert(d.id);
  auto retarget = [&](Node& n, int) {
    if (n.type == NodeType::TermRef || n.type == NodeType::XRef) {
      if (auto it = renamed.find(n.target); it != renamed.end()) n.target = it->second;
      // A Markdown link to a definition's anchor is a term mention.
      if (n.type == NodeType::XRef && definition_ids.count(n.target)) n.type = NodeType::TermRef;
    }
    return true;
  };
  walk_mutable(doc.body, retarget);
  for (Definition& d : doc.definitions) walk_mutable(d.explanation, retarget);
  for (KeywordUsage& k : doc.word_usage) walk_mutable(k.explanation, retarget);
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
  const std::string utf8 = enc == Encoding::Utf8 ? std::string(bytes) : to_utf8(bytes, enc, &replaced);
  if (enc == Encoding::Windows1252)
    diags.warning("encoding", "the input is not UTF-8; decoded as windows-1252");
  if (replaced) diags.warning("encoding", std::to_string(replaced) + " undecodable byte(s) replaced with U+FFFD");

  MarkdownBlocks mb = markdown_to_blocks(utf8, diags);
  if (diags.has_errors()) return std::nullopt;
  recognizer::RecognizerOptions ro;
  const FrontMatterEntry* work = fm_find(mb.front_matter, "work");
  const FrontMatterEntry* edition = fm_find(mb.front_matter, "edition");
  ro.work = !options.work.empty() ? options.work : work ? work->value : "";
  ro.edition = !options.edition.empty() ? options.edition : edition ? edition->value : "";
  ro.source_name = options.source_name;
  ro.source_format = "markdown";
  ro.source_sha256 = sha256_hex(bytes);
  ro.url = options.url;
  ro.mark_keywords = fm_flag(mb.front_matter, "mark-keywords", true);
  ro.link_terms = fm_flag(mb.front_matter, "link-terms", true);
  MarkdownBlocks kept_for_anchors;
  kept_for_anchors.anchor_ids = mb.anchor_ids;
  kept_for_anchors.blocks.reserve(mb.blocks.size());
  for (const recognizer::SourceBlock& b : mb.blocks) {
    recognizer::SourceBlock loc_only;
    loc_only.loc = b.loc;
    kept_for_anchors.blocks.push_back(std::move(loc_only));
  }
  Document doc = recognizer::recognize(std::move(mb.blocks), ro, diags);
  apply_front_matter(mb.front_matter, doc, diags);
  restore_anchor_ids(kept_for_anchors, doc, diags);
  return doc;
}

}  // namespace normkit::markdown
