// The bundle archive: a POSIX (pax) tar, gzip-compressed, built in memory with libarchive.
#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>

#include "generators/bundle/bundle.h"

namespace normkit::bundle {

namespace {

struct EntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

la_ssize_t append_to_string(archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

}  // namespace

ArchiveWriter::ArchiveWriter(std::string root, int64_t mtime, std::string& bytes)
    : archive_(archive_write_new()), root_(std::move(root)), mtime_(mtime) {
  bytes.clear();
  // Level 1: JSON and SQLite compress well anyway, and level 6 takes several times longer on
  // the 2,000-document benchmark.
  ok_ = archive_ && archive_write_set_format_pax_restricted(archive_) == ARCHIVE_OK &&
        archive_write_add_filter_gzip(archive_) == ARCHIVE_OK &&
        archive_write_set_filter_option(archive_, "gzip", "compression-level", "1") == ARCHIVE_OK &&
        // A null value negates the option: no timestamp in the gzip header.
        archive_write_set_filter_option(archive_, "gzip", "timestamp", nullptr) == ARCHIVE_OK &&
        archive_write_set_bytes_in_last_block(archive_, 1) == ARCHIVE_OK &&
        archive_write_open2(archive_, &bytes, nullptr, append_to_string, nullptr, nullptr) == ARCHIVE_OK;
}

ArchiveWriter::~ArchiveWriter() {
  if (archive_) archive_write_free(archive_);
}

bool ArchiveWriter::failed(const char* what, Diagnostics& diags) {
  const char* detail = archive_ ? archive_error_string(archive_) : nullptr;
  diags.error("archive", std::string("libarchive: ") + what + (detail ? std::string(": ") + detail : ""));
  ok_ = false;
  return false;
}

bool ArchiveWriter::add_entry(const std::string& path, const std::string_view* data, Diagnostics& diags) {
  std::unique_ptr<archive_entry, EntryFree> e(archive_entry_new());
  archive_entry_set_pathname(e.get(), path.c_str());
  archive_entry_set_mtime(e.get(), mtime_, 0);
  archive_entry_set_uid(e.get(), 0);
  archive_entry_set_gid(e.get(), 0);
  archive_entry_set_filetype(e.get(), data ? AE_IFREG : AE_IFDIR);
  archive_entry_set_perm(e.get(), data ? 0644 : 0755);
  archive_entry_set_size(e.get(), data ? static_cast<la_int64_t>(data->size()) : 0);
  if (archive_write_header(archive_, e.get()) != ARCHIVE_OK) return failed("cannot add an entry", diags);
  if (data && !data->empty() &&
      archive_write_data(archive_, data->data(), data->size()) != static_cast<la_ssize_t>(data->size()))
    return failed("cannot write an entry", diags);
  return true;
}

bool ArchiveWriter::add(const std::string& path, std::string_view data, Diagnostics& diags) {
  if (!ok_) return failed("cannot set up the archive", diags);
  // Parent directories first, each once.
  std::string dir = root_ + "/";
  size_t from = 0;
  while (true) {
    if (dirs_written_.insert(dir).second && !add_entry(dir, nullptr, diags)) return false;
    const size_t slash = path.find('/', from);
    if (slash == std::string::npos) break;
    dir = root_ + "/" + path.substr(0, slash + 1);
    from = slash + 1;
  }
  return add_entry(root_ + "/" + path, &data, diags);
}

bool ArchiveWriter::finish(Diagnostics& diags) {
  if (!ok_) return failed("cannot set up the archive", diags);
  if (archive_write_close(archive_) != ARCHIVE_OK) return failed("cannot finish the archive", diags);
  return true;
}

}  // namespace normkit::bundle
