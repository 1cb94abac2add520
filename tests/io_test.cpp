// OutputTree in both modes and the two-step atomic output (begin_output / finish_output) that
// `normkit build` and `normkit bundle` stream into.
#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/corpus.h"
#include "core/io.h"
#include "generators/registry.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace normkit;
using normkit::test::repo_path;
using normkit::test::slurp;
using normkit::test::spit;
using normkit::test::TempDir;

namespace {

std::vector<std::string> files_under(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(e.path().lexically_relative(dir).generic_string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> staging_leftovers(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.find(".new-") != std::string::npos || name.find(".old-") != std::string::npos) out.push_back(name);
  }
  return out;
}

}  // namespace

TEST_CASE("OutputTree streaming: add writes the file at once and keeps only its path", "[io]") {
  TempDir tmp;
  OutputTree tree(tmp / "out");
  CHECK(tree.streaming());
  CHECK(tree.add("index.html", "home"));
  CHECK(tree.add("doc/a/2024.html", "page a"));
  CHECK(tree.add("doc/a/2025.html", "page b"));
  // Written before any commit.
  CHECK(slurp(tmp / "out/index.html") == "home");
  CHECK(slurp(tmp / "out/doc/a/2024.html") == "page a");
  CHECK(tree.size() == 3);
  CHECK(tree.contains("doc/a/2025.html"));
  CHECK(tree.files().empty());              // no bytes kept
  CHECK(tree.get("index.html") == nullptr);
  // Replacing a file replaces it.
  CHECK(tree.add("index.html", "home 2"));
  CHECK(slurp(tmp / "out/index.html") == "home 2");
  CHECK(tree.size() == 3);
  // Unsafe paths are still refused, and nothing lands outside the tree.
  for (const char* bad : {"../escape", "/abs", "a//b", "a/./b", "a/../../b", "sp ace", ""}) {
    INFO(bad);
    CHECK_FALSE(tree.add(bad, "x"));
  }
  CHECK_FALSE(fs::exists(tmp / "escape"));
  CHECK(tree.error().empty());
  CHECK(files_under(tmp / "out") == std::vector<std::string>{"doc/a/2024.html", "doc/a/2025.html", "index.html"});
}

TEST_CASE("OutputTree streaming: adds from several threads all land", "[io]") {
  TempDir tmp;
  OutputTree tree(tmp / "out");
  std::vector<std::thread> pool;
  for (int t = 0; t < 4; ++t)
    pool.emplace_back([&, t]() {
      for (int i = 0; i < 50; ++i)
        tree.add("d" + std::to_string(i % 5) + "/f" + std::to_string(t) + "-" + std::to_string(i), std::to_string(i));
    });
  for (std::thread& t : pool) t.join();
  CHECK(tree.error().empty());
  CHECK(tree.size() == 200);
  CHECK(files_under(tmp / "out").size() == 200);
  CHECK(slurp(tmp / "out/d3/f2-13") == "13");
}

TEST_CASE("OutputTree streaming: a write error is kept and reported", "[io]") {
  TempDir tmp;
  spit(tmp / "file", "not a directory");
  OutputTree tree(tmp / "file/sub");
  CHECK_FALSE(tree.add("a.txt", "x"));
  CHECK_FALSE(tree.error().empty());
  CHECK(tree.error().find("cannot create") != std::string::npos);
  CHECK(slurp(tmp / "file") == "not a directory");
}

TEST_CASE("OutputTree: a file written in parts, in both modes", "[io]") {
  TempDir tmp;
  OutputTree disk(tmp / "out");
  OutputTree mem;
  for (OutputTree* tree : {&disk, &mem}) {
    INFO(tree->streaming());
    std::unique_ptr<OutputTree::Stream> s = tree->open_stream("sub/big.bin");
    REQUIRE(s);
    CHECK(s->append("one "));
    CHECK(s->append(""));
    CHECK(s->append("two"));
    CHECK_FALSE(tree->contains("sub/big.bin"));  // not a file of the tree until closed
    CHECK(s->close());
    CHECK(tree->contains("sub/big.bin"));
    CHECK_FALSE(s->append("late"));  // closed
    CHECK(tree->open_stream("../escape") == nullptr);
    CHECK(tree->error().empty());
  }
  CHECK(slurp(tmp / "out/sub/big.bin") == "one two");
  CHECK(*mem.get("sub/big.bin") == "one two");
}

