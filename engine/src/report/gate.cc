// The gate: which findings fail a check, and the names of verdicts.
#include "provgate/report.h"

namespace provgate {

bool FailsGate(const Finding& finding, const GateOptions& gate) {
  if (finding.waived) return false;
  if (gate.new_only && finding.baseline == BaselineStatus::kUnchanged) return false;
  return finding.severity == Severity::kError ||
         (gate.fail_on == FailOn::kWarning && finding.severity == Severity::kWarning);
}

std::string_view ToString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kCompliant:
      return "compliant";
    case Verdict::kNonCompliant:
      return "non-compliant";
    case Verdict::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace provgate
