// A bump arena for cmark trees, shared by the Markdown writer and reader.
#pragma once

#include <cmark.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <vector>

namespace normkit::markdown {

// --- A bump arena for cmark ------------------------------------------------------------------
//
// A document's cmark tree is built, rendered and dropped as a whole, so its nodes, literals and
// the render buffer come from one arena freed at once: malloc and free of many small pieces were
// a third of the writer's time. cmark's allocator hooks take no context, hence the thread-local
// "current arena"; MdArenaScope installs the thread's arena for the extent of a tree and empties
// it afterwards, keeping its memory (up to 16 MB per thread that has written or read Markdown).

class MdArena {
 public:
  void* allocate(size_t n, bool zero) {
    const size_t need = round_up(n) + kHeader;
    if (need > left_) grow(need);
    char* p = cursor_;
    cursor_ += need;
    left_ -= need;
    *reinterpret_cast<size_t*>(p) = n;
    last_ = p + kHeader;
    if (zero) std::memset(last_, 0, n);
    return last_;
  }
  void* reallocate(void* old, size_t n) {
    if (!old) return allocate(n, false);
    char* p = static_cast<char*>(old);
    size_t& size = *reinterpret_cast<size_t*>(p - kHeader);
    // The last piece grows in place when the block has room (the render buffer, mostly).
    if (p == last_ && round_up(n) <= round_up(size) + left_) {
      const size_t extra = round_up(n) > round_up(size) ? round_up(n) - round_up(size) : 0;
      cursor_ += extra;
      left_ -= extra;
      size = n;
      return p;
    }
    void* fresh = allocate(n, false);
    std::memcpy(fresh, p, std::min(size, n));
    return fresh;
  }

  static constexpr size_t kHeader = 16;  // keeps 16-byte alignment and holds the size
  static constexpr size_t kBlock = size_t{1} << 20;
  static constexpr size_t kKeep = size_t{16} << 20;  // most memory kept between trees
  static size_t round_up(size_t n) { return (n + 15) & ~size_t{15}; }
  // Drops every piece. The memory is kept for the thread's next tree, as one block as large as
  // this tree needed (at most kKeep), so a corpus of documents does not map and fault in fresh
  // pages for each one.
  void reset() {
    if (blocks_.size() > 1 || (blocks_.size() == 1 && total_ > kKeep)) {
      const size_t keep = std::min(total_, kKeep);
      blocks_.clear();
      total_ = 0;
      cursor_ = nullptr;
      left_ = 0;
      if (keep > kBlock) grow(keep);
    }
    if (!blocks_.empty()) {
      cursor_ = blocks_[0].get();
      left_ = total_;
    }
    last_ = nullptr;
  }

 private:
  void grow(size_t need) {
    const size_t size = std::max(kBlock, need);
    total_ += size;
    // Not make_unique<char[]>: that zeroes the whole block (a tenth of the writer's time);
    // pieces are zeroed on request in allocate().
    blocks_.push_back(std::unique_ptr<char[]>(new char[size]));
    cursor_ = blocks_.back().get();
    left_ = size;
    last_ = nullptr;
  }
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t total_ = 0;  // bytes in blocks_
  char* cursor_ = nullptr;
  char* last_ = nullptr;
  size_t left_ = 0;
};

inline thread_local MdArena* md_current_arena = nullptr;

inline void* md_arena_calloc(size_t count, size_t size) { return md_current_arena->allocate(count * size, true); }
inline void* md_arena_realloc(void* p, size_t size) { return md_current_arena->reallocate(p, size); }
inline void md_arena_free(void*) {}  // everything goes with the arena

inline cmark_mem md_arena_mem = {md_arena_calloc, md_arena_realloc, md_arena_free};

// Installs the thread's arena for one tree and empties it afterwards; nested scopes (table cells)
// keep their outer arena. The arena's first block is reused by the thread's next tree.
class MdArenaScope {
 public:
  MdArenaScope() : outer_(md_current_arena) {
    if (!outer_) md_current_arena = &thread_arena();
  }
  ~MdArenaScope() {
    if (!outer_) {
      md_current_arena->reset();
      md_current_arena = nullptr;
    }
  }
  MdArenaScope(const MdArenaScope&) = delete;
  MdArenaScope& operator=(const MdArenaScope&) = delete;

 private:
  static MdArena& thread_arena() {
    thread_local MdArena arena;
    return arena;
  }
  MdArena* outer_;
};

}  // namespace normkit::markdown
