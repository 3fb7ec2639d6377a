// Licence identifiers as people copy them from dataset and model cards, the canonical spelling
// the report shows, hints for unknown ids, and which alternative of an OR counts and why.
// Expectations: the SPDX list's spellings, the Hugging Face Hub's licence tags, and the rule
// of docs/policy.md (an OR counts the alternative that allows the use with the fewest
// obligations).
#include <gtest/gtest.h>

#include "license/classifier.h"
#include "policy/rule_pack.h"

namespace provgate::detail {
namespace {

const LicenseClassifier& Classifier() {
  static const PackLoadResult pack = LoadRulePack("");
  EXPECT_TRUE(pack.ok());
  return pack.pack->licenses;
}

TEST(LicenseAliases, CardTagsMapToTheLicenceTheyStandFor) {
  struct Case {
    const char* written;
    const char* canonical;
    const char* license_class;
  };
  for (const Case& c : {
           Case{"odc-by", "ODC-By-1.0", "permissive"},
           Case{"ODC-BY", "ODC-By-1.0", "permissive"},
           Case{"odbl", "ODbL-1.0", "share-alike"},
           Case{"cc-by-sa-4.0", "CC-BY-SA-4.0", "share-alike"},
           Case{"apache-2.0", "Apache-2.0", "permissive"},
           Case{"llama3.1", "LicenseRef-Llama-3.1-Community", "share-alike"},
           Case{"llama3", "LicenseRef-Llama-3-Community", "proprietary"},
           Case{"llama2", "LicenseRef-Llama-2-Community", "proprietary"},
           Case{"bigcode-openrail-m", "LicenseRef-BigCode-OpenRAIL-M", "share-alike"},
           Case{"bigscience-openrail-m", "BigScience-OpenRAIL-M", "share-alike"},
           Case{"BigScience-OpenRAIL-M", "BigScience-OpenRAIL-M", "share-alike"},
           Case{"AFL-3.0", "AFL-3.0", "permissive"},
           Case{"gemma", "LicenseRef-Gemma", "share-alike"},
           Case{"odc-by AND mit", "ODC-By-1.0 AND MIT", "permissive"},
       }) {
    LicenseVerdict v = Classifier().Evaluate(c.written, true);
    ASSERT_TRUE(v.parsed) << c.written;
    EXPECT_EQ(v.canonical, c.canonical) << c.written;
    EXPECT_EQ(ToString(v.license_class), c.license_class) << c.written;
  }
}

TEST(LicenseAliases, OpenWeightsSeeTheCanonicalId) {
  EXPECT_TRUE(Classifier().IsOpenWeights("apache-2.0"));
  EXPECT_FALSE(Classifier().IsOpenWeights("llama3.1"));
}

TEST(LicenseAliases, UnknownIdsGetTheClosestKnownLicenceAsAHint) {
  EXPECT_EQ(Classifier().Evaluate("Apache-2", true).hint, "Apache-2.0");
  EXPECT_EQ(Classifier().Evaluate("BSD3-Clause", true).hint, "BSD-3-Clause");
  EXPECT_EQ(Classifier().Evaluate("llama-3.1", true).hint, "LicenseRef-Llama-3.1-Community");
  // Nothing close: no hint rather than a wild guess.
  EXPECT_EQ(Classifier().Evaluate("LicenseRef-acme-internal-data-terms", true).hint, "");
  EXPECT_EQ(Classifier().Evaluate("MIT", true).hint, "") << "a known licence needs no hint";
  // bzip2-1.0.5 is a deprecated SPDX id the classification still names; the hint points at
  // the current id.
  EXPECT_EQ(Classifier().Evaluate("bzip2-1.0", true).hint, "bzip2-1.0.6");
}

TEST(LicenseChoice, OrCountsTheAlternativeWithTheFewestObligations) {
  // Wikipedia's dual licence: both alternatives allow training with attribution and
  // share-alike or copyleft terms; share-alike terms bind adaptations only, so they count.
  LicenseVerdict wiki = Classifier().Evaluate("CC-BY-SA-4.0 OR GFDL-1.3-or-later", true);
  ASSERT_TRUE(wiki.permitted);
  EXPECT_EQ(wiki.licenses, std::vector<std::string>{"CC-BY-SA-4.0"});
  EXPECT_EQ(ToString(wiki.license_class), "share-alike");
  EXPECT_NE(wiki.choice.find("CC-BY-SA-4.0 chosen of 2 alternatives"), std::string::npos)
      << wiki.choice;
  // Fewer obligations first: public domain over attribution, attribution over share-alike.
  EXPECT_EQ(Classifier().Evaluate("MIT OR CC0-1.0", true).licenses,
            std::vector<std::string>{"CC0-1.0"});
  EXPECT_EQ(Classifier().Evaluate("LGPL-2.1-only OR CC-BY-4.0", true).licenses,
            std::vector<std::string>{"CC-BY-4.0"});
  // An alternative that does not allow the use never counts over one that does.
  LicenseVerdict nc = Classifier().Evaluate("CC-BY-NC-4.0 OR GPL-3.0-only", true);
  EXPECT_TRUE(nc.permitted);
  EXPECT_EQ(nc.licenses, std::vector<std::string>{"GPL-3.0-only"});
  // None allows it: the choice says so.
  LicenseVerdict none = Classifier().Evaluate("CC-BY-NC-4.0 OR CC-BY-ND-4.0", true);
  EXPECT_FALSE(none.permitted);
  EXPECT_NE(none.choice.find("none of the 2 alternatives allows the use"), std::string::npos);
  // No OR, no choice.
  EXPECT_EQ(Classifier().Evaluate("MIT", true).choice, "");
}

}  // namespace
}  // namespace provgate::detail
