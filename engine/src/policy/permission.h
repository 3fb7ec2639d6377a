// The permission table of docs/policy.md: whether a source may be used for a model's release.
#ifndef PROVGATE_POLICY_PERMISSION_H_
#define PROVGATE_POLICY_PERMISSION_H_

#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "license/classifier.h"
#include "provgate/manifest.h"
#include "provgate/policy.h"

namespace provgate::detail {

// What the release does with the data.
struct ModelUse {
  std::string effective_weights;  // open, closed, unreleased (after P5)
  Deployment deployment = Deployment::kCommercial;
  // The date contracts must cover: the release date, or the date of the check.
  std::string date;
  bool date_is_release_date = true;
  // A contract judged on the date of the check that ends before this date (YYYY-MM-DD) is
  // expiring; empty: none is.
  std::string expiring_before;

  // `internal` deployment counts as commercial: an organisation's internal use serves its
  // business.
  bool commercial() const { return deployment != Deployment::kNonCommercial; }
  // Unreleased weights are not public: contracts must allow closed weights.
  bool closed() const { return effective_weights != "open"; }
};

// What the check's profile changes in the permission table (pack.yaml, profiles[]).
struct PermissionProfile {
  // A statutory exception counts as permission when opt-outs were honoured.
  bool statutory_exception = false;
  // The pack's profiles in which it does, for the explanation where it does not.
  std::vector<std::string> statutory_profiles;
};

// The permission table's settings for `profile` of `pack` (a profile the pack defines).
PermissionProfile PermissionProfileOf(const PackInfo& pack, const std::string& profile);

// What the permission of one source depends on besides the source and the model's use.
struct SourceContext {
  // The date training on the source ended (the `date` of the last stage that used it); empty
  // when no stage that used it states one. A contract whose rights survive its end is judged
  // at this date.
  std::string training_date;
  // Every generator the source names is this model's own checkpoint or a program: the data
  // is the organisation's own output (its checkpoint's taint is judged with the model).
  bool own_output = false;
};

struct PermissionResult {
  bool permitted = false;
  std::string reason;  // a reason code of docs/policy.md, empty when permitted
  // Every reason the source fails on, the first being `reason` (a contract may fail on
  // evidence, scope and dates at once); empty when permitted.
  std::vector<std::string> reasons;
  std::string explanation;  // one sentence saying why, for messages
  bool used_check_date = false;
  // A contract that grants the use today and ends before ModelUse::expiring_before.
  bool expiring = false;
  // The licence verdict, when the source names a licence.
  const LicenseVerdict* license = nullptr;
};

// Resolves permission source by source. Licence verdicts are cached per expression, so a
// manifest with a million sources under a handful of licences parses each licence once; so
// are whole answers that depend only on the basis and the licence expression (most sources),
// so that their explanations are written once, not once per source.
// Not thread-safe (the caches); one resolver per check.
class PermissionResolver {
 public:
  PermissionResolver(const LicenseClassifier& classifier, PermissionProfile profile, ModelUse use)
      : classifier_(classifier), profile_(std::move(profile)), use_(std::move(use)) {}

  // `evidence_confirmed` is false when --verify-files found a contract's evidence missing or
  // different from its digest: the contract then has no evidence. The answer stays valid
  // until the next call.
  const PermissionResult& Resolve(const Source& source, bool evidence_confirmed = true,
                                  const SourceContext& context = {});
  // The verdict for one expression, cached.
  const LicenseVerdict& License(const std::string& expression);

 private:
  PermissionResult Compute(const Source& source, bool evidence_confirmed,
                           const SourceContext& context);
  // A generator's outputs: denied (with the reason and explanation) when the terms forbid
  // training on them, by the manifest's own statement or by the pack's licence data.
  bool GeneratorDenies(const GeneratedBy& generator, const Source& source,
                       PermissionResult& result);
  // The answers that depend only on the override or basis and the licence expression: one
  // cache per basis, and one for piracy (kPirated); the key is the expression, with sources
  // that name no licence apart.
  static constexpr std::size_t kPirated = static_cast<std::size_t>(Basis::kUnknown) + 1;
  static constexpr std::size_t kSlots = kPirated + 1;
  struct AnswerCache {
    std::unordered_map<std::string, PermissionResult> by_license;
    std::optional<PermissionResult> unlicensed;
  };
  std::array<AnswerCache, kSlots> answers_;
  PermissionResult scratch_;  // Answers that depend on more (contracts, generators).

  const LicenseClassifier& classifier_;
  PermissionProfile profile_;
  ModelUse use_;
  std::unordered_map<std::string, LicenseVerdict> cache_;
};

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_PERMISSION_H_
