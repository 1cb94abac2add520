// Helpers of the structure recognizer (structure.cpp) that its tests reach directly.
#pragma once

#include <string_view>

namespace normkit::recognizer {

// Which words of page-furniture headings a short text holds, case-insensitively (ASCII), as
// contains_ci finds them: "in this section" or "navigation"; "membership", "become a member" or
// "join "; "employment" or "career". One pass over the text instead of a search per word.
struct FurnitureWords {
  bool navigation = false;
  bool membership = false;
  bool employment = false;
};
FurnitureWords furniture_words(std::string_view text);

}  // namespace normkit::recognizer
