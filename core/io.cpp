#include "core/io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <system_error>

namespace normkit {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& path, Diagnostics& diags, uint64_t max_bytes) {
  const std::string name = path.string();
  const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    diags.error("io", "cannot open '" + name + "': " + std::strerror(errno));
    return std::nullopt;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    diags.error("io", "cannot stat '" + name + "': " + std::strerror(errno));
    return std::nullopt;
  }
  if (S_ISDIR(st.st_mode)) {
    diags.error("io", "'" + name + "' is a directory");
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    diags.error("io", "'" + name + "' is not a regular file");
    return std::nullopt;
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    diags.error("too-large", "'" + name + "' is " + std::to_string(st.st_size) +
                                 " bytes, more than the limit of " + std::to_string(max_bytes));
    return std::nullopt;
  }
  std::string data;
  data.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < data.size()) {
    const ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      diags.error("io", "cannot read '" + name + "': " + std::strerror(errno));
      return std::nullopt;
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  data.resize(got);
  return data;
}

std::vector<fs::path> collect_files(const std::vector<std::string>& args,
                                    const std::vector<std::string>& extensions, Diagnostics& diags,
                                    size_t* skipped) {
  std::vector<fs::path> out;
  size_t skip = 0;
  const auto wanted = [&](const fs::path& p) {
    const std::string name = p.filename().string();
    for (const std::string& ext : extensions)
      if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0)
        return true;
    return false;
  };
  for (const std::string& arg : args) {
    std::error_code ec;
    const fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) {
      diags.error("io", "'" + arg + "' does not exist");
      continue;
    }
    if (!fs::is_directory(st)) {
      out.emplace_back(arg);
      continue;
    }
    std::vector<fs::path> found;
    fs::recursive_directory_iterator it(arg, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const fs::directory_entry& e = *it;
      std::error_code ec2;
      if (e.is_symlink(ec2)) {
        ++skip;
        continue;
      }
      if (!e.is_regular_file(ec2)) continue;
      if (wanted(e.path())) found.push_back(e.path());
      else ++skip;
    }
    if (ec) diags.error("io", "cannot read directory '" + arg + "': " + ec.message());
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  if (skipped) *skipped = skip;
  return out;
}

namespace {

std::string random_suffix() {
  std::random_device rd;
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < 10; ++i) s += kChars[rd() % 36];
  return s;
}

bool write_all(const fs::path& path, std::string_view bytes, Diagnostics& diags) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    diags.error("io", "cannot create '" + path.string() + "': " + std::strerror(errno));
    return false;
  }
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      diags.error("io", "cannot write '" + path.string() + "': " + std::strerror(errno));
      ::close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    diags.error("io", "cannot write '" + path.string() + "': " + std::strerror(errno));
    return false;
  }
  return true;
}

}  // namespace

bool write_file_atomic(const fs::path& path, std::string_view bytes, Diagnostics& diags) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const fs::path tmp = dir / ("." + path.filename().string() + ".tmp-" + random_suffix());
  if (!write_all(tmp, bytes, diags)) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return false;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    diags.error("io", "cannot replace '" + path.string() + "': " + ec.message());
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

// --- OutputTree -----------------------------------------------------------------------------

bool OutputTree::is_safe_path(std::string_view path) {
  if (path.empty() || path.size() > 512 || path.front() == '/' || path.back() == '/') return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view seg = path.substr(start, end - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    for (char c : seg) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

OutputTree::OutputTree() : mutex_(std::make_unique<std::mutex>()) {}
OutputTree::OutputTree(fs::path dir) : dir_(std::move(dir)), mutex_(std::make_unique<std::mutex>()) {}
OutputTree::OutputTree(OutputTree&&) noexcept = default;
OutputTree& OutputTree::operator=(OutputTree&&) noexcept = default;
OutputTree::~OutputTree() = default;

bool OutputTree::add(const std::string& path, std::string bytes) {
  if (!is_safe_path(path)) return false;
  if (!streaming()) {
    const std::lock_guard<std::mutex> lock(*mutex_);
    files_[path] = std::move(bytes);
    return true;
  }
  return write(path, bytes);
}

bool OutputTree::add_bytes(const std::string& path, std::string_view bytes) {
  if (!streaming()) return add(path, std::string(bytes));
  if (!is_safe_path(path)) return false;
  return write(path, bytes);
}

bool OutputTree::prepare(const std::string& path) {
  const fs::path target = dir_ / path;
  bool replace = false;
  std::vector<std::string> missing;  // directories not known to exist, parents first
  {
    // Bookkeeping under the lock; directories and the (slow) write outside it, so threads
    // write their files in parallel. Two threads may both make a directory: the second sees
    // EEXIST, which is fine; a directory is recorded only once it exists.
    const std::lock_guard<std::mutex> lock(*mutex_);
    if (!error_.empty()) return false;
    replace = written_.count(path) > 0;
    if (!made_dirs_.count("")) missing.emplace_back();  // the tree's own directory first
    for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
      std::string sub = path.substr(0, slash);
      if (!made_dirs_.count(sub)) missing.push_back(std::move(sub));
    }
  }
  for (const std::string& sub : missing) {
    const fs::path d = sub.empty() ? dir_ : dir_ / sub;
    if (::mkdir(d.c_str(), 0755) != 0 && errno != EEXIST) {
      set_error("cannot create '" + d.string() + "': " + std::strerror(errno));
      return false;
    }
  }
  if (!missing.empty()) {
    const std::lock_guard<std::mutex> lock(*mutex_);
    for (std::string& sub : missing) made_dirs_.insert(std::move(sub));
  }
  if (replace) ::unlink(target.c_str());
  return true;
}

void OutputTree::set_error(const std::string& message) {
  const std::lock_guard<std::mutex> lock(*mutex_);
  if (error_.empty()) error_ = message;
}

bool OutputTree::write(const std::string& path, std::string_view bytes) {
  if (!prepare(path)) return false;
  const fs::path target = dir_ / path;
  Diagnostics local;
  const bool ok = write_all(target, bytes, local);
  const std::lock_guard<std::mutex> lock(*mutex_);
  if (!ok) {
    if (error_.empty())
      error_ = local.all().empty() ? "cannot write '" + target.string() + "'" : local.all().front().message;
    return false;
  }
  written_[path] = bytes.size();
  return true;
}

std::unique_ptr<OutputTree::Stream> OutputTree::open_stream(const std::string& path) {
  if (!is_safe_path(path)) return nullptr;
  if (!streaming()) return std::unique_ptr<Stream>(new Stream(*this, path, -1));
  if (!prepare(path)) return nullptr;
  const fs::path target = dir_ / path;
  const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    set_error("cannot create '" + target.string() + "': " + std::strerror(errno));
    return nullptr;
  }
  return std::unique_ptr<Stream>(new Stream(*this, path, fd));
}

