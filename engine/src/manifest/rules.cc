// The manifest's cross-field rules on typed structures (see rules.h).
#include "manifest/rules.h"

namespace provgate::detail {
namespace {

void Missing(RuleReport& report, std::string_view field, std::string_view why) {
  report.Violation("schema-required",
                   "missing required field '" + std::string(field) + "' " + std::string(why));
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
                     "a lineage entry names at most one of manifest, attestation and ledger: true");
  }
}

void CheckGeneratedByRules(const GeneratedBy& entry, const GeneratorFields& given,
                           RuleReport& report) {
  if (!given.model && !given.program) {
    Missing(report, "model", "(a generated_by entry names the model or the program)");
    return;
  }
  if (given.model && given.program) {
    report.Violation("schema-exclusive",
                     "a generated_by entry names a model or a program, not both");
    return;
  }
  if (given.model) {
    if (!given.terms) {
      Missing(report, "terms_allow_training", "(required when generated_by names a model)");
    }
    return;
  }
  if (given.terms || entry.stage || entry.license) {
    report.Violation("schema-exclusive",
                     "a program's generated_by entry has no terms_allow_training, stage or "
                     "license: these describe a model");
  }
}

void CheckSourceRules(const Source& source, RuleReport& report) {
  bool any_model = false;
  for (const GeneratedBy& entry : source.generated_by) any_model |= !entry.model.empty();
  switch (source.kind) {
    case SourceKind::kSynthetic:
      if (source.generated_by.empty()) {
        Missing(report, "generated_by", "(required for kind synthetic)");
      }
      break;
    case SourceKind::kModelOutputs:
    case SourceKind::kConversations:
      if (source.generated_by.empty()) {
        Missing(report, "generated_by",
                "(required for kind " + std::string(ToString(source.kind)) + ")");
      } else if (!any_model) {
        report.Violation("schema-required", "a source of kind " +
                                                std::string(ToString(source.kind)) +
                                                " names a model in generated_by");
      }
      break;
    default:
      break;
  }
}

}  // namespace provgate::detail
