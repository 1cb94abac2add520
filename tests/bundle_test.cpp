// The bundle (issue 6): JSON, SQLite, archive, normkit bundle and normkit query.
// Format pin: tests/golden/bundle/ holds the sample corpus's bundle JSON (pretty-printed) and the
// SQLite schema; after a deliberate format change (docs/bundle-format.md), rewrite them with
//   NORMKIT_UPDATE_GOLDEN=1 build/tests/normkit_tests "[bundle-format]"
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/corpus.h"
#include "core/io.h"
#include "core/text.h"
#include "generators/bundle/bundle.h"
#include "test_support.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace normkit;
using normkit::test::repo_path;
using normkit::test::run;
using normkit::test::slurp;
using normkit::test::spit;
using normkit::test::TempDir;

namespace {

Corpus sample_corpus() {
  Corpus corpus;
  Diagnostics diags;
  REQUIRE(load_corpus({repo_path("corpus").string()}, corpus, diags));
  corpus.name = "corpus";
  return corpus;
}

OutputTree make_bundle(const Corpus& corpus, unsigned threads = 2,
                       std::optional<int64_t> epoch = std::nullopt) {
  GeneratorOptions options;
  options.normkit_version = "0.1.0";
  options.threads = threads;
  options.source_date_epoch = epoch;
  OutputTree out;
  Diagnostics diags;
  REQUIRE(generate_bundle(corpus, options, out, diags));
  CHECK(diags.all().empty());
  return out;
}

// An SQLite connection over a copy of the bytes (never a file).
struct Db {
  sqlite3* db = nullptr;
  explicit Db(const std::string& bytes) {
    REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
    auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
    std::memcpy(copy, bytes.data(), bytes.size());
    REQUIRE(sqlite3_deserialize(db, "main", copy, static_cast<sqlite3_int64>(bytes.size()),
                                static_cast<sqlite3_int64>(bytes.size()),
                                SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) == SQLITE_OK);
  }
  ~Db() { sqlite3_close(db); }
  // Every row as "col|col|...", in the order the query gives.
  std::vector<std::string> rows(const std::string& sql) const {
    sqlite3_stmt* s = nullptr;
    const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr);
    INFO(sql << "\n" << sqlite3_errmsg(db));
    REQUIRE(rc == SQLITE_OK);
    std::vector<std::string> out;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(s); ++i) {
        const unsigned char* t = sqlite3_column_text(s, i);
        row += (i ? "|" : "") + std::string(t ? reinterpret_cast<const char*>(t) : "NULL");
      }
      out.push_back(row);
    }
    INFO(sqlite3_errmsg(db));
    CHECK(step == SQLITE_DONE);
    sqlite3_finalize(s);
    return out;
  }
};

bool update_golden() {
  const char* env = std::getenv("NORMKIT_UPDATE_GOLDEN");
  return env && std::string(env) == "1";
}

// Runs `fn` in a child process and returns its exit status (or 128 + signal).
template <class Fn>
int in_child(Fn fn) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) _exit(fn());
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Inflates a gzip file that must be one member, ending exactly at the end of `gz`.
std::string gunzip_one_member(const std::string& gz) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, 16 + 15) == Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    char buf[1 << 16];
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  inflateEnd(&z);
  CHECK(rc == Z_STREAM_END);
  CHECK(z.avail_in == 0);  // nothing after the first member
  return out;
}

// Two archives that should be the same bytes: empty when they are; otherwise where they part,
// whether the tars inside differ or only their compression, and where both are kept (printing
// megabytes of gzip into the test log would say nothing).
std::string archive_difference(const std::string& expected, const std::string& actual, const std::string& tag) {
  if (expected == actual) return "";
  const auto first_difference = [](const std::string& a, const std::string& b) {
    size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    return i;
  };
  const std::string tar_a = gunzip_one_member(expected), tar_b = gunzip_one_member(actual);
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "normkit-archive-mismatch";
  std::filesystem::create_directories(dir);
  test::spit(dir / (tag + "-expected.gz"), expected);
  test::spit(dir / (tag + "-actual.gz"), actual);
  return "archives differ from byte " + std::to_string(first_difference(expected, actual)) + " (sizes " +
         std::to_string(expected.size()) + " and " + std::to_string(actual.size()) + "); " +
         (tar_a == tar_b ? std::string("the tars inside are identical: only the compression differs")
                         : "the tars inside differ from byte " + std::to_string(first_difference(tar_a, tar_b))) +
         "; both kept in " + dir.string();
}

