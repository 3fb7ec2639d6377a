// Licence expressions as the rule pack reads them: parsed, spelled canonically and classified.
#ifndef PROVGATE_LICENSE_H_
#define PROVGATE_LICENSE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "provgate/export.h"
#include "provgate/policy.h"

namespace provgate {

/// One node of a parsed SPDX licence expression.
struct LicenseNode {
  /// `license`, `ref` (LicenseRef-…), `with`, `and`, `or`, `none` (NONE) or `noassertion`.
  std::string kind;
  /// `license`: the id in canonical spelling; `ref`: the whole reference.
  std::string id;
  /// `license` written with "+": this version or any later one.
  bool or_later = false;
  /// `with`: the exception; the licence is the only child.
  std::string exception;
  std::vector<LicenseNode> children;
};

/// A condition a licence sets on models trained with the material (licenses.yaml).
struct LicenseConditionInfo {
  std::string kind;  ///< name-prefix, display-notice, use-restrictions
  std::string text;
  std::string uri;
  std::string license;  ///< The licence that sets it.
};

/// What a licence expression is and what the pack makes of it for training a model.
struct [[nodiscard]] LicenseInfo {
  /// False on a syntax error: `error` and `error_column` (1-based, in characters) say where.
  bool ok = false;
  std::string error;
  std::uint32_t error_column = 0;
  /// The expression in canonical spelling (aliases such as `apache-2.0` resolved).
  std::string canonical;
  LicenseNode tree;
  /// The class of the alternative that counts (public-domain … proprietary, unknown).
  std::string license_class;
  /// Whether training is permitted under the licence alone, and if not, the reason code.
  bool permitted = false;
  std::string reason;
  /// The licence ids of the alternative that counts, and its obligations.
  std::vector<std::string> licenses;
  bool attribution = false;
  bool share_alike = false;
  /// For an OR: which alternative counts and why. For an unknown id: the closest known one.
  std::string choice;
  std::string hint;
  /// A weights release under this expression is open (the pack's open-weights class).
  bool open_weights = false;
  std::vector<LicenseConditionInfo> conditions;
};

/// Parses and classifies `expression` with the licence data of `pack`, for training a model
/// that is used `commercial`ly or not. Never throws; a syntax error is data (`ok` false).
/// Thread-safe. Example:
///   provgate::LicenseInfo info = provgate::DescribeLicense(pack, "apache-2.0 OR MIT");
///   // info.canonical == "Apache-2.0 OR MIT", info.license_class == "permissive"
PROVGATE_API LicenseInfo DescribeLicense(const RulePack& pack, std::string_view expression,
                                         bool commercial = true);

}  // namespace provgate

#endif  // PROVGATE_LICENSE_H_
