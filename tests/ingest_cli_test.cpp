// `normkit ingest` as a command: options, exit codes, output file, findings on stderr or as JSON.
#include <catch2/catch.hpp>

#include "core/text.h"
#include "ingest_support.h"

using namespace normkit;
using namespace normkit::test;

namespace {
const char* const kSample =
    "Sample Standards for Pumps\n\nStandard 1: Pumps\n\nStandard 1.1: Each pump shall be checked.\n\n"
    "Guideline 1.1: A spare pump should be kept.\n";
}

TEST_CASE("ingest writes a valid document with the work and edition given", "[ingest][cli]") {
  TempDir dir;
  spit(dir / "pumps.txt", kSample);
  const auto r = run({"ingest", (dir / "pumps.txt").string(), "--work", "sample-pumps", "--edition", "2020", "-o",
                      (dir / "out.xml").string()});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("1 standard(s), 1 guideline(s)") != std::string::npos);
  const std::string xml = slurp(dir / "out.xml");
  Diagnostics v;
  const auto doc = validate_document(xml, v);
  REQUIRE(doc);
  CHECK(doc->work == "sample-pumps");
  CHECK(doc->edition == "2020");
  REQUIRE(doc->meta.sources.size() == 1);
  CHECK(doc->meta.sources[0].file == "pumps.txt");
  CHECK(doc->meta.sources[0].format == "text");
  CHECK(doc->meta.sources[0].sha256 == sha256_hex(kSample));
  // Deterministic: a second run gives the same bytes; the document also goes to stdout.
  const auto again = run({"ingest", (dir / "pumps.txt").string(), "--work", "sample-pumps", "--edition", "2020"});
  CHECK(again.code == 0);
  CHECK(again.out == xml);
}

TEST_CASE("ingest reports usage and file errors with their exit codes", "[ingest][cli]") {
  TempDir dir;
  spit(dir / "pumps.txt", kSample);
  const std::string src = (dir / "pumps.txt").string();
  CHECK(run({"ingest"}).code == 2);
  CHECK(run({"ingest", src, "--work", "Bad Work"}).code == 2);
  CHECK(run({"ingest", src, "--edition", "-x"}).code == 2);
  CHECK(run({"ingest", src, "--from", "pdf"}).code == 2);
  CHECK(run({"ingest", src, "--format", "json"}).code == 2);  // JSON findings and XML cannot share stdout
  const auto missing = run({"ingest", (dir / "missing.txt").string()});
  CHECK(missing.code == 3);
  CHECK(missing.err.find("missing.txt") != std::string::npos);
}

TEST_CASE("ingest prints findings as JSON and detects the format by content", "[ingest][cli]") {
  TempDir dir;
  spit(dir / "pumps.data", std::string(kSample) + "\nStandard 1.3: Each pump shall be labelled.\n");
  const auto r = run({"ingest", (dir / "pumps.data").string(), "--format", "json", "-o", (dir / "o.xml").string()});
  CHECK(r.code == 0);
  CHECK(r.out.find("\"code\": \"numbering-gap\"") != std::string::npos);
  CHECK(r.out.find("\"code\": \"format\"") != std::string::npos);
  CHECK(std::filesystem::exists(dir / "o.xml"));
}
