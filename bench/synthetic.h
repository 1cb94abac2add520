// Deterministic synthetic documents for benchmarks: the same seed gives the same documents on
// every platform (own PRNG, no standard-library distributions).
#pragma once

#include <cstdint>
#include <string>

#include "core/model.h"

namespace normkit::bench {

// splitmix64.
struct Rng {
  uint64_t state;
  uint64_t next();
  size_t below(size_t n) { return static_cast<size_t>(next() % n); }
};

// Document `index` (even: standards and guidelines, odd: clinical practice guideline) with
// `provisions` provisions, identity assigned.
Document make_document(Rng& rng, size_t index, size_t provisions);

// The document laid out as published text (what ingest reads): title, definitions, word usage,
// "Standard N: Topic", "Standard N.M: ..." with "•" bullets, "Guideline N.M: ...", or numbered
// recommendations ending in "(Class X, Level Y)" under topic headings.
std::string render_text(const Document& doc);

}  // namespace normkit::bench