fs::path OutputTree::native_path(const std::string& path) {
  if (!streaming() || !is_safe_path(path) || !prepare(path)) return {};
  return dir_ / path;
}

bool OutputTree::adopt(const std::string& path) {
  if (!streaming() || !is_safe_path(path)) return false;
  const fs::path target = dir_ / path;
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) {
    set_error("cannot write '" + target.string() + "': " + std::strerror(errno));
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    set_error("cannot write '" + target.string() + "': not a regular file");
    return false;
  }
  const std::lock_guard<std::mutex> lock(*mutex_);
  written_[path] = static_cast<uint64_t>(st.st_size);
  return true;
}

OutputTree::Stream::~Stream() {
  if (fd_ >= 0) ::close(fd_);
}

bool OutputTree::Stream::append(std::string_view bytes) {
  if (!ok_) return false;
  size_ += bytes.size();
  if (fd_ < 0) {
    bytes_.append(bytes);
    return true;
  }
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      tree_.set_error("cannot write '" + (tree_.dir_ / path_).string() + "': " + std::strerror(errno));
      ok_ = false;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool OutputTree::Stream::close() {
  if (!ok_) return false;
  ok_ = false;  // closed
  if (fd_ < 0) {
    const std::lock_guard<std::mutex> lock(*tree_.mutex_);
    tree_.files_[path_] = std::move(bytes_);
    return true;
  }
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    tree_.set_error("cannot write '" + (tree_.dir_ / path_).string() + "': " + std::strerror(errno));
    return false;
  }
  const std::lock_guard<std::mutex> lock(*tree_.mutex_);
  tree_.written_[path_] = size_;
  return true;
}

const std::string* OutputTree::get(const std::string& path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

bool OutputTree::merge(OutputTree&& other, const std::string& prefix) {
  bool ok = true;
  for (auto& [path, bytes] : other.files_) {
    if (streaming()) ok = write(prefix + path, bytes) && ok;
    else files_[prefix + path] = std::move(bytes);
  }
  other.files_.clear();
  return ok;
}

fs::path begin_output(const fs::path& dir_in, Diagnostics& diags) {
  const fs::path dir = dir_in.lexically_normal();
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    diags.error("io", "output '" + dir.string() + "' exists and is not a directory");
    return {};
  }
  fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
  if (dir.filename().empty()) parent = dir.parent_path().parent_path();
  fs::create_directories(parent, ec);
  if (ec) {
    diags.error("io", "cannot create '" + parent.string() + "': " + ec.message());
    return {};
  }
  const std::string base = dir.filename().empty() ? dir.parent_path().filename().string()
                                                  : dir.filename().string();
  const fs::path staging = parent / ("." + base + ".new-" + random_suffix());
  if (!fs::create_directory(staging, ec) || ec) {
    diags.error("io", "cannot create '" + staging.string() + "': " +
                          (ec ? ec.message() : std::string("already exists")));
    return {};
  }
  return staging;
}

void abandon_output(const fs::path& staging) {
  if (staging.empty()) return;
  std::error_code ignore;
  fs::remove_all(staging, ignore);
}

bool finish_output(const fs::path& staging, const fs::path& dir_in, Diagnostics& diags) {
  fs::path dir = dir_in.lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();
  const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
  const fs::path retired = parent / ("." + dir.filename().string() + ".old-" + random_suffix());
  std::error_code ec;
  const bool had_old = fs::exists(dir, ec);
  if (had_old) {
    fs::rename(dir, retired, ec);
    if (ec) {
      diags.error("io", "cannot move the old '" + dir.string() + "' aside: " + ec.message());
      abandon_output(staging);
      return false;
    }
  }
  fs::rename(staging, dir, ec);
  if (ec) {
    diags.error("io", "cannot move the new output into '" + dir.string() + "': " + ec.message());
    std::error_code ignore;
    if (had_old) fs::rename(retired, dir, ignore);
    abandon_output(staging);
    return false;
  }
  if (had_old) fs::remove_all(retired, ec);
  return true;
}

bool commit_output(const OutputTree& tree, const fs::path& dir, Diagnostics& diags) {
  const fs::path staging = begin_output(dir, diags);
  if (staging.empty()) return false;
  OutputTree out(staging);
  for (const auto& [rel, bytes] : tree.files())
    if (!out.add(rel, bytes)) {
      diags.error("io", out.error().empty() ? "unsafe output path '" + rel + "'" : out.error());
      abandon_output(staging);
      return false;
    }
  return finish_output(staging, dir, diags);
}

}  // namespace normkit
