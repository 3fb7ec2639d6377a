// The manifest's cross-field rules on typed structures (see rules.h).
#include "manifest/rules.h"

namespace provgate::detail {
namespace {

void Missing(RuleReport& report, std::string_view field, std::string_view why) {
  report.Violation("schema-required",
                   "missing required field '" + std::string(field) + "' " + std::string(why),
                   RulePlace::kObject);
}

void CheckOpenWeights(Weights weights, const std::optional<std::string>& license,
                      RuleReport& report) {
  if (weights == Weights::kOpen && !license) {
    Missing(report, "license", "(required when weights are open)");
  }
}

}  // namespace

void CheckReleaseRules(const Release& release, RuleReport& report) {
  CheckOpenWeights(release.weights, release.license, report);
}

void CheckCheckpointRules(const Checkpoint& checkpoint, RuleReport& report) {
  CheckOpenWeights(checkpoint.weights, checkpoint.license, report);
}

void CheckLineageRules(const LineageEntry& entry, RuleReport& report) {
  int verifications =
      (entry.manifest ? 1 : 0) + (entry.attestation ? 1 : 0) + (entry.ledger ? 1 : 0);
  if (verifications > 1) {
    report.Violation("schema-exclusive",
                     "a lineage entry names at most one of manifest, attestation and ledger: true",
                     RulePlace::kObject);
  }
}

void CheckPermissionRules(const Permission& permission, bool evidence_given, RuleReport& report) {
  if (permission.basis != Basis::kContract) return;
  if (!evidence_given) {
    Missing(report, "evidence", "(required when basis is contract)");
  } else if (permission.evidence.empty()) {
    report.Violation("schema-min-items", "a contract needs at least one evidence document",
                     RulePlace::kEvidence);
  }
  if (!permission.grants) Missing(report, "grants", "(required when basis is contract)");
}

void CheckSourceRules(const Source& source, RuleReport& report) {
  if ((source.kind == SourceKind::kSynthetic || source.kind == SourceKind::kModelOutputs) &&
      !source.generated_by) {
    Missing(report, "generated_by", "(required for kind synthetic and model-outputs)");
  }
}

}  // namespace provgate::detail
