#include "generators/site/pages.h"

#include <unicode/coll.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "core/text.h"
#include "generators/site/escape.h"
#include "generators/site/render.h"

namespace normkit::site {

namespace {

// --- Layout -------------------------------------------------------------------------------

enum class Nav { Home, Glossary, Search, None };

std::string page_start(const SiteModel& site, const std::string& title, const std::string& root, Nav current,
                       const std::string& lang = "en") {
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"" + html_attr(lang.empty() ? "en" : lang) + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<meta name=\"color-scheme\" content=\"light dark\">\n";
  h += "<meta name=\"generator\" content=\"normkit " + html_attr(site.options->normkit_version) + "\">\n";
  h += "<title>" + html_text(title) + "</title>\n";
  h += "<link rel=\"stylesheet\" href=\"" + root + "assets/site.css\">\n";
  h += "<link rel=\"icon\" href=\"" + root + "assets/favicon.svg\" type=\"image/svg+xml\">\n";
  h += "<script src=\"" + root + "assets/search.js\" defer></script>\n";
  h += "</head>\n<body data-root=\"" + root + "\">\n";
  h += "<a class=\"skip\" href=\"#main\">Skip to content</a>\n";
  h += "<header class=\"site-head\">\n<a class=\"brand\" href=\"" + root + "index.html\">Standards &amp; Guidelines</a>\n";
  h += "<nav aria-label=\"Site\"><ul>";
  auto item = [&](Nav which, const char* href, const char* text) {
    h += std::string("<li><a href=\"") + root + href + "\"" + (current == which ? " aria-current=\"page\"" : "") + ">" +
         text + "</a></li>";
  };
  item(Nav::Home, "index.html", "Publications");
  item(Nav::Glossary, "glossary.html", "Glossary");
  item(Nav::Search, "search.html", "Search");
  h += "</ul></nav>\n";
  if (current != Nav::Search) {
    h += "<form class=\"quick-search\" role=\"search\" action=\"" + root + "search.html\" method=\"get\">";
    h += "<label class=\"vh\" for=\"quick-q\">Search provisions</label>";
    h += "<input id=\"quick-q\" name=\"q\" type=\"search\" placeholder=\"Search provisions (/)\" autocomplete=\"off\">";
    h += "<button type=\"submit\">Search</button></form>\n";
  }
  h += "</header>\n";
  return h;
}

std::string page_end(const SiteModel& site) {
  return "<footer class=\"site-foot\"><p>" + html_text(site.footer_note) + "</p></footer>\n</body>\n</html>\n";
}

std::string org_names(const std::vector<Organization>& orgs, OrgRole role) {
  std::string s;
  for (const Organization& o : orgs) {
    if (o.role != role) continue;
    if (!s.empty()) s += ", ";
    s += o.name;
    if (!o.abbrev.empty() && o.abbrev != o.name) s += " (" + o.abbrev + ")";
  }
  return s;
}

std::unordered_map<std::string, std::string> definition_texts(const Document& doc) {
  std::unordered_map<std::string, std::string> m;
  for (const Definition& d : doc.definitions) {
    std::string t = blocks_plain_text(d.explanation);
    if (t.size() > 400) t = t.substr(0, 400) + "\xE2\x80\xA6";
    m.emplace(d.id, d.term + ": " + t);
  }
  return m;
}

std::string_view doc_type_name(DocType t) {
  switch (t) {
    case DocType::StandardsAndGuidelines: return "Standards and Guidelines";
    case DocType::ClinicalPracticeGuideline: return "Clinical Practice Guidelines";
    case DocType::Catalog: return "Catalogs";
    case DocType::Protocol: return "Protocols";
    case DocType::Checklist: return "Checklists";
    case DocType::Other: return "Other publications";
  }
  return "Other publications";
}

std::string_view catalog_kind_name(CatalogKind k) {
  switch (k) {
    case CatalogKind::StandardsAndGuidelines: return "Standards and Guidelines";
    case CatalogKind::ClinicalPracticeGuideline: return "Clinical Practice Guidelines";
    case CatalogKind::Protocol: return "Protocols";
    case CatalogKind::PositionStatement: return "Position Statements";
    case CatalogKind::Other: return "Other publications";
  }
  return "Other publications";
}

// --- Table of contents ----------------------------------------------------------------------

void append_toc(const Document& doc, std::string& h) {
  struct Frame {
    const Node* node;
    int level;
  };
  struct Line {
    int level;
    std::string id, text;
  };
  std::vector<Line> lines;
  std::vector<Frame> stack;
  int scopes = 0;
  for (auto it = doc.body.rbegin(); it != doc.body.rend(); ++it) stack.push_back({&*it, 0});
  // Scopes get their anchors in document order, so count them in the same walk.
  while (!stack.empty()) {
    const Frame f = stack.back();
    stack.pop_back();
    const Node& n = *f.node;
    if (n.type == NodeType::Scope) {
      lines.push_back({f.level, scope_anchor(++scopes), "Scope"});
      continue;
    }
    if (n.type != NodeType::Section || !n.labeled) continue;
    const Labeled& l = *n.labeled;
    const std::string prefix = !l.label.empty() ? l.label : l.number;
    const std::string title = collapse_whitespace(plain_text(n.title));
    lines.push_back({f.level, l.id, prefix.empty() ? title : prefix + " " + title});
    for (auto it = n.children.rbegin(); it != n.children.rend(); ++it) stack.push_back({&*it, f.level + 1});
  }
  if (lines.empty()) return;
  h += "<nav class=\"toc\" aria-labelledby=\"toc-h\"><h2 id=\"toc-h\">Contents</h2>\n<ol>";
  int level = 0;
  bool open_item = false;
  for (const Line& line : lines) {
    while (level < line.level) {
      h += "<ol>";
      ++level;
      open_item = false;
    }
    while (level > line.level) {
      h += "</li></ol>";
      --level;
      open_item = true;
    }
    if (open_item) h += "</li>\n";
    h += "<li><a href=\"#" + html_attr(line.id) + "\">" + html_text(line.text) + "</a>";
    open_item = true;
  }
  while (level > 0) {
    h += "</li></ol>";
    --level;
  }
  h += "</li></ol></nav>\n";
}

}  // namespace

// --- Document page ----------------------------------------------------------------------------

void document_page(const SiteModel& site, size_t index, std::string& h) {
  const SiteDoc& sd = site.docs[index];
  const Document& doc = *sd.doc;
  const std::string root = "../../";
  const auto def_text = definition_texts(doc);
  RenderContext ctx;
  ctx.site = &site;
  ctx.doc = index;
  ctx.root = root;
  ctx.definition_text = &def_text;

  h += page_start(site, sd.title + " (" + doc.edition + ")", root, Nav::None, doc.lang);
  h += "<div class=\"doc-layout\">\n";
  append_toc(doc, h);
  h += "<main id=\"main\" tabindex=\"-1\" class=\"doc\">\n<header class=\"doc-head\">\n";
  h += "<p class=\"doc-type\">" + html_text(doc_type_name(doc.type)) + " \xC2\xB7 Edition " + html_text(doc.edition) + "</p>\n";
  h += "<h1>";
  render_inlines(ctx, doc.meta.title, h);
  h += "</h1>\n";
  if (!doc.meta.subtitle.empty()) {
    h += "<p class=\"subtitle\">";
    render_inlines(ctx, doc.meta.subtitle, h);
    h += "</p>\n";
  }
  h += "<dl class=\"doc-meta\">";
  const std::pair<OrgRole, const char*> roles[] = {{OrgRole::Author, "Authors"}, {OrgRole::CoAuthor, "Co-authors"},
                                                   {OrgRole::Endorser, "Endorsed by"}, {OrgRole::Publisher, "Publisher"}};
  for (const auto& [role, name] : roles) {
    const std::string names = org_names(doc.meta.organizations, role);
    if (!names.empty()) h += std::string("<dt>") + name + "</dt><dd>" + html_text(names) + "</dd>";
  }
  for (const DateEntry& d : doc.meta.dates) {
    std::string type(to_string(d.type));
    type[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(type[0])));
    h += "<dt>" + html_text(type) + "</dt><dd><time datetime=\"" + html_attr(d.value) + "\">" + html_text(d.value) + "</time></dd>";
  }
  // Other editions of the same work.
  std::string editions;
  for (size_t j : sd.editions) {
    if (j == index) continue;
    if (!editions.empty()) editions += ", ";
    editions += "<a href=\"" + root + html_attr(site.docs[j].url) + "\">" + html_text(site.docs[j].doc->edition) + "</a>";
  }
  if (!editions.empty()) h += "<dt>Other editions</dt><dd>" + editions + "</dd>";
  for (const SourceInfo& s : doc.meta.sources) {
    const auto url = safe_link_target(s.url);
    if (!url) continue;
    h += "<dt>Source</dt><dd><a class=\"ext\" href=\"" + html_attr(*url) + "\" rel=\"noopener noreferrer\">" + html_text(*url) + "</a></dd>";
  }
  h += "</dl>\n</header>\n";

