// Licence classes and the evaluation of SPDX expressions against a use.
#ifndef PROVGATE_LICENSE_CLASSIFIER_H_
#define PROVGATE_LICENSE_CLASSIFIER_H_

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "license/expression.h"

namespace provgate::detail {

// From the fewest conditions to the most. An OR expression picks, among the alternatives that
// allow the use, the one with the fewest obligations, then the earliest class (see
// LicenseClassifier::Evaluate).
enum class LicenseClass {
  kPublicDomain,
  kPermissive,
  kWeakCopyleft,
  kCopyleft,
  kShareAlike,
  kNonCommercial,
  kNoDerivatives,
  kProprietary,
  kUnknown
};
std::string_view ToString(LicenseClass license_class);
std::optional<LicenseClass> ParseLicenseClass(std::string_view text);

// One entry of the SPDX licence list.
struct SpdxLicense {
  std::string id;
  std::string name;
  bool osi = false;
  bool fsf = false;
  bool deprecated = false;
};

// A condition a licence sets on models trained on the material or on its outputs, which the
// release must meet: `name-prefix` (`text` must begin the model's name), `display-notice`
// (`text` must be displayed), `use-restrictions` (the restrictions at `uri` pass on to the
// model and its users).
struct LicenseCondition {
  std::string kind;
  std::string text;
  std::string uri;
  std::string license;  // The licence that sets it (filled in by Evaluate and ConditionsOf).
};

// What a licence says of training other models on outputs of a model released under it.
enum class OutputsTraining { kUnstated, kAllowed, kForbidden };

// One classification entry: an id or a glob pattern, matched case-insensitively.
struct ClassificationRule {
  std::string id;       // exact id, or
  std::string pattern;  // glob with '*'
  LicenseClass license_class = LicenseClass::kUnknown;
  bool attribution = false;
  bool share_alike = false;
  OutputsTraining outputs_training = OutputsTraining::kUnstated;
  std::vector<LicenseCondition> conditions;
};

// The terms a model's outputs come under, for models matched by id or glob pattern.
struct ModelTerms {
  std::string id;       // exact model id, or
  std::string pattern;  // glob with '*'
  std::string license;  // a licence id the classification knows
};

// What a licence expression means for one use.
struct LicenseVerdict {
  bool parsed = false;
  LicenseParseError error;  // when !parsed
  std::string canonical;    // the expression in canonical spelling
  bool permitted = false;
  std::string reason;  // unknown-license, non-commercial, no-derivatives, proprietary-license
  LicenseClass license_class = LicenseClass::kUnknown;  // of the alternative that counts
  std::vector<std::string> licenses;                    // ids of the alternative that counts
  bool attribution = false;  // the alternative that counts requires attribution
  bool share_alike = false;  // ... carries share-alike or copyleft terms
  bool non_commercial_only = false;
  // For an OR: which alternative counts and why; empty without a choice.
  std::string choice;
  // For an id that is not classified: the closest known licence id, as a hint; empty when
  // nothing is close.
  std::string hint;
  // The conditions the licences of the alternative that counts set on models built with them.
  std::vector<LicenseCondition> conditions;
};

// Holds the SPDX list, the classification rules and the open-weights class of a pack.
// Immutable after loading; Evaluate is const and thread-safe.
class LicenseClassifier {
 public:
  void AddSpdxLicense(SpdxLicense license);
  void AddSpdxException(std::string id, bool deprecated);
  void AddRule(ClassificationRule rule);
  // Maps an identifier people copy from dataset and model cards (`odc-by`, `llama3.1`) to the
  // licence id it stands for; matched case-insensitively.
  void AddAlias(std::string alias, std::string id);
  void SetOpenWeights(bool osi_approved, std::vector<std::string> include,
                      std::vector<std::string> exclude);

  const SpdxLicense* FindSpdx(std::string_view id) const;
  // The canonical spelling of a licence id: the id an alias stands for, the SPDX list's
  // spelling of an SPDX id written in another case, the classification's spelling of an id
  // it names; else `id` as written.
  std::string CanonicalId(std::string_view id) const;
  // The known licence id (SPDX, classified or alias) closest to `id` in edit distance, when
  // it is close enough to be a likely misspelling or variant; else empty.
  std::string ClosestKnown(std::string_view id) const;
  bool IsSpdxException(std::string_view id) const;
  // The classification of one licence id; `attribution` and `share_alike` are set too.
  LicenseClass Classify(std::string_view id, bool* attribution, bool* share_alike) const;
  // The classification entry that applies to one licence id; nullptr when none does.
  const ClassificationRule* FindRule(std::string_view id) const;

  // The conditions the licences of `expression` set (every licence it names), each with its
  // licence id.
  std::vector<LicenseCondition> ConditionsOf(std::string_view expression) const;
  // Records the terms of the models matching `terms`.
  void AddModelTerms(ModelTerms terms);
  // The licence the outputs of model `model_id` come under, from the model terms; empty when
  // no entry matches.
  std::string TermsOfModel(std::string_view model_id) const;
  // Whether a licence expression lets others train on outputs of a model released under it:
  // forbidden when every alternative of an OR forbids it (an AND forbids when any part does);
  // allowed when some entry says so and none forbids; unstated otherwise. `forbidding` is set
  // to the licence id that forbids it.
  OutputsTraining OutputsTrainingOf(std::string_view expression, std::string* forbidding) const;

  // Evaluates `expression` for a use that is `commercial` or not.
  LicenseVerdict Evaluate(std::string_view expression, bool commercial) const;
  // True when a weights release under `expression` is open: some alternative of an OR, or
  // every part of an AND, is in the open-weights class.
  bool IsOpenWeights(std::string_view expression) const;

  std::size_t spdx_license_count() const { return spdx_.size(); }
  std::size_t rule_count() const { return rules_.size(); }

 private:
  struct Part;
  Part EvaluateNode(const LicenseExpression& node, bool commercial) const;
  void Canonicalize(LicenseExpression& node) const;
  bool OpenWeightsNode(const LicenseExpression& node) const;

  std::unordered_map<std::string, SpdxLicense> spdx_;  // lower-case id
  std::unordered_map<std::string, bool> exceptions_;   // lower-case id -> deprecated
  std::vector<ClassificationRule> rules_;
  std::vector<ModelTerms> model_terms_;
  std::unordered_map<std::string, std::string> aliases_;   // lower-case alias -> id
  std::unordered_map<std::string, std::string> spelling_;  // lower-case id -> as declared
  bool open_weights_osi_ = false;
  std::unordered_set<std::string> open_weights_include_;  // lower-case
  std::unordered_set<std::string> open_weights_exclude_;  // lower-case
};

}  // namespace provgate::detail

#endif  // PROVGATE_LICENSE_CLASSIFIER_H_
