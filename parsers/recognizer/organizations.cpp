// Organizations named in the text and catalog prefixes (see organizations.h).
#include "parsers/recognizer/organizations.h"

#include "core/text.h"
#include "parsers/recognizer/patterns.h"

namespace normkit::recognizer {

void OrgRegistry::scan(std::string_view t) {
  for (size_t open = t.find('('); open != std::string_view::npos; open = t.find('(', open + 1)) {
    const size_t close = t.find(')', open);
    if (close == std::string_view::npos || close - open > 12) continue;
    const std::string_view abbr = t.substr(open + 1, close - open - 1);
    if (abbr.size() < 2 || !is_upper(abbr[0])) continue;
    size_t caps = 0;
    bool ok = true;
    for (char c : abbr) {
      if (!is_alpha(c)) ok = false;
      if (is_upper(c)) ++caps;
    }
    if (!ok || caps < 2 || name_by_abbrev.count(std::string(abbr))) continue;
    // Walk back over capitalized words and connectors.
    size_t b = open;
    while (b > 0 && t[b - 1] == ' ') --b;
    size_t start = b;
    int words = 0;
    while (start > 0 && words < 10) {
      size_t ws = start;
      while (ws > 0 && t[ws - 1] != ' ') --ws;
      const std::string_view w = t.substr(ws, start - ws);
      const std::string lw = lower_ascii(w);
      const bool connector = lw == "of" || lw == "for" || lw == "and";
      if (w.empty() || (!is_upper(w[0]) && !connector)) break;
      if (lw == "the") { break; }
      start = ws;
      ++words;
      while (start > 0 && t[start - 1] == ' ') --start;
      if (start == 0) break;
      if (t[start - 1] == ',' || t[start - 1] == '.') break;
    }
    while (start < b && t[start] == ' ') ++start;
    std::string_view name = t.substr(start, b - start);
    // Leading connectors are not part of a name.
    while (!name.empty()) {
      const size_t sp = name.find(' ');
      const std::string lw = lower_ascii(name.substr(0, sp));
      if (sp == std::string_view::npos || (lw != "of" && lw != "for" && lw != "and")) break;
      name.remove_prefix(sp + 1);
    }
    if (word_count(name) < 2) continue;
    name_by_abbrev.emplace(std::string(abbr), std::string(name));
    order.push_back(std::string(abbr));
  }
}

std::string OrgRegistry::name_of(const std::string& abbr) const {
  auto it = name_by_abbrev.find(abbr);
  return it == name_by_abbrev.end() ? abbr : it->second;
}

// "STS/SCA/AmSECT:" or "STS/SCA/AmSECT--" at the start: the abbreviations and where the rest begins.
std::vector<std::string> org_prefix(std::string_view t, size_t* rest) {
  std::vector<std::string> abbrevs;
  size_t i = 0;
  while (true) {
    const size_t b = i;
    while (i < t.size() && is_alpha(t[i])) ++i;
    if (i - b < 2 || i - b > 8) return {};
    abbrevs.emplace_back(t.substr(b, i - b));
    if (i < t.size() && t[i] == '/') { ++i; continue; }
    break;
  }
  if (abbrevs.size() < 2) return {};
  size_t j = i;
  while (j < t.size() && t[j] == ' ') ++j;
  if (j < t.size() && t[j] == ':') ++j;
  else if (t.substr(j, 2) == "--") j += 2;
  else return {};
  while (j < t.size() && t[j] == ' ') ++j;
  *rest = j;
  return abbrevs;
}

// "Clinical Practice Guidelines-- Anticoagulation" → "Clinical Practice Guidelines: Anticoagulation".
std::string clean_catalog_title(std::string_view t) {
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '-' && i + 1 < t.size() && t[i + 1] == '-') {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      i += 1;
      while (i + 1 < t.size() && t[i + 1] == '-') ++i;
      if (!out.empty()) out += ": ";
      while (i + 1 < t.size() && t[i + 1] == ' ') ++i;
      continue;
    }
    out += t[i];
  }
  return collapse_whitespace(strip(out));
}

}  // namespace normkit::recognizer
