// The manifest's rules that relate one field to another, checked on the typed structures:
// open weights need a licence (the release, each checkpoint), a lineage entry names at most
// one way to verify its model, a generated_by entry names a model or a program, and synthetic
// sources, model outputs and conversations need generated_by. The reader applies them to each
// object once it has read it; ValidateHeader and ValidateSource apply them to a manifest built in
// code.
#ifndef PROVGATE_MANIFEST_RULES_H_
#define PROVGATE_MANIFEST_RULES_H_

#include <string>
#include <string_view>

#include "provgate/manifest.h"

namespace provgate::detail {

// Receives the violations of the rules, each with a diagnostic's code and message.
class RuleReport {
 public:
  // A violation, placed at the object the rule is about.
  virtual void Violation(std::string_view code, std::string message) = 0;

 protected:
  ~RuleReport() = default;
};

// Open weights need a licence.
void CheckReleaseRules(const Release& release, RuleReport& report);
void CheckCheckpointRules(const Checkpoint& checkpoint, RuleReport& report);

// At most one of `manifest`, `attestation` and `ledger: true`.
void CheckLineageRules(const LineageEntry& entry, RuleReport& report);

// Which fields of a generated_by entry are present (a typed entry cannot tell an empty string
// or false from an absent field).
struct GeneratorFields {
  bool model = false;
  bool program = false;
  bool terms = false;
};

// A generated_by entry names exactly one of a model and a program; a model's entry states
// terms_allow_training and may name a stage and a licence, a program's names neither.
void CheckGeneratedByRules(const GeneratedBy& entry, const GeneratorFields& given,
                           RuleReport& report);

// Synthetic sources need generated_by; model outputs and conversations need a model in it.
void CheckSourceRules(const Source& source, RuleReport& report);

}  // namespace provgate::detail

#endif  // PROVGATE_MANIFEST_RULES_H_
