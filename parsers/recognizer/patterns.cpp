// Line-level patterns of published standards and guidelines (see patterns.h).
#include "parsers/recognizer/patterns.h"

#include <cstdint>
#include <cstring>

#include "core/text.h"
#include "parsers/recognizer/grading.h"

namespace normkit::recognizer {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

bool contains_ci(std::string_view s, std::string_view needle_lower) {
  const size_t n = needle_lower.size();
  if (n > s.size()) return false;
  if (n == 0) return true;
  // Candidates are the places of the first letter in either case, found eight bytes at a time;
  // the rest of the needle is compared there.
  const char first = needle_lower[0];
  if (is_upper(first)) return false;  // lower() never gives an upper-case letter
  const char first_upper = is_lower(first) ? static_cast<char>(first - 'a' + 'A') : first;
  const auto rest_matches = [&](size_t at) {
    for (size_t k = 1; k < n; ++k)
      if (lower(s[at + k]) != needle_lower[k]) return false;
    return true;
  };
  const auto equal = [](uint64_t w, char c) { return bytes_equal(w, static_cast<unsigned char>(c)); };
  const size_t starts = s.size() - n + 1;  // candidate places: [0, starts)
  size_t i = 0;
  for (; i + 8 <= starts; i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    for (uint64_t m = equal(w, first) | equal(w, first_upper); m != 0; m &= m - 1)
      if (rest_matches(i + static_cast<size_t>(__builtin_ctzll(m)) / 8)) return true;
  }
  for (; i < starts; ++i)
    if ((s[i] == first || s[i] == first_upper) && rest_matches(i)) return true;
  return false;
}

std::string_view strip(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

size_t word_count(std::string_view s) {
  size_t n = 0;
  bool in = false;
  for (char c : s) {
    if (c == ' ') in = false;
    else if (!in) { in = true; ++n; }
  }
  return n;
}

// A line that reads like a heading: short, no sentence end, title case or ALL CAPS.
bool looks_like_heading(std::string_view t) {
  t = strip(t);
  if (t.empty() || t.size() > kMaxHeadingBytes) return false;
  if (t.back() == ':') t.remove_suffix(1);
  if (t.empty() || t.back() == '.' || t.back() == ';' || t.back() == ',') return false;
  if (!is_upper(t[0]) && !is_digit(t[0])) return false;
  if (word_count(t) > 10) return false;
  // The small words (of, and, the, for, to, in, on, a, an, or, with, during, at, by, &, -, /),
  // by length: one comparison of the lower-cased word per candidate of its length.
  const auto is_small = [](std::string_view w) {
    if (w.size() > 6 || w.size() == 5) return false;  // no small word has 5 or more than 6 bytes
    char buf[8];
    for (size_t k = 0; k < w.size(); ++k) buf[k] = lower(w[k]);
    const std::string_view lw(buf, w.size());
    switch (lw.size()) {
      case 1: return lw == "a" || lw == "&" || lw == "-" || lw == "/";
      case 2:
        return lw == "of" || lw == "to" || lw == "in" || lw == "on" || lw == "an" || lw == "or" || lw == "at" ||
               lw == "by";
      case 3: return lw == "and" || lw == "the" || lw == "for";
      case 4: return lw == "with";
      case 6: return lw == "during";
      default: return false;
    }
  };
  size_t words = 0, capital = 0, letters = 0, upper_letters = 0;
  size_t i = 0;
  while (i < t.size()) {
    while (i < t.size() && t[i] == ' ') ++i;
    const size_t b = i;
    while (i < t.size() && t[i] != ' ') ++i;
    const std::string_view w = t.substr(b, i - b);
    if (w.empty()) break;
    for (char c : w) {
      if (is_alpha(c)) ++letters;
      if (is_upper(c)) ++upper_letters;
    }
    if (is_small(w)) continue;
    ++words;
    if (is_upper(w[0]) || is_digit(w[0]) || w[0] == '(' || static_cast<unsigned char>(w[0]) >= 0x80) ++capital;
  }
  if (letters == 0) return false;
  if (upper_letters == letters && letters >= 3) return true;  // ALL CAPS
  return words > 0 && capital * 10 >= words * 7;
}

// "(2017)" or "(2017)*" at the end: the year and where the title ends.
std::optional<YearSuffix> year_suffix(std::string_view t) {
  t = strip(t);
  size_t end = t.size();
  bool starred = false;
  while (end > 0 && t[end - 1] == '*') { --end; starred = true; }
  while (end > 0 && t[end - 1] == ' ') --end;
  if (end < 6 || t[end - 1] != ')' || t[end - 6] != '(') return std::nullopt;
  for (size_t k = end - 5; k < end - 1; ++k)
    if (!is_digit(t[k])) return std::nullopt;
  YearSuffix y;
  y.year = std::string(t.substr(end - 5, 4));
  y.title_end = end - 6;
  y.starred = starred;
  return y;
}

static const char* const kMonths[] = {"january", "february", "march", "april", "may", "june", "july",
                               "august", "september", "october", "november", "december"};

static std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// "August 1, 2015", "2015-08-01", "8/1/2015", "5/23/2017", "2015" → flex date; empty when unknown.
std::string parse_date(std::string_view s) {
  s = strip(s);
  std::vector<int> nums;
  int month = 0;
  std::string word;
  for (size_t i = 0; i <= s.size(); ++i) {
    const char c = i < s.size() ? s[i] : ' ';
    if (is_digit(c)) {
      size_t j = i;
      int v = 0;
      while (j < s.size() && is_digit(s[j]) && j - i < 5) v = v * 10 + (s[j++] - '0');
      nums.push_back(v);
      i = j - 1;
    } else if (is_alpha(c)) {
      word += lower(c);
    } else if (!word.empty()) {
      for (int m = 0; m < 12; ++m)
        if (word.size() >= 3 && std::string_view(kMonths[m]).substr(0, word.size()) == word) month = m + 1;
      word.clear();
    }
  }
  int year = 0, day = 0;
  for (int v : nums)
    if (v >= 1900 && v <= 2100) year = v;
  if (!year) return {};
  std::vector<int> small;
  for (int v : nums)
    if (v != year) small.push_back(v);
  if (month) {
    if (!small.empty() && small[0] >= 1 && small[0] <= 31) day = small[0];
  } else if (small.size() >= 2 && s.find('/') != std::string_view::npos) {
    month = small[0];  // US order: month/day/year
    day = small[1];
  } else if (small.size() >= 2 && s.find('-') != std::string_view::npos) {
    month = small[0];
    day = small[1];
  }
  if (month < 1 || month > 12) return std::to_string(year);
  if (day < 1 || day > 31) return std::to_string(year) + "-" + two(month);
  return std::to_string(year) + "-" + two(month) + "-" + two(day);
}

// --- Provision labels ------------------------------------------------------------------------------


static bool is_roman(std::string_view s) {
  if (s.empty() || s.size() > 8) return false;
  for (char c : s)
    if (c != 'I' && c != 'V' && c != 'X' && c != 'L' && c != 'C') return false;
  return true;
}

// "Standard 1.1:", "Guideline 2.3 -", "Essential XIV", "Recommendation 4." (capitalized word,
// or ALL CAPS).
std::optional<LabelMatch> match_label(std::string_view t) {
  static const std::pair<std::string_view, ProvisionKind> words[] = {
      {"standard", ProvisionKind::Standard},           {"guideline", ProvisionKind::Guideline},
      {"recommendation", ProvisionKind::Recommendation}, {"essential", ProvisionKind::Essential},
      {"requirement", ProvisionKind::Requirement}};
  if (t.empty() || !is_upper(t[0])) return std::nullopt;
  const char first = lower(t[0]);  // every label word starts with one of these
  if (first != 's' && first != 'g' && first != 'r' && first != 'e') return std::nullopt;
  for (const auto& [word, kind] : words) {
    if (word[0] != first || t.size() < word.size() + 2) continue;
    bool same = true;
    for (size_t k = 1; k < word.size() && same; ++k) same = lower(t[k]) == word[k];
    if (!same || t[word.size()] != ' ') continue;
    size_t i = word.size();
    while (i < t.size() && t[i] == ' ') ++i;
    const size_t nb = i;
    while (i < t.size() && (is_digit(t[i]) || t[i] == '.' || (is_upper(t[i]) && kind == ProvisionKind::Essential))) ++i;
    std::string number(t.substr(nb, i - nb));
    while (!number.empty() && number.back() == '.') number.pop_back();
    if (number.empty()) return std::nullopt;
    const bool numeric = is_digit(number[0]);
    if (!numeric && !is_roman(number)) return std::nullopt;
    // What follows the number: end, or a separator, or (for a bare "Essential XIV") nothing.
    size_t j = i;
    while (j < t.size() && t[j] == ' ') ++j;
    if (j < t.size()) {
      const unsigned char c = static_cast<unsigned char>(t[j]);
      if (c == ':' || c == '-' || c == ')' || c == ';' || c == ',' || (c == '.' && i == j)) ++j;
      else if (c == 0xE2 && j + 2 < t.size()) j += 3;  // – or —
      else if (i < t.size() && t[i - 1] == '.') {}      // "Standard 1.1. Text" consumed the dot
      else if (i == j) return std::nullopt;             // "Standard 1x"
    }
    while (j < t.size() && t[j] == ' ') ++j;
    LabelMatch m;
    m.kind = kind;
    m.number = number;
    m.rest = j;
    m.topic = numeric && number.find('.') == std::string::npos && kind == ProvisionKind::Standard;
    return m;
  }
  return std::nullopt;
}

std::span<const std::pair<std::string_view, DateType>> date_line_labels() {
  static constexpr std::pair<std::string_view, DateType> labels[] = {
      {"publication date:", DateType::Published}, {"published:", DateType::Published},
      {"date published:", DateType::Published},   {"last updated:", DateType::Updated},
      {"updated:", DateType::Updated},             {"date updated:", DateType::Updated},
      {"approved:", DateType::Approved},           {"date approved:", DateType::Approved},
      {"effective date:", DateType::Effective},    {"effective:", DateType::Effective},
      {"retrieved:", DateType::Retrieved}};
  return labels;
}

// "Publication Date: August 1, 2015" → (type, value).
std::optional<std::pair<DateType, std::string_view>> match_date_line(std::string_view t) {
  if (t.size() > 80 || t.empty()) return std::nullopt;
  // The first letter first: most lines start with no label's.
  const char first = lower(t[0]);
  for (const auto& [label, type] : date_line_labels())  // labels are at most 20 bytes
    if (label[0] == first && starts_with_ci(t, label)) return std::make_pair(type, strip(t.substr(label.size())));
  return std::nullopt;
}

// "Term: explanation" with a short capitalized term; returns the offset after ':'.
size_t definition_split(std::string_view t) {
  const size_t colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 60 || colon + 2 > t.size()) return 0;
  const std::string_view term = t.substr(0, colon);
  if (!is_upper(term[0]) || word_count(term) > 5) return 0;
  for (char c : term)
    if (is_digit(c) || c == '.' || c == ',' || c == '(') return 0;
  return colon + 1;
}

// "Title (5/23/2017)": where the title ends and the date.
std::optional<std::pair<size_t, std::string>> dated_suffix(std::string_view t) {
  if (t.empty() || t.back() != ')') return std::nullopt;
  const size_t open = t.rfind('(');
  if (open == std::string_view::npos || t.size() - open > 14 || t.size() - open < 10) return std::nullopt;
  const std::string_view inside = t.substr(open + 1, t.size() - open - 2);
  size_t slashes = 0;
  for (char c : inside) {
    if (c == '/') ++slashes;
    else if (!is_digit(c)) return std::nullopt;
  }
  if (slashes != 2) return std::nullopt;
  std::string date = parse_date(inside);
  if (date.empty()) return std::nullopt;
  size_t end = open;
  while (end > 0 && t[end - 1] == ' ') --end;
  return std::make_pair(end, date);
}

// A run of two or more ALL-CAPS words ("ANNALS OF THORACIC SURGERY"): where it starts, or npos.
size_t caps_run(std::string_view t) {
  size_t i = 0, run_start = std::string_view::npos, run_words = 0;
  while (i < t.size()) {
    while (i < t.size() && t[i] == ' ') ++i;
    const size_t b = i;
    while (i < t.size() && t[i] != ' ') ++i;
    const std::string_view w = t.substr(b, i - b);
    bool caps = w.size() >= 2;
    for (char c : w)
      if (!is_upper(c)) caps = false;
    if (caps) {
      if (run_words == 0) run_start = b;
      if (++run_words >= 2) return run_start;
    } else {
      run_words = 0;
    }
  }
  return std::string_view::npos;
}

bool is_copyright_line(std::string_view t) {
  return t.size() < 200 && (t.find("\xC2\xA9") != std::string_view::npos || contains_ci(t, "copyright") ||
                            contains_ci(t, "all rights reserved") || contains_ci(t, "privacy policy"));
}

bool recommendation_worded(std::string_view t) {
  static const char* const phrases[] = {"should", "is recommended", "is reasonable", "may be considered",
                                        "is indicated", "can be useful", "might be considered",
                                        "might be reasonable", "is not recommended", "must"};
  for (const char* p : phrases) {
    const std::string_view ph(p);
    for (size_t i = 0; i + ph.size() <= t.size(); ++i) {
      if (i > 0 && is_alpha(t[i - 1])) continue;
      size_t k = 0;
      while (k < ph.size() && lower(t[i + k]) == ph[k]) ++k;
      if (k == ph.size() && (i + k == t.size() || !is_alpha(t[i + k]))) return true;
    }
  }
  return false;
}

}  // namespace normkit::recognizer