  if (!doc.word_usage.empty()) {
    h += "<section class=\"legend\" aria-labelledby=\"legend-h\"><h2 id=\"legend-h\">Word usage</h2>\n<dl>";
    for (const KeywordUsage& k : doc.word_usage) {
      h += "<dt>";
      render_keyword(k.word, k.force, h);
      h += " <span class=\"force\">" + html_text(to_string(k.force)) + "</span></dt><dd>";
      render_blocks(ctx, k.explanation, h);
      h += "</dd>\n";
    }
    h += "</dl></section>\n";
  }

  render_blocks(ctx, doc.body, h);

  if (!doc.definitions.empty()) {
    h += "<section class=\"defs\" aria-labelledby=\"defs-h\"><h2 id=\"defs-h\">Definitions</h2>\n<dl>";
    for (const Definition& d : doc.definitions) {
      const auto a = site.glossary_anchor[index].find(d.id);
      h += "<dt id=\"" + html_attr(d.id) + "\"><dfn>" + html_text(d.term) + "</dfn>";
      if (a != site.glossary_anchor[index].end())
        h += " <a class=\"self\" href=\"" + root + "glossary.html#" + html_attr(a->second) + "\">in the glossary</a>";
      h += "</dt><dd>";
      render_blocks(ctx, d.explanation, h);
      if (!d.source.empty()) h += "<p class=\"def-source\">Source: " + html_text(d.source) + "</p>";
      h += "</dd>\n";
    }
    h += "</dl></section>\n";
  }