// Each document's JSON must be exactly what nlohmann::json (keys in a std::map, so sorted)
// parses and dumps back: the insertion-ordered arena tree must hold its keys sorted.
void check_json_is_canonical(const OutputTree& out) {
  size_t checked = 0;
  for (const auto& [path, bytes] : out.files()) {
    if (!path.starts_with("documents/")) continue;
    INFO(path);
    CHECK(json::parse(bytes).dump() + "\n" == bytes);
    ++checked;
  }
  CHECK(checked > 0);
}

std::vector<std::string> leftovers(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".new-") != std::string::npos ||
        e.path().filename().string().find(".old-") != std::string::npos)
      out.push_back(e.path().filename().string());
  return out;
}

}  // namespace

// --- Contents ------------------------------------------------------------------------------

TEST_CASE("bundle: every file is listed with its SHA-256 in the manifest and SHA256SUMS", "[bundle]") {
  const OutputTree out = make_bundle(sample_corpus());
  const std::string archive = "normkit-bundle-corpus-0.1.0.tar.gz";
  for (const char* f : {"manifest.json", "SHA256SUMS", "normkit.sqlite",
                        "documents/sample-perfusion-practice/2017.json",
                        "documents/sample-temperature-cpg/2015.json",
                        "documents/sample-society-catalog/2024.json",
                        "schema/bundle-document.schema.json", "schema/bundle-manifest.schema.json"})
    CHECK(out.contains(f));
  REQUIRE(out.contains(archive));
  CHECK(out.files().size() == 9);

  const json manifest = json::parse(*out.get("manifest.json"));
  CHECK(manifest["$schema"] == bundle::kManifestSchemaId);
  CHECK(manifest["format_version"] == bundle::kFormatVersion);
  CHECK(manifest["archive"] == archive);
  CHECK(manifest["source_date"].is_null());
  size_t listed = 0;
  for (const json& f : manifest["files"]) {
    const std::string* bytes = out.get(f["path"].get<std::string>());
    REQUIRE(bytes);
    CHECK(f["sha256"] == sha256_hex(*bytes));
    CHECK(f["bytes"] == bytes->size());
    ++listed;
  }
  CHECK(listed == out.files().size() - 3);  // not the manifest, SHA256SUMS or the archive

  std::istringstream sums(*out.get("SHA256SUMS"));
  std::string line;
  size_t checked = 0;
  while (std::getline(sums, line)) {
    const std::string hash = line.substr(0, 64), path = line.substr(66);
    REQUIRE(out.get(path));
    CHECK(hash == sha256_hex(*out.get(path)));
    ++checked;
  }
  CHECK(checked == out.files().size() - 2);  // not itself or the archive

  const json& cpg = manifest["documents"][2];
  CHECK(cpg["work"] == "sample-temperature-cpg");
  CHECK(cpg["counts"]["recommendations"] == 6);
  CHECK(cpg["counts"]["provisions"] == 6);
  CHECK(cpg["counts"]["term_mentions"] == 1);
}

TEST_CASE("bundle: document JSON has the outline, flat provisions and marked text", "[bundle]") {
  const OutputTree out = make_bundle(sample_corpus());
  check_json_is_canonical(out);
  const json doc = json::parse(*out.get("documents/sample-temperature-cpg/2015.json"));
  CHECK(doc["$schema"] == bundle::kDocumentSchemaId);
  REQUIRE(doc["provisions"].size() == 6);
  const json& r2 = doc["provisions"][1];
  CHECK(r2["label"] == "Recommendation 2");
  CHECK(r2["class"] == "I");
  CHECK(r2["level"] == "B-NR");
  CHECK(r2["section"] == "nkc3fxkkx52h");
  CHECK(r2["text"] == "Recording the nadir temperature is recommended.");
  CHECK(r2["marked"] == json::parse(R"([
    "Recording the ",
    {"text": "nadir temperature", "mark": "term", "definition": "nka3ntk89psf"},
    " ",
    {"text": "is recommended", "mark": "keyword", "word": "is recommended", "force": "recommended"},
    "."])"));
  // The outline nests the same provisions under their sections, by id.
  CHECK(doc["outline"][1]["type"] == "section");
  CHECK(doc["outline"][1]["children"][1]["id"] == r2["id"]);
  CHECK(doc["definitions"][0]["alternates"] == json::array({"nadir temperatures"}));

  // Nested provisions (Standard 1.2 has none; the perfusion sample's lists stay in the text).
  const json perf = json::parse(*out.get("documents/sample-perfusion-practice/2017.json"));
  for (const json& p : perf["provisions"]) {
    std::string joined;
    for (const json& run : p["marked"]) joined += run.is_string() ? run.get<std::string>() : run["text"].get<std::string>();
    CHECK(joined == p["text"]);  // the runs always add up to the plain text
  }
}

