#include "license/classifier.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <string>
#include <vector>

namespace provgate::detail {
namespace {

constexpr std::array<std::string_view, 9> kClassNames = {
    "public-domain",  "permissive",     "weak-copyleft", "copyleft", "share-alike",
    "non-commercial", "no-derivatives", "proprietary",   "unknown"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Glob match with '*', on lower-case text.
bool GlobMatch(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// The rank of a class when an OR chooses between alternatives with as many obligations:
// share-alike terms bind adaptations only, where copyleft licences add duties to distribute
// source and the licence's own text, so share-alike comes first.
int ChoiceRank(LicenseClass c) {
  switch (c) {
    case LicenseClass::kShareAlike:
      return static_cast<int>(LicenseClass::kCopyleft);
    case LicenseClass::kCopyleft:
      return static_cast<int>(LicenseClass::kShareAlike);
    default:
      return static_cast<int>(c);
  }
}

// The longest licence id ClosestKnown compares.
constexpr std::size_t kLongestId = 64;

// Levenshtein distance of two strings of at most kLongestId characters, or `limit` + 1 when
// it exceeds `limit`. One row on the stack: nothing is allocated.
std::size_t EditDistance(std::string_view a, std::string_view b, std::size_t limit) {
  if (a.size() > b.size() + limit || b.size() > a.size() + limit || b.size() > kLongestId) {
    return limit + 1;
  }
  std::array<std::size_t, kLongestId + 1> row;
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    std::size_t best = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
      best = std::min(best, row[j]);
    }
    if (best > limit) return limit + 1;
  }
  return row[b.size()];
}

// A lower-case id without its LicenseRef- prefix, which is not part of the name.
std::string_view NameOf(std::string_view lower_id) {
  constexpr std::string_view kRef = "licenseref-";
  return lower_id.substr(0, kRef.size()) == kRef ? lower_id.substr(kRef.size()) : lower_id;
}

std::string Obligations(bool attribution, bool share_alike) {
  if (attribution && share_alike) return "attribution, share-alike";
  if (attribution) return "attribution";
  if (share_alike) return "share-alike";
  return "none";
}

std::string Joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : " AND ") + id;
  return out;
}

// The id a classification looks at: a document-qualified reference is classified by its
// LicenseRef part when no entry names the full reference.
std::string_view RefPart(std::string_view id) {
  std::size_t colon = id.find(':');
  return colon == std::string_view::npos ? id : id.substr(colon + 1);
}

}  // namespace

std::string_view ToString(LicenseClass license_class) {
  return kClassNames[static_cast<std::size_t>(license_class)];
}

std::optional<LicenseClass> ParseLicenseClass(std::string_view text) {
  for (std::size_t i = 0; i < kClassNames.size(); ++i) {
    if (kClassNames[i] == text) return static_cast<LicenseClass>(i);
  }
  return std::nullopt;
}

void LicenseClassifier::AddSpdxLicense(SpdxLicense license) {
  std::string key = Lower(license.id);
  spdx_[key] = std::move(license);
}

void LicenseClassifier::AddSpdxException(std::string id, bool deprecated) {
  exceptions_[Lower(id)] = deprecated;
}

void LicenseClassifier::AddRule(ClassificationRule rule) {
  if (!rule.id.empty()) spelling_.emplace(Lower(rule.id), rule.id);
  rule.id = Lower(rule.id);
  rule.pattern = Lower(rule.pattern);
  rules_.push_back(std::move(rule));
}

void LicenseClassifier::SetOpenWeights(bool osi_approved, std::vector<std::string> include,
                                       std::vector<std::string> exclude) {
  open_weights_osi_ = osi_approved;
  for (const auto& id : include) open_weights_include_.insert(Lower(id));
  for (const auto& id : exclude) open_weights_exclude_.insert(Lower(id));
}

void LicenseClassifier::AddAlias(std::string alias, std::string id) {
  aliases_[Lower(alias)] = std::move(id);
}

std::string LicenseClassifier::CanonicalId(std::string_view id) const {
  std::string lower = Lower(id);
  if (auto it = aliases_.find(lower); it != aliases_.end()) return it->second;
  if (auto it = spdx_.find(lower); it != spdx_.end()) return it->second.id;
  if (auto it = spelling_.find(lower); it != spelling_.end()) return it->second;
  return std::string(id);
}