  if (!doc.catalog.empty()) {
    h += "<section class=\"catalog\" aria-labelledby=\"cat-h\"><h2 id=\"cat-h\">Publications listed</h2>\n<ul>";
    for (const CatalogEntry& e : doc.catalog) {
      h += "<li>";
      const auto href = safe_link_target(e.href);
      if (href) h += "<a class=\"ext\" href=\"" + html_attr(*href) + "\" rel=\"noopener noreferrer\">";
      render_inlines(ctx, e.title, h);
      if (href) h += "</a>";
      if (!e.year.empty()) h += " (" + html_text(e.year) + ")";
      h += " <span class=\"badge\">" + html_text(catalog_kind_name(e.kind)) + "</span></li>\n";
    }
    h += "</ul></section>\n";
  }

  if (!doc.references.empty()) {
    h += "<section class=\"refs\" aria-labelledby=\"refs-h\"><h2 id=\"refs-h\">References</h2>\n<ol>";
    for (const Reference& r : doc.references) {
      h += "<li id=\"" + html_attr(r.id) + "\">";
      render_inlines(ctx, r.content, h);
      if (const auto href = safe_link_target(r.href))
        h += " <a class=\"ext\" href=\"" + html_attr(*href) + "\" rel=\"noopener noreferrer\">" + html_text(*href) + "</a>";
      h += "</li>\n";
    }
    h += "</ol></section>\n";
  }
  h += "</main>\n</div>\n";
  h += page_end(site);
}

