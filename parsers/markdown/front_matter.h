// The front-matter block of a normkit Markdown file: a small, documented YAML subset
// (docs/authoring.md), written by the Markdown generator and read by the Markdown reader.
//
//   ---
//   work: sample-perfusion-practice
//   edition: "2017"
//   type: standards-and-guidelines
//   title: "Standards and Guidelines for Sample Perfusion Practice"
//   organizations:
//     - author: Example Society of Perfusion (ESP)
//   dates:
//     - published: "2017-05-01"
//   ---
//
// Accepted: `key: scalar` lines at the top level, and `key:` followed by indented `- scalar`
// items. A scalar is plain (up to the end of the line, a ` #` comment removed) or double-quoted
// with \" \\ \n \t escapes. Nothing else of YAML (anchors, flow collections, multi-line
// scalars, tags) is accepted: such lines are reported and skipped. Bounded: at most
// kMaxFrontMatterLines lines are looked at.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace normkit::markdown {

inline constexpr size_t kMaxFrontMatterLines = 1000;

struct FrontMatterEntry {
  std::string key;
  std::string value;               // scalar value; empty for a list
  std::vector<std::string> items;  // list items
  bool is_list = false;
  uint32_t line = 0;  // 1-based line of the key
};

struct FrontMatterProblem {
  uint32_t line = 0;
  std::string message;
};

struct FrontMatter {
  bool present = false;        // the input starts with a '---' line
  bool closed = false;         // ... and a closing '---' (or '...') line was found
  size_t body_offset = 0;      // byte offset where the Markdown body starts
  uint32_t body_first_line = 1;  // its 1-based line number
  std::vector<FrontMatterEntry> entries;
  std::vector<FrontMatterProblem> problems;
};

// Parses a front-matter block at the very start of `text` (UTF-8, BOM already removed).
FrontMatter parse_front_matter(std::string_view text);

// A plain or double-quoted scalar (see above); false with `problem` set when it is malformed.
bool parse_scalar(std::string_view raw, std::string& out, std::string& problem);

// A scalar as the writer puts it: plain when that reads back unchanged, else double-quoted.
std::string yaml_scalar(std::string_view value);

// "Example Society of Perfusion (ESP)" → name and abbreviation; abbrev empty when none.
void split_name_abbrev(std::string_view text, std::string& name, std::string& abbrev);

}  // namespace normkit::markdown
