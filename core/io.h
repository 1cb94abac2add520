// File-system access for the CLI and the build: reading inputs with a size limit, finding files
// in directories, and writing outputs atomically. Parsers and generators never call these: they
// get bytes and return bytes (OutputTree).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
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
//
// Two modes. In memory (the default constructor) the tree keeps every file's bytes; tests and
// library callers read them back with files() / get(). Streaming (constructed with a directory,
// normally a staging directory from begin_output) writes each file under that directory as soon
// as it is added and keeps only its path and size, so a build never holds its whole output in
// memory; commit then only swaps the staging directory into place. add() may be called from
// several threads at once in both modes.
class OutputTree {
 public:
  OutputTree();
  explicit OutputTree(std::filesystem::path dir);
  OutputTree(OutputTree&&) noexcept;
  OutputTree& operator=(OutputTree&&) noexcept;
  ~OutputTree();

  // Adds or replaces a file; returns false (and adds nothing) for an unsafe path, or, when
  // streaming, for a write error (error() says what failed; the first error is kept).
  bool add(const std::string& path, std::string bytes);
  // The same for bytes the caller keeps: copied only in memory mode, written as is when streaming.
  bool add_bytes(const std::string& path, std::string_view bytes);
  // A file written in parts, in order, for output too large to hold (the bundle's archive):
  // open_stream creates it empty (nullptr, with error() set when streaming, for an unsafe path
  // or a create error); append adds bytes at its end; close finishes it. Streaming: written as
  // it goes; in memory: the parts are kept and the file appears in files() at close(). A
  // stream destroyed unclosed leaves an incomplete file (a failed build's staging directory).
  // One thread at a time per stream; several streams and adds may run at once.
  class Stream {
   public:
    ~Stream();
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;
    bool append(std::string_view bytes);
    bool close();

   private:
    friend class OutputTree;
    Stream(OutputTree& tree, std::string path, int fd) : tree_(tree), path_(std::move(path)), fd_(fd) {}
    OutputTree& tree_;
    std::string path_;
    int fd_ = -1;        // streaming
    std::string bytes_;  // in memory
    uint64_t size_ = 0;
    bool ok_ = true;
  };
  std::unique_ptr<Stream> open_stream(const std::string& path);
  // For a library that writes its own file (SQLite), when streaming: the full path at which to
  // create `path` (its directories made, an old file removed), or an empty path in memory mode
  // or after an error. adopt() then records the finished file as written (false, error() set,
  // if it is not there); fail() records a write error met while writing it.
  std::filesystem::path native_path(const std::string& path);
  bool adopt(const std::string& path);
  void fail(const std::string& message) { set_error(message); }
  // The files' bytes (in-memory mode; empty when streaming).
  const std::map<std::string, std::string>& files() const { return files_; }
  // Number of files, in either mode.
  size_t size() const { return streaming() ? written_.size() : files_.size(); }
  bool contains(const std::string& path) const {
    return streaming() ? written_.count(path) > 0 : files_.count(path) > 0;
  }
  // A file's bytes (in-memory mode; nullptr when streaming or absent).
  const std::string* get(const std::string& path) const;
  // Moves every file of `other` (in memory) under `prefix` ("markdown/"); written at once when
  // this tree streams.
  bool merge(OutputTree&& other, const std::string& prefix = "");
  static bool is_safe_path(std::string_view path);

  bool streaming() const { return !dir_.empty(); }
  const std::filesystem::path& dir() const { return dir_; }
  // The first write error when streaming, else empty.
  const std::string& error() const { return error_; }

 private:
  bool write(const std::string& path, std::string_view bytes);
  // Streaming: directories for `path` made, old file removed; false (error_ set) on failure.
  bool prepare(const std::string& path);
  void set_error(const std::string& message);

  std::map<std::string, std::string> files_;  // in memory
  std::filesystem::path dir_;                 // streaming: where files go
  std::map<std::string, uint64_t> written_;   // streaming: path -> bytes
  std::set<std::string> made_dirs_;           // streaming: directories already created
  std::string error_;
  std::unique_ptr<std::mutex> mutex_;
};

// Atomic output in two steps, for a streaming OutputTree:
// begin_output creates a fresh, empty staging directory beside `dir` and returns it (an empty
// path after reporting an error: `dir` exists and is not a directory, or cannot be created
// beside). finish_output swaps the staging directory in place of `dir` (the old one is removed
// only after the swap); on failure `dir` is left as it was and the staging directory removed.
// abandon_output removes a staging directory (a failed build): `dir` is never touched.
std::filesystem::path begin_output(const std::filesystem::path& dir, Diagnostics& diags);
bool finish_output(const std::filesystem::path& staging, const std::filesystem::path& dir,
                   Diagnostics& diags);
void abandon_output(const std::filesystem::path& staging);

// Writes an in-memory tree into a fresh temporary directory beside `dir`, then swaps it in place
// of `dir` (begin_output, write, finish_output). A failure leaves `dir` as it was.
bool commit_output(const OutputTree& tree, const std::filesystem::path& dir, Diagnostics& diags);

}  // namespace normkit
