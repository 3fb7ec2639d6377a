// The manifest's rules that relate one field to another, checked on the typed structures:
// open weights need a licence (the release, each checkpoint), a lineage entry names at most
// one way to verify its model, a contract needs evidence and grants, and synthetic sources and
// model outputs need generated_by. The reader applies them to each object once it has read
// it; ValidateHeader and ValidateSource apply them to a manifest built in code.
#ifndef PROVGATE_MANIFEST_RULES_H_
#define PROVGATE_MANIFEST_RULES_H_

#include <string>
#include <string_view>

#include "provgate/manifest.h"

namespace provgate::detail {

// Where a violation is placed. Its JSON pointer is always the object's; a reader that knows
// where the object's fields are places it at the object or at the field named here.
enum class RulePlace {
  kObject,
  kEvidence,  // The `evidence` array of a permission.
};

// Receives the violations of the rules, each with a diagnostic's code and message.
class RuleReport {
 public:
  virtual void Violation(std::string_view code, std::string message, RulePlace place) = 0;

 protected:
  ~RuleReport() = default;
};

// Open weights need a licence.
void CheckReleaseRules(const Release& release, RuleReport& report);
void CheckCheckpointRules(const Checkpoint& checkpoint, RuleReport& report);

// At most one of `manifest`, `attestation` and `ledger: true`.
void CheckLineageRules(const LineageEntry& entry, RuleReport& report);

// A contract needs evidence (at least one document) and grants. `evidence_given`: the
// permission has an `evidence` field, empty or not (a typed Permission cannot tell an empty
// list from none; callers without a document pass !permission.evidence.empty()).
void CheckPermissionRules(const Permission& permission, bool evidence_given, RuleReport& report);

// Synthetic sources and model outputs need generated_by.
void CheckSourceRules(const Source& source, RuleReport& report);

}  // namespace provgate::detail

#endif  // PROVGATE_MANIFEST_RULES_H_