std::string LicenseClassifier::ClosestKnown(std::string_view id) const {
  if (id.empty() || id.size() > kLongestId) return {};
  const std::string lower_id = Lower(id);
  const std::string_view lower = NameOf(lower_id);
  if (lower.empty()) return {};
  // A likely misspelling or variant: at most a third of the name's characters differ.
  const std::size_t limit = std::max<std::size_t>(1, lower.size() / 3);
  std::size_t best_distance = limit + 1;
  const std::string* best = nullptr;
  auto consider = [&](const std::string& candidate_lower, const std::string& spelled) {
    std::size_t d = EditDistance(lower, NameOf(candidate_lower), std::min(limit, best_distance));
    if (d < best_distance || (d == best_distance && best != nullptr && spelled < *best)) {
      best_distance = d;
      best = &spelled;
    }
  };
  for (const auto& [key, license] : spdx_) {
    if (!license.deprecated) consider(key, license.id);
  }
  // Ids the classification names, except deprecated SPDX ids it classifies for manifests
  // that still use them: a hint points at the current id.
  for (const auto& [key, spelled] : spelling_) {
    auto spdx = spdx_.find(key);
    if (spdx == spdx_.end() || !spdx->second.deprecated) consider(key, spelled);
  }
  for (const auto& [key, target] : aliases_) consider(key, target);
  return best_distance <= limit && best != nullptr ? *best : std::string();
}

void LicenseClassifier::Canonicalize(LicenseExpression& node) const {
  if (node.kind == LicenseExpression::Kind::kLicense) {
    node.id = CanonicalId(node.id);
    if (node.id.rfind("LicenseRef-", 0) == 0) {
      node.kind = LicenseExpression::Kind::kRef;
      node.or_later = false;
    }
  } else if (node.kind == LicenseExpression::Kind::kRef) {
    node.id = CanonicalId(node.id);
  }
  for (LicenseExpression& child : node.children) Canonicalize(child);
}

const SpdxLicense* LicenseClassifier::FindSpdx(std::string_view id) const {
  auto it = spdx_.find(Lower(id));
  return it == spdx_.end() ? nullptr : &it->second;
}

bool LicenseClassifier::IsSpdxException(std::string_view id) const {
  return exceptions_.count(Lower(id)) != 0;
}

const ClassificationRule* LicenseClassifier::FindRule(std::string_view id) const {
  std::string lower = Lower(id);
  bool is_ref = lower.rfind("licenseref-", 0) == 0 || lower.rfind("documentref-", 0) == 0;
  for (const std::string& candidate : {lower, Lower(RefPart(id))}) {
    for (const ClassificationRule& rule : rules_) {
      bool match = rule.id.empty() ? GlobMatch(rule.pattern, candidate) : rule.id == candidate;
      // Patterns describe SPDX families; a LicenseRef must be named explicitly.
      if (match && !(is_ref && rule.id.empty())) return &rule;
    }
  }
  return nullptr;
}

LicenseClass LicenseClassifier::Classify(std::string_view id, bool* attribution,
                                         bool* share_alike) const {
  const ClassificationRule* rule = FindRule(id);
  if (rule == nullptr) {
    if (attribution != nullptr) *attribution = false;
    if (share_alike != nullptr) *share_alike = false;
    return LicenseClass::kUnknown;
  }
  if (attribution != nullptr) *attribution = rule->attribution;
  if (share_alike != nullptr) {
    *share_alike = rule->share_alike || rule->license_class == LicenseClass::kShareAlike ||
                   rule->license_class == LicenseClass::kCopyleft ||
                   rule->license_class == LicenseClass::kWeakCopyleft;
  }
  return rule->license_class;
}

void LicenseClassifier::AddModelTerms(ModelTerms terms) {
  terms.id = Lower(terms.id);
  terms.pattern = Lower(terms.pattern);
  model_terms_.push_back(std::move(terms));
}

std::string LicenseClassifier::TermsOfModel(std::string_view model_id) const {
  std::string lower = Lower(model_id);
  for (const ModelTerms& terms : model_terms_) {
    bool match = terms.id.empty() ? GlobMatch(terms.pattern, lower) : terms.id == lower;
    if (match) return terms.license;
  }
  return {};
}

namespace {

struct OutputsAnswer {
  OutputsTraining verdict = OutputsTraining::kUnstated;
  std::string forbidding;
};

}  // namespace

