// Helpers shared by the tests: paths to the repository and to the real corpus, and running
// the CLI in-process.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"

namespace normkit::test {

// A small deterministic generator (64-bit LCG, high bits) for tests over many generated inputs:
// the same seed gives the same inputs on every machine.
struct Lcg {
  uint64_t state;
  uint32_t next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state >> 33);
  }
};

inline std::filesystem::path repo_path(const std::string& rel) {
  return std::filesystem::path(NORMKIT_SOURCE_DIR) / rel;
}

// ../shared/corpus/real/<name>; tests that use it are tagged [real] (see tests/CMakeLists.txt).
inline std::filesystem::path real_corpus_path(const std::string& name) {
  return std::filesystem::path(NORMKIT_SHARED_CORPUS_DIR) / name;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void spit(const std::filesystem::path& p, const std::string& bytes) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

inline CliResult run(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = cli::run_cli(args, out, err);
  return {code, out.str(), err.str()};
}

// A fresh, empty directory under the system temp dir, removed when the object goes.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("normkit-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& rel) const { return path_ / rel; }

 private:
  std::filesystem::path path_;
};

}  // namespace normkit::test
