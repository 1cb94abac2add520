// The pages of the site. Each function returns one complete HTML document; corpus text goes
// through escape.h and render.h only.
#pragma once

#include <string>
#include <vector>

#include "generators/site/search_index.h"
#include "generators/site/site_model.h"

namespace normkit::site {

// doc/<work>/<edition>.html, appended to `out` (a buffer the caller may reuse across pages).
void document_page(const SiteModel& site, size_t doc, std::string& out);
// index.html: the catalog of publications by organization and kind.
std::string home_page(const SiteModel& site);
// glossary.html: every definition, ICU-collated, with where each term is used.
std::string glossary_page(const SiteModel& site, const std::vector<std::vector<TermUse>>& uses);
// search.html
std::string search_page(const SiteModel& site);

}  // namespace normkit::site
