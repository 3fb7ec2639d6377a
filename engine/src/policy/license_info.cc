// DescribeLicense: a licence expression parsed and classified with a pack's licence data.
#include "license/classifier.h"
#include "license/expression.h"
#include "policy/rule_pack.h"
#include "provgate/license.h"

namespace provgate {
namespace {

LicenseNode ToNode(const detail::LicenseExpression& expression,
                   const detail::LicenseClassifier& licenses) {
  using Kind = detail::LicenseExpression::Kind;
  LicenseNode node;
  switch (expression.kind) {
    case Kind::kLicense:
      node.kind = "license";
      node.id = licenses.CanonicalId(expression.id);
      node.or_later = expression.or_later;
      break;
    case Kind::kRef:
      node.kind = "ref";
      node.id = expression.id;
      break;
    case Kind::kWith:
      node.kind = "with";
      node.exception = expression.exception;
      break;
    case Kind::kAnd:
      node.kind = "and";
      break;
    case Kind::kOr:
      node.kind = "or";
      break;
    case Kind::kNone:
      node.kind = "none";
      break;
    case Kind::kNoAssertion:
      node.kind = "noassertion";
      break;
  }
  for (const detail::LicenseExpression& child : expression.children) {
    node.children.push_back(ToNode(child, licenses));
  }
  return node;
}

}  // namespace

LicenseInfo DescribeLicense(const RulePack& pack, std::string_view expression, bool commercial) {
  LicenseInfo info;
  detail::LicenseExpression parsed;
  detail::LicenseParseError error;
  if (!detail::ParseLicenseExpression(expression, parsed, error)) {
    info.error = error.message;
    info.error_column = error.column;
    return info;
  }
  const detail::LicenseClassifier& licenses = pack.licenses;
  detail::LicenseVerdict verdict = licenses.Evaluate(expression, commercial);
  info.ok = true;
  info.tree = ToNode(parsed, licenses);
  info.canonical = verdict.canonical;
  info.license_class = std::string(detail::ToString(verdict.license_class));
  info.permitted = verdict.permitted;
  info.reason = verdict.reason;
  info.licenses = verdict.licenses;
  info.attribution = verdict.attribution;
  info.share_alike = verdict.share_alike;
  info.choice = verdict.choice;
  info.hint = verdict.hint;
  info.open_weights = licenses.IsOpenWeights(expression);
  for (const detail::LicenseCondition& condition : verdict.conditions) {
    info.conditions.push_back({condition.kind, condition.text, condition.uri, condition.license});
  }
  return info;
}

}  // namespace provgate
