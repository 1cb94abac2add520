// Organizations named in published text, and the organization prefixes of catalog entries.
// Internal to the recognizer.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace normkit::recognizer {

// Organizations the text names as "Full Name (ABBR)" anywhere ("the Society of Thoracic
// Surgeons (STS)"): the full name is the run of capitalized words and connectors before the
// parentheses, without a leading "The".
struct OrgRegistry {
  std::map<std::string, std::string> name_by_abbrev;  // "STS" → "Society of Thoracic Surgeons"
  std::vector<std::string> order;                     // abbreviations in order of first definition

  void scan(std::string_view text);
  // The full name, or the abbreviation itself when the text never spelled it out.
  std::string name_of(const std::string& abbrev) const;
};

// "STS/SCA/AmSECT:" or "STS/SCA/AmSECT--" at the start of a catalog line: the abbreviations and,
// in *rest, where the title begins. Empty when there is no such prefix.
std::vector<std::string> org_prefix(std::string_view text, size_t* rest);

// "Clinical Practice Guidelines-- Anticoagulation" → "Clinical Practice Guidelines: Anticoagulation".
std::string clean_catalog_title(std::string_view title);

}  // namespace normkit::recognizer
