#include "parsers/markdown/front_matter.h"

namespace normkit::markdown {

namespace {

struct Line {
  std::string_view text;  // without the terminator (and without a trailing CR)
  size_t next = 0;        // offset of the following line
};

Line fm_line_at(std::string_view text, size_t pos) {
  size_t end = text.find('\n', pos);
  const size_t next = end == std::string_view::npos ? text.size() : end + 1;
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(pos, end - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return {line, next};
}

std::string_view fm_trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool fm_is_fence(std::string_view line, bool closing) {
  line = fm_trim(line);
  return line == "---" || (closing && line == "...");
}

// A scalar: double-quoted with escapes, or plain with a " #" comment removed.
bool fm_scalar(std::string_view raw, std::string& out, std::string& problem) {
  raw = fm_trim(raw);
  out.clear();
  if (!raw.empty() && raw.front() == '"') {
    size_t i = 1;
    for (; i < raw.size() && raw[i] != '"'; ++i) {
      if (raw[i] != '\\') {
        out += raw[i];
        continue;
      }
      if (++i >= raw.size()) break;
      switch (raw[i]) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        default:
          problem = "unknown escape '\\" + std::string(1, raw[i]) + "' in a quoted value";
          return false;
      }
    }
    if (i >= raw.size()) {
      problem = "unterminated quoted value";
      return false;
    }
    std::string_view rest = fm_trim(raw.substr(i + 1));
    if (!rest.empty() && rest.front() != '#') {
      problem = "text after a quoted value";
      return false;
    }
    return true;
  }
  if (!raw.empty() && (raw.front() == '\'' || raw.front() == '[' || raw.front() == '{' ||
                       raw.front() == '&' || raw.front() == '*' || raw.front() == '|' ||
                       raw.front() == '>' || raw.front() == '!')) {
    problem = "unsupported YAML value (use a plain or double-quoted value)";
    return false;
  }
  if (const size_t hash = raw.find(" #"); hash != std::string_view::npos) raw = fm_trim(raw.substr(0, hash));
  out.assign(raw);
  return true;
}

bool fm_is_key(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  for (char c : key)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_'))
      return false;
  return true;
}

}  // namespace

bool parse_scalar(std::string_view raw, std::string& out, std::string& problem) {
  return fm_scalar(raw, out, problem);
}

FrontMatter parse_front_matter(std::string_view text) {
  FrontMatter fm;
  Line first = fm_line_at(text, 0);
  if (!fm_is_fence(first.text, false) || fm_trim(first.text) != "---") return fm;
  fm.present = true;
  size_t pos = first.next;
  uint32_t line_no = 2;
  FrontMatterEntry* open_list = nullptr;
  for (size_t seen = 0; pos < text.size() && seen < kMaxFrontMatterLines; ++seen, ++line_no) {
    Line line = fm_line_at(text, pos);
    pos = line.next;
    if (fm_is_fence(line.text, true) && !line.text.empty() && line.text[0] != ' ') {
      fm.closed = true;
      fm.body_offset = pos;
      fm.body_first_line = line_no + 1;
      return fm;
    }
    std::string_view t = fm_trim(line.text);
    if (t.empty() || t.front() == '#') continue;
    std::string problem;
    if (line.text.front() == ' ' || line.text.front() == '\t' || t.front() == '-') {
      if (t.front() != '-' || (t.size() > 1 && t[1] != ' ')) {
        fm.problems.push_back({line_no, "unsupported indented line (only '- value' list items)"});
        continue;
      }
      if (!open_list) {
        fm.problems.push_back({line_no, "list item without a 'key:' line above it"});
        continue;
      }
      std::string value;
      if (!fm_scalar(t.substr(1), value, problem)) {
        fm.problems.push_back({line_no, problem});
        continue;
      }
      open_list->items.push_back(std::move(value));
      continue;
    }
    const size_t colon = t.find(':');
    if (colon == std::string_view::npos || !fm_is_key(t.substr(0, colon)) ||
        (colon + 1 < t.size() && t[colon + 1] != ' ' && t[colon + 1] != '\t')) {
      fm.problems.push_back({line_no, "expected 'key: value'"});
      open_list = nullptr;
      continue;
    }
    FrontMatterEntry entry;
    entry.key.assign(t.substr(0, colon));
    entry.line = line_no;
    std::string_view rest = fm_trim(t.substr(colon + 1));
    if (rest.empty() || rest.front() == '#') {
      entry.is_list = true;
    } else if (!fm_scalar(rest, entry.value, problem)) {
      fm.problems.push_back({line_no, problem});
      open_list = nullptr;
      continue;
    }
    fm.entries.push_back(std::move(entry));
    open_list = fm.entries.back().is_list ? &fm.entries.back() : nullptr;
  }
  if (pos < text.size()) {
    fm.problems.push_back({line_no, "front matter longer than " +
                                        std::to_string(kMaxFrontMatterLines) + " lines"});
  }
  // No closing fence: not front matter after all; the body starts at the top.
  fm.entries.clear();
  fm.body_offset = 0;
  fm.body_first_line = 1;
  return fm;
}

std::string yaml_scalar(std::string_view value) {
  bool plain = !value.empty() && value.front() != ' ' && value.back() != ' ';
  for (char c : value)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ' ' || c == '.' || c == '-' ||
          c == '(' || c == ')' || c == '/' || c == '_' || c == ',' || (c >= '0' && c <= '9') ||
          static_cast<unsigned char>(c) >= 0x80))
      plain = false;
  // Values that YAML would read as numbers or dates stay strings when quoted.
  if (plain && ((value.front() >= '0' && value.front() <= '9') || value.front() == '-' ||
                value.front() == '.'))
    plain = false;
  if (plain) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\t') {
      out += "\\t";
      continue;
    }
    out += c;
  }
  out += '"';
  return out;
}

void split_name_abbrev(std::string_view text, std::string& name, std::string& abbrev) {
  text = fm_trim(text);
  name.assign(text);
  abbrev.clear();
  if (text.empty() || text.back() != ')') return;
  const size_t open = text.rfind('(');
  if (open == std::string_view::npos || open == 0) return;
  std::string_view inner = text.substr(open + 1, text.size() - open - 2);
  if (inner.empty() || inner.find(' ') != std::string_view::npos) return;
  abbrev.assign(inner);
  name.assign(fm_trim(text.substr(0, open)));
}

}  // namespace normkit::markdown