TEST_CASE("bundle: page furniture is left out and not counted", "[bundle]") {
  Corpus corpus;
  corpus.name = "furniture";
  Document doc;
  doc.work = "furniture-test";
  doc.edition = "2024";
  Node section = Node::make_section("1", "Section 1");
  section.labeled->id = "nksection0001";
  section.labeled->position_id = "section-1";
  Node provision = Node::make_provision(ProvisionKind::Standard, "1.1", "Standard 1.1");
  provision.labeled->id = "nkprovision01";
  provision.children.push_back(Node::make_paragraph({Node::make_text("Kept text.")}));
  section.children.push_back(std::move(provision));
  Node furniture(NodeType::Furniture);
  Node inner = Node::make_provision(ProvisionKind::Standard, "9.9", "Standard 9.9");
  inner.labeled->id = "nkfurniture01";
  inner.children.push_back(Node::make_paragraph({Node::make_text("Membership form text.")}));
  furniture.children.push_back(std::move(inner));
  section.children.push_back(std::move(furniture));
  doc.body.push_back(std::move(section));
  corpus.documents.push_back({"x.xml", std::move(doc)});
  const OutputTree out = make_bundle(corpus);
  const std::string& text = *out.get("documents/furniture-test/2024.json");
  CHECK(text.find("Membership") == std::string::npos);
  CHECK(text.find("nkfurniture01") == std::string::npos);
  const json manifest = json::parse(*out.get("manifest.json"));
  CHECK(manifest["documents"][0]["counts"]["provisions"] == 1);
  Db db(*out.get("normkit.sqlite"));
  CHECK(db.rows("SELECT label FROM provisions") == std::vector<std::string>{"Standard 1.1"});
}

// --- SQLite -----------------------------------------------------------------------------------

TEST_CASE("bundle: SQLite has the tables, views, FTS5 and format version", "[bundle]") {
  const OutputTree out = make_bundle(sample_corpus());
  Db db(*out.get("normkit.sqlite"));
  CHECK(db.rows("PRAGMA user_version") == std::vector<std::string>{std::to_string(bundle::kFormatMajor)});
  CHECK(db.rows("PRAGMA integrity_check") == std::vector<std::string>{"ok"});
  CHECK(db.rows("PRAGMA foreign_key_check").empty());
  CHECK(db.rows("SELECT work FROM documents ORDER BY work").size() == 3);
  CHECK(db.rows("SELECT label FROM mandatory_provisions WHERE work = 'sample-perfusion-practice' "
                "ORDER BY provision_id") ==
        std::vector<std::string>{"Standard 1.1", "Standard 1.2", "Standard 2.1"});
  CHECK(db.rows("SELECT label FROM class_i_recommendations ORDER BY provision_id") ==
        std::vector<std::string>{"Recommendation 1", "Recommendation 2"});
  CHECK(db.rows("SELECT as_written, provision_label FROM term_usage WHERE term = 'Nadir Temperature'") ==
        std::vector<std::string>{"nadir temperature|Recommendation 2"});
  // Accent- and case-insensitive full-text search.
  CHECK(db.rows("SELECT p.label FROM provisions_fts JOIN provisions p ON p.provision_id = "
                "provisions_fts.rowid WHERE provisions_fts MATCH 'RÉWARMING' ORDER BY p.provision_id") ==
        std::vector<std::string>{"Recommendation 3", "Recommendation 4"});
  CHECK(db.rows("SELECT count(*) FROM catalog_entries") ==
        std::vector<std::string>{std::to_string(sample_corpus().documents[1].doc.catalog.size())});
  CHECK(db.rows("SELECT count(*) FROM catalog_entries WHERE title = ''") == std::vector<std::string>{"0"});
  // Keyword marks of the body only: the fourth "shall" of the sample is in its word-usage note.
  CHECK(db.rows("SELECT count(*) FROM keywords WHERE force = 'mandatory'") == std::vector<std::string>{"3"});
}

