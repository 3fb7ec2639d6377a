#include "license/classifier.h"

#include <algorithm>
#include <array>
#include <cctype>

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

const SpdxLicense* LicenseClassifier::FindSpdx(std::string_view id) const {
  auto it = spdx_.find(Lower(id));
  return it == spdx_.end() ? nullptr : &it->second;
}

bool LicenseClassifier::IsSpdxException(std::string_view id) const {
  return exceptions_.count(Lower(id)) != 0;
}

LicenseClass LicenseClassifier::Classify(std::string_view id, bool* attribution,
                                         bool* share_alike) const {
  std::string lower = Lower(id);
  bool is_ref = lower.rfind("licenseref-", 0) == 0 || lower.rfind("documentref-", 0) == 0;
  for (const std::string& candidate : {lower, Lower(RefPart(id))}) {
    for (const ClassificationRule& rule : rules_) {
      bool match = rule.id.empty() ? GlobMatch(rule.pattern, candidate) : rule.id == candidate;
      // Patterns describe SPDX families; a LicenseRef must be named explicitly.
      if (match && !(is_ref && rule.id.empty())) {
        if (attribution != nullptr) *attribution = rule.attribution;
        if (share_alike != nullptr) {
          *share_alike = rule.share_alike || rule.license_class == LicenseClass::kShareAlike ||
                         rule.license_class == LicenseClass::kCopyleft ||
                         rule.license_class == LicenseClass::kWeakCopyleft;
        }
        return rule.license_class;
      }
    }
  }
  if (attribution != nullptr) *attribution = false;
  if (share_alike != nullptr) *share_alike = false;
  return LicenseClass::kUnknown;
}

struct LicenseClassifier::Part {
  bool permitted = false;
  std::string reason;
  LicenseClass license_class = LicenseClass::kUnknown;
  std::vector<std::string> licenses;
  bool attribution = false;
  bool share_alike = false;
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
      // The most permissive satisfiable alternative counts; if none is satisfiable, the
      // most permissive one says why.
      Part best;
      bool have = false;
      for (const auto& child : node.children) {
        Part p = EvaluateNode(child, commercial);
        bool better = !have || (p.permitted && !best.permitted) ||
                      (p.permitted == best.permitted && p.license_class < best.license_class);
        if (better) {
          best = std::move(p);
          have = true;
        }
      }
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
  verdict.canonical = tree.ToString();
  Part part = EvaluateNode(tree, commercial);
  verdict.permitted = part.permitted;
  verdict.reason = part.reason;
  verdict.license_class = part.license_class;
  verdict.licenses = std::move(part.licenses);
  verdict.attribution = part.attribution;
  verdict.share_alike = part.share_alike;
  verdict.non_commercial_only = part.license_class == LicenseClass::kNonCommercial;
  return verdict;
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
  return OpenWeightsNode(tree);
}

}  // namespace provgate::detail
