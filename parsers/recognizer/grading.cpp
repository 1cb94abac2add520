#include "parsers/recognizer/grading.h"


namespace normkit::recognizer {

bool contains_ci(std::string_view s, std::string_view needle_lower);  // patterns.h

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_space(char c) { return c == ' ' || c == '\t'; }

// Lower-case letters and digits only: "III: No Benefit" → "iiinobenefit", written into `buf`.
// A key longer than the buffer names no class or level: it comes back as "#", which is no key.
template <size_t N>
std::string_view key_of(std::string_view s, char (&buf)[N]) {
  size_t n = 0;
  for (char c : s) {
    if (!is_alnum(c)) continue;
    if (n == N) return "#";
    buf[n++] = lower(c);
  }
  return std::string_view(buf, n);
}
constexpr size_t kMaxKey = 16;  // longer than any class or level key

// normalize_class and normalize_level without allocating: the canonical spelling, or empty.
std::string_view class_of(std::string_view written) {
  char buf[kMaxKey];
  const std::string_view k = key_of(written, buf);
  if (k == "i" || k == "1") return "I";
  if (k == "iia" || k == "2a") return "IIa";
  if (k == "iib" || k == "2b") return "IIb";
  if (k == "iii" || k == "3") return "III";
  if (k == "iiinobenefit" || k == "3nobenefit") return "III-no-benefit";
  if (k == "iiiharm" || k == "3harm") return "III-harm";
  return {};
}

std::string_view level_of(std::string_view written) {
  char buf[kMaxKey];
  const std::string_view k = key_of(written, buf);
  if (k == "a") return "A";
  if (k == "b") return "B";
  if (k == "c") return "C";
  if (k == "br") return "B-R";
  if (k == "bnr") return "B-NR";
  if (k == "cld") return "C-LD";
  if (k == "ceo") return "C-EO";
  return {};
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[i]) != prefix[i]) return false;
  return true;
}

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && (is_space(s.front()) || s.front() == ':' || s.front() == '=')) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '.')) s.remove_suffix(1);
  return s;
}

// Removes nested parenthesized text ("I (benefit > > >risk)" → "I ") into `buf` (annotations are
// short: at most kMaxAnnotation bytes), without allocating.
std::string_view strip_nested(std::string_view s, char* buf, size_t cap) {
  size_t n = 0;
  int depth = 0;
  for (char c : s) {
    if (c == '(') ++depth;
    else if (c == ')') depth = depth > 0 ? depth - 1 : 0;
    else if (depth == 0 && n < cap) buf[n++] = c;
  }
  return std::string_view(buf, n);
}

// cls and level view static canonical spellings or the annotation's own text (which outlives
// the group): the annotation's strings are built once, directly, from them.
struct ParsedGroup {
  std::string_view cls, level;
  std::string problem;
  bool canonical = true;
  bool any = false;
};

