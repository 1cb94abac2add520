#include "generators/site/search_text.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <stdexcept>

namespace normkit::site {

namespace {

bool all_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// Cuts UTF-8 `s` to at most kMaxTermChars code points.
void cut_term(std::string& s) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == kMaxTermChars) {
        s.resize(i);
        return;
      }
      ++chars;
    }
  }
}

std::string fold_unicode(const icu::UnicodeString& in) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return {};
  icu::UnicodeString s = nfkd->normalize(in, status);
  if (U_FAILURE(status)) return {};
  s.toLower(icu::Locale::getRoot());
  icu::UnicodeString kept;
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (U_GET_GC_MASK(c) & U_GC_M_MASK) continue;
    if (c == 0x03C2) {  // final sigma
      kept.append(static_cast<UChar32>(0x03C3));
    } else if (c == 0x00DF) {  // sharp s
      kept.append(u"ss", 2);
    } else {
      kept.append(c);
    }
  }
  icu::UnicodeString out = nfc->normalize(kept, status);
  if (U_FAILURE(status)) return {};
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

}  // namespace

std::string fold_for_search(std::string_view word) {
  std::string out;
  if (all_ascii(word)) {
    out.assign(word);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  } else {
    out = fold_unicode(icu::UnicodeString::fromUTF8(
        icu::StringPiece(word.data(), static_cast<int32_t>(word.size()))));
  }
  cut_term(out);
  return out;
}

struct Segmenter::Impl {
  std::unique_ptr<icu::BreakIterator> words;
};

Segmenter::Segmenter() : impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  impl_->words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || !impl_->words) throw std::runtime_error("ICU word break iterator unavailable");
}

Segmenter::~Segmenter() = default;

std::vector<std::string> Segmenter::terms(std::string_view text) {
  std::vector<std::string> out;
  const icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::BreakIterator& it = *impl_->words;
  it.setText(u);
  int32_t start = it.first();
  for (int32_t end = it.next(); end != icu::BreakIterator::DONE; start = end, end = it.next()) {
    if (it.getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;  // spaces, punctuation
    bool ascii = true;
    for (int32_t i = start; i < end && ascii; ++i) ascii = u.charAt(i) < 0x80;
    std::string term;
    if (ascii) {  // the common case, without ICU's normalizers
      term.reserve(static_cast<size_t>(end - start));
      for (int32_t i = start; i < end; ++i) {
        char c = static_cast<char>(u.charAt(i));
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        term += c;
      }
    } else {
      term = fold_unicode(icu::UnicodeString(u, start, end - start));
    }
    cut_term(term);
    if (!term.empty()) out.push_back(std::move(term));
  }
  return out;
}

}  // namespace normkit::site
