// Escaping for the website, in one place per output context. Every byte of corpus text that
// reaches a page or a search-index file goes through one of these functions; nothing else in
// generators/site writes corpus text into markup.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace normkit::site {

// HTML character data: & < > " ' become character references; C0 controls other than tab, LF
// and CR (and DEL) become U+FFFD, so no text can open a tag, close a <textarea> or a <script>.
void append_html_text(std::string& out, std::string_view s);

// A double-quoted HTML attribute value: the same escapes as text, and tab/LF/CR as references.
void append_html_attr(std::string& out, std::string_view s);

// A link target taken from a source document: nullopt when its scheme is dangerous
// (javascript:, data:, vbscript:, file:; see core/validate.h is_unsafe_url) or when it is empty.
// The result still has to go through append_html_attr.
std::optional<std::string> safe_link_target(std::string_view url);

// A JSON string literal, quotes included, safe inside a <script> element and in a .js file:
// '<', '>', '&', U+2028 and U+2029 are written as \u escapes.
void append_json_string(std::string& out, std::string_view s);

// Convenience wrappers returning a new string.
std::string html_text(std::string_view s);
std::string html_attr(std::string_view s);

}  // namespace normkit::site
