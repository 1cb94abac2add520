// Line-level patterns of published standards, guidelines and catalogs: labels ("Standard 1.1:"),
// headings, dates, years, definitions, page furniture lines. Pure functions of one line of text,
// shared by the recognizer's units; internal to the recognizer.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "core/model.h"

namespace normkit::recognizer {

// --- ASCII character classes (vocabulary words and labels are ASCII) --------------------------
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
inline char lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
inline bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::string lower_ascii(std::string_view s);
// starts_with(lower_ascii(s), prefix_lower), without the copy.
inline bool starts_with_ci(std::string_view s, std::string_view prefix_lower) {
  if (s.size() < prefix_lower.size()) return false;
  for (size_t i = 0; i < prefix_lower.size(); ++i)
    if (lower(s[i]) != prefix_lower[i]) return false;
  return true;
}
// Case-insensitive search of a lower-case needle.
bool contains_ci(std::string_view s, std::string_view needle_lower);
// Without leading and trailing spaces and tabs.
std::string_view strip(std::string_view s);
size_t word_count(std::string_view s);

// --- Headings and titles ------------------------------------------------------------------------
inline constexpr size_t kMaxHeadingBytes = 100;
// A short line with no sentence end, in title case (70% of the words that matter capitalized)
// or ALL CAPS: "Goal Statement", "PRACTICE GUIDELINES", "Important Note on Scope:".
bool looks_like_heading(std::string_view line);
// "Title (5/23/2017)": where the title ends and the date (YYYY-MM-DD).
std::optional<std::pair<size_t, std::string>> dated_suffix(std::string_view line);
// Start of the first run of two or more ALL-CAPS words (a journal name in a citation), or npos.
size_t caps_run(std::string_view line);

// --- Dates and years ------------------------------------------------------------------------------
// "(2017)" or "(2017)*" at the end of a catalog line.
struct YearSuffix {
  std::string year;
  size_t title_end = 0;  // where the title before "(2017)" ends
  bool starred = false;  // a '*' footnote refers to it
};
std::optional<YearSuffix> year_suffix(std::string_view line);
// "August 1, 2015", "2015-08-01", "8/1/2015" (US order), "2015" → "2015-08-01" / "2015"; empty
// when no year is found.
std::string parse_date(std::string_view text);
// The labels of a date line ("publication date:", ...), lower case, with the date each gives.
std::span<const std::pair<std::string_view, DateType>> date_line_labels();
// "Publication Date: August 1, 2015" → (published, "August 1, 2015").
std::optional<std::pair<DateType, std::string_view>> match_date_line(std::string_view line);

// --- Labels, definitions, furniture, wording --------------------------------------------------------
struct LabelMatch {
  ProvisionKind kind = ProvisionKind::Standard;
  std::string number;  // "1.1", "XIV"
  bool topic = false;  // "Standard 3" / "Standard 3: Title": a topic heading, not a provision
  size_t rest = 0;     // offset of the text after the label and its separator
};
// "Standard 1.1:", "Guideline 2.3 -", "Essential XIV", "Recommendation 4." (capitalized or ALL CAPS).
std::optional<LabelMatch> match_label(std::string_view line);
// "Term: explanation" with a short capitalized term: the offset after ':', or 0.
size_t definition_split(std::string_view line);
// "©", "Copyright", "All rights reserved", "Privacy Policy" on a short line.
bool is_copyright_line(std::string_view line);
// Uses recommendation wording: should, is recommended, is reasonable, may be considered, ...
bool recommendation_worded(std::string_view text);

}  // namespace normkit::recognizer
