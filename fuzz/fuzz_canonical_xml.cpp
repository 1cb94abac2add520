// Fuzz target: the canonical XML reader and writer.
//
// Properties checked on every input:
//  - reading never crashes, hangs or leaks, whatever the bytes (sanitizers catch the rest);
//  - a document that reads successfully writes out canonical XML that reads again, and writing
//    that again gives the same bytes (fmt is idempotent);
//  - the integrity checker never crashes on anything the reader accepts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/ids.h"
#include "core/validate.h"
#include "core/xml_reader.h"
#include "core/xml_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace normkit;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Diagnostics diags;
  std::optional<Document> doc = read_canonical_xml(bytes, diags);
  if (!doc) return 0;
  assign_identity(*doc);
  check_integrity(*doc, diags);
  const std::string once = write_canonical_xml(*doc);
  Diagnostics again_diags;
  std::optional<Document> again = read_canonical_xml(once, again_diags);
  if (!again) std::abort();  // the writer produced something the reader refuses
  assign_identity(*again);
  if (write_canonical_xml(*again) != once) std::abort();  // not idempotent
  return 0;
}
