#include "core/editions.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/ids.h"
#include "core/text.h"

namespace normkit {

std::string_view to_string(ChangeKind k) {
  switch (k) {
    case ChangeKind::Added: return "added";
    case ChangeKind::Removed: return "removed";
    case ChangeKind::Changed: return "changed";
    case ChangeKind::Renumbered: return "renumbered";
    case ChangeKind::Unchanged: return "unchanged";
  }
  return "unchanged";
}

namespace {

// One identifiable node of a document, flattened for matching.
struct Item {
  std::string group;  // what may match what: "definition", "section", "provision:standard", ...
  std::string* id = nullptr;      // writable in the new edition
  const std::string* cid = nullptr;
  std::string position_id;
  std::string label;
  std::string text;   // plain, collapsed
  std::string key;    // fold-cased text for exact matching
  std::string grade;
  SourceLoc loc;
};

// Plain text of blocks, one space between blocks.
std::string blocks_text(const std::vector<Node>& blocks) {
  std::string out;
  walk(blocks, [&](const Node& c, int, const Node*) {
    if (c.type == NodeType::Text || c.type == NodeType::Keyword) out += c.text;
    if (is_block(c.type)) out += ' ';
    return true;
  });
  return std::string(trim(collapse_whitespace(out)));
}

// Plain text of a node's own content (title and children), furniture excluded.
std::string node_text(const Node& n) {
  std::string out;
  walk(n.title, [&](const Node& c, int, const Node*) {
    if (c.type == NodeType::Text || c.type == NodeType::Keyword) out += c.text;
    return true;
  });
  out += ' ';
  walk(n.children, [&](const Node& c, int, const Node*) {
    // A section's text is its title and its own paragraphs, not its provisions'.
    if (c.type == NodeType::Provision || c.type == NodeType::Section || c.type == NodeType::Furniture) return false;
    if (c.type == NodeType::Text || c.type == NodeType::Keyword) out += c.text;
    if (is_block(c.type)) out += ' ';
    return true;
  });
  return std::string(trim(collapse_whitespace(out)));
}

std::string grade_of(const Labeled& l) {
  if (l.cls.empty() && l.level.empty()) return "";
  std::string g;
  if (!l.cls.empty()) g += "Class " + l.cls;
  if (!l.level.empty()) g += (g.empty() ? "" : ", ") + std::string("Level ") + l.level;
  return g;
}

template <class Doc>
std::vector<Item> flatten(Doc& doc) {
  std::vector<Item> items;
  for (auto& d : doc.definitions) {
    Item it;
    it.group = "definition";
    if constexpr (!std::is_const_v<Doc>) it.id = &d.id;
    it.cid = &d.id;
    it.position_id = d.position_id;
    it.label = d.term;
    it.text = d.term + ": " + blocks_text(d.explanation);
    it.key = fold_case(d.term);
    it.loc = d.loc;
    items.push_back(std::move(it));
  }
  const auto visit = [&](auto& n) -> bool {
    if (n.type == NodeType::Furniture) return false;
    if (!n.labeled) return true;
    Item it;
    it.group = n.type == NodeType::Section ? std::string("section")
                                           : "provision:" + std::string(to_string(n.labeled->kind));
    if constexpr (!std::is_const_v<Doc>) it.id = &n.labeled->id;
    it.cid = &n.labeled->id;
    it.position_id = n.labeled->position_id;
    it.label = n.labeled->label.empty() ? node_text(n).substr(0, 60) : n.labeled->label;
    it.text = node_text(n);
    it.key = fold_case(it.text);
    it.grade = grade_of(*n.labeled);
    it.loc = n.loc;
    items.push_back(std::move(it));
    return true;
  };
  if constexpr (std::is_const_v<Doc>) walk(doc.body, [&](const Node& n, int, const Node*) { return visit(n); });
  else walk_mutable(doc.body, [&](Node& n, int) { return visit(n); });
  return items;
}

std::set<std::string> word_set(const std::string& folded) {
  std::set<std::string> words;
  std::string w;
  for (char c : folded + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) & 0x80)) w += c;
    else if (!w.empty()) {
      words.insert(w);
      w.clear();
    }
  }
  return words;
}

