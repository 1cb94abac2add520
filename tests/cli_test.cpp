#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "test_support.h"
#include "xml_fixtures.h"

using namespace normkit;
namespace t = normkit::test;

namespace {

const std::string kValid = t::doc_with_body(
    "    <p>Hello.</p>");

}  // namespace

TEST_CASE("validate: the sample corpus passes", "[cli]") {
  auto r = t::run({"validate", t::repo_path("corpus").string()});
  CHECK(r.code == 0);
  CHECK(r.err.find("3 valid documents, 0 error(s), 0 warning(s)") != std::string::npos);
}

TEST_CASE("validate: a directory of mixed files reports each bad one", "[cli][bad-input]") {
  t::TempDir dir;
  t::spit(dir / "good.xml", kValid);
  t::spit(dir / "broken.xml", "<document>");
  t::spit(dir / "sub/binary.xml", std::string("\x7f" "ELF\x02\x01\x01\0\0\0", 10));
  t::spit(dir / "sub/empty.xml", "");
  t::spit(dir / "notes.txt", "not xml");
  t::spit(dir / "image.png", "\x89PNG");
  auto r = t::run({"validate", dir.path().string()});
  CHECK(r.code == 1);
  CHECK(r.err.find("broken.xml:1:10: error: malformed XML: the input ends before every element is closed") != std::string::npos);
  CHECK(r.err.find("binary.xml:1:8: error: NUL byte") != std::string::npos);
  CHECK(r.err.find("empty.xml: error: file is empty [empty-file]") != std::string::npos);
  CHECK(r.err.find("good.xml") == std::string::npos);
  CHECK(r.err.find("1 valid document, 3 error(s)") != std::string::npos);
  CHECK(r.err.find("2 file(s) skipped (not .xml)") != std::string::npos);
}

TEST_CASE("validate: --format json prints findings as data on stdout", "[cli]") {
  t::TempDir dir;
  t::spit(dir / "bad.xml", "<document xmlns=\"urn:other\"/>");
  auto r = t::run({"validate", "--format", "json", (dir / "bad.xml").string()});
  CHECK(r.code == 1);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["code"] == "wrong-namespace");
  CHECK(j[0]["line"] == 1);
  CHECK(r.err.empty());
}

TEST_CASE("validate: --strict turns warnings into errors", "[cli]") {
  t::TempDir dir;
  t::spit(dir / "w.xml", t::doc_with_body("    <!-- c --><p>x</p>"));
  CHECK(t::run({"validate", (dir / "w.xml").string()}).code == 0);
  CHECK(t::run({"validate", "--strict", (dir / "w.xml").string()}).code == 1);
}

TEST_CASE("validate: two files with one work and edition are an error", "[cli]") {
  t::TempDir dir;
  t::spit(dir / "a.xml", kValid);
  t::spit(dir / "b.xml", kValid);
  auto r = t::run({"validate", dir.path().string()});
  CHECK(r.code == 1);
  CHECK(r.err.find("[duplicate-edition]") != std::string::npos);
}

TEST_CASE("exit codes: usage 2, missing file 3", "[cli]") {
  CHECK(t::run({}).code == 2);
  CHECK(t::run({"frobnicate"}).code == 2);
  CHECK(t::run({"validate"}).code == 2);
  CHECK(t::run({"validate", "--bogus", "x"}).code == 2);
  CHECK(t::run({"validate", "--format", "yaml", "x"}).code == 2);
  CHECK(t::run({"validate", "--format"}).code == 2);
  CHECK(t::run({"fmt", "--check=yes", "x"}).code == 2);
  auto r = t::run({"validate", "/nonexistent/normkit/file.xml"});
  CHECK(r.code == 3);
  CHECK(r.err.find("does not exist") != std::string::npos);
}

TEST_CASE("help: general, per command, --version", "[cli]") {
  auto h = t::run({"help"});
  CHECK(h.code == 0);
  for (const char* cmd : {"validate", "fmt", "build"}) {
    CHECK(h.out.find(std::string("  ") + cmd) != std::string::npos);
    auto c = t::run({cmd, "--help"});
    CHECK(c.code == 0);
    CHECK(c.out.find(std::string("usage: normkit ") + cmd) != std::string::npos);
    CHECK(t::run({"help", cmd}).out == c.out);
  }
  CHECK(t::run({"help", "nope"}).code == 2);
  CHECK(t::run({"--version"}).out == t::run({"version"}).out);
}

TEST_CASE("fmt: rewrites to canonical form, then --check passes", "[cli]") {
  t::TempDir dir;
  const auto f = dir / "d.xml";
  t::spit(f, "<document xmlns='urn:normkit:document:1' model-version='1.0' work='t' edition='1' xml:lang='en' type='other'>"
             "<meta><title>T</title></meta><body><section number='1'><title>S</title><provision kind='standard' number='1.1'>"
             "<p>x</p></provision></section></body></document>");
  auto check1 = t::run({"fmt", "--check", f.string()});
  CHECK(check1.code == 1);
  CHECK(check1.err.find("not in canonical form") != std::string::npos);
  auto r = t::run({"fmt", f.string()});
  CHECK(r.code == 0);
  const std::string formatted = t::slurp(f);
  CHECK(formatted.find("position-id=\"standard-1.1\" label=\"Standard 1.1\"") != std::string::npos);
  CHECK(t::run({"fmt", "--check", f.string()}).code == 0);
  CHECK(t::run({"validate", f.string()}).code == 0);
  CHECK(t::run({"fmt", f.string()}).code == 0);
  CHECK(t::slurp(f) == formatted);
  // No temporary files are left beside it.
  size_t entries = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path())) (void)e, ++entries;
  CHECK(entries == 1);
}

TEST_CASE("fmt: a file with errors is left untouched", "[cli][bad-input]") {
  t::TempDir dir;
  const auto f = dir / "d.xml";
  const std::string bad = t::doc_with_body("    <p>A <term ref=\"nowhere\">t</term></p>");
  t::spit(f, bad);
  auto r = t::run({"fmt", f.string()});
  CHECK(r.code == 1);
  CHECK(r.err.find("[unresolved-term]") != std::string::npos);
  CHECK(t::slurp(f) == bad);
}
