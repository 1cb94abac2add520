#include "core/diagnostics.h"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace normkit {

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Byte offset of the 1-based code-point column `col` within `line` (clamped to its length).
size_t byte_offset_of_column(std::string_view line, uint32_t col) {
  if (col <= 1) return 0;
  uint32_t seen = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (!is_continuation(static_cast<unsigned char>(line[i]))) {
      if (++seen == col) return i;
    }
  }
  return line.size();
}

}  // namespace

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "error";
}

// --- LineIndex ------------------------------------------------------------------------------

LineIndex::LineIndex(std::string_view buffer) : buffer_(buffer) {
  starts_.push_back(0);
  const char* const begin = buffer.data();
  const char* const end = begin + buffer.size();
  if (std::memchr(begin, '\r', buffer.size()) == nullptr) {
    // LF only (nearly every file): memchr runs far faster than a byte loop.
    for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr;) {
      ++p;
      starts_.push_back(static_cast<size_t>(p - begin));
    }
    return;
  }
  for (size_t i = 0; i < buffer.size(); ++i) {
    const char c = buffer[i];
    if (c == '\n') {
      starts_.push_back(i + 1);
    } else if (c == '\r') {
      if (i + 1 < buffer.size() && buffer[i + 1] == '\n') ++i;
      starts_.push_back(i + 1);
    }
  }
}

SourceLoc LineIndex::locate(size_t offset) const {
  offset = std::min(offset, buffer_.size());
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const size_t line = static_cast<size_t>(it - starts_.begin());  // 1-based
  const size_t start = starts_[line - 1];
  SourceLoc loc;
  loc.line = static_cast<uint32_t>(line);
  loc.col = count_code_points(buffer_.substr(start, offset - start)) + 1;
  return loc;
}

std::string_view LineIndex::line_text(uint32_t line) const {
  if (line == 0 || line > starts_.size()) return {};
  const size_t start = starts_[line - 1];
  size_t end = line < starts_.size() ? starts_[line] : buffer_.size();
  while (end > start && (buffer_[end - 1] == '\n' || buffer_[end - 1] == '\r')) --end;
  return buffer_.substr(start, end - start);
}

size_t LineIndex::offset_of(SourceLoc loc) const {
  if (loc.line == 0 || loc.line > starts_.size()) return buffer_.size();
  return starts_[loc.line - 1] + byte_offset_of_column(line_text(loc.line), loc.col);
}

// --- Diagnostics ----------------------------------------------------------------------------

std::string clip_source_line(std::string_view line, uint32_t col_bytes, uint32_t* caret_col,
                             size_t width) {
  size_t caret_byte = col_bytes > 0 ? col_bytes - 1 : 0;
  caret_byte = std::min(caret_byte, line.size());
  size_t begin = 0;
  size_t end = line.size();
  if (line.size() > width) {
    begin = caret_byte > width / 2 ? caret_byte - width / 2 : 0;
    end = std::min(line.size(), begin + width);
    while (begin > 0 && begin < line.size() && is_continuation(static_cast<unsigned char>(line[begin])))
      --begin;
    while (end < line.size() && is_continuation(static_cast<unsigned char>(line[end]))) ++end;
  }
  std::string out;
  if (begin > 0) out += "...";
  // Control characters would drive the terminal; show them as '?'.
  for (size_t i = begin; i < end; ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    out += (c < 0x20 && c != '\t') || c == 0x7F ? '?' : static_cast<char>(c);
  }
  if (end < line.size()) out += "...";
  if (caret_col) {
    *caret_col = (begin > 0 ? 3 : 0) +
                 count_code_points(line.substr(begin, caret_byte - std::min(caret_byte, begin))) + 1;
  }
  return out;
}

Diagnostic& Diagnostics::add(Severity severity, std::string code, std::string message,
                             SourceLoc loc) {
  Diagnostic d;
  d.severity = severity;
  d.code = std::move(code);
  d.message = std::move(message);
  d.file = file_;
  d.loc = loc;
  if (index_ && loc.line > 0) {
    std::string_view line = index_->line_text(loc.line);
    const size_t byte_col = byte_of_column(line, loc.line, loc.col) + 1;
    d.source_line = clip_source_line(line, static_cast<uint32_t>(byte_col), &d.caret_col);
  }
  items_.push_back(std::move(d));
  return items_.back();
}

size_t Diagnostics::byte_of_column(std::string_view line, uint32_t line_number, uint32_t col) {
  ColumnCursor& c = column_cursor_;
  if (c.line != line_number || col < c.col || c.byte > line.size()) c = {line_number, 1, 0};
  if (col <= 1) return 0;
  // c.byte starts code point c.col (or is the line's end); step to the start of code point col.
  size_t i = c.byte;
  uint32_t seen = c.col;
  while (seen < col && i < line.size()) {
    ++i;
    while (i < line.size() && is_continuation(static_cast<unsigned char>(line[i]))) ++i;
    ++seen;
  }
  c.col = seen;
  c.byte = i;
  return i;
}

size_t Diagnostics::count(Severity s) const {
  return static_cast<size_t>(
      std::count_if(items_.begin(), items_.end(), [&](const Diagnostic& d) { return d.severity == s; }));
}

void Diagnostics::merge(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

std::string format_text(const Diagnostic& d) {
  std::string out;
  if (d.file.empty()) {
    out += "normkit";
  } else {
    out += d.file;
    if (d.loc.line > 0) {
      out += ':' + std::to_string(d.loc.line);
      if (d.loc.col > 0) out += ':' + std::to_string(d.loc.col);
    }
  }
  out += ": ";
  out += to_string(d.severity);
  out += ": ";
  out += d.message;
  if (!d.code.empty()) out += " [" + d.code + "]";
  out += '\n';
  if (!d.source_line.empty() || d.caret_col > 0) {
    out += d.source_line;
    out += '\n';
    if (d.caret_col > 0) {
      // Reproduce tabs so the caret lines up in a terminal.
      uint32_t col = 1;
      for (size_t i = 0; i < d.source_line.size() && col < d.caret_col; ++i) {
        const unsigned char c = static_cast<unsigned char>(d.source_line[i]);
        if (is_continuation(c)) continue;
        out += c == '\t' ? '\t' : ' ';
        ++col;
      }
      out += "^\n";
    }
  }
  return out;
}

std::string format_json(const std::vector<Diagnostic>& items) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const Diagnostic& d : items) {
    nlohmann::ordered_json j;
    j["severity"] = std::string(to_string(d.severity));
    j["code"] = d.code;
    j["message"] = d.message;
    j["file"] = d.file;
    j["line"] = d.loc.line;
    j["col"] = d.loc.col;
    if (!d.source_line.empty()) j["source"] = d.source_line;
    arr.push_back(std::move(j));
  }
  return arr.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace normkit