TEST_CASE("bundle: the five example queries of README.md run and return rows", "[bundle]") {
  const std::string readme = slurp(repo_path("README.md"));
  const size_t begin = readme.find("<!-- bundle-queries:begin -->");
  const size_t end = readme.find("<!-- bundle-queries:end -->");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  const std::string block = readme.substr(begin, end - begin);
  const std::regex sql_block("```sql\\n([\\s\\S]*?)```");
  const OutputTree out = make_bundle(sample_corpus());
  Db db(*out.get("normkit.sqlite"));
  int queries = 0;
  for (std::sregex_iterator it(block.begin(), block.end(), sql_block), stop; it != stop; ++it) {
    const std::string sql = (*it)[1];
    INFO(sql);
    CHECK(!db.rows(sql).empty());
    ++queries;
  }
  CHECK(queries == 5);
}

// --- Determinism --------------------------------------------------------------------------------

TEST_CASE("bundle: the same corpus gives the same bytes, whatever the thread count", "[bundle]") {
  const Corpus corpus = sample_corpus();
  const OutputTree one = make_bundle(corpus, 1);
  const OutputTree two = make_bundle(corpus, 2);
  const OutputTree four = make_bundle(corpus, 4);
  REQUIRE(one.files().size() == two.files().size());
  for (const auto& [path, bytes] : one.files()) {
    INFO(path);
    REQUIRE(two.get(path));
    CHECK(*two.get(path) == bytes);
    CHECK(*four.get(path) == bytes);
  }
  // gzip header: no timestamp (bytes 4..7 are zero).
  const std::string& gz = *one.get("normkit-bundle-corpus-0.1.0.tar.gz");
  REQUIRE(gz.size() > 10);
  CHECK(gz.substr(0, 2) == "\x1f\x8b");
  CHECK(gz.substr(4, 4) == std::string(4, '\0'));
}

TEST_CASE("bundle: the archive is one gzip member in pieces, the same whatever the threads", "[bundle]") {
  // Raw bytes that compress poorly and text that compresses well, written in odd-sized
  // parts, over several pieces: the same bytes from 1, 2 and 4 threads, and they inflate
  // back to the input as one gzip member.
  std::string input;
  uint32_t x = 12345;
  while (input.size() < 3 * bundle::GzipWriter::kPieceBytes + 4321) {
    for (int i = 0; i < 5000; ++i) input += static_cast<char>((x = x * 1103515245 + 12345) >> 24);
    for (int i = 0; i < 300; ++i) input += "Perfusion SHALL be recorded. ";
  }
  std::string first;
  for (unsigned workers : {0u, 1u, 3u}) {
    INFO("workers " << workers);
    OutputTree out;
    {
      std::unique_ptr<OutputTree::Stream> file = out.open_stream("x.gz");
      REQUIRE(file);
      bundle::TaskPool pool(workers);
      bundle::GzipWriter gzip(pool, *file, workers + 1);
      for (size_t at = 0, step = 1; at < input.size(); at += step, step = step * 7 % 100003 + 1)
        REQUIRE(gzip.write(std::string_view(input).substr(at, step)));
      REQUIRE(gzip.finish());
      REQUIRE(file->close());
    }
    const std::string& gz = *out.get("x.gz");
    CHECK(gz.substr(0, 4) == std::string("\x1f\x8b\x08\x00", 4));
    CHECK(gunzip_one_member(gz) == input);
    if (first.empty()) first = gz;
    CHECK(archive_difference(first, gz, "pieces-" + std::to_string(workers)) == "");
  }
  // A bundle whose archive spans several pieces is the same from 1, 2 and 4 threads too.
  const Corpus sample = sample_corpus();
  Corpus corpus;
  corpus.name = "many";
  for (int copy = 0; copy < 150; ++copy)
    for (const CorpusDocument& d : sample.documents) {
      CorpusDocument c = d;
      c.doc.work = d.doc.work + "-" + std::to_string(copy);
      corpus.documents.push_back(std::move(c));
    }
  std::sort(corpus.documents.begin(), corpus.documents.end(), [](const auto& a, const auto& b) {
    return std::tie(a.doc.work, a.doc.edition) < std::tie(b.doc.work, b.doc.edition);
  });
  const OutputTree one = make_bundle(corpus, 1);
  const std::string& gz = *one.get("normkit-bundle-many-0.1.0.tar.gz");
  const std::string tar = gunzip_one_member(gz);
  CHECK(tar.size() > 3 * bundle::GzipWriter::kPieceBytes);
  // The tar holds every file at its place.
  const std::string& manifest = *one.get("manifest.json");
  CHECK(tar.find(manifest) != std::string::npos);
  for (unsigned threads : {2u, 4u}) {
    INFO("threads " << threads);
    const OutputTree other = make_bundle(corpus, threads);
    CHECK(archive_difference(gz, *other.get("normkit-bundle-many-0.1.0.tar.gz"),
                             "bundle-" + std::to_string(threads)) == "");
  }
}