double similarity(const std::string& a, const std::string& b) {
  const std::set<std::string> x = word_set(a), y = word_set(b);
  if (x.empty() && y.empty()) return 1.0;
  size_t common = 0;
  for (const std::string& w : x) common += y.count(w);
  return static_cast<double>(common) / static_cast<double>(x.size() + y.size() - common);
}

constexpr size_t kMaxFuzzyPairs = 4'000'000;
constexpr double kMovedSimilarity = 0.7;

// For each new item, the index of the old item it continues, or -1.
// `trusted`: ids the new edition carried before normkit assigned any; only those pair by id
// (a freshly derived id can coincide with an old one without being the same provision).
std::vector<int> match(const std::vector<Item>& old_items, const std::vector<Item>& new_items,
                       const std::unordered_set<std::string>& trusted) {
  std::vector<int> result(new_items.size(), -1);
  std::vector<bool> taken(old_items.size(), false);
  std::unordered_map<std::string, int> by_id;
  for (size_t i = 0; i < old_items.size(); ++i) by_id.emplace(*old_items[i].cid, static_cast<int>(i));
  // 1. same permanent id
  for (size_t j = 0; j < new_items.size(); ++j) {
    if (!trusted.count(*new_items[j].cid)) continue;
    auto it = by_id.find(*new_items[j].cid);
    if (it != by_id.end() && !taken[it->second] && old_items[it->second].group == new_items[j].group) {
      result[j] = it->second;
      taken[it->second] = true;
    }
  }
  // 2. same text within the same group
  std::multimap<std::pair<std::string, std::string>, int> by_text;
  for (size_t i = 0; i < old_items.size(); ++i)
    if (!taken[i]) by_text.emplace(std::make_pair(old_items[i].group, old_items[i].key), static_cast<int>(i));
  for (size_t j = 0; j < new_items.size(); ++j) {
    if (result[j] >= 0) continue;
    auto range = by_text.equal_range({new_items[j].group, new_items[j].key});
    for (auto it = range.first; it != range.second; ++it) {
      if (taken[it->second]) continue;
      result[j] = it->second;
      taken[it->second] = true;
      break;
    }
  }
  // 3. same position, similar text
  std::unordered_map<std::string, int> by_position;
  for (size_t i = 0; i < old_items.size(); ++i)
    if (!taken[i]) by_position.emplace(old_items[i].group + "\n" + old_items[i].position_id, static_cast<int>(i));
  for (size_t j = 0; j < new_items.size(); ++j) {
    if (result[j] >= 0) continue;
    auto it = by_position.find(new_items[j].group + "\n" + new_items[j].position_id);
    if (it == by_position.end() || taken[it->second]) continue;
    if (similarity(old_items[it->second].key, new_items[j].key) >= 0.5) {
      result[j] = it->second;
      taken[it->second] = true;
    }
  }
  // 4. moved and edited: the most similar leftover of the same group, if very similar. Quadratic
  // in the leftovers, so only when they are few (an edition rewritten wholesale has no history).
  std::vector<size_t> old_left, new_left;
  for (size_t i = 0; i < old_items.size(); ++i)
    if (!taken[i]) old_left.push_back(i);
  for (size_t j = 0; j < new_items.size(); ++j)
    if (result[j] < 0) new_left.push_back(j);
  if (old_left.size() * new_left.size() <= kMaxFuzzyPairs) {
    for (size_t j : new_left) {
      double best = kMovedSimilarity;
      int best_i = -1;
      for (size_t i : old_left) {
        if (taken[i] || old_items[i].group != new_items[j].group) continue;
        const double s = similarity(old_items[i].key, new_items[j].key);
        if (s >= best) {
          best = s;
          best_i = static_cast<int>(i);
        }
      }
      if (best_i >= 0) {
        result[j] = best_i;
        taken[best_i] = true;
      }
    }
  }
  return result;
}

}  // namespace

