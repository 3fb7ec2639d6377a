// Checks of single manifest values (see field_checks.h).
#include "manifest/field_checks.h"

#include <filesystem>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/date.h"

namespace provgate::detail {

std::optional<ValueProblem> CheckDate(std::string_view text, DateForm form) {
  bool year_month = form == DateForm::kDayOrMonth;
  if (year_month ? IsCalendarDateOrYearMonth(text) : IsCalendarDate(text)) return std::nullopt;
  return ValueProblem{"schema-format", "invalid date '" + Excerpt(text) + "': expected " +
                                           (year_month ? "YYYY-MM-DD or YYYY-MM" : "YYYY-MM-DD") +
                                           " naming a real calendar day"};
}

bool IsSha256(std::string_view text) {
  if (text.size() != 64) return false;
#if defined(__SSE2__)
  // Sixteen bytes at a time: a digit is at most 9 above '0', a letter at most 5 above 'a'
  // (unsigned, so that bytes below either wrap around above).
  const __m128i nine = _mm_set1_epi8(9);
  const __m128i five = _mm_set1_epi8(5);
  for (std::size_t i = 0; i < 64; i += 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    __m128i digit = _mm_sub_epi8(x, _mm_set1_epi8('0'));
    __m128i letter = _mm_sub_epi8(x, _mm_set1_epi8('a'));
    __m128i ok = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(digit, nine), digit),
                              _mm_cmpeq_epi8(_mm_min_epu8(letter, five), letter));
    if (_mm_movemask_epi8(ok) != 0xFFFF) return false;
  }
  return true;
#else
  unsigned bad = 0;
  for (unsigned char c : text) {
    bool digit = static_cast<unsigned>(c - '0') < 10u;
    bool hex_letter = static_cast<unsigned>(c - 'a') < 6u;
    bad |= static_cast<unsigned>(!(digit || hex_letter));
  }
  return bad == 0;
#endif
}

std::optional<ValueProblem> CheckSha256(std::string_view text) {
  if (IsSha256(text)) return std::nullopt;
  return ValueProblem{"schema-pattern",
                      "invalid sha256 digest: expected 64 lowercase hexadecimal characters"};
}

std::optional<ValueProblem> CheckManifestVersion(std::string_view version) {
  if (version == "1") return std::nullopt;
  return ValueProblem{"schema-const", "unsupported manifest_version '" + Excerpt(version) +
                                          "': this version of provgate reads \"1\""};
}

std::optional<ValueProblem> CheckSideFilePath(std::string_view relative) {
  std::filesystem::path path{std::string(relative)};
  bool inside = !relative.empty() && !path.is_absolute();
  for (const auto& part : path) {
    if (part == "..") inside = false;
  }
  if (inside) return std::nullopt;
  return ValueProblem{"path-escape",
                      "the JSONL side file '" + std::string(relative) +
                          "' must be a relative path inside the manifest's directory"};
}

}  // namespace provgate::detail