// --- Home page --------------------------------------------------------------------------------

std::string home_page(const SiteModel& site) {
  // A publication on the home page: a work of the corpus (with its editions) and/or a catalog
  // entry describing it.
  struct Publication {
    std::string title;
    std::string kind;            // group heading
    std::vector<size_t> editions;  // documents, oldest first
    std::string year;
    std::string co_authors;
    std::string endorsers;
    std::vector<const CatalogEntry*> entries;
    size_t catalog_doc = 0;
  };
  std::map<std::string, std::map<std::string, std::vector<Publication>>> groups;  // org → kind → pubs
  std::map<std::string, Publication*> by_work;
  std::vector<size_t> catalogs;
  // Works in the corpus, grouped by the author of their latest edition.
  std::map<std::string, std::vector<size_t>> work_docs;
  std::vector<std::string> work_order;
  for (size_t i = 0; i < site.docs.size(); ++i) {
    const Document& doc = *site.docs[i].doc;
    if (doc.type == DocType::Catalog) {
      catalogs.push_back(i);
      continue;
    }
    if (!work_docs.count(doc.work)) work_order.push_back(doc.work);
    work_docs[doc.work].push_back(i);
  }
  auto main_org = [](const std::vector<Organization>& orgs) -> std::string {
    for (OrgRole r : {OrgRole::Author, OrgRole::Publisher})
      for (const Organization& o : orgs)
        if (o.role == r) return o.name;
    return "Other publishers";
  };
  for (const std::string& w : work_order) {
    const std::vector<size_t>& eds = work_docs[w];
    const SiteDoc& latest = site.docs[eds.back()];
    Publication p;
    p.title = latest.title;
    p.kind = std::string(doc_type_name(latest.doc->type));
    p.editions = eds;
    p.year = latest.year;
    p.co_authors = org_names(latest.doc->meta.organizations, OrgRole::CoAuthor);
    p.endorsers = org_names(latest.doc->meta.organizations, OrgRole::Endorser);
    auto& list = groups[main_org(latest.doc->meta.organizations)][p.kind];
    list.push_back(std::move(p));
  }
  for (auto& [org, kinds] : groups)
    for (auto& [kind, pubs] : kinds)
      for (Publication& p : pubs) by_work[site.docs[p.editions.back()].doc->work] = &p;
  // Catalog entries: merged into the work they describe, else listed on their own.
  std::vector<std::pair<std::string, std::pair<std::string, Publication>>> extra;
  for (size_t c : catalogs) {
    for (const CatalogEntry& e : site.docs[c].doc->catalog) {
      auto it = e.work.empty() ? by_work.end() : by_work.find(e.work);
      if (it != by_work.end()) {
        it->second->entries.push_back(&e);
        continue;
      }
      Publication p;
      p.title = collapse_whitespace(plain_text(e.title));
      p.kind = std::string(catalog_kind_name(e.kind));
      p.year = e.year;
      p.co_authors = org_names(e.organizations, OrgRole::CoAuthor);
      p.endorsers = org_names(e.organizations, OrgRole::Endorser);
      p.entries.push_back(&e);
      p.catalog_doc = c;
      extra.push_back({main_org(e.organizations), {p.kind, std::move(p)}});
    }
  }
  for (auto& [org, kp] : extra) groups[org][kp.first].push_back(std::move(kp.second));

  std::string h = page_start(site, "Publications", "", Nav::Home);
  h += "<main id=\"main\" tabindex=\"-1\" class=\"home\">\n<h1>Publications</h1>\n";
  h += "<p class=\"lead\">" + std::to_string(site.docs.size()) + " document editions. "
       "Search every provision, filtered by kind, class and level, on the <a href=\"search.html\">search page</a>.</p>\n";
  for (const auto& [org, kinds] : groups) {
    const std::string org_id = "org-" + slugify(org);
    h += "<section class=\"org\" aria-labelledby=\"" + org_id + "\"><h2 id=\"" + org_id + "\">" + html_text(org) + "</h2>\n";
    for (const auto& [kind, pubs] : kinds) {
      h += "<h3>" + html_text(kind) + "</h3>\n<ul class=\"pubs\">\n";
      for (const Publication& p : pubs) {
        h += "<li class=\"pub\">";
        if (!p.editions.empty()) {
          h += "<a class=\"pub-title\" href=\"" + html_attr(site.docs[p.editions.back()].url) + "\">" + html_text(p.title) + "</a>";
        } else {
          const auto href = p.entries.empty() ? std::nullopt : safe_link_target(p.entries.front()->href);
          if (href) h += "<a class=\"pub-title ext\" href=\"" + html_attr(*href) + "\" rel=\"noopener noreferrer\">";
          else h += "<span class=\"pub-title\">";
          h += html_text(p.title);
          h += href ? "</a>" : "</span>";
          h += " <span class=\"badge\">not in this collection</span>";
        }
        if (!p.year.empty()) h += " <span class=\"year\">(" + html_text(p.year) + ")</span>";
        h += "<dl class=\"pub-meta\">";
        if (p.editions.size() > 0) {
          h += "<dt>Editions</dt><dd>";
          for (size_t k = p.editions.size(); k-- > 0;) {
            const SiteDoc& sd = site.docs[p.editions[k]];
            h += "<a href=\"" + html_attr(sd.url) + "\">" + html_text(sd.doc->edition) + "</a>";
            if (k) h += ", ";
          }
          h += "</dd>";
        }
        if (!p.co_authors.empty()) h += "<dt>With</dt><dd>" + html_text(p.co_authors) + "</dd>";
        std::string endorsement = p.endorsers;
        for (const CatalogEntry* e : p.entries) {
          const std::string stated = collapse_whitespace(plain_text(e->endorsement));
          if (!stated.empty()) endorsement = stated;
        }
        if (!endorsement.empty()) h += "<dt>Endorsement</dt><dd>" + html_text(endorsement) + "</dd>";
        h += "</dl></li>\n";
      }
      h += "</ul>\n";
    }
    h += "</section>\n";
  }
  if (!catalogs.empty()) {
    h += "<section aria-labelledby=\"catalogs-h\"><h2 id=\"catalogs-h\">Catalog pages</h2><ul>";
    for (size_t c : catalogs)
      h += "<li><a href=\"" + html_attr(site.docs[c].url) + "\">" + html_text(site.docs[c].title) + "</a> (" +
           html_text(site.docs[c].doc->edition) + ")</li>";
    h += "</ul></section>\n";
  }
  h += "</main>\n";
  h += page_end(site);
  return h;
}

