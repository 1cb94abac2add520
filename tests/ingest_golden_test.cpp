// Golden tests: each sample source in corpus/sources/*.txt (written for normkit, fictional
// societies) is ingested and compared byte for byte with tests/golden/ingest/<name>.xml (the
// canonical document) and <name>.diagnostics (every finding as printed, positions included).
//
// After an intended change, rewrite the expected files and review the diff:
//   NORMKIT_UPDATE_GOLDEN=1 build/tests/normkit_tests "[golden]"
#include <catch2/catch.hpp>

#include <cstdlib>

#include "ingest_support.h"

using namespace normkit;
using namespace normkit::test;

TEST_CASE("ingest golden files: corpus/sources → tests/golden/ingest", "[ingest][golden]") {
  const char* update_env = std::getenv("NORMKIT_UPDATE_GOLDEN");
  const bool update = update_env && std::string(update_env) == "1";
  std::vector<std::filesystem::path> sources;
  for (const auto& entry : std::filesystem::directory_iterator(repo_path("corpus/sources")))
    if (entry.path().extension() == ".txt") sources.push_back(entry.path());
  std::sort(sources.begin(), sources.end());
  REQUIRE(sources.size() >= 4);
  for (const auto& source : sources) {
    const std::string name = source.filename().string();
    INFO(name);
    Ingested r = ingest_bytes(slurp(source), name);
    REQUIRE(r.doc);
    CHECK(r.valid);
    std::string findings;
    for (const Diagnostic& d : r.diags.all()) findings += format_text(d);
    const auto base = repo_path("tests/golden/ingest") / source.stem();
    const auto xml_path = base.string() + ".xml";
    const auto diag_path = base.string() + ".diagnostics";
    if (update) {
      spit(xml_path, r.xml);
      spit(diag_path, findings);
      WARN("rewrote " << xml_path << " and " << diag_path);
      continue;
    }
    REQUIRE(std::filesystem::exists(xml_path));
    CHECK(r.xml == slurp(xml_path));
    CHECK(findings == slurp(diag_path));
  }
}
