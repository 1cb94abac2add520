// Every output normkit generates, in two tables:
//  - writers turn one document into one file (normkit convert -t NAME);
//  - generators turn a whole corpus into a tree of files (normkit build writes each one's tree
//    under its subdirectory of the output).
// Generators never touch the file system themselves: they fill an OutputTree, which the CLI
// points at a staging directory (files are written as they are added) and swaps in atomically. To add an output: write generators/<name>/..., add one line to a table in
// registry.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/corpus.h"
#include "core/diagnostics.h"
#include "core/io.h"
#include "core/model.h"

namespace normkit {

struct GeneratorOptions {
  std::string normkit_version;            // written into outputs that record their generator
  std::optional<int64_t> source_date_epoch;  // SOURCE_DATE_EPOCH; unset: no timestamps at all
  unsigned threads = 2;                   // worker threads a generator may use
};

// YYYY-MM-DD of SOURCE_DATE_EPOCH seconds, in UTC: the one date format outputs stamp.
std::string utc_date(int64_t epoch_seconds);

using WriteFn = std::optional<std::string> (*)(const Document& doc, Diagnostics& diags);
using GenerateFn = bool (*)(const Corpus& corpus, const GeneratorOptions& options, OutputTree& out,
                            Diagnostics& diags);

struct WriterEntry {
  std::string_view name;       // -t NAME
  std::string_view extension;  // ".xml"
  std::string_view description;
  WriteFn write;
};

struct GeneratorEntry {
  std::string_view name;         // "site", "markdown", "bundle"
  std::string_view subdir;       // where normkit build puts its tree ("" = the root)
  std::string_view description;
  GenerateFn generate;
};

const std::vector<WriterEntry>& writers();
const WriterEntry* find_writer(std::string_view name);
const std::vector<GeneratorEntry>& generators();
const GeneratorEntry* find_generator(std::string_view name);

}  // namespace normkit