// Parses the inside of one annotation: parts separated by ',' or ';'.
ParsedGroup parse_group(std::string_view content) {
  ParsedGroup g;
  // "Class IIa, Level B-NR" in canonical spelling, the form most annotations take: read as it
  // stands (the general reading below gives the same).
  if (content.size() >= 15 && content.compare(0, 6, "Class ") == 0) {
    const size_t comma = content.find(',', 6);
    if (comma != std::string_view::npos && content.compare(comma, 8, ", Level ") == 0) {
      const std::string_view cls = content.substr(6, comma - 6), level = content.substr(comma + 8);
      static constexpr std::string_view kClasses[] = {"I", "IIa", "IIb", "III", "III-no-benefit", "III-harm"};
      static constexpr std::string_view kLevels[] = {"A", "B", "C", "B-R", "B-NR", "C-LD", "C-EO"};
      const auto listed = [](std::string_view v, const auto& list) {
        for (std::string_view x : list)
          if (v == x) return true;
        return false;
      };
      if (listed(cls, kClasses) && listed(level, kLevels)) {
        g.cls = cls;
        g.level = level;
        g.any = true;
        return g;
      }
    }
  }
  char buf[256];
  // One look at each byte finds the separators ',' and ';' (at most eight count: eight parts)
  // and tells whether there are parentheses to remove first (rare).
  size_t cuts[8];
  size_t cut_count = 0;
  bool nested = false;
  const auto find_cuts = [&](std::string_view s) {
    cut_count = 0;
    for (size_t k = 0; k < s.size(); ++k) {
      const char c = s[k];
      if (c > ';' || c < '(') continue;  // none of ( ) , ;
      if (c == ',' || c == ';') {
        if (cut_count < 8) cuts[cut_count++] = k;
      } else if (c == '(' || c == ')') {
        nested = true;
      }
    }
  };
  std::string_view rest = content.substr(0, sizeof buf);
  find_cuts(rest);
  if (nested) {
    rest = strip_nested(content, buf, sizeof buf);
    find_cuts(rest);
  }
  std::string_view parts[8];
  size_t part_count = 0;
  size_t part_begin = 0;
  for (size_t c = 0; c < cut_count; ++c) {
    parts[part_count++] = trim_view(rest.substr(part_begin, cuts[c] - part_begin));
    part_begin = cuts[c] + 1;
  }
  if (cut_count < 8) parts[part_count++] = trim_view(rest.substr(part_begin));
  size_t unknown = 0;
  bool bare_level = false;  // "(B, Class I)": a lone letter is a level only beside a class
  for (size_t p = 0; p < part_count; ++p) {
    const std::string_view part = parts[p];
    if (part.empty()) continue;
    std::string_view value;
    bool is_class = false, is_level = false;
    // The named forms by their first letter; anything else may still be a bare level.
    const char first = lower(part[0]);
    if (first == 'c') {
      if (starts_with_ci(part, "class of recommendation")) { is_class = true; value = part.substr(23); }
      else if (starts_with_ci(part, "class")) { is_class = true; value = part.substr(5); }
      else if (starts_with_ci(part, "cor ") || starts_with_ci(part, "cor:")) { is_class = true; value = part.substr(3); }
    } else if (first == 'l') {
      if (starts_with_ci(part, "level of evidence")) { is_level = true; value = part.substr(17); }
      else if (starts_with_ci(part, "level")) { is_level = true; value = part.substr(5); }
      else if (starts_with_ci(part, "loe")) { is_level = true; value = part.substr(3); }
    }
    if (!is_class && !is_level) {
      if (!level_of(part).empty()) { is_level = true; value = part; g.canonical = false; bare_level = true; }
      else { ++unknown; continue; }
    }
    value = trim_view(value);
    if (is_class) {
      if (const std::string_view c = class_of(value); !c.empty()) {
        if (g.cls.empty()) g.cls = c;
        if (value != c && !(value.size() > 3 && c == "III-no-benefit") && !(c == "III-harm")) g.canonical = false;
        g.any = true;
      } else {
        g.problem = "class '" + std::string(value) + "' is not in the ACC/AHA vocabulary";
        g.any = true;
      }
    } else if (is_level) {
      if (const std::string_view l = level_of(value); !l.empty()) {
        if (g.level.empty()) g.level = l;
        if (value != l) g.canonical = false;
        g.any = true;
      } else {
        g.problem = "level '" + std::string(value) + "' is not a level of evidence";
        g.any = true;
      }
    }
  }
  // A parenthetical remark that merely mentions a class ("(Class notes)") is not an annotation.
  if (g.cls.empty() && g.level.empty()) g.any = false;
  // "(A, B, or C)" is a list of letters, not an annotation.
  if (bare_level && g.cls.empty()) g.any = false;
  return g;
}

// True when the text after '(' at `open` could start an annotation: "class", "level", "loe",
// "cor", or a level letter followed by a separator ("(B, Class I)"). Constant time.
bool could_open_annotation(std::string_view text, size_t open) {
  size_t i = open + 1;
  while (i < text.size() && is_space(text[i])) ++i;
  const std::string_view s = text.substr(i, 24);
  if (starts_with_ci(s, "class") || starts_with_ci(s, "level") || starts_with_ci(s, "loe") ||
      starts_with_ci(s, "cor ") || starts_with_ci(s, "cor:"))
    return true;
  if (!s.empty() && (s[0] == 'A' || s[0] == 'B' || s[0] == 'C')) {
    size_t k = 1;
    while (k < s.size() && (is_alnum(s[k]) || s[k] == '-') && k < 5) ++k;
    while (k < s.size() && is_space(s[k])) ++k;
    return k < s.size() && (s[k] == ',' || s[k] == ';');
  }
  return false;
}

