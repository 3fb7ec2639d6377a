// The NOTICE of docs/cli.md ("The NOTICE"), from reports built here: a source used without
// permission is never said to be used under its licence; the notices, naming and use
// restrictions that licences and contracts impose appear with their text, whatever rule
// recorded them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "provgate/report.h"

namespace provgate {
namespace {

SourceDecision Decision(const std::string& id, bool permitted, const std::string& reason = "",
                        const std::string& license = "") {
  SourceDecision d;
  d.id = id;
  d.permitted = permitted;
  d.reason = reason;
  d.detail = permitted ? "it is permitted" : "the reason for " + id;
  d.basis = "license";
  d.license = license;
  d.license_canonical = license;
  d.license_class = license.empty() ? "none" : "permissive";
  d.stages = std::make_shared<const std::vector<std::string>>();
  return d;
}

Obligation Duty(std::string kind, std::string subject, std::string text, std::string license = "",
                std::string uri = "") {
  Obligation o;
  o.kind = std::move(kind);
  o.rule = "R";
  o.subject = std::move(subject);
  o.text = std::move(text);
  o.license = std::move(license);
  o.uri = std::move(uri);
  return o;
}

// A model trained on a permitted MIT corpus, a pirated CC-BY collection, a scraped crawl with
// no basis, Llama-licensed outputs and a licensed forum dump whose contract asks for credit.
Report Mixed() {
  Report report;
  report.model_id = "lab/model";
  Obligation code;
  code.kind = "attribution";
  code.rule = "P7";
  code.subject = "code";
  code.title = "Permissive code";
  code.license = "MIT";
  code.uri = "https://code.example/";
  Obligation books = code;
  books.subject = "books";
  books.title = "Books from a shadow library";
  books.license = "CC-BY-4.0";
  books.uri = "";
  report.obligations = {
      code,
      books,
      Duty("contract-obligation", "forum", "Credit Forum Example in the model card."),
      Duty("contract-obligation", "forum", "Link to the forum", "", "https://forum.example/"),
      Duty("display-notice", "llama-a", "Built with Llama", "Llama-3.1"),
      Duty("display-notice", "llama-b", "Built with Llama", "Llama-3.1"),
      Duty("name-prefix", "lab/model", "Llama", "Llama-3.1"),
      Duty("use-restrictions", "llama-a", "", "Llama-3.1", "https://llama.example/aup"),
  };
  report.decisions = std::vector<SourceDecision>{
      Decision("code", true, "", "MIT"),          Decision("books", false, "pirated", "CC-BY-4.0"),
      Decision("crawl", false, "no-basis"),       Decision("llama-a", true, "", "Llama-3.1"),
      Decision("llama-b", true, "", "Llama-3.1"), Decision("forum", true),
  };
  (*report.decisions)[1].title = "Books from a shadow library";
  return report;
}

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(Notice, SourcesWithoutPermissionAreApartAndSaidPlainly) {
  std::string out = RenderNotice(Mixed());
  EXPECT_EQ(out.find("used under the licences shown"), std::string::npos) << out;
  std::size_t permitted = out.find("\nSources used with permission");
  std::size_t unpermitted = out.find("\nSources used WITHOUT permission (2)");
  ASSERT_NE(permitted, std::string::npos) << out;
  ASSERT_NE(unpermitted, std::string::npos) << out;
  ASSERT_LT(permitted, unpermitted);
  std::string with = out.substr(permitted, unpermitted - permitted);
  std::string without = out.substr(unpermitted);
  // The permitted MIT corpus is credited with its licence; the pirated books are not among
  // the permitted, even though their licence requires attribution.
  EXPECT_NE(with.find("Permissive code (code)\n  Source: https://code.example/\n  License: MIT\n"),
            std::string::npos)
      << with;
  EXPECT_EQ(with.find("books"), std::string::npos) << with;
  EXPECT_EQ(with.find("crawl"), std::string::npos) << with;
  // Every source without permission, with its reason; the licence is only "as published".
  EXPECT_NE(without.find("Books from a shadow library (books)\n  Not permitted (pirated): the "
                         "reason for books\n  License as published: CC-BY-4.0\n"),
            std::string::npos)
      << without;
  EXPECT_NE(without.find("\ncrawl\n  Not permitted (no-basis): the reason for crawl\n"),
            std::string::npos)
      << without;
  EXPECT_EQ(without.find("License: "), std::string::npos) << without;
  EXPECT_EQ(without.find("code"), std::string::npos) << without;
}

TEST(Notice, NoticesNamingAndUseRestrictionsCarryTheirText) {
  std::string out = RenderNotice(Mixed());
  // One notice for both sources under the Llama licence, verbatim.
  EXPECT_EQ(Count(out, "Built with Llama"), 1u) << out;
  EXPECT_NE(out.find("\n  Built with Llama\n  (required by the terms of Llama-3.1, for llama-a, "
                     "llama-b)\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\n  The model's name must begin with \"Llama\".\n  (required by the "
                     "terms of Llama-3.1)\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\n\n  https://llama.example/aup\n  (required by the terms of Llama-3.1, for "
                     "llama-a)\n"),
            std::string::npos)
      << out;
  // An agreement's duties under the permitted forum source.
  EXPECT_NE(out.find("\nforum\n  Agreement requires: Credit Forum Example in the model card.\n"
                     "  Agreement requires: Link to the forum https://forum.example/\n"),
            std::string::npos)
      << out;
  // Sections come in the documented order.
  std::size_t notices = out.find("\nNotices\n");
  ASSERT_NE(notices, std::string::npos) << out;
  std::size_t naming = out.find("\nNaming\n");
  std::size_t restrictions = out.find("\nUse restrictions\n");
  std::size_t credits = out.find("Sources used with permission");
  EXPECT_LT(notices, naming);
  EXPECT_LT(naming, restrictions);
  EXPECT_LT(restrictions, credits);
}

TEST(Notice, ANoticeRequiredForASourceWithoutPermissionSaysSo) {
  Report report = Mixed();
  (*report.decisions)[4].permitted = false;
  (*report.decisions)[4].reason = "terms-forbid-training";
  std::string out = RenderNotice(report);
  EXPECT_NE(out.find("for llama-a, llama-b (used without permission))"), std::string::npos) << out;
}

TEST(Notice, EveryPermittedSaysSo) {
  Report report = Mixed();
  report.decisions->erase(report.decisions->begin() + 1, report.decisions->begin() + 3);
  std::string out = RenderNotice(report);
  EXPECT_NE(out.find("\nEvery source was used with permission.\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("WITHOUT"), std::string::npos) << out;
}

TEST(Notice, WithoutDecisionsItMakesNoClaimAboutPermission) {
  Report report = Mixed();
  report.decisions.reset();
  std::string out = RenderNotice(report);
  EXPECT_NE(out.find("does not say whether each was used with permission"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("Sources used with permission"), std::string::npos) << out;
  EXPECT_EQ(out.find("licences shown"), std::string::npos) << out;
  // Both attributed sources are still credited.
  EXPECT_NE(out.find("Books from a shadow library (books)\n  License: CC-BY-4.0\n"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace provgate
