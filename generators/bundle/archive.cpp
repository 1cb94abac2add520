// The bundle archive: a POSIX (pax) tar written by libarchive, gzip-compressed in independent
// pieces on every thread (GzipWriter) and streamed to its file as the pieces are done.
#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <algorithm>
#include <memory>

#include "generators/bundle/bundle.h"

namespace normkit::bundle {

namespace {

struct EntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

la_ssize_t write_to_gzip(archive*, void* client, const void* buffer, size_t length) {
  auto* gzip = static_cast<GzipWriter*>(client);
  if (!gzip->write(std::string_view(static_cast<const char*>(buffer), length))) return -1;
  return static_cast<la_ssize_t>(length);
}

// One deflate state per thread, reset for every piece: no allocation per piece. zlib, not a
// faster SIMD deflate: ISA-L's igzip (tried on 2026-11-25) now and then compressed the same piece
// differently on this project's virtual machines under load, and the archive must be the same
// bytes every time (docs/bundle-format.md, "The archive").
struct Deflater {
  z_stream z{};
  bool ready = false;
  Deflater() {
    // Raw deflate (no zlib or gzip framing: the pieces share one gzip header and trailer),
    // the default 32 KB window and memory level.
    ready = deflateInit2(&z, GzipWriter::kLevel, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~Deflater() {
    if (ready) deflateEnd(&z);
  }
  // Compresses `in` on its own into `out` (whose buffer is reused), ending with a sync flush:
  // an empty stored block, so the next piece starts on a byte boundary and no piece holds the
  // last block.
  bool compress(std::string_view in, std::string& out) {
    if (!ready || deflateReset(&z) != Z_OK) return false;
    out.resize(deflateBound(&z, static_cast<uLong>(in.size())) + 64);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    size_t used = 0;
    while (true) {
      z.next_out = reinterpret_cast<Bytef*>(out.data() + used);
      z.avail_out = static_cast<uInt>(out.size() - used);
      const int rc = deflate(&z, Z_SYNC_FLUSH);
      used = out.size() - z.avail_out;
      if (rc != Z_OK && rc != Z_BUF_ERROR) return false;
      if (z.avail_in == 0 && z.avail_out > 0) break;  // all in, flush complete
      out.resize(out.size() * 2);
    }
    out.resize(used);
    return true;
  }
};

}  // namespace

// --- GzipWriter ------------------------------------------------------------------------------

GzipWriter::GzipWriter(TaskPool& pool, OutputTree::Stream& out, unsigned max_pending)
    : pool_(pool), out_(out), max_pending_(std::max(1u, max_pending)) {
  // The gzip header (RFC 1952): deflate, no flags, no timestamp, "fastest" (level 1), Unix.
  static constexpr char kHeader[10] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 4, 3};
  ok_ = out_.append(std::string_view(kHeader, sizeof kHeader));
  current_.reserve(kPieceBytes);
}

bool GzipWriter::write(std::string_view data) {
  if (!ok_) return false;
  while (!data.empty()) {
    const size_t take = std::min(kPieceBytes - current_.size(), data.size());
    current_.append(data.data(), take);
    data.remove_prefix(take);
    if (current_.size() == kPieceBytes) submit();
  }
  return ok_;
}

std::string GzipWriter::spare() {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (spares_.empty()) return std::string();
  std::string s = std::move(spares_.back());
  spares_.pop_back();
  return s;
}

void GzipWriter::recycle(std::string& buffer) {
  buffer.clear();
  const std::lock_guard<std::mutex> lock(mutex_);
  if (spares_.size() < 2 * max_pending_ + 4) spares_.push_back(std::move(buffer));
  std::string().swap(buffer);
}

void GzipWriter::submit() {
  pieces_.push_back(std::make_unique<Piece>());
  Piece* piece = pieces_.back().get();
  piece->in = std::move(current_);
  piece->out = spare();
  current_ = spare();
  current_.reserve(kPieceBytes);
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    ++pending_;
  }
  pool_.submit([this, piece] {
    thread_local Deflater deflater;
    piece->crc = static_cast<uint32_t>(
        crc32_z(0, reinterpret_cast<const Bytef*>(piece->in.data()), piece->in.size()));
    piece->size = piece->in.size();
    piece->ok = deflater.compress(piece->in, piece->out);
    recycle(piece->in);  // the input's buffer serves a later piece
    const std::lock_guard<std::mutex> lock(mutex_);
    piece->done = true;
    --pending_;
  });
  // Bounded memory: while too many pieces wait, this thread compresses too.
  pool_.help_until([this] {
    const std::lock_guard<std::mutex> lock(mutex_);
    return pending_ <= max_pending_;
  });
  drain();
}

void GzipWriter::drain() {
  while (ok_ && !pieces_.empty()) {
    Piece& p = *pieces_.front();
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (!p.done) return;
    }
    if (!p.ok) {
      ok_ = false;
      error_ = "zlib: cannot compress";
      return;
    }
    crc_ = static_cast<uint32_t>(crc32_combine(crc_, p.crc, static_cast<z_off_t>(p.size)));
    size_ += p.size;
    if (!out_.append(p.out)) {
      ok_ = false;
      return;
    }
    recycle(p.out);
    pieces_.pop_front();
  }
}

