#include "generators/site/escape.h"

#include "core/validate.h"

namespace normkit::site {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool needs_escape(unsigned char c) {
  return c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' || c < 0x20 || c == 0x7F;
}

void append_escaped(std::string& out, std::string_view s, bool attribute) {
  size_t run = 0;  // start of the pending run of characters that need no escape
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (!needs_escape(static_cast<unsigned char>(c))) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\r': out += attribute ? "&#13;" : "\r"; break;
      default: out += kReplacement;  // forbidden control character
    }
  }
  out.append(s.data() + run, s.size() - run);
}

}  // namespace

void append_html_text(std::string& out, std::string_view s) { append_escaped(out, s, false); }
void append_html_attr(std::string& out, std::string_view s) { append_escaped(out, s, true); }

std::string html_text(std::string_view s) {
  std::string out;
  append_html_text(out, s);
  return out;
}

std::string html_attr(std::string_view s) {
  std::string out;
  append_html_attr(out, s);
  return out;
}

std::optional<std::string> safe_link_target(std::string_view url) {
  if (url.empty() || is_unsafe_url(url)) return std::nullopt;
  // Control characters inside a URL serve no honest purpose and can hide a scheme from
  // simple checks; refuse them too.
  for (char c : url)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return std::nullopt;
  return std::string(url);
}

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7F || c == '<' || c == '>' || c == '&') {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      // U+2028 / U+2029 end a line in older JavaScript parsers.
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

}  // namespace normkit::site
