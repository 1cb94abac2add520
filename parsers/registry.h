// Every input format normkit reads, in one table. A reader gets bytes and options, never the
// file system or the network, and returns a Document (or nullopt after reporting an error).
// To add a format: write parsers/<format>/..., add one line to the table in registry.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/model.h"

namespace normkit {

struct ReaderOptions {
  std::string source_name;  // base name of the input, recorded in <source file="...">
  std::string work;         // --work: work id; empty: the reader derives one from the title
  std::string edition;      // --edition; empty: the reader derives one (a year) or uses "1"
  std::string url;          // where the source was published, when known
};

using ReadFn = std::optional<Document> (*)(std::string_view bytes, const ReaderOptions& options,
                                           Diagnostics& diags);
// Scores how much `bytes` look like this format (0: not at all, 100: certainly).
using SniffFn = int (*)(std::string_view bytes);

struct ReaderEntry {
  std::string_view name;                     // --from NAME
  std::vector<std::string_view> extensions;  // file name endings it claims: ".txt"
  std::string_view description;
  ReadFn read;
  SniffFn sniff;
};

const std::vector<ReaderEntry>& readers();
const ReaderEntry* find_reader(std::string_view name);
// Picks a reader by file name ending, then by content sniffing; nullptr when none fits.
const ReaderEntry* detect_reader(std::string_view file_name, std::string_view bytes);

}  // namespace normkit
