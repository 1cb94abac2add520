// Class of recommendation and level of evidence annotations, in every spelling publications use,
// normalized to one vocabulary (ACC/AHA):
//   classes: I, IIa, IIb, III, III-no-benefit, III-harm
//   levels:  A, B, C, B-R, B-NR, C-LD, C-EO
// Spellings accepted (case-insensitive, any spacing): "(Class I, Level C)", "( Class I, Level C )",
// "(Level C, Class I (benefit > > >risk))", "(B, Class I)", "(Class 1, Level C)",
// "(Class IIa, level A)", "(Class III: No Benefit, LOE B-R)", "(COR 2a, LOE B-NR)",
// "Level of Evidence: C-EO", Arabic class numbers (1, 2a, 2b, 3), and the same without parentheses
// at the end of a sentence ("... is reasonable. Class IIa, Level B").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace normkit::recognizer {

struct GradingAnnotation {
  size_t begin = 0;     // byte range of the annotation in the text, parentheses included
  size_t end = 0;
  std::string cls;      // canonical class, empty when the annotation has none
  std::string level;    // canonical level, empty when none
  bool canonical_spelling = true;  // false when normalization changed the spelling (reported as a note)
  std::string problem;  // non-empty when a part could not be understood (reported as a warning)
};

// "1" → "I", "2a"/"IIA" → "IIa", "III no benefit" → "III-no-benefit"; nullopt when not a class.
std::optional<std::string> normalize_class(std::string_view written);
// "c" → "C", "B-NR"/"BNR"/"b nr" → "B-NR"; nullopt when not a level.
std::optional<std::string> normalize_level(std::string_view written);

// What earlier searches of the same text learned, for callers that search one text again and
// again from later positions (a block of many recommendations): without it each search would
// look for '(' to the end of the text, and a long line of unparenthesized annotations would take
// quadratic time.
struct GradingScan {
  // No parenthesized annotation starts at or after this offset.
  size_t no_parenthesized_from = static_cast<size_t>(-1);
};

// The first annotation found at or after `from`, or nullopt: a parenthesized one anywhere after
// `from` comes first, else "Class X, Level Y" closing a sentence. Linear in the text scanned;
// with `scan`, successive searches from increasing positions are linear together.
std::optional<GradingAnnotation> find_grading(std::string_view text, size_t from = 0,
                                              GradingScan* scan = nullptr);

// Class named by an ALL-CAPS group heading such as "CLASS IIA RECOMMENDATIONS" or
// "Class III: Harm Recommendations"; nullopt when the text is no such heading.
std::optional<std::string> class_from_heading(std::string_view text);

}  // namespace normkit::recognizer