void carry_identity(const Document& previous, Document& next, Diagnostics& diags) {
  std::unordered_set<std::string> trusted;
  for (const Item& it : flatten(std::as_const(next)))
    if (!it.cid->empty()) trusted.insert(*it.cid);
  // Positional ids first, so that step 3 can compare positions.
  assign_identity(next);
  const std::vector<Item> old_items = flatten(previous);
  std::vector<Item> new_items = flatten(next);
  const std::vector<int> matched = match(old_items, new_items, trusted);

  std::unordered_set<std::string> retired;
  for (const Item& it : old_items) retired.insert(*it.cid);
  std::unordered_map<std::string, std::string> renamed;  // id in next -> carried id
  std::unordered_set<std::string> used;
  for (size_t j = 0; j < new_items.size(); ++j) {
    if (matched[j] < 0) continue;
    const Item& old_item = old_items[matched[j]];
    if (*new_items[j].id != *old_item.cid) {
      renamed[*new_items[j].id] = *old_item.cid;
      if (new_items[j].group != "definition" && old_item.key != new_items[j].key)
        diags.note("carried-id", new_items[j].label + " continues " + old_item.label + " of the previous edition (similar text)",
                   new_items[j].loc);
    }
    *new_items[j].id = *old_item.cid;
    used.insert(*old_item.cid);
  }
  // Fresh ids must differ from every id the previous edition used.
  for (size_t j = 0; j < new_items.size(); ++j) {
    if (matched[j] >= 0) continue;
    std::string& id = *new_items[j].id;
    if (!retired.count(id) && !used.count(id)) {
      used.insert(id);
      continue;
    }
    for (int attempt = 1;; ++attempt) {
      std::string fresh = permanent_id(next.work, next.edition, new_items[j].position_id, attempt);
      if (!retired.count(fresh) && !used.count(fresh)) {
        renamed[id] = fresh;
        id = fresh;
        used.insert(fresh);
        break;
      }
    }
  }
  const auto follow = [&](Node& n, int) {
    if (n.type == NodeType::TermRef || n.type == NodeType::XRef) {
      auto it = renamed.find(n.target);
      if (it != renamed.end()) n.target = it->second;
    }
    return true;
  };
  walk_mutable(next.body, follow);
  for (Definition& d : next.definitions) walk_mutable(d.explanation, follow);
  for (KeywordUsage& k : next.word_usage) walk_mutable(k.explanation, follow);
}

std::vector<Change> diff_editions(const Document& previous, const Document& next_in) {
  Document next = next_in;
  Diagnostics ignored;
  carry_identity(previous, next, ignored);
  const std::vector<Item> old_items = flatten(previous);
  const std::vector<Item> new_items = flatten(next);
  std::unordered_map<std::string, size_t> old_by_id;
  for (size_t i = 0; i < old_items.size(); ++i) old_by_id.emplace(*old_items[i].cid, i);
  std::vector<bool> seen(old_items.size(), false);
  std::vector<Change> changes;
  const auto node_name = [](const std::string& group) {
    return group.rfind("provision:", 0) == 0 ? std::string("provision") : group;
  };
  for (const Item& n : new_items) {
    Change c;
    c.node = node_name(n.group);
    c.id = *n.cid;
    c.new_label = n.label;
    c.new_position_id = n.position_id;
    c.new_text = n.text;
    c.new_grade = n.grade;
    auto it = old_by_id.find(*n.cid);
    if (it == old_by_id.end()) {
      c.kind = ChangeKind::Added;
    } else {
      const Item& o = old_items[it->second];
      seen[it->second] = true;
      c.old_label = o.label;
      c.old_position_id = o.position_id;
      c.old_text = o.text;
      c.old_grade = o.grade;
      if (o.text != n.text || o.grade != n.grade) c.kind = ChangeKind::Changed;
      else if (o.position_id != n.position_id || o.label != n.label) c.kind = ChangeKind::Renumbered;
      else c.kind = ChangeKind::Unchanged;
    }
    changes.push_back(std::move(c));
  }
  for (size_t i = 0; i < old_items.size(); ++i) {
    if (seen[i]) continue;
    Change c;
    c.kind = ChangeKind::Removed;
    c.node = node_name(old_items[i].group);
    c.id = *old_items[i].cid;
    c.old_label = old_items[i].label;
    c.old_position_id = old_items[i].position_id;
    c.old_text = old_items[i].text;
    c.old_grade = old_items[i].grade;
    changes.push_back(std::move(c));
  }
  return changes;
}

}  // namespace normkit
