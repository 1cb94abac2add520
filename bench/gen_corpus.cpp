// normkit-gen-corpus: a deterministic synthetic corpus for benchmarks.
//
//   normkit-gen-corpus [--docs N] [--provisions N] [--seed S] [--format xml|text] -o DIR
//
// Writes N documents of about P provisions each, alternating standards-and-guidelines documents
// (topics with standards and guidelines numbered separately) and clinical practice guidelines
// (graded recommendations). Same arguments, same bytes: the generator uses its own PRNG
// (splitmix64) and no standard-library distributions, whose output differs between libraries.
//   xml:  DIR/<work>/<edition>.xml, canonical and valid (normkit validate DIR passes)
//   text: DIR/<work>-<edition>.txt, laid out as published text (for ingest benchmarks)
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/io.h"
#include "core/model.h"
#include "core/xml_writer.h"
#include "bench/synthetic.h"

namespace {

using namespace normkit;
using namespace normkit::bench;

int usage() {
  std::cerr << "usage: normkit-gen-corpus [--docs N] [--provisions N] [--seed S] [--format xml|text] -o DIR\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  size_t docs = 2000, provisions = 40;
  uint64_t seed = 1;
  std::string format = "xml", out_dir;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    try {
      if (a == "--docs") docs = std::stoul(value());
      else if (a == "--provisions") provisions = std::stoul(value());
      else if (a == "--seed") seed = std::stoull(value());
      else if (a == "--format") format = value();
      else if (a == "-o") out_dir = value();
      else return usage();
    } catch (const std::exception&) {
      return usage();
    }
  }
  if (out_dir.empty() || (format != "xml" && format != "text") || provisions == 0) return usage();
  Rng rng{seed};
  OutputTree tree;
  size_t bytes = 0, total_provisions = 0;
  for (size_t i = 0; i < docs; ++i) {
    Document doc = make_document(rng, i, provisions);
    total_provisions += provisions;
    std::string data = format == "xml" ? write_canonical_xml(doc) : render_text(doc);
    bytes += data.size();
    const std::string path = format == "xml" ? doc.work + "/" + doc.edition + ".xml"
                                             : doc.work + "-" + doc.edition + ".txt";
    tree.add(path, std::move(data));
  }
  Diagnostics diags;
  if (!commit_output(tree, out_dir, diags)) {
    for (const Diagnostic& d : diags.all()) std::cerr << format_text(d);
    return 3;
  }
  std::cout << "normkit-gen-corpus: " << docs << " documents, " << total_provisions << " provisions, "
            << bytes << " bytes (" << format << ") in " << out_dir << "\n";
  return 0;
}
