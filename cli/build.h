// Shared by the commands that run generators (build, bundle, ...).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "generators/registry.h"

namespace normkit::cli {

// Loads the corpus, runs `selected` generators, commits the merged tree to `out_dir` atomically.
// `use_subdirs`: put each generator's files under its subdir (normkit build) or at the root.
int run_generators(const std::vector<std::string>& corpus_args, const std::string& out_dir,
                   const std::vector<const GeneratorEntry*>& selected, bool use_subdirs,
                   bool check_schema, Context& ctx);

// SOURCE_DATE_EPOCH, when set to a whole number of seconds.
std::optional<int64_t> source_date_epoch(Diagnostics& diags);

}  // namespace normkit::cli
