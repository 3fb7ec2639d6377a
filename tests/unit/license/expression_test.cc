#include "license/expression.h"

#include <gtest/gtest.h>

#include <string>

namespace provgate::detail {
namespace {

struct Valid {
  const char* input;
  const char* canonical;
};

// Inputs and their canonical spelling: precedence, grouping, case of operators.
constexpr Valid kValid[] = {
    {"MIT", "MIT"},
    {"  MIT  ", "MIT"},
    {"GPL-2.0+", "GPL-2.0+"},
    {"GPL-2.0-or-later", "GPL-2.0-or-later"},
    {"LicenseRef-acme-terms", "LicenseRef-acme-terms"},
    {"DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",
     "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2"},
    {"MIT OR Apache-2.0", "MIT OR Apache-2.0"},
    {"MIT or Apache-2.0", "MIT OR Apache-2.0"},
    {"MIT Or Apache-2.0", "MIT OR Apache-2.0"},
    {"MIT AND Apache-2.0", "MIT AND Apache-2.0"},
    {"mit and apache-2.0", "mit AND apache-2.0"},
    {"MIT OR Apache-2.0 AND BSD-3-Clause", "MIT OR (Apache-2.0 AND BSD-3-Clause)"},
    {"(MIT OR Apache-2.0) AND BSD-3-Clause", "(MIT OR Apache-2.0) AND BSD-3-Clause"},
    {"MIT AND (Apache-2.0 OR BSD-3-Clause)", "MIT AND (Apache-2.0 OR BSD-3-Clause)"},
    {"((MIT))", "MIT"},
    {"GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"},
    {"GPL-2.0+ with Classpath-exception-2.0", "GPL-2.0+ WITH Classpath-exception-2.0"},
    {"MIT OR GPL-2.0-only WITH Classpath-exception-2.0 AND BSD-2-Clause",
     "MIT OR (GPL-2.0-only WITH Classpath-exception-2.0 AND BSD-2-Clause)"},
    {"A OR B OR C", "A OR B OR C"},
    {"NOASSERTION", "NOASSERTION"},
    {"none", "NONE"},
    {"Not-A-Real-License", "Not-A-Real-License"},
    {"(MIT)AND(Apache-2.0)", "MIT AND Apache-2.0"},
};

TEST(LicenseExpression, ParsesValidExpressions) {
  for (const Valid& v : kValid) {
    LicenseExpression e;
    LicenseParseError error;
    ASSERT_TRUE(ParseLicenseExpression(v.input, e, error)) << v.input << ": " << error.message;
    EXPECT_EQ(e.ToString(), v.canonical) << v.input;
  }
}

TEST(LicenseExpression, PrecedenceIsWithThenAndThenOr) {
  LicenseExpression e;
  LicenseParseError error;
  ASSERT_TRUE(ParseLicenseExpression("A OR B AND C WITH X", e, error));
  ASSERT_EQ(e.kind, LicenseExpression::Kind::kOr);
  ASSERT_EQ(e.children.size(), 2u);
  EXPECT_EQ(e.children[0].id, "A");
  ASSERT_EQ(e.children[1].kind, LicenseExpression::Kind::kAnd);
  EXPECT_EQ(e.children[1].children[1].kind, LicenseExpression::Kind::kWith);
  EXPECT_EQ(e.children[1].children[1].exception, "X");
}

struct Invalid {
  const char* input;
  std::uint32_t column;
  const char* message;
};

constexpr Invalid kInvalid[] = {
    {"", 1, "empty"},
    {"   ", 4, "empty"},
    {"MIT OR", 7, "ends where a licence id was expected"},
    {"OR MIT", 1, "expected a licence id"},
    {"MIT AND AND Apache-2.0", 9, "expected a licence id"},
    {"MIT Apache-2.0", 5, "expected AND, OR or WITH"},
    {"(MIT", 5, "expected ')'"},
    {"MIT)", 4, "unbalanced ')'"},
    {"()", 2, "expected a licence id"},
    {"MIT WITH", 9, "expected an exception id"},
    {"(MIT OR BSD) WITH X", 14, "WITH applies to a single licence"},
    {"LicenseRef-x WITH X", 14, "WITH needs a licence id"},
    {"LicenseRef-x+", 13, "'+' applies to licence ids"},
    {"GPL-2.0 +", 9, "without a space"},
    {"MIT/Apache", 4, "unexpected character '/'"},
    {"MIT OR NONE", 8, "must stand alone"},
    {"LicenseRef-", 1, "expected LicenseRef-"},
    {"DocumentRef-x", 1, "DocumentRef-ID:LicenseRef-ID"},
    {"DocumentRef-x:MIT", 1, "DocumentRef-ID:LicenseRef-ID"},
    {"Foo:Bar", 1, "':' is allowed only"},
    {"MIT AND é", 9, "unexpected character"},
};

TEST(LicenseExpression, RejectsInvalidExpressionsWithTheColumn) {
  for (const Invalid& v : kInvalid) {
    LicenseExpression e;
    LicenseParseError error;
    ASSERT_FALSE(ParseLicenseExpression(v.input, e, error)) << v.input;
    EXPECT_EQ(error.column, v.column) << v.input << ": " << error.message;
    EXPECT_NE(error.message.find(v.message), std::string::npos) << v.input << ": " << error.message;
  }
}

TEST(LicenseExpression, DeepNestingIsAnErrorNotACrash) {
  std::string deep(10000, '(');
  LicenseExpression e;
  LicenseParseError error;
  EXPECT_FALSE(ParseLicenseExpression(deep + "MIT" + std::string(10000, ')'), e, error));
  EXPECT_NE(error.message.find("nested"), std::string::npos);
}

}  // namespace
}  // namespace provgate::detail
