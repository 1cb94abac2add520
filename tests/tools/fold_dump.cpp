// normkit-fold-dump: reads a JSON array of strings on standard input and prints, for each, the
// search terms the site's index builder makes of it (generators/site/search_text.h). The browser
// test compares these with what site/search.js makes of the same strings in node and Chromium.
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "generators/site/search_text.h"

int main() {
  const std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  const nlohmann::json texts = nlohmann::json::parse(input, nullptr, false);
  if (!texts.is_array()) {
    std::cerr << "normkit-fold-dump: expected a JSON array of strings\n";
    return 2;
  }
  normkit::site::Segmenter segmenter;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : texts) {
    if (!t.is_string()) return 2;
    out.push_back(segmenter.terms(t.get<std::string>()));
  }
  std::cout << out.dump() << "\n";
  return 0;
}