TEST_CASE("bundle: SOURCE_DATE_EPOCH names the archive and stamps the manifest", "[bundle]") {
  const OutputTree out = make_bundle(sample_corpus(), 2, int64_t{1700000000});
  CHECK(out.contains("normkit-bundle-corpus-2023-11-14.tar.gz"));
  const json manifest = json::parse(*out.get("manifest.json"));
  CHECK(manifest["source_date"] == "2023-11-14");
}

// --- Format pin ---------------------------------------------------------------------------------

TEST_CASE("bundle: the format matches the pinned golden files", "[bundle][bundle-format]") {
  const OutputTree out = make_bundle(sample_corpus());
  const fs::path golden = repo_path("tests/golden/bundle");
  std::map<std::string, std::string> expected_files;
  for (const auto& [path, bytes] : out.files()) {
    if (!path.ends_with(".json") || path.starts_with("schema/")) continue;
    json j = json::parse(bytes);
    if (path == "manifest.json") j["generator"]["version"] = "VERSION";  // not part of the format
    expected_files[path] = j.dump(2) + "\n";
  }
  std::string schema_text = "PRAGMA user_version = " + std::to_string(bundle::kFormatMajor) + ";\n";
  {
    Db db(*out.get("normkit.sqlite"));
    for (const std::string& sql : db.rows("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name"))
      schema_text += sql + ";\n";
  }
  expected_files["sqlite-schema.sql"] = schema_text;
  for (const auto& [path, text] : expected_files) {
    INFO(path << ": if this format change is deliberate, follow docs/bundle-format.md and run "
                 "NORMKIT_UPDATE_GOLDEN=1 build/tests/normkit_tests \"[bundle-format]\"");
    if (update_golden()) spit(golden / path, text);
    REQUIRE(fs::exists(golden / path));
    CHECK(slurp(golden / path) == text);
  }
}

// --- Bad input ----------------------------------------------------------------------------------

