// SPDX licence expressions (SPDX specification, Annex D): parsing into a tree.
#ifndef PROVGATE_LICENSE_EXPRESSION_H_
#define PROVGATE_LICENSE_EXPRESSION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace provgate::detail {

struct LicenseExpression {
  enum class Kind {
    kLicense,      // a licence id, possibly with "+" (this version or later)
    kRef,          // [DocumentRef-x:]LicenseRef-y
    kWith,         // children[0] WITH exception
    kAnd,          // every child
    kOr,           // any child
    kNone,         // NONE: no licence applies
    kNoAssertion,  // NOASSERTION: unknown
  };
  Kind kind = Kind::kLicense;
  std::string id;         // kLicense: the id as written; kRef: the full reference
  bool or_later = false;  // kLicense with "+"
  std::string exception;  // kWith
  std::vector<LicenseExpression> children;

  // The expression in canonical spelling: upper-case operators, minimal parentheses.
  std::string ToString() const;
};

struct LicenseParseError {
  std::uint32_t column = 1;  // 1-based, in characters
  std::string message;
};

// Parses `text`. Operators (AND, OR, WITH) are matched case-insensitively; precedence is
// WITH, then AND, then OR; parentheses group. Ids are not looked up here: an unknown id parses
// (and is classified as unknown later); only the syntax can fail. NONE and NOASSERTION stand
// alone. Returns false and sets `error` on a syntax error.
bool ParseLicenseExpression(std::string_view text, LicenseExpression& out,
                            LicenseParseError& error);

}  // namespace provgate::detail

#endif  // PROVGATE_LICENSE_EXPRESSION_H_