OutputsTraining LicenseClassifier::OutputsTrainingOf(std::string_view expression,
                                                     std::string* forbidding) const {
  LicenseExpression tree;
  LicenseParseError error;
  if (!ParseLicenseExpression(expression, tree, error)) return OutputsTraining::kUnstated;
  std::function<OutputsAnswer(const LicenseExpression&)> walk =
      [&](const LicenseExpression& node) -> OutputsAnswer {
    OutputsAnswer answer;
    switch (node.kind) {
      case LicenseExpression::Kind::kLicense:
      case LicenseExpression::Kind::kRef: {
        std::string id = CanonicalId(node.id);
        if (const ClassificationRule* rule = FindRule(id)) answer.verdict = rule->outputs_training;
        if (answer.verdict == OutputsTraining::kForbidden) answer.forbidding = id;
        return answer;
      }
      case LicenseExpression::Kind::kWith:
        return node.children.empty() ? answer : walk(node.children.front());
      case LicenseExpression::Kind::kAnd: {
        for (const LicenseExpression& child : node.children) {
          OutputsAnswer part = walk(child);
          if (part.verdict == OutputsTraining::kForbidden) return part;
          if (part.verdict == OutputsTraining::kAllowed) answer.verdict = part.verdict;
        }
        return answer;
      }
      case LicenseExpression::Kind::kOr: {
        bool all_forbid = !node.children.empty();
        for (const LicenseExpression& child : node.children) {
          OutputsAnswer part = walk(child);
          if (part.verdict != OutputsTraining::kForbidden) all_forbid = false;
          if (part.verdict == OutputsTraining::kAllowed) answer.verdict = part.verdict;
          if (answer.forbidding.empty()) answer.forbidding = part.forbidding;
        }
        if (all_forbid) {
          answer.verdict = OutputsTraining::kForbidden;
        } else {
          answer.forbidding.clear();
        }
        return answer;
      }
      case LicenseExpression::Kind::kNone:
      case LicenseExpression::Kind::kNoAssertion:
        return answer;
    }
    return answer;
  };
  OutputsAnswer answer = walk(tree);
  if (forbidding != nullptr) *forbidding = answer.forbidding;
  return answer.verdict;
}

struct LicenseClassifier::Part {
  bool permitted = false;
  std::string reason;
  LicenseClass license_class = LicenseClass::kUnknown;
  std::vector<std::string> licenses;
  bool attribution = false;
  bool share_alike = false;
  std::string choice;
  std::string hint;
};

LicenseClassifier::Part LicenseClassifier::EvaluateNode(const LicenseExpression& node,
                                                        bool commercial) const {
  using Kind = LicenseExpression::Kind;
  Part part;
  switch (node.kind) {
    case Kind::kNone:
    case Kind::kNoAssertion:
      part.reason = "unknown-license";
      part.licenses = {node.kind == Kind::kNone ? "NONE" : "NOASSERTION"};
      return part;
    case Kind::kWith:
      // An exception keeps the licence's class.
      return EvaluateNode(node.children[0], commercial);
    case Kind::kLicense:
    case Kind::kRef: {
      part.license_class = Classify(node.id, &part.attribution, &part.share_alike);
      part.licenses = {node.or_later ? node.id + "+" : node.id};
      switch (part.license_class) {
        case LicenseClass::kUnknown:
          part.reason = "unknown-license";
          part.hint = ClosestKnown(node.id);
          break;
        case LicenseClass::kNoDerivatives:
          part.reason = "no-derivatives";
          break;
        case LicenseClass::kProprietary:
          part.reason = "proprietary-license";
          break;
        case LicenseClass::kNonCommercial:
          if (commercial) part.reason = "non-commercial";
          break;
        default:
          break;
      }
      part.permitted = part.reason.empty();
      return part;
    }
    case Kind::kOr: {
      // Among the alternatives that allow the use, the one with the fewest obligations counts
      // (then the earliest class, share-alike before copyleft); if none allows it, the most
      // permissive one says why.
      Part best;
      bool have = false;
      auto weight = [](const Part& p) { return (p.attribution ? 1 : 0) + (p.share_alike ? 1 : 0); };
      for (const auto& child : node.children) {
        Part p = EvaluateNode(child, commercial);
        bool better = !have || (p.permitted && !best.permitted);
        if (have && p.permitted == best.permitted) {
          if (p.permitted && weight(p) != weight(best)) {
            better = weight(p) < weight(best);
          } else {
            better = ChoiceRank(p.license_class) < ChoiceRank(best.license_class);
          }
        }
        if (better) {
          best = std::move(p);
          have = true;
        }
      }
      std::string chosen = Joined(best.licenses);
      std::string why = best.permitted
                            ? chosen + " chosen of " + std::to_string(node.children.size()) +
                                  " alternatives: it allows the use with the fewest obligations (" +
                                  Obligations(best.attribution, best.share_alike) + ")"
                            : "none of the " + std::to_string(node.children.size()) +
                                  " alternatives allows the use; " + chosen + " comes closest";
      best.choice = best.choice.empty() ? why : why + "; " + best.choice;
      return best;
    }
    case Kind::kAnd: {
      // Every part must allow the use; the least permissive part decides the class, the
      // obligations of all parts add up.
      Part all;
      all.permitted = true;
      all.license_class = LicenseClass::kPublicDomain;
      for (const auto& child : node.children) {
        Part p = EvaluateNode(child, commercial);
        if (!p.permitted && all.permitted) {
          all.permitted = false;
          all.reason = p.reason;
        } else if (!p.permitted && p.license_class > all.license_class) {
          all.reason = p.reason;
        }
        all.license_class = std::max(all.license_class, p.license_class);
        all.attribution = all.attribution || p.attribution;
        all.share_alike = all.share_alike || p.share_alike;
        all.licenses.insert(all.licenses.end(), p.licenses.begin(), p.licenses.end());
        if (!p.choice.empty()) all.choice += (all.choice.empty() ? "" : "; ") + p.choice;
        if (all.hint.empty()) all.hint = p.hint;
      }
      return all;
    }
  }
  return part;
}