TEST_CASE("bundle: quotes, backslashes, control characters, bad UTF-8 and SQL in the text", "[bundle]") {
  const std::string nasty = "Quote \" and ' and \\ backslash; ctl \x01\x1f\x7f; surrogate \xED\xA0\x80; "
                            "stray \x80; overlong \xC0\xAF; '); DROP TABLE provisions; -- "
                            "NEAR(a b) OR \"x\" * {col}: ^start";
  Corpus corpus;
  corpus.name = "bad \"input\"";
  Document doc;
  doc.work = "bad-input";
  doc.edition = "2024";
  doc.meta.title.push_back(Node::make_text("Title with \xED\xBF\xBF lone surrogate"));
  Definition def;
  def.id = "nkdefinition1";
  def.term = "Term \"quoted\"";
  def.alternates = {"alt \xFF"};
  doc.definitions.push_back(def);
  Node section = Node::make_section("1", "Section 1");
  section.labeled->id = "nksection0001";
  Node provision = Node::make_provision(ProvisionKind::Standard, "1.1", "Standard 1.1");
  provision.labeled->id = "nkprovision01";
  Node term(NodeType::TermRef);
  term.target = "nkdefinition1";
  term.children.push_back(Node::make_text("term \x02"));
  provision.children.push_back(Node::make_paragraph(
      {Node::make_text(nasty), Node::make_keyword("shall", "shall", Force::Mandatory), std::move(term)}));
  section.children.push_back(std::move(provision));
  doc.body.push_back(std::move(section));
  corpus.documents.push_back({"x.xml", std::move(doc)});

  const OutputTree out = make_bundle(corpus);
  CHECK(out.contains("normkit-bundle-bad--input--0.1.0.tar.gz"));
  // Escapes exactly as nlohmann::json writes them (\u0001 in lower case, DEL as is, ...).
  check_json_is_canonical(out);
  // Strict parsing: the JSON is valid UTF-8 throughout.
  const json j = json::parse(*out.get("documents/bad-input/2024.json"));
  const std::string text = j["provisions"][0]["text"];
  CHECK(text.find("Quote \" and ' and \\ backslash; ctl \x01\x1f\x7f;") == 0);
  CHECK(text.find("'); DROP TABLE provisions; --") != std::string::npos);
  CHECK(text.find("\xEF\xBF\xBD") != std::string::npos);  // U+FFFD for every bad sequence
  CHECK(is_valid_utf8(text));
  CHECK(is_valid_utf8(j["title"].get<std::string>()));
  CHECK(j["definitions"][0]["alternates"][0] == "alt \xEF\xBF\xBD");
  CHECK(j["provisions"][0]["marked"][1]["mark"] == "keyword");

  Db db(*out.get("normkit.sqlite"));
  CHECK(db.rows("SELECT count(*) FROM provisions") == std::vector<std::string>{"1"});
  CHECK(db.rows("SELECT text FROM provisions") == std::vector<std::string>{text});
  CHECK(db.rows("SELECT as_written FROM term_mentions") == std::vector<std::string>{"term \x02"});

  // The written bundle answers queries; query syntax and SQL in the words are only text.
  TempDir tmp;
  Diagnostics diags;
  REQUIRE(commit_output(out, tmp / "bundle", diags));
  const std::string dir = (tmp / "bundle").string();
  auto r = run({"query", dir, "DROP", "TABLE", "--format", "json"});
  CHECK(r.code == 0);
  CHECK(json::parse(r.out).size() == 1);
  for (const std::vector<std::string>& words :
       std::vector<std::vector<std::string>>{{"'); DROP TABLE provisions; --"},
                                             {"NEAR(a", "b)"},
                                             {"\""},
                                             {"*"},
                                             {"OR", "AND", "NOT"},
                                             {"{col}:", "^start"},
                                             {"text:x"},
                                             {"\xED\xA0\x80"}}) {
    std::vector<std::string> args{"query", dir};
    args.insert(args.end(), words.begin(), words.end());
    args.insert(args.end(), {"--format", "json"});
    r = run(args);
    INFO(words.front() << " -> " << r.err);
    CHECK(r.code == 0);
    CHECK_NOTHROW(json::parse(r.out));
  }
  // "NEAR(a b)" as words finds the provision that holds those words, literally.
  r = run({"query", dir, "NEAR(a", "b)", "--format", "json"});
  CHECK(json::parse(r.out).size() == 1);
  // The database is still whole.
  Db after(slurp(tmp / "bundle/normkit.sqlite"));
  CHECK(after.rows("SELECT count(*) FROM provisions") == std::vector<std::string>{"1"});
}

// --- Commands -----------------------------------------------------------------------------------

