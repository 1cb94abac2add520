// Identity of sections, provisions and definitions.
//
// Every one has three names:
//  - a permanent id ("nk3f8q2m7xka"): assigned once, never changed, never reused; opaque, so that
//    renumbering in a later edition cannot make it lie. Derived deterministically from the work,
//    the edition that first assigned it and the positional id, so the same input always gets the
//    same ids.
//  - a positional id ("standard-1.1", "guideline-1.1"): derived from the numbering; standards and
//    guidelines are numbered separately inside a topic.
//  - a display label ("Standard 1.1").
// All ids are safe as file names and URL fragments (is_safe_id), whatever the input says.
#pragma once

#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "core/model.h"

namespace normkit {

// "standard-1.1"; the number is sanitized so that the result is always a safe id.
std::string position_id_for_provision(ProvisionKind kind, std::string_view number);
// "section-1" for a numbered section, "section-goal-statement" for an unnumbered one.
std::string position_id_for_section(std::string_view number, std::string_view title);
// "term-surgical-care-team".
std::string position_id_for_definition(std::string_view term);
// "Standard 1.1".
std::string default_label(ProvisionKind kind, std::string_view number);

// The permanent id first assigned to `position_id` in `edition` of `work`; `attempt` > 0 gives
// alternatives for the rare collision.
std::string permanent_id(std::string_view work, std::string_view edition,
                         std::string_view position_id, int attempt = 0);

// Fills in every missing positional id, label and permanent id of sections, provisions and
// definitions, keeping the ones already present. Positional ids that would repeat get a "_2",
// "_3" suffix (and a warning when `diags` is given). Then term mentions and cross-references
// written with a positional id (ref="term-protocol", target="section-2", handy when writing by
// hand) are rewritten to the permanent id. Deterministic.
void assign_identity(Document& doc, Diagnostics* diags = nullptr);

}  // namespace normkit
