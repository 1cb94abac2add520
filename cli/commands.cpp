// The table of normkit subcommands: one line each. A command lives in cli/cmd_<name>.cpp.
#include "cli/cli.h"

namespace normkit::cli {

int run_validate(const ParsedArgs&, Context&);
int run_fmt(const ParsedArgs&, Context&);

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"validate", "check canonical XML documents: schema and integrity rules",
       "normkit validate [--strict] FILE|DIR...",
       "Checks each file (directories are searched for *.xml) against the normkit RELAX NG schema\n"
       "and the integrity rules: unique safe ids, resolved term mentions and cross-references,\n"
       "declared keywords, no duplicate numbering. Exit 1 when any file has an error.",
       {{"--strict", false, "treat warnings as errors"}},
       run_validate},
      {"fmt", "rewrite canonical XML documents in canonical form",
       "normkit fmt [--check] FILE|DIR...",
       "Rewrites each file in canonical form (attribute order, 2-space indent, NFC, LF, final\n"
       "newline) and fills in missing ids, positional ids and labels. Files are replaced\n"
       "atomically; a file with errors is left untouched. With --check nothing is written: exit 1\n"
       "lists the files that are not canonical.",
       {{"--check", false, "write nothing; exit 1 when a file is not in canonical form"}},
       run_fmt},
  };
  return table;
}

std::string_view normkit_version() { return NORMKIT_VERSION; }

}  // namespace normkit::cli
