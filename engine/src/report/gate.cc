// The gate: which findings fail a check.
#include "provgate/report.h"

namespace provgate {

bool FailsGate(const Finding& finding, const GateOptions& gate) {
  if (finding.waived) return false;
  if (gate.new_only && finding.baseline == BaselineStatus::kUnchanged) return false;
  return finding.severity == Severity::kError ||
         (gate.fail_on == FailOn::kWarning && finding.severity == Severity::kWarning);
}

}  // namespace provgate
