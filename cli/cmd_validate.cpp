// normkit validate FILE|DIR...
#include "cli/cli.h"
#include "core/corpus.h"

namespace normkit::cli {

int run_validate(const ParsedArgs& args, Context& ctx) {
  if (args.positional.empty()) {
    ctx.err << "normkit validate: error: name at least one file or directory\n";
    return kExitUsage;
  }
  Diagnostics diags;
  Corpus corpus;
  size_t skipped = 0;
  LoadOptions options;
  options.skipped = &skipped;
  load_corpus(args.positional, corpus, diags, options);
  if (args.has("--strict")) {
    Diagnostics strict;
    for (Diagnostic d : diags.all()) {
      if (d.severity == Severity::Warning) d.severity = Severity::Error;
      strict.push(std::move(d));
    }
    diags = strict;
  }
  report(diags, ctx);
  if (ctx.format == OutputFormat::Text) {
    ctx.err << "normkit validate: " << corpus.documents.size() << " valid document"
            << (corpus.documents.size() == 1 ? "" : "s") << ", " << diags.count(Severity::Error)
            << " error(s), " << diags.count(Severity::Warning) << " warning(s)";
    if (skipped) ctx.err << "; " << skipped << " file(s) skipped (not .xml)";
    ctx.err << "\n";
  }
  return exit_code_for(diags);
}

}  // namespace normkit::cli
