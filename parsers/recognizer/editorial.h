// Editorial checks on a recognized document: problems an editor should look at, reported as
// warnings with the source position. They never change the document.
//   standard-without-mandatory  a Standard with no mandatory or prohibiting keyword (shall, must)
//   guideline-with-mandatory    a Guideline that uses a mandatory keyword
//   class-wording               a recommendation whose wording contradicts its class (a IIb
//                               "is recommended", a Class I that only "may be considered")
//   numbering-gap               standards or guidelines of a topic skip a number (1.1, 1.3)
// Duplicate numbers are reported while the structure is built (duplicate-number).
#pragma once

#include "core/diagnostics.h"
#include "core/model.h"

namespace normkit::recognizer {

void check_editorial(const Document& doc, Diagnostics& diags);

}  // namespace normkit::recognizer