LicenseVerdict LicenseClassifier::Evaluate(std::string_view expression, bool commercial) const {
  LicenseVerdict verdict;
  LicenseExpression tree;
  if (!ParseLicenseExpression(expression, tree, verdict.error)) {
    verdict.reason = "unknown-license";
    return verdict;
  }
  verdict.parsed = true;
  Canonicalize(tree);
  verdict.canonical = tree.ToString();
  Part part = EvaluateNode(tree, commercial);
  verdict.permitted = part.permitted;
  verdict.reason = part.reason;
  verdict.license_class = part.license_class;
  verdict.licenses = std::move(part.licenses);
  verdict.attribution = part.attribution;
  verdict.share_alike = part.share_alike;
  verdict.non_commercial_only = part.license_class == LicenseClass::kNonCommercial;
  verdict.choice = std::move(part.choice);
  verdict.hint = std::move(part.hint);
  for (const std::string& id : verdict.licenses) {
    std::string plain = !id.empty() && id.back() == '+' ? id.substr(0, id.size() - 1) : id;
    const ClassificationRule* rule = FindRule(plain);
    if (rule == nullptr) continue;
    for (LicenseCondition condition : rule->conditions) {
      condition.license = CanonicalId(plain);
      verdict.conditions.push_back(std::move(condition));
    }
  }
  return verdict;
}

std::vector<LicenseCondition> LicenseClassifier::ConditionsOf(std::string_view expression) const {
  std::vector<LicenseCondition> out;
  LicenseExpression tree;
  LicenseParseError error;
  if (!ParseLicenseExpression(expression, tree, error)) return out;
  std::function<void(const LicenseExpression&)> walk = [&](const LicenseExpression& node) {
    if (node.kind == LicenseExpression::Kind::kLicense ||
        node.kind == LicenseExpression::Kind::kRef) {
      const ClassificationRule* rule = FindRule(node.id);
      if (rule == nullptr) return;
      for (LicenseCondition condition : rule->conditions) {
        condition.license = CanonicalId(node.id);
        out.push_back(std::move(condition));
      }
      return;
    }
    for (const LicenseExpression& child : node.children) walk(child);
  };
  walk(tree);
  return out;
}

bool LicenseClassifier::OpenWeightsNode(const LicenseExpression& node) const {
  using Kind = LicenseExpression::Kind;
  switch (node.kind) {
    case Kind::kNone:
    case Kind::kNoAssertion:
      return false;
    case Kind::kWith:
      return OpenWeightsNode(node.children[0]);
    case Kind::kLicense:
    case Kind::kRef: {
      std::string lower = Lower(node.id);
      if (open_weights_exclude_.count(lower) != 0) return false;
      if (open_weights_include_.count(lower) != 0) return true;
      if (!open_weights_osi_) return false;
      auto it = spdx_.find(lower);
      return it != spdx_.end() && it->second.osi;
    }
    case Kind::kOr:
      return std::any_of(node.children.begin(), node.children.end(),
                         [&](const LicenseExpression& c) { return OpenWeightsNode(c); });
    case Kind::kAnd:
      return std::all_of(node.children.begin(), node.children.end(),
                         [&](const LicenseExpression& c) { return OpenWeightsNode(c); });
  }
  return false;
}

bool LicenseClassifier::IsOpenWeights(std::string_view expression) const {
  LicenseExpression tree;
  LicenseParseError error;
  if (!ParseLicenseExpression(expression, tree, error)) return false;
  Canonicalize(tree);
  return OpenWeightsNode(tree);
}

}  // namespace provgate::detail