TEST_CASE("normkit bundle writes the bundle; normkit build puts it under bundle/", "[bundle][cli]") {
  TempDir tmp;
  auto r = run({"bundle", repo_path("corpus").string(), "-o", (tmp / "b").string()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(fs::exists(tmp / "b/manifest.json"));
  CHECK(fs::exists(tmp / "b/normkit-bundle-corpus-0.1.0.tar.gz"));
  r = run({"build", repo_path("corpus").string(), "-o", (tmp / "site").string(), "--only", "bundle"});
  REQUIRE(r.code == 0);
  CHECK(fs::exists(tmp / "site/bundle/normkit.sqlite"));
  CHECK(slurp(tmp / "site/bundle/normkit.sqlite") == slurp(tmp / "b/normkit.sqlite"));
  CHECK(run({"bundle", repo_path("corpus").string()}).code == 2);
}

TEST_CASE("normkit query searches a bundle read-only", "[bundle][cli]") {
  TempDir tmp;
  REQUIRE(run({"bundle", repo_path("corpus").string(), "-o", (tmp / "b").string()}).code == 0);
  const std::string dir = (tmp / "b").string();
  const std::string before = slurp(tmp / "b/normkit.sqlite");

  auto r = run({"query", dir, "temperature"});
  CHECK(r.code == 0);
  CHECK(r.out.find("sample-temperature-cpg/2015  Recommendation 1 (recommendation, Class I, LOE C)") != std::string::npos);
  CHECK(r.out.find("[temperature]") != std::string::npos);

  r = run({"query", (tmp / "b/normkit.sqlite").string(), "checklist", "--kind", "standard", "--format", "json"});
  REQUIRE(r.code == 0);
  json results = json::parse(r.out);
  REQUIRE(results.size() == 1);
  CHECK(results[0]["label"] == "Standard 2.1");

  r = run({"query", dir, "temp*", "--class", "I", "--format", "json"});
  results = json::parse(r.out);
  CHECK(results.size() == 2);
  for (const json& x : results) CHECK(x["class"] == "I");

  r = run({"query", dir, "protocols", "--work", "sample-temperature-cpg", "--format", "json"});
  CHECK(json::parse(r.out).empty());
  r = run({"query", dir, "protocols", "--work", "sample-perfusion-practice", "--format", "json", "--limit", "1"});
  CHECK(json::parse(r.out).size() == 1);

  CHECK(run({"query", dir}).code == 2);
  CHECK(run({"query", dir, "x", "--limit", "many"}).code == 2);
  CHECK(run({"query", (tmp / "missing").string(), "x"}).code == 3);
  spit(tmp / "not-a-db.sqlite", "just text, not a database");
  r = run({"query", (tmp / "not-a-db.sqlite").string(), "x"});
  CHECK(r.code == 3);
  CHECK(r.err.find("not-a-db.sqlite") != std::string::npos);
  CHECK(slurp(tmp / "b/normkit.sqlite") == before);
}

// --- Output errors --------------------------------------------------------------------------------

TEST_CASE("normkit bundle: output that is a file or not writable fails clearly", "[bundle][cli]") {
  TempDir tmp;
  const std::string corpus = repo_path("corpus").string();
  spit(tmp / "file", "keep me");
  auto r = run({"bundle", corpus, "-o", (tmp / "file").string()});
  CHECK(r.code == 3);
  CHECK(r.err.find("is not a directory") != std::string::npos);
  CHECK(slurp(tmp / "file") == "keep me");

  r = run({"bundle", corpus, "-o", (tmp / "file/sub").string()});
  CHECK(r.code == 3);

  // A directory the user cannot write to, with a good bundle in it. Root writes anywhere, so the
  // check runs as 'nobody' in a child process then, on a copy of the corpus it can read.
  fs::copy(corpus, tmp / "corpus", fs::copy_options::recursive);
  const std::string readable_corpus = (tmp / "corpus").string();
  fs::create_directories(tmp / "locked");
  REQUIRE(run({"bundle", readable_corpus, "-o", (tmp / "locked/b").string()}).code == 0);
  const std::string good = slurp(tmp / "locked/b/manifest.json");
  ::chmod((tmp / "locked").c_str(), 0555);
  ::chmod(tmp.path().c_str(), 0755);
  const int code = in_child([&]() {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) return 90;
    const auto res = run({"bundle", readable_corpus, "-o", (tmp / "locked/b").string()});
    const bool clear = res.err.find("cannot create '" + (tmp / "locked").string()) != std::string::npos &&
                       res.err.find("Permission denied") != std::string::npos;
    return clear ? res.code : 91;
  });
  ::chmod((tmp / "locked").c_str(), 0755);
  CHECK(code == 3);
  CHECK(slurp(tmp / "locked/b/manifest.json") == good);
  CHECK(leftovers(tmp / "locked").empty());
}

TEST_CASE("normkit bundle: a full disk leaves the previous bundle in place", "[bundle][cli]") {
  TempDir tmp;
  const std::string corpus = repo_path("corpus").string();
  REQUIRE(run({"bundle", corpus, "-o", (tmp / "b").string()}).code == 0);
  const std::string good = slurp(tmp / "b/normkit.sqlite");
  // The database is 100+ KB: a 64 KB file size limit fails the write part-way, as a full disk
  // does (EFBIG instead of ENOSPC; SIGXFSZ ignored so the write returns the error).
  const int code = in_child([&]() {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{64 * 1024, 64 * 1024};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) return 90;
    const auto res = run({"bundle", corpus, "-o", (tmp / "b").string()});
    return res.err.find("File too large") != std::string::npos ? res.code : 91;
  });
  CHECK(code == 3);
  CHECK(slurp(tmp / "b/normkit.sqlite") == good);
  CHECK(leftovers(tmp.path()).empty());
}

