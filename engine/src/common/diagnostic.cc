#include "provgate/diagnostic.h"

#include <algorithm>

#include "common/escape.h"

namespace provgate {

std::string_view ToString(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "error";
}

// Diagnostics go to standard error, a terminal or a CI log: the file name, the message (which
// quotes ids and values from the input) and the pointer are escaped for it, so that no input
// can add a line, move the cursor or issue a CI runner's command.
std::string FormatDiagnostic(const Diagnostic& diagnostic) {
  std::string out =
      diagnostic.file.empty() ? std::string("<input>") : detail::TerminalText(diagnostic.file);
  if (diagnostic.line > 0) {
    out += ':' + std::to_string(diagnostic.line) + ':' + std::to_string(diagnostic.column);
  }
  switch (diagnostic.severity) {
    case Diagnostic::Severity::kError:
      out += ": error: ";
      break;
    case Diagnostic::Severity::kWarning:
      out += ": warning: ";
      break;
    case Diagnostic::Severity::kInfo:
      out += ": note: ";
      break;
  }
  detail::AppendTerminalText(out, diagnostic.message);
  if (!diagnostic.pointer.empty()) {
    out += " (at ";
    detail::AppendTerminalText(out, diagnostic.pointer);
    out += ')';
  }
  return out;
}

void SortDiagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     if (a.file != b.file) return a.file < b.file;
                     if (a.line != b.line) return a.line < b.line;
                     return a.column < b.column;
                   });
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
    return d.severity == Diagnostic::Severity::kError;
  });
}

}  // namespace provgate
