// Diagnostics: how provgate reports invalid input (manifests, rule packs, expressions).
#ifndef PROVGATE_DIAGNOSTIC_H_
#define PROVGATE_DIAGNOSTIC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "provgate/export.h"

namespace provgate {

/// How serious a finding or a diagnostic is. For a diagnostic, kInfo is rendered `note`.
enum class Severity { kError, kWarning, kInfo };
/// `error`, `warning` or `info`.
PROVGATE_API std::string_view ToString(Severity severity);

/// One problem found in an input file, with its position.
///
/// Invalid input is never an engine failure: loaders return a list of these, sorted by
/// position. `line` and `column` are 1-based (0 when the position is unknown); columns count
/// Unicode code points.
struct Diagnostic {
  /// The same enum as findings use (kept as a member name for callers that spell it so).
  using Severity = ::provgate::Severity;

  Severity severity = Severity::kError;
  /// Stable machine-readable code, e.g. `json-syntax`, `schema-required`, `expr-parse`.
  std::string code;
  /// What is wrong and, where it helps, what was expected.
  std::string message;
  /// The file as the user named it (never made absolute).
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  /// RFC 6901 JSON pointer of the offending value, empty when not applicable.
  std::string pointer;
  /// Byte offset in `file`, used only to order diagnostics.
  std::uint64_t offset = 0;
};

/// Renders `file:line:column: error: message (at /json/pointer)`.
PROVGATE_API std::string FormatDiagnostic(const Diagnostic& diagnostic);

/// Sorts diagnostics by file, then position, keeping the order of equal positions.
PROVGATE_API void SortDiagnostics(std::vector<Diagnostic>& diagnostics);

/// True when any diagnostic has severity kError.
PROVGATE_API bool HasErrors(const std::vector<Diagnostic>& diagnostics);

}  // namespace provgate

#endif  // PROVGATE_DIAGNOSTIC_H_
