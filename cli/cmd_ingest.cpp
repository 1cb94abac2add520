// normkit ingest SOURCE [--from FORMAT] [--work ID] [--edition ED] [--previous OLD.xml] [-o OUT.xml]
#include <filesystem>

#include "cli/cli.h"
#include "core/io.h"
#include "core/text.h"
#include "core/editions.h"
#include "core/validate.h"
#include "core/xml_writer.h"
#include "parsers/registry.h"

namespace normkit::cli {

namespace {

bool is_work_id(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
    if (!ok) return false;
  }
  return true;
}

bool is_edition(const std::string& s) {
  if (s.empty() || s.size() > 32) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

}  // namespace

int run_ingest(const ParsedArgs& args, Context& ctx) {
  if (args.positional.size() != 1) {
    ctx.err << "normkit ingest: error: name exactly one source file\n";
    return kExitUsage;
  }
  const std::string work = args.value("--work");
  const std::string edition = args.value("--edition");
  if (!work.empty() && !is_work_id(work)) {
    ctx.err << "normkit ingest: error: --work must be lower-case letters, digits and '-' (at most 64)\n";
    return kExitUsage;
  }
  if (!edition.empty() && !is_edition(edition)) {
    ctx.err << "normkit ingest: error: --edition must be letters, digits, '.', '_' or '-' (at most 32)\n";
    return kExitUsage;
  }
  const std::string from = args.value("--from");
  if (!from.empty() && !find_reader(from)) {
    ctx.err << "normkit ingest: error: unknown format '" << from << "'; known:";
    for (const ReaderEntry& r : readers()) ctx.err << " " << r.name;
    ctx.err << "\n";
    return kExitUsage;
  }

  const std::string out_path = args.value("-o");
  if (ctx.format == OutputFormat::Json && (out_path.empty() || out_path == "-")) {
    ctx.err << "normkit ingest: error: --format json prints findings on standard output; write the document with -o\n";
    return kExitUsage;
  }
  const std::filesystem::path source = args.positional[0];
  Diagnostics diags;
  diags.set_file(source.string());
  std::optional<std::string> bytes = read_file(source, diags);
  if (!bytes) {
    report(diags, ctx);
    return exit_code_for(diags);
  }
  const ReaderEntry* reader = from.empty() ? detect_reader(source.filename().string(), *bytes) : find_reader(from);
  if (!reader) {
    diags.error("unknown-format", "cannot tell the format of this file; name it with --from");
    report(diags, ctx);
    return kExitFindings;
  }
  if (from.empty()) diags.note("format", "read as " + std::string(reader->name) + " (" + std::string(reader->description) + ")");

  // The previous edition, when given, lends its work id and its permanent ids.
  std::optional<Document> previous;
  const std::string previous_path = args.value("--previous");
  if (!previous_path.empty()) {
    Diagnostics prev_diags;
    prev_diags.set_file(previous_path);
    if (std::optional<std::string> prev_bytes = read_file(previous_path, prev_diags))
      previous = read_and_check_document(*prev_bytes, prev_diags);
    if (!previous) {
      report(prev_diags, ctx);
      if (ctx.format == OutputFormat::Text) ctx.err << "normkit ingest: the previous edition must be a valid document\n";
      return exit_code_for(prev_diags) == kExitIo ? kExitIo : kExitFindings;
    }
  }

  ReaderOptions options;
  options.source_name = source.filename().string();
  options.work = work.empty() && previous ? previous->work : work;
  options.edition = edition;
  std::optional<Document> doc = reader->read(*bytes, options, diags);
  bytes.reset();  // the source is no longer needed: keep peak memory down on big inputs
  if (!doc || diags.has_errors()) {
    report(diags, ctx);
    if (ctx.format == OutputFormat::Text) ctx.err << "normkit ingest: no document written\n";
    return exit_code_for(diags);
  }
  if (previous) {
    if (previous->edition == doc->edition)
      diags.warning("same-edition", "the previous edition is also edition '" + doc->edition + "'; set --edition");
    carry_identity(*previous, *doc, diags);
  }
  // The reader's output must satisfy the integrity rules; anything else is a normkit bug.
  Diagnostics integrity;
  check_integrity(*doc, integrity);
  if (integrity.has_errors()) {
    for (const Diagnostic& d : integrity.all()) {
      Diagnostic copy = d;
      copy.file = source.string();
      copy.message = "internal: recognized document breaks an integrity rule: " + copy.message;
      diags.push(std::move(copy));
    }
    report(diags, ctx);
    return kExitInternal;
  }
  const std::string xml = write_canonical_xml(*doc);
  const DocumentStats stats = compute_stats(*doc);
  if (out_path.empty() || out_path == "-") {
    ctx.out << xml;
  } else {
    Diagnostics write_diags;
    write_diags.set_file(out_path);
    if (!write_file_atomic(out_path, xml, write_diags)) {
      report(diags, ctx);
      report(write_diags, ctx);
      return kExitIo;
    }
  }
  report(diags, ctx);
  if (ctx.format == OutputFormat::Text) {
    ctx.err << "normkit ingest: " << source.string() << " -> " << (out_path.empty() ? "stdout" : out_path) << ": "
            << to_string(doc->type) << " '" << doc->work << "' edition " << doc->edition << "; "
            << stats.sections << " section(s), " << stats.standards << " standard(s), " << stats.guidelines
            << " guideline(s), " << stats.recommendations << " recommendation(s), " << stats.other_provisions
            << " other provision(s), " << stats.definitions << " definition(s), " << doc->catalog.size()
            << " catalog entr" << (doc->catalog.size() == 1 ? "y" : "ies") << ", " << stats.furniture
            << " furniture block(s); " << diags.count(Severity::Warning) << " warning(s)\n";
  }
  return kExitOk;
}

}  // namespace normkit::cli