// --- Glossary ---------------------------------------------------------------------------------

std::string glossary_page(const SiteModel& site, const std::vector<std::vector<TermUse>>& uses) {
  struct Item {
    size_t doc;
    const Definition* def;
    std::string sort_key;
  };
  std::vector<Item> items;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Collator> collator(icu::Collator::createInstance(icu::Locale::getEnglish(), status));
  for (size_t d = 0; d < site.docs.size(); ++d) {
    for (const Definition& def : site.docs[d].doc->definitions) {
      Item it{d, &def, {}};
      if (collator && U_SUCCESS(status)) {
        const icu::UnicodeString u = icu::UnicodeString::fromUTF8(def.term);
        uint8_t buf[512];
        const int32_t n = collator->getSortKey(u, buf, sizeof buf);
        it.sort_key.assign(reinterpret_cast<const char*>(buf), static_cast<size_t>(std::min<int32_t>(n, sizeof buf)));
      } else {
        it.sort_key = fold_case(def.term);
      }
      items.push_back(std::move(it));
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.sort_key < b.sort_key; });

  std::string h = page_start(site, "Glossary", "", Nav::Glossary);
  h += "<main id=\"main\" tabindex=\"-1\" class=\"glossary\">\n<h1>Glossary</h1>\n";
  h += "<p class=\"lead\">" + std::to_string(items.size()) + " defined terms, with where each is used.</p>\n<dl class=\"terms\">\n";
  for (const Item& it : items) {
    const SiteDoc& sd = site.docs[it.doc];
    RenderContext ctx;
    ctx.site = &site;
    ctx.doc = it.doc;
    ctx.root = "";
    ctx.xref_page = sd.url;
    const std::string& anchor = site.glossary_anchor[it.doc].at(it.def->id);
    h += "<dt id=\"" + html_attr(anchor) + "\"><dfn>" + html_text(it.def->term) + "</dfn> <a class=\"self\" href=\"#" +
         html_attr(anchor) + "\" aria-label=\"Link to this definition\">#</a></dt>\n<dd>";
    render_blocks(ctx, it.def->explanation, h);
    if (!it.def->alternates.empty()) {
      std::string alts;
      for (const std::string& a : it.def->alternates) alts += (alts.empty() ? "" : ", ") + a;
      h += "<p class=\"alts\">Also: " + html_text(alts) + "</p>";
    }
    h += "<p class=\"from\">Defined in <a href=\"" + html_attr(sd.url) + "#" + html_attr(it.def->id) + "\">" +
         html_text(sd.title) + " (" + html_text(sd.doc->edition) + ")</a></p>";
    std::string used;
    std::set<size_t> seen;
    for (const TermUse& u : uses[it.doc]) {
      if (u.definition_id != it.def->id || !seen.insert(u.entry).second) continue;
      if (!used.empty()) used += ", ";
      used += "<a href=\"" + html_attr(sd.url) + "#" + html_attr(u.anchor) + "\">" + html_text(u.label) + "</a>";
    }
    h += used.empty() ? "<p class=\"used\">Not used in the text.</p>" : "<p class=\"used\">Used in: " + used + "</p>";
    h += "</dd>\n";
  }
  h += "</dl>\n</main>\n";
  h += page_end(site);
  return h;
}

// --- Search page ------------------------------------------------------------------------------

std::string search_page(const SiteModel& site) {
  std::string h = page_start(site, "Search", "", Nav::Search);
  h += R"(<main id="main" tabindex="-1" class="search-page">
<h1>Search</h1>
<form id="nk-search" class="search-form" role="search" action="search.html" method="get">
<label for="q">Search provisions, sections and definitions</label>
<div class="search-row"><input id="q" name="q" type="search" autocomplete="off" spellcheck="false" aria-describedby="search-help" aria-controls="results">
<button type="submit">Search</button></div>
<p id="search-help" class="help">Results appear as you type. Use the arrow keys to move through results; press / to come back here.</p>
</form>
<div class="search-layout">
<aside id="facets" class="facets" aria-label="Filters"></aside>
<section class="results-wrap" aria-labelledby="status">
<p id="status" role="status" aria-live="polite">Type a word to search.</p>
<ol id="results" class="results"></ol>
<button id="more" type="button" hidden>Show more results</button>
</section>
</div>
<noscript><p>Search needs JavaScript. Every document is listed on the <a href="index.html">publications page</a>.</p></noscript>
</main>
)";
  h += page_end(site);
  return h;
}

}  // namespace normkit::site
