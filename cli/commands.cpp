// The table of normkit subcommands: one line each. A command lives in cli/cmd_<name>.cpp.
#include "cli/cli.h"

namespace normkit::cli {

int run_validate(const ParsedArgs&, Context&);
int run_fmt(const ParsedArgs&, Context&);
int run_build(const ParsedArgs&, Context&);
int run_diff(const ParsedArgs&, Context&);
int run_bundle(const ParsedArgs&, Context&);
int run_query(const ParsedArgs&, Context&);
int run_convert(const ParsedArgs&, Context&);
int run_ingest(const ParsedArgs&, Context&);

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
      {"build", "generate every output (site, Markdown, bundles) from a corpus",
       "normkit build CORPUS_DIR... -o OUT_DIR [--only NAME,...]",
       "Loads every *.xml document under the corpus directories (strict reader plus integrity\n"
       "rules; add --validate-schema for the RELAX NG check as well), runs each generator of\n"
       "generators/registry.cpp and writes its files under OUT_DIR/<subdir>. The output is built in a\n"
       "temporary directory and swapped in at the end: a failed build leaves OUT_DIR as it was.\n"
       "Output is byte-identical for the same input; set SOURCE_DATE_EPOCH to stamp dates.",
       {{"-o", true, "output directory (replaced atomically)"},
        {"--only", true, "comma-separated generator names to run (default: all)"},
        {"--validate-schema", false, "also validate each document against the RELAX NG schema"}},
       run_build},
      {"diff", "show what changed between two editions of a work",
       "normkit diff [--all] [--exit-code] OLD.xml NEW.xml",
       "Pairs the sections, provisions and definitions of two editions (by permanent id, then by\n"
       "identical text, then by position and similar text) and lists what was added, removed,\n"
       "changed (text or class/level) and renumbered, in the new edition's order.",
       {{"--all", false, "list unchanged nodes too"},
        {"--exit-code", false, "exit 1 when the editions differ (like git diff --exit-code)"}},
       run_diff},
      {"bundle", "write the machine-readable bundle (JSON, SQLite, archive) of a corpus",
       "normkit bundle CORPUS_DIR... -o OUT_DIR",
       "Writes only the bundle of normkit build into OUT_DIR: manifest.json, one JSON file per\n"
       "document edition, normkit.sqlite (full-text search), the JSON Schemas, SHA256SUMS and\n"
       "normkit-bundle-<corpus>-<date or version>.tar.gz holding all of them. OUT_DIR is replaced\n"
       "atomically; a failure leaves it as it was. The format is in docs/bundle-format.md.",
       {{"-o", true, "output directory (replaced atomically)"},
        {"--validate-schema", false, "also validate each document against the RELAX NG schema"}},
       run_bundle},
      {"query", "full-text search over a bundle's provisions",
       "normkit query BUNDLE WORDS... [--kind K] [--work W] [--class C] [--limit N]",
       "Searches the provisions of BUNDLE (a bundle directory or its normkit.sqlite, opened\n"
       "read-only) for provisions holding every one of WORDS (case- and accent-insensitive; each\n"
       "word is matched as written, never as query syntax; a trailing * matches a prefix), best\n"
       "match first. --format json prints an array of objects instead of text. Exit 0 with or\n"
       "without matches; exit 3 when BUNDLE cannot be read or is not a normkit bundle.",
       {{"--kind", true, "only provisions of this kind (standard, guideline, recommendation, ...)"},
        {"--work", true, "only provisions of this work id"},
        {"--class", true, "only recommendations of this class (I, IIa, IIb, III, ...)"},
        {"--limit", true, "at most N results (default 20; 0 = all)"}},
       run_query},
      {"convert", "convert one document between formats (any reader, any writer)",
       "normkit convert INPUT [-f FROM] -t TO [-o OUT] [--work ID] [--edition ED]",
       "Reads INPUT with the reader named by -f (default: chosen by file name ending, then by\n"
       "content) and writes it with the writer named by -t (xml, md, ...) to OUT, or to standard\n"
       "output when -o is absent or '-'. The output file is replaced atomically.",
       {{"-f", true, "input format (a reader name: xml, markdown, html, ...)"},
        {"-t", true, "output format (a writer name: xml, md)"},
        {"-o", true, "output file ('-' or absent: standard output)"},
        {"--work", true, "work id for readers of published text"},
        {"--edition", true, "edition for readers of published text"}},
       run_convert},
      {"ingest", "convert a published text (or another input format) into a canonical XML document",
       "normkit ingest SOURCE [--from FORMAT] [--work ID] [--edition ED] [--previous OLD.xml] [-o OUT.xml]",
       "Reads SOURCE, detects its format (by file name ending, then content) and its encoding\n"
       "(UTF-8 with or without BOM, UTF-16, Windows-1252), recognizes its structure (standards,\n"
       "guidelines, graded recommendations, definitions, word usage, catalog, page furniture) and\n"
       "writes one canonical, valid document to OUT.xml (standard output without -o). Every\n"
       "uncertain decision is printed as a note or warning at its line and column in SOURCE.\n"
       "Exit 1 when SOURCE cannot be ingested (binary input, ...); nothing is written then.\n"
       "With --previous, the new edition keeps the permanent ids of every section, provision and\n"
       "definition it shares with OLD.xml (see normkit diff), and takes its work id.",
       {{"--from", true, "input format (text, markdown, html, xml); default: detected"},
        {"--work", true, "work id (lower-case, e.g. amsect-perfusion-practice); default: from the title"},
        {"--edition", true, "edition label (e.g. 2017); default: the publication year, else 1"},
        {"--previous", true, "the previous edition (canonical XML): carry its permanent ids over"},
        {"-o", true, "output file (written atomically); default: standard output"}},
       run_ingest},
  };
  return table;
}

std::string_view normkit_version() { return NORMKIT_VERSION; }

}  // namespace normkit::cli
