// The bundle archive: a POSIX (pax) tar, gzip-compressed, built in memory with libarchive.
// Deterministic: entries sorted by path with their directories first, one fixed mtime, owner and
// group 0 without names, fixed modes, and no timestamp in the gzip header.
#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>
#include <set>

#include "generators/bundle/bundle.h"

namespace normkit::bundle {

namespace {

struct ArchiveFree {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

la_ssize_t append_to_string(archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

}  // namespace

bool build_archive(const std::vector<std::pair<std::string, const std::string*>>& files,
                   const std::string& root, int64_t mtime, std::string& bytes, Diagnostics& diags) {
  bytes.clear();
  std::unique_ptr<archive, ArchiveFree> a(archive_write_new());
  const auto failed = [&](const char* what) {
    diags.error("archive", std::string("libarchive: ") + what + ": " +
                               (archive_error_string(a.get()) ? archive_error_string(a.get()) : "error"));
    return false;
  };
  // Level 1: the archive holds JSON and SQLite that compress well anyway, and level 6 would take
  // several times longer on the 2,000-document benchmark.
  if (archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
      archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK ||
      archive_write_set_filter_option(a.get(), "gzip", "compression-level", "1") != ARCHIVE_OK ||
      archive_write_set_filter_option(a.get(), "gzip", "timestamp", nullptr) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK)
    return failed("cannot set up the archive");
  if (archive_write_open2(a.get(), &bytes, nullptr, append_to_string, nullptr, nullptr) != ARCHIVE_OK)
    return failed("cannot open the archive");

  // Directories first, then files, all in byte order of their paths (a std::set of "dir/").
  std::set<std::string> dirs{root + "/"};
  std::vector<std::pair<std::string, const std::string*>> sorted;
  for (const auto& [path, data] : files) {
    for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
      dirs.insert(root + "/" + path.substr(0, slash + 1));
    sorted.emplace_back(root + "/" + path, data);
  }
  for (const std::string& d : dirs) sorted.emplace_back(d, nullptr);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });

  for (const auto& [path, data] : sorted) {
    std::unique_ptr<archive_entry, EntryFree> e(archive_entry_new());
    archive_entry_set_pathname(e.get(), path.c_str());
    archive_entry_set_mtime(e.get(), mtime, 0);
    archive_entry_set_uid(e.get(), 0);
    archive_entry_set_gid(e.get(), 0);
    if (data) {
      archive_entry_set_filetype(e.get(), AE_IFREG);
      archive_entry_set_perm(e.get(), 0644);
      archive_entry_set_size(e.get(), static_cast<la_int64_t>(data->size()));
    } else {
      archive_entry_set_filetype(e.get(), AE_IFDIR);
      archive_entry_set_perm(e.get(), 0755);
      archive_entry_set_size(e.get(), 0);
    }
    if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK) return failed("cannot add an entry");
    if (data && !data->empty() &&
        archive_write_data(a.get(), data->data(), data->size()) != static_cast<la_ssize_t>(data->size()))
      return failed("cannot write an entry");
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) return failed("cannot finish the archive");
  return true;
}

}  // namespace normkit::bundle
