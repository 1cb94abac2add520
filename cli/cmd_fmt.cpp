// normkit fmt [--check] FILE|DIR...
#include "cli/cli.h"
#include "core/ids.h"
#include "core/io.h"
#include "core/validate.h"
#include "core/xml_reader.h"
#include "core/xml_writer.h"

namespace normkit::cli {

int run_fmt(const ParsedArgs& args, Context& ctx) {
  if (args.positional.empty()) {
    ctx.err << "normkit fmt: error: name at least one file or directory\n";
    return kExitUsage;
  }
  const bool check = args.has("--check");
  Diagnostics diags;
  size_t changed = 0, files = 0;
  for (const auto& path : collect_files(args.positional, {".xml"}, diags)) {
    ++files;
    diags.set_file(path.string());
    std::optional<std::string> bytes = read_file(path, diags);
    if (!bytes) continue;
    const size_t errors_before = diags.count(Severity::Error);
    LineIndex lines(*bytes);
    diags.set_source(&lines);
    std::optional<Document> doc = read_canonical_xml(*bytes, diags);
    if (doc) {
      assign_identity(*doc, &diags);
      check_integrity(*doc, diags);
    }
    diags.set_source(nullptr);
    if (!doc || diags.count(Severity::Error) > errors_before) continue;  // never rewrite a broken file
    const std::string canonical = write_canonical_xml(*doc);
    if (canonical == *bytes) continue;
    ++changed;
    if (check) {
      diags.error("not-canonical", "not in canonical form (run normkit fmt)");
    } else if (write_file_atomic(path, canonical, diags)) {
      diags.note("formatted", "rewritten in canonical form");
    }
  }
  report(diags, ctx);
  if (ctx.format == OutputFormat::Text)
    ctx.err << "normkit fmt: " << files << " file(s), " << changed
            << (check ? " not canonical" : " rewritten") << ", " << diags.count(Severity::Error)
            << " error(s)\n";
  return exit_code_for(diags);
}

}  // namespace normkit::cli
