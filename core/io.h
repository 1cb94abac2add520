// File-system access for the CLI and the build: reading inputs with a size limit, finding files
// in directories, and writing outputs atomically. Parsers and generators never call these: they
// get bytes and return bytes (OutputTree).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace normkit {

// Largest input file any command reads (1 GiB); larger files get an error, never an attempt.
inline constexpr uint64_t kMaxInputBytes = uint64_t{1} << 30;

// Reads a regular file whole. Reports (code "io") and returns nullopt for a missing file, a
// directory, a device, a file over `max_bytes`, or a read error.
std::optional<std::string> read_file(const std::filesystem::path& path, Diagnostics& diags,
                                     uint64_t max_bytes = kMaxInputBytes);

// Expands the arguments into files: a file stays as named; a directory is searched recursively
// (symbolic links are not followed) for names ending in one of `extensions`. Sorted, so every run
// sees the same order. Missing arguments are reported.
std::vector<std::filesystem::path> collect_files(const std::vector<std::string>& args,
                                                 const std::vector<std::string>& extensions,
                                                 Diagnostics& diags, size_t* skipped = nullptr);

// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so a
// failure leaves the old file intact.
bool write_file_atomic(const std::filesystem::path& path, std::string_view bytes, Diagnostics& diags);

// The files a generator produces, by relative '/'-separated path. Paths are checked: no absolute
// paths, no '..', no empty segments, only safe characters.
class OutputTree {
 public:
  // Adds or replaces a file; returns false (and adds nothing) for an unsafe path.
  bool add(const std::string& path, std::string bytes);
  const std::map<std::string, std::string>& files() const { return files_; }
  bool contains(const std::string& path) const { return files_.count(path) > 0; }
  const std::string* get(const std::string& path) const;
  // Moves every file of `other` under `prefix` ("markdown/").
  void merge(OutputTree&& other, const std::string& prefix = "");
  static bool is_safe_path(std::string_view path);

 private:
  std::map<std::string, std::string> files_;
};

// Writes the tree into a fresh temporary directory beside `dir`, then swaps it in place of
// `dir` (the old one is removed only after the swap). A failure leaves `dir` as it was.
bool commit_output(const OutputTree& tree, const std::filesystem::path& dir, Diagnostics& diags);

}  // namespace normkit
