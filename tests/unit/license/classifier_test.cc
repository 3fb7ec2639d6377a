// Licence classification and expression semantics, against the default pack's data.
#include "license/classifier.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "policy/rule_pack.h"

namespace provgate::detail {
namespace {

const LicenseClassifier& Classifier() {
  static const PackLoadResult pack = LoadRulePack("");
  EXPECT_TRUE(pack.ok());
  return pack.pack->licenses;
}

struct Case {
  const char* expression;
  bool commercial;
  bool permitted;
  const char* reason;
  const char* license_class;
};

constexpr Case kCases[] = {
    {"MIT", true, true, "", "permissive"},
    {"mit", true, true, "", "permissive"},
    {"CC0-1.0", true, true, "", "public-domain"},
    {"CC-BY-4.0", true, true, "", "permissive"},
    {"CC-BY-SA-4.0", true, true, "", "share-alike"},
    {"CC-BY-NC-4.0", true, false, "non-commercial", "non-commercial"},
    {"CC-BY-NC-4.0", false, true, "", "non-commercial"},
    {"CC-BY-NC-SA-3.0-IGO", false, true, "", "non-commercial"},
    {"CC-BY-ND-4.0", false, false, "no-derivatives", "no-derivatives"},
    {"CC-BY-NC-ND-4.0", false, false, "no-derivatives", "no-derivatives"},
    {"GPL-3.0-or-later", true, true, "", "copyleft"},
    {"GPL-2.0+", true, true, "", "copyleft"},
    {"LGPL-2.1-only", true, true, "", "weak-copyleft"},
    {"ODbL-1.0", true, true, "", "share-alike"},
    {"PDDL-1.0", true, true, "", "public-domain"},
    {"CDLA-Permissive-2.0", true, true, "", "permissive"},
    {"NOASSERTION", true, false, "unknown-license", "unknown"},
    {"NONE", true, false, "unknown-license", "unknown"},
    {"Not-A-License", true, false, "unknown-license", "unknown"},
    {"LicenseRef-unlisted", true, false, "unknown-license", "unknown"},
    {"LicenseRef-Llama-2-Community", true, false, "proprietary-license", "proprietary"},
    {"LicenseRef-OpenRAIL-M", true, true, "", "share-alike"},
    {"DocumentRef-x:LicenseRef-OpenRAIL-M", true, true, "", "share-alike"},
    // OR: the most permissive satisfiable choice.
    {"CC-BY-NC-4.0 OR MIT", true, true, "", "permissive"},
    {"GPL-3.0-only OR MIT", true, true, "", "permissive"},
    {"CC-BY-NC-4.0 OR CC-BY-ND-4.0", true, false, "non-commercial", "non-commercial"},
    {"LicenseRef-unlisted OR CC-BY-NC-4.0", true, false, "non-commercial", "non-commercial"},
    // AND: every part must allow the use.
    {"MIT AND CC-BY-NC-4.0", true, false, "non-commercial", "non-commercial"},
    {"MIT AND CC-BY-NC-4.0", false, true, "", "non-commercial"},
    {"MIT AND GPL-2.0-only", true, true, "", "copyleft"},
    {"MIT AND Not-A-License", true, false, "unknown-license", "unknown"},
    {"(MIT OR CC-BY-ND-4.0) AND Apache-2.0", true, true, "", "permissive"},
    // WITH keeps the licence's class.
    {"GPL-2.0-only WITH Classpath-exception-2.0", true, true, "", "copyleft"},
    {"CC-BY-NC-4.0 WITH Classpath-exception-2.0", true, false, "non-commercial", "non-commercial"},
};

TEST(LicenseClassifier, EvaluatesExpressionsForAUse) {
  for (const Case& c : kCases) {
    LicenseVerdict v = Classifier().Evaluate(c.expression, c.commercial);
    SCOPED_TRACE(std::string(c.expression) + (c.commercial ? " (commercial)" : ""));
    EXPECT_TRUE(v.parsed);
    EXPECT_EQ(v.permitted, c.permitted);
    EXPECT_EQ(v.reason, c.reason);
    EXPECT_EQ(ToString(v.license_class), c.license_class);
  }
}

TEST(LicenseClassifier, AttributionAndShareAlikeFollowTheChosenAlternative) {
  LicenseVerdict v = Classifier().Evaluate("CC-BY-SA-4.0 OR CC0-1.0", true);
  EXPECT_EQ(v.license_class, LicenseClass::kPublicDomain);
  EXPECT_FALSE(v.attribution);
  EXPECT_FALSE(v.share_alike);
  v = Classifier().Evaluate("CC-BY-4.0 AND CC-BY-SA-4.0", true);
  EXPECT_TRUE(v.attribution);
  EXPECT_TRUE(v.share_alike);
}

TEST(LicenseClassifier, SyntaxErrorsAreUnknownLicences) {
  LicenseVerdict v = Classifier().Evaluate("MIT OR", true);
  EXPECT_FALSE(v.parsed);
  EXPECT_FALSE(v.permitted);
  EXPECT_EQ(v.reason, "unknown-license");
  EXPECT_EQ(v.error.column, 7u);
}

TEST(LicenseClassifier, EveryCreativeCommonsLicenceIsClassified) {
  std::ifstream in(std::string(PROVGATE_SOURCE_DIR) + "/rules/default/data/spdx.json");
  nlohmann::json data = nlohmann::json::parse(in);
  int count = 0;
  for (const auto& [id, entry] : data["licenses"].items()) {
    if (id.rfind("CC-", 0) != 0 && id.rfind("CC0", 0) != 0) continue;
    ++count;
    EXPECT_NE(Classifier().Classify(id, nullptr, nullptr), LicenseClass::kUnknown) << id;
  }
  EXPECT_GT(count, 50);
}

TEST(LicenseClassifier, TheSpdxListCarriesFlagsAndDeprecatedIds) {
  const SpdxLicense* gpl = Classifier().FindSpdx("gpl-2.0");
  ASSERT_NE(gpl, nullptr);
  EXPECT_TRUE(gpl->deprecated);
  EXPECT_TRUE(gpl->osi);
  EXPECT_TRUE(gpl->fsf);
  EXPECT_FALSE(Classifier().FindSpdx("CC-BY-4.0")->osi);
  EXPECT_TRUE(Classifier().IsSpdxException("Classpath-exception-2.0"));
}

TEST(LicenseClassifier, OpenWeightsClass) {
  EXPECT_TRUE(Classifier().IsOpenWeights("Apache-2.0"));
  EXPECT_TRUE(Classifier().IsOpenWeights("MIT"));
  EXPECT_TRUE(Classifier().IsOpenWeights("CC0-1.0"));
  EXPECT_FALSE(Classifier().IsOpenWeights("CC-BY-NC-4.0"));
  EXPECT_FALSE(Classifier().IsOpenWeights("LicenseRef-Llama-3.1-Community"));
  EXPECT_FALSE(Classifier().IsOpenWeights("LicenseRef-OpenRAIL-M"));
  EXPECT_TRUE(Classifier().IsOpenWeights("LicenseRef-Gemma OR Apache-2.0"));
  EXPECT_FALSE(Classifier().IsOpenWeights("Apache-2.0 AND LicenseRef-Gemma"));
  EXPECT_FALSE(Classifier().IsOpenWeights("MIT OR"));
}

}  // namespace
}  // namespace provgate::detail