TEST_CASE("OutputTree streaming: a file a library writes itself", "[io]") {
  TempDir tmp;
  OutputTree disk(tmp / "out");
  const fs::path p = disk.native_path("db/normkit.sqlite");
  REQUIRE(p == tmp / "out/db/normkit.sqlite");
  CHECK(fs::is_directory(tmp / "out/db"));
  CHECK_FALSE(disk.adopt("db/normkit.sqlite"));  // not written yet: an error
  CHECK(disk.error().find("cannot write") != std::string::npos);
  OutputTree disk2(tmp / "out2");
  const fs::path p2 = disk2.native_path("normkit.sqlite");
  spit(p2, "database");
  CHECK(disk2.adopt("normkit.sqlite"));
  CHECK(disk2.contains("normkit.sqlite"));
  CHECK(disk2.error().empty());
  disk2.fail("cannot write 'x': No space left on device");
  CHECK(disk2.error() == "cannot write 'x': No space left on device");
  CHECK_FALSE(disk2.add("more.txt", "x"));  // the first error stops the tree
  OutputTree mem;
  CHECK(mem.native_path("normkit.sqlite").empty());  // in memory: no file to write
}

TEST_CASE("OutputTree in memory: merge streams into a streaming tree", "[io]") {
  TempDir tmp;
  OutputTree mem;
  CHECK(mem.add("a/b.txt", "bee"));
  CHECK(*mem.get("a/b.txt") == "bee");
  OutputTree disk(tmp / "out");
  CHECK(disk.merge(std::move(mem), "sub/"));
  CHECK(slurp(tmp / "out/sub/a/b.txt") == "bee");
  CHECK(disk.contains("sub/a/b.txt"));
}

TEST_CASE("begin_output / finish_output swap atomically; abandon leaves the old output", "[io]") {
  TempDir tmp;
  const fs::path dir = tmp / "site";
  Diagnostics diags;
  // First output: no previous directory.
  fs::path staging = begin_output(dir, diags);
  REQUIRE_FALSE(staging.empty());
  CHECK(fs::is_directory(staging));
  CHECK(staging.parent_path() == tmp.path());
  {
    OutputTree tree(staging);
    REQUIRE(tree.add("index.html", "v1"));
  }
  CHECK_FALSE(fs::exists(dir));  // nothing visible before the swap
  REQUIRE(finish_output(staging, dir, diags));
  CHECK(slurp(dir / "index.html") == "v1");
  CHECK(staging_leftovers(tmp.path()).empty());

  // A failed second build: the files written so far are thrown away, the old output stays.
  staging = begin_output(dir, diags);
  REQUIRE_FALSE(staging.empty());
  {
    OutputTree tree(staging);
    REQUIRE(tree.add("index.html", "v2, half written"));
    REQUIRE(tree.add("extra.html", "x"));
  }
  abandon_output(staging);
  CHECK(slurp(dir / "index.html") == "v1");
  CHECK_FALSE(fs::exists(dir / "extra.html"));
  CHECK(staging_leftovers(tmp.path()).empty());

  // A good second build replaces the whole directory (stale files go).
  spit(dir / "stale.html", "old");
  staging = begin_output(dir, diags);
  {
    OutputTree tree(staging);
    REQUIRE(tree.add("index.html", "v3"));
  }
  REQUIRE(finish_output(staging, dir, diags));
  CHECK(files_under(dir) == std::vector<std::string>{"index.html"});
  CHECK(slurp(dir / "index.html") == "v3");
  CHECK(staging_leftovers(tmp.path()).empty());
  CHECK(diags.all().empty());

  // An output path that is a file is refused before anything is staged.
  spit(tmp / "plain", "keep");
  CHECK(begin_output(tmp / "plain", diags).empty());
  CHECK(slurp(tmp / "plain") == "keep");
  CHECK(staging_leftovers(tmp.path()).empty());
}

TEST_CASE("commit_output writes an in-memory tree like a streamed one", "[io]") {
  TempDir tmp;
  OutputTree mem;
  mem.add("a.txt", "A");
  mem.add("d/e/f.txt", "F");
  Diagnostics diags;
  REQUIRE(commit_output(mem, tmp / "out", diags));
  CHECK(files_under(tmp / "out") == std::vector<std::string>{"a.txt", "d/e/f.txt"});
  CHECK(slurp(tmp / "out/d/e/f.txt") == "F");
  CHECK(staging_leftovers(tmp.path()).empty());
}

TEST_CASE("every generator streams the same bytes it builds in memory", "[io][bundle][site]") {
  Corpus corpus;
  Diagnostics diags;
  REQUIRE(load_corpus({repo_path("corpus").string()}, corpus, diags));
  corpus.name = "corpus";
  GeneratorOptions options;
  options.normkit_version = "0.1.0";
  options.threads = 2;
  for (const GeneratorEntry& g : generators()) {
    INFO(g.name);
    TempDir tmp;
    OutputTree mem;
    OutputTree disk(tmp / "out");
    REQUIRE(g.generate(corpus, options, mem, diags));
    REQUIRE(g.generate(corpus, options, disk, diags));
    CHECK(disk.error().empty());
    CHECK(disk.size() == mem.size());
    std::vector<std::string> paths;
    for (const auto& [path, bytes] : mem.files()) {
      paths.push_back(path);
      INFO(path);
      CHECK(disk.contains(path));
      CHECK(slurp(tmp / "out" / path) == bytes);
    }
    CHECK(files_under(tmp / "out") == paths);
  }
}
