#include <catch2/catch.hpp>

#include "test_support.h"

TEST_CASE("normkit --version prints the version", "[cli]") {
  auto r = normkit::test::run({"--version"});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("normkit 0.", 0) == 0);
}
