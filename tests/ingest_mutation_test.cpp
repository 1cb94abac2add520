// Robustness: the sample sources, cut, spliced and sprinkled with hostile bytes in a fixed,
// seeded way, must always give either a document that passes the integrity rules or a binary
// input error; never an exception, a crash or an invalid document.
#include <catch2/catch.hpp>

#include "ingest_support.h"

using namespace normkit;
using namespace normkit::test;

namespace {

struct SplitMix {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return n ? static_cast<size_t>(next() % n) : 0; }
};

std::string mutate(std::string text, SplitMix& rng) {
  static const char* const pieces[] = {"(", ")", ":", "\n", "\n\n", "\xE2\x80\xA2 ", "- ", "1. ", "  ", "\t",
                                       "Standard 1.1: ", "Guideline 9.9: ", "Essential IV", "(Class IIb, Level",
                                       "(B, Class 3)", "CLASS I RECOMMENDATIONS\n", "Word Usage:\n", "*", "(2019)",
                                       "STS/SCA:", "--", "\xC3", "\xFF", std::string("\0", 1).c_str(), "\f",
                                       "\xEF\xAC\x81", "\xC2\xAD", "____", "\xC2\xA9", "refer to Standard 1.1"};
  const size_t edits = 1 + rng.below(6);
  for (size_t e = 0; e < edits && !text.empty(); ++e) {
    const size_t at = rng.below(text.size());
    switch (rng.below(4)) {
      case 0: text.erase(at, rng.below(40)); break;
      case 1: text.insert(at, text.substr(rng.below(text.size()), rng.below(120))); break;
      case 2: {
        const size_t k = rng.below(sizeof pieces / sizeof *pieces);
        text.insert(at, k == 23 ? std::string(1, '\0') : std::string(pieces[k]));
        break;
      }
      default: text[at] = static_cast<char>(rng.next() & 0xFF); break;
    }
  }
  return text;
}

void run_mutations(std::vector<std::string> seeds, uint64_t seed, int rounds) {
  std::sort(seeds.begin(), seeds.end());
  REQUIRE(!seeds.empty());
  SplitMix rng{seed};
  size_t documents = 0, refused = 0;
  for (int round = 0; round < rounds; ++round) {
    const std::string input = mutate(seeds[static_cast<size_t>(round) % seeds.size()], rng);
    INFO("round " << round);
    Ingested r;
    REQUIRE_NOTHROW(r = ingest_bytes(input, "mutated.txt", false));
    if (!r.doc) {
      CHECK(r.has("binary-input"));
      ++refused;
      continue;
    }
    ++documents;
    Diagnostics integrity;
    check_integrity(*r.doc, integrity);
    for (const Diagnostic& d : integrity.all()) UNSCOPED_INFO(format_text(d));
    CHECK(!integrity.has_errors());
    if (round % 5 == 0) {  // the full schema check on a sample of them
      Diagnostics v;
      const bool valid = validate_document(r.xml, v).has_value();
      for (const Diagnostic& d : v.all()) UNSCOPED_INFO(format_text(d));
      if (!r.doc->meta.sources.empty()) UNSCOPED_INFO("url: " << r.doc->meta.sources[0].url);
      CHECK(valid);
    }
  }
  CHECK(documents + refused == static_cast<size_t>(rounds));
  CHECK(documents * 4 > static_cast<size_t>(rounds) * 3);
}

}  // namespace

TEST_CASE("mutated sample sources never crash ingest and always give valid documents", "[ingest][robustness]") {
  std::vector<std::string> seeds;
  for (const auto& entry : std::filesystem::directory_iterator(repo_path("corpus/sources")))
    if (entry.path().extension() == ".txt") seeds.push_back(slurp(entry.path()));
  run_mutations(seeds, 20261124, 2000);
}

TEST_CASE("mutated real texts never crash ingest and always give valid documents", "[ingest][robustness][real]") {
  std::vector<std::string> seeds;
  for (const auto& entry : std::filesystem::directory_iterator(real_corpus_path("")))
    if (entry.path().extension() == ".txt") seeds.push_back(slurp(entry.path()));
  REQUIRE(seeds.size() >= 9);
  run_mutations(seeds, 7, 2000);
}
