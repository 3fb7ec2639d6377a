// Checks of single manifest values (see field_checks.h).
#include "manifest/field_checks.h"

#include <filesystem>
#include <string>

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
  unsigned bad = 0;
  for (unsigned char c : text) {
    bool digit = static_cast<unsigned>(c - '0') < 10u;
    bool hex_letter = static_cast<unsigned>(c - 'a') < 6u;
    bad |= static_cast<unsigned>(!(digit || hex_letter));
  }
  return bad == 0;
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
