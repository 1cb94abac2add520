#include <catch2/catch.hpp>

#include <string>

#include "core/text.h"

using namespace normkit;

// FIPS 180-2 test vectors, so the hashes are checked against known values, not against each other.
TEST_CASE("sha256_hex gives the published digests", "[text]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("Sha256Stream fed in parts gives the digest of the whole", "[text]") {
  const std::string million_a(1000000, 'a');
  Sha256Stream stream;
  for (size_t at = 0; at < million_a.size(); at += 65537) stream.update(std::string_view(million_a).substr(at, 65537));
  CHECK(stream.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

  Sha256Stream empty;
  CHECK(empty.hex() == sha256_hex(""));

  const std::string mixed = std::string("bytes\0with\xff nul", 15);
  Sha256Stream parts;
  parts.update(mixed.substr(0, 6));
  parts.update("");
  parts.update(mixed.substr(6));
  CHECK(parts.hex() == sha256_hex(mixed));
}
