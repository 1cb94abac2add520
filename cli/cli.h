// The normkit command line: one table of subcommands (commands.cpp), shared option parsing,
// diagnostics printing and exit codes.
#pragma once

#include <map>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"

namespace normkit::cli {

// Exit codes, as documented in README.md.
enum ExitCode : int {
  kExitOk = 0,        // success; warnings may have been printed
  kExitFindings = 1,  // the input has errors (or fmt --check found a file to reformat)
  kExitUsage = 2,     // the command line is wrong
  kExitIo = 3,        // a file could not be read or written
  kExitInternal = 4,  // a bug in normkit: please report it
};

struct OptionSpec {
  std::string_view name;  // "--format", "-o"
  bool takes_value;
  std::string_view help;
};

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;
  std::set<std::string> flags;
  bool has(const std::string& flag) const { return flags.count(flag) > 0; }
  std::string value(const std::string& name, const std::string& fallback = "") const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
};

enum class OutputFormat { Text, Json };

struct Context {
  std::ostream& out;
  std::ostream& err;
  OutputFormat format = OutputFormat::Text;
};

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for `normkit help`
  std::string_view usage;    // "normkit validate FILE|DIR..."
  std::string_view details;  // paragraphs for `normkit CMD --help`
  std::vector<OptionSpec> options;
  int (*run)(const ParsedArgs& args, Context& ctx);
};

const std::vector<Command>& commands();

// Runs the CLI on `args` (without the program name). Never throws.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// Prints findings (text to ctx.err, or a JSON array to ctx.out) and a summary line in text mode.
// Returns kExitFindings when any error was reported, else kExitOk.
int report(const Diagnostics& diags, Context& ctx);

// The exit code a diagnostics list deserves: kExitIo when every error is an I/O error.
int exit_code_for(const Diagnostics& diags);

std::string_view normkit_version();

}  // namespace normkit::cli