constexpr size_t kMaxAnnotation = 200;

}  // namespace

std::optional<std::string> normalize_class(std::string_view written) {
  const std::string_view c = class_of(written);
  if (c.empty()) return std::nullopt;
  return std::string(c);
}

std::optional<std::string> normalize_level(std::string_view written) {
  const std::string_view l = level_of(written);
  if (l.empty()) return std::nullopt;
  return std::string(l);
}

std::optional<GradingAnnotation> find_grading(std::string_view text, size_t from, GradingScan* scan) {
  // Parenthesized annotations. `close` only moves forward, so the scan stays linear however
  // many '(' the text holds. When it ends without one, none starts at `from` or later: a later
  // search would look at a subset of the same '(' and find the same ')' for each.
  const bool may_have_parenthesized = !scan || from < scan->no_parenthesized_from;
  size_t close = from;
  for (size_t open = may_have_parenthesized ? text.find('(', from) : std::string_view::npos;
       open != std::string_view::npos; open = text.find('(', open + 1)) {
    if (!could_open_annotation(text, open)) continue;
    if (close <= open) close = text.find(')', open);
    if (close == std::string_view::npos) break;
    size_t end = close;
    // One nested group: "(Level C, Class I (benefit > > >risk))".
    const size_t inner_open = text.find('(', open + 1);
    if (inner_open != std::string_view::npos && inner_open < end) {
      const size_t next = text.find(')', end + 1);
      if (next == std::string_view::npos || next - open > kMaxAnnotation) continue;
      end = next;
    }
    if (end - open > kMaxAnnotation) continue;
    ParsedGroup g = parse_group(text.substr(open + 1, end - open - 1));
    if (!g.any) continue;
    const std::string_view inside = trim_view(text.substr(open + 1, end - open - 1));
    const bool canonical = g.canonical && inside.find('(') == std::string_view::npos &&
                           starts_with_ci(inside, "class") && inside.size() == text.substr(open + 1, end - open - 1).size();
    // Built in place: assigning to default-made strings and moving the annotation out cost more.
    return std::optional<GradingAnnotation>(std::in_place, open, end + 1, std::string(g.cls), std::string(g.level),
                                            canonical, std::move(g.problem));
  }
  if (scan && may_have_parenthesized) scan->no_parenthesized_from = from;
  // Unparenthesized "Class IIa, Level B" closing a sentence: both parts are required, so that
  // ordinary prose ("a class of drugs") never matches.
  // (Most texts say no "class " at all: one quick search answers for them.)
  if (from >= text.size() || !contains_ci(text.substr(from), "class ")) return std::nullopt;
  for (size_t k = from; k + 6 <= text.size(); ++k) {
    if (lower(text[k]) != 'c' || !starts_with_ci(text.substr(k, 6), "class ") || (k > 0 && is_alnum(text[k - 1])))
      continue;
    size_t e = k;
    while (e < text.size() && e - k < 60 && text[e] != '.' && text[e] != '(' && text[e] != ')') ++e;
    ParsedGroup g = parse_group(text.substr(k, e - k));
    if (!g.any || g.cls.empty() || g.level.empty()) continue;
    return std::optional<GradingAnnotation>(std::in_place, k, e < text.size() && text[e] == '.' ? e + 1 : e,
                                            std::string(g.cls), std::string(g.level), false, std::move(g.problem));
  }
  return std::nullopt;
}

std::optional<std::string> class_from_heading(std::string_view text) {
  if (text.size() > 80 || !starts_with_ci(text, "class ")) return std::nullopt;
  std::string_view s = text.substr(6);
  while (!s.empty() && (is_space(s.back()) || s.back() == ':')) s.remove_suffix(1);
  char buf[80];  // text is at most 80 bytes
  const std::string_view k = key_of(s, buf);
  for (std::string_view suffix : {"recommendations", "recommendation"}) {
    if (k.size() > suffix.size() && k.compare(k.size() - suffix.size(), suffix.size(), suffix) == 0)
      return normalize_class(k.substr(0, k.size() - suffix.size()));
  }
  return std::nullopt;
}

}  // namespace normkit::recognizer
