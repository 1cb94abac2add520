// ViewSet: a set of string views with open addressing, for the id sets of assign_identity and
// the Markdown reader's anchors (thousands of short ids per document).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace normkit {

// A set of string views with open addressing: one allocation for the table instead of one
// per element. The viewed strings must outlive the set; assign_identity keeps views of the
// id fields of nodes and definitions, which do not move while it runs (a Labeled lives behind
// a unique_ptr, and no definition is added). A slot whose view has no data is free (an empty
// string is never inserted: ids and positional ids are never empty).
// The sets' hash: eight bytes at a time, each word mixed by a multiplication (ids and positional
// ids are short; std::hash ran a general-purpose loop per byte group with more setup than work).
// Not an output: only the probing depends on it.
inline uint64_t view_hash(std::string_view s) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  uint64_t h = s.size() * kMul;
  const char* p = s.data();
  size_t n = s.size();
  uint64_t w;
  for (; n >= 8; p += 8, n -= 8) {
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  if (n > 0) {
    // The last 1 to 7 bytes: two overlapping loads, or three single bytes.
    if (n >= 4) {
      uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      w = a | (uint64_t{b} << 32);
    } else {
      w = static_cast<unsigned char>(p[0]) | (uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
          (uint64_t{static_cast<unsigned char>(p[n - 1])} << 16);
    }
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  h *= kMul;
  return h ^ (h >> 32);
}

class ViewSet {
 public:
  explicit ViewSet(size_t expected) {
    size_t cap = 64;
    while (cap < expected * 2) cap *= 2;
    slots_.assign(cap, std::string_view());
  }
  bool empty() const { return size_ == 0; }
  bool contains(std::string_view s) const { return !free_slot(slots_[find(s)]); }
  // False when an equal string was already there.
  bool insert(std::string_view s) {
    const size_t i = find(s);
    if (!free_slot(slots_[i])) return false;
    place(i, s);
    return true;
  }
  // Where `s` is or would go: compare with insert_at, to look up and then insert with one hash.
  [[gnu::always_inline]] size_t find(std::string_view s) const {
    size_t i = view_hash(s) & (slots_.size() - 1);
    while (!free_slot(slots_[i]) && slots_[i] != s) i = (i + 1) & (slots_.size() - 1);
    return i;
  }
  bool is_free(size_t slot) const { return free_slot(slots_[slot]); }
  template <class Visit>
  void each(Visit&& visit) const {  // in table order: callers that need an order sort
    for (std::string_view v : slots_)
      if (!free_slot(v)) visit(v);
  }
  // Inserts `s` at `slot`, which find(s) returned and nothing was inserted since.
  [[gnu::always_inline]] void place(size_t slot, std::string_view s) {
    slots_[slot] = s.data() ? s : std::string_view("", 0);
    if (++size_ * 2 > slots_.size()) grow();
  }

 private:
  static bool free_slot(std::string_view v) { return v.data() == nullptr; }
  void grow() {
    std::vector<std::string_view> old = std::move(slots_);
    slots_.assign(old.size() * 2, std::string_view());
    for (std::string_view v : old) {
      if (free_slot(v)) continue;
      size_t i = view_hash(v) & (slots_.size() - 1);
      while (!free_slot(slots_[i])) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = v;
    }
  }
  std::vector<std::string_view> slots_;
  size_t size_ = 0;
};

}  // namespace normkit