TEST_CASE("bundle: nested sections and provisions keep their parents", "[bundle]") {
  Corpus corpus;
  corpus.name = "nested";
  Document doc;
  doc.work = "nested";
  doc.edition = "1";
  Node outer = Node::make_section("1", "Section 1");
  outer.labeled->id = "nkouter000001";
  Node inner = Node::make_section("1.1", "Section 1.1");
  inner.labeled->id = "nkinner000001";
  Node parent = Node::make_provision(ProvisionKind::Standard, "1.1", "Standard 1.1");
  parent.labeled->id = "nkparent00001";
  parent.children.push_back(Node::make_paragraph({Node::make_text("Parent text.")}));
  Node child = Node::make_provision(ProvisionKind::Guideline, "1.1.1", "Guideline 1.1.1");
  child.labeled->id = "nkchild000001";
  child.children.push_back(Node::make_paragraph({Node::make_text("Child text.")}));
  parent.children.push_back(std::move(child));
  inner.children.push_back(std::move(parent));
  outer.children.push_back(Node::make_paragraph({Node::make_text("Intro.")}));
  outer.children.push_back(std::move(inner));
  doc.body.push_back(std::move(outer));
  corpus.documents.push_back({"x.xml", std::move(doc)});
  const OutputTree out = make_bundle(corpus);
  const json j = json::parse(*out.get("documents/nested/1.json"));
  REQUIRE(j["provisions"].size() == 2);
  CHECK(j["provisions"][0]["text"] == "Parent text.");  // not the child's text
  CHECK(j["provisions"][0]["section"] == "nkinner000001");
  CHECK(j["provisions"][0]["parent"].is_null());
  CHECK(j["provisions"][1]["parent"] == "nkparent00001");
  CHECK(j["provisions"][1]["section"] == "nkinner000001");
  const json& outer_item = j["outline"][0];
  CHECK(outer_item["text"] == "Intro.");
  CHECK(outer_item["children"][0]["id"] == "nkinner000001");
  CHECK(outer_item["children"][0]["depth"] == 1);
  CHECK(outer_item["children"][0]["children"][0]["children"][0]["id"] == "nkchild000001");
  Db db(*out.get("normkit.sqlite"));
  CHECK(db.rows("SELECT c.label, p.label FROM provisions c JOIN provisions p "
                "ON p.provision_id = c.parent_provision_id") ==
        std::vector<std::string>{"Guideline 1.1.1|Standard 1.1"});
  CHECK(db.rows("SELECT s.title, p.title FROM sections s JOIN sections p "
                "ON p.section_id = s.parent_section_id") == std::vector<std::string>{"|"});
  CHECK(db.rows("PRAGMA foreign_key_check").empty());
}

TEST_CASE("bundle: an SQLite failure is an error, not a crash or a partial bundle", "[bundle]") {
  // Two documents claiming the same work and edition (load_corpus refuses them; a caller that
  // builds a Corpus by hand might not): the JSON path clashes and the editions table refuses
  // the second row.
  Corpus corpus;
  corpus.name = "dup";
  for (int i = 0; i < 2; ++i) {
    Document doc;
    doc.work = "dup";
    doc.edition = "1";
    corpus.documents.push_back({"x.xml", std::move(doc)});
  }
  GeneratorOptions options;
  options.normkit_version = "0.1.0";
  OutputTree out;
  Diagnostics diags;
  CHECK_FALSE(generate_bundle(corpus, options, out, diags));
  REQUIRE(diags.has_errors());
  CHECK(diags.all().front().code == "sqlite");
  CHECK(diags.all().front().message.find("UNIQUE") != std::string::npos);
}
