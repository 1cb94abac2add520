// One type for every finding normkit reports: fatal errors, warnings and notes.
//
// Text form (ninja/clang style), one finding:
//   corpus/x/2017.xml:12:5: error: duplicate id 'standard-1.1' [duplicate-id]
//     <provision id="standard-1.1" ...
//       ^
// JSON form (--format json): an array of objects with severity, code, message, file, line, col.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace normkit {

enum class Severity : uint8_t {
  Note,     // information: what was decided, nothing wrong
  Warning,  // lossy or uncertain conversion, editorial problem; output is still produced
  Error,    // fatal for this input: no valid output for it
};

std::string_view to_string(Severity);

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;     // stable, kebab-case: "xml-syntax", "duplicate-id", ...
  std::string message;  // one sentence, no trailing period
  std::string file;     // as the user named it; empty when not about a file
  SourceLoc loc;        // line 0: no position known
  std::string source_line;  // the line at loc (already clipped to a window around col)
  uint32_t caret_col = 0;   // column of the caret within source_line (1-based); 0: none
};

// Where a byte offset lies in a buffer; builds a line-start index once, then O(log n) per query.
class LineIndex {
 public:
  explicit LineIndex(std::string_view buffer);
  // The same index from the starts a reader's own scan of `buffer` found (exactly those the
  // constructor above finds: 0 first, then the offset after each "\n", "\r\n" or lone "\r").
  LineIndex(std::string_view buffer, std::vector<size_t> starts) : buffer_(buffer), starts_(std::move(starts)) {}
  SourceLoc locate(size_t offset) const;  // column counts UTF-8 code points
  size_t offset_of(SourceLoc loc) const;  // start of the line + (col-1) code points
  // The text of line `line` (1-based) without its terminator.
  std::string_view line_text(uint32_t line) const;

 private:
  std::string_view buffer_;
  std::vector<size_t> starts_;
};

// Collects findings for one run. Cheap to pass by reference into parsers and generators.
class Diagnostics {
 public:
  // Attaches a default file name to the findings added after it (until changed).
  void set_file(std::string file) { file_ = std::move(file); }
  const std::string& file() const { return file_; }
  // Attaches the source buffer so findings with a location get their source line and caret.
  void set_source(const LineIndex* index) {
    index_ = index;
    column_cursor_ = {};
  }
  const LineIndex* source() const { return index_; }

  Diagnostic& add(Severity, std::string code, std::string message, SourceLoc loc = {});
  Diagnostic& error(std::string code, std::string message, SourceLoc loc = {}) {
    return add(Severity::Error, std::move(code), std::move(message), loc);
  }
  Diagnostic& warning(std::string code, std::string message, SourceLoc loc = {}) {
    return add(Severity::Warning, std::move(code), std::move(message), loc);
  }
  Diagnostic& note(std::string code, std::string message, SourceLoc loc = {}) {
    return add(Severity::Note, std::move(code), std::move(message), loc);
  }

  // Appends a finding as it is (file and source line already filled in).
  void push(Diagnostic d) { items_.push_back(std::move(d)); }
  const std::vector<Diagnostic>& all() const { return items_; }
  size_t count(Severity) const;
  bool has_errors() const { return count(Severity::Error) > 0; }
  void clear() { items_.clear(); }
  // Appends another collection's findings.
  void merge(const Diagnostics& other);

 private:
  // Byte offset of code-point column `col` of `line`: from the last position found when it is on
  // the same line and not before it, so a reader reporting along one long line (a 200 MB file
  // with no line breaks) scans the line once, not once per finding.
  size_t byte_of_column(std::string_view line, uint32_t line_number, uint32_t col);

  std::vector<Diagnostic> items_;
  std::string file_;
  const LineIndex* index_ = nullptr;
  struct ColumnCursor {
    uint32_t line = 0;  // 0: none yet
    uint32_t col = 1;
    size_t byte = 0;
  } column_cursor_;
};

// Clips `line` to at most `width` bytes around byte column `col` (both 1-based) on UTF-8
// boundaries, so a 200 MB one-line file never prints 200 MB; returns the caret column.
std::string clip_source_line(std::string_view line, uint32_t col_bytes, uint32_t* caret_col,
                             size_t width = 100);

std::string format_text(const Diagnostic&);
std::string format_json(const std::vector<Diagnostic>&);

}  // namespace normkit
