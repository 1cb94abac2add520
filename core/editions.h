// Editions of one work: carrying permanent ids from the previous edition to the next, and
// listing what changed between them.
//
// Matching, for each kind of node (definitions by term; sections; provisions of one kind):
//  1. the same permanent id (the new edition already carries it);
//  2. the same normalized text (a provision that moved or was renumbered keeps its id);
//  3. the same positional id and similar text (word-set similarity >= 0.5: a provision edited in
//     place keeps its id);
//  4. very similar text anywhere (similarity >= 0.7: moved and edited), when the leftovers are
//     few enough to compare pairwise (at most 4 million pairs);
// each old node matches at most one new node. Unmatched new nodes get fresh ids; the ids of
// unmatched old nodes are retired and never given to anything else.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/model.h"

namespace normkit {

// Gives `next` the permanent ids of the nodes it shares with `previous` (replacing the ids it
// has), then fills in the rest with assign_identity, avoiding every id `previous` used.
// Cross-references and term mentions in `next` follow their targets' new ids.
// Reports a note per provision matched by text or similarity rather than by id.
void carry_identity(const Document& previous, Document& next, Diagnostics& diags);

enum class ChangeKind : uint8_t {
  Added,       // only in the new edition
  Removed,     // only in the old edition (its id is retired)
  Changed,     // same id, different text (and possibly a new number)
  Renumbered,  // same id and text, different number or positional id
  Unchanged,
};
std::string_view to_string(ChangeKind);

struct Change {
  ChangeKind kind = ChangeKind::Unchanged;
  std::string node;  // "provision", "section", "definition"
  std::string id;    // permanent id
  std::string old_label, new_label;
  std::string old_position_id, new_position_id;
  std::string old_text, new_text;  // plain text
  std::string old_grade, new_grade;  // "Class I, Level C" for recommendations
};

// Pairs nodes as carry_identity does (so editions ingested separately compare too) and lists
// the differences, in the new edition's reading order, then the removed nodes in the old
// edition's order.
std::vector<Change> diff_editions(const Document& previous, const Document& next);

}  // namespace normkit
