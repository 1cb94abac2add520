// normkit convert INPUT [-f FROM] -t TO [-o OUT]: any registered reader, any registered writer.
#include <filesystem>

#include "cli/cli.h"
#include "core/io.h"
#include "core/validate.h"
#include "generators/registry.h"
#include "parsers/registry.h"

namespace normkit::cli {

int run_convert(const ParsedArgs& args, Context& ctx) {
  if (args.positional.size() != 1) {
    ctx.err << "normkit convert: error: name exactly one input file\n";
    return kExitUsage;
  }
  const WriterEntry* writer = find_writer(args.value("-t"));
  if (!writer) {
    ctx.err << "normkit convert: error: -t must name an output format:";
    for (const WriterEntry& w : writers()) ctx.err << " " << w.name;
    ctx.err << "\n";
    return kExitUsage;
  }
  const std::string input = args.positional[0];
  Diagnostics diags;
  diags.set_file(input);
  std::optional<std::string> bytes = read_file(input, diags);
  if (!bytes) {
    report(diags, ctx);
    return exit_code_for(diags);
  }
  const ReaderEntry* reader = args.values.count("-f") ? find_reader(args.value("-f"))
                                                      : detect_reader(input, *bytes);
  if (!reader) {
    ctx.err << "normkit convert: error: "
            << (args.values.count("-f") ? "unknown input format '" + args.value("-f") + "'"
                                        : "cannot tell the format of '" + input + "' (use -f)")
            << "\n";
    return kExitUsage;
  }
  ReaderOptions options;
  options.source_name = std::filesystem::path(input).filename().string();
  options.work = args.value("--work");
  options.edition = args.value("--edition");
  LineIndex lines(*bytes);
  diags.set_source(&lines);
  std::optional<Document> doc = reader->read(*bytes, options, diags);
  if (doc) check_integrity(*doc, diags);
  std::optional<std::string> out;
  if (doc && !diags.has_errors()) out = writer->write(*doc, diags);
  diags.set_source(nullptr);
  if (out) {
    const std::string target = args.value("-o", "-");
    if (target == "-") ctx.out << *out;
    else write_file_atomic(target, *out, diags);
  }
  report(diags, ctx);
  return exit_code_for(diags);
}

}  // namespace normkit::cli
