// The hand-written CSS and JavaScript of site/, compiled into the binary at build time
// (scripts/embed-files.cmake) so that normkit works from any directory.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace normkit::site {

// (file name under site/, contents), sorted by name.
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_site_assets();

}  // namespace normkit::site
