// The allocator options of core/model.cpp reach jemalloc (only built when the programs use it).
#include <catch2/catch.hpp>

#include <sys/types.h>

#include <cstddef>
#include <cstdlib>

#if defined(NORMKIT_ALLOCATOR_JEMALLOC)
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen);

TEST_CASE("allocator: jemalloc runs with the options normkit compiles in", "[allocator]") {
  if (std::getenv("MALLOC_CONF")) {
    WARN("MALLOC_CONF is set: it overrides the compiled-in options, which are not checked");
    return;
  }
  unsigned slots = 0;
  size_t size = sizeof slots;
  REQUIRE(mallctl("opt.tcache_nslots_small_max", &slots, &size, nullptr, 0) == 0);
  CHECK(slots == 1000);
  ssize_t multiplier = 0;
  size = sizeof multiplier;
  REQUIRE(mallctl("opt.lg_tcache_nslots_mul", &multiplier, &size, nullptr, 0) == 0);
  CHECK(multiplier == 2);
  uint64_t gc_bytes = 0;
  size = sizeof gc_bytes;
  REQUIRE(mallctl("opt.tcache_gc_incr_bytes", &gc_bytes, &size, nullptr, 0) == 0);
  CHECK(gc_bytes == 1048576);
}
#endif