bool GzipWriter::finish() {
  if (!ok_) return false;
  if (!current_.empty()) submit();
  pool_.help_until([this] {
    const std::lock_guard<std::mutex> lock(mutex_);
    return pending_ == 0;
  });
  drain();
  if (!ok_) return false;
  // A final, empty block with fixed codes (the two bytes 03 00) ends the deflate stream; then
  // the trailer: CRC-32 and length modulo 2^32 of everything, little-endian.
  char trailer[10] = {3, 0};
  for (int i = 0; i < 4; ++i) {
    trailer[2 + i] = static_cast<char>((crc_ >> (8 * i)) & 0xff);
    trailer[6 + i] = static_cast<char>((size_ >> (8 * i)) & 0xff);
  }
  ok_ = out_.append(std::string_view(trailer, sizeof trailer));
  return ok_;
}

// --- ArchiveWriter ---------------------------------------------------------------------------

ArchiveWriter::ArchiveWriter(std::string root, int64_t mtime, GzipWriter& gzip)
    : archive_(archive_write_new()), root_(std::move(root)), mtime_(mtime), gzip_(gzip) {
  // No libarchive filter and no blocking: every byte of the tar goes straight to the
  // GzipWriter, and the tar ends right after its end-of-archive blocks.
  ok_ = archive_ && archive_write_set_format_pax_restricted(archive_) == ARCHIVE_OK &&
        archive_write_add_filter_none(archive_) == ARCHIVE_OK &&
        archive_write_set_bytes_per_block(archive_, 0) == ARCHIVE_OK &&
        archive_write_open2(archive_, &gzip_, nullptr, write_to_gzip, nullptr, nullptr) == ARCHIVE_OK;
}

ArchiveWriter::~ArchiveWriter() {
  // Unfinished (a failure): freeing would write the end-of-archive blocks, so the gzip writer
  // is told to take nothing more first.
  if (!finished_) gzip_.abandon();
  if (archive_) archive_write_free(archive_);
}

bool ArchiveWriter::failed(const char* what, Diagnostics& diags) {
  if (!gzip_.error().empty()) {
    diags.error("archive", gzip_.error());
  } else if (gzip_.ok()) {  // a write error is the OutputTree's to report
    const char* detail = archive_ ? archive_error_string(archive_) : nullptr;
    diags.error("archive", std::string("libarchive: ") + what + (detail ? std::string(": ") + detail : ""));
  }
  ok_ = false;
  return false;
}

bool ArchiveWriter::add_entry(const std::string& path, bool is_file, uint64_t size, Diagnostics& diags) {
  std::unique_ptr<archive_entry, EntryFree> e(archive_entry_new());
  archive_entry_set_pathname(e.get(), path.c_str());
  archive_entry_set_mtime(e.get(), mtime_, 0);
  archive_entry_set_uid(e.get(), 0);
  archive_entry_set_gid(e.get(), 0);
  archive_entry_set_filetype(e.get(), is_file ? AE_IFREG : AE_IFDIR);
  archive_entry_set_perm(e.get(), is_file ? 0644 : 0755);
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(size));
  if (archive_write_header(archive_, e.get()) != ARCHIVE_OK) return failed("cannot add an entry", diags);
  return true;
}

bool ArchiveWriter::begin(const std::string& path, uint64_t size, Diagnostics& diags) {
  if (!ok_) return failed("cannot set up the archive", diags);
  // Parent directories first, each once.
  std::string dir = root_ + "/";
  size_t from = 0;
  while (true) {
    if (dirs_written_.insert(dir).second && !add_entry(dir, false, 0, diags)) return false;
    const size_t slash = path.find('/', from);
    if (slash == std::string::npos) break;
    dir = root_ + "/" + path.substr(0, slash + 1);
    from = slash + 1;
  }
  return add_entry(root_ + "/" + path, true, size, diags);
}

bool ArchiveWriter::write(std::string_view data, Diagnostics& diags) {
  if (data.empty()) return true;
  if (archive_write_data(archive_, data.data(), data.size()) != static_cast<la_ssize_t>(data.size()))
    return failed("cannot write an entry", diags);
  return true;
}

bool ArchiveWriter::add(const std::string& path, std::string_view data, Diagnostics& diags) {
  return begin(path, data.size(), diags) && write(data, diags);
}

bool ArchiveWriter::finish(Diagnostics& diags) {
  if (!ok_) return failed("cannot set up the archive", diags);
  finished_ = true;
  if (archive_write_close(archive_) != ARCHIVE_OK) return failed("cannot finish the archive", diags);
  if (!gzip_.finish()) return failed("cannot finish the archive", diags);
  return true;
}

}  // namespace normkit::bundle
