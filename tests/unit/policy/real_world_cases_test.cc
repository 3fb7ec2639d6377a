// The policy's cases met on real models (POLICY.md, "Cases met on real models"), each stated
// from the policy text: own checkpoints, ranked causes of taint, generators and their terms,
// fair use, alleged piracy, compilation licences, contracts on several counts and surviving
// rights, the content digest.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../test_files.h"
#include "provgate/check.h"

namespace provgate {
namespace {

using testing_support::ScratchDir;

constexpr char kDigest[] = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

// A source object with size and digest (so that P9 is silent), id `id`, and `rest` (JSON
// members without braces).
std::string Source(const std::string& id, const std::string& rest, std::uint64_t tokens = 10) {
  return R"({"id": ")" + id + R"(", )" + rest + R"(, "size": {"tokens": )" +
         std::to_string(tokens) + R"(}, "digest": {"sha256": ")" + kDigest + R"("}})";
}

std::string Manifest(const std::string& model, const std::vector<std::string>& sources) {
  std::string list;
  for (const auto& s : sources) list += (list.empty() ? "" : ",\n") + s;
  return R"({"manifest_version": "1", "model": )" + model + R"(, "sources": [)" + list + "]}";
}

const Finding* Find(const CheckResult& result, const std::string& rule, const std::string& subject,
                    const std::string& reason = "") {
  for (const Finding& f : result.report.findings) {
    if (f.rule == rule && f.subject == subject && (reason.empty() || f.reason == reason)) return &f;
  }
  return nullptr;
}

std::string Describe(const CheckResult& result) {
  std::string text;
  for (const Diagnostic& d : result.diagnostics) text += FormatDiagnostic(d) + "\n";
  for (const Finding& f : result.report.findings) {
    text += f.rule + " " + std::string(ToString(f.severity)) + " " + f.subject + " " + f.reason +
            ": " + std::string(f.message.view()) + "\n";
  }
  return text;
}

CheckResult CheckText(ScratchDir& dir, const std::string& manifest, CheckOptions options = {}) {
  return Check(dir.Write("m.json", manifest), options);
}

// A closed model in two stages: pretraining on `pretrain_basis` data, then post-training on data
// its own checkpoint after pretraining generated.
std::string TwoStageSelfGenerated(const std::string& pretrain_basis, const std::string& generator) {
  return Manifest(
      R"({"id": "lab/m", "release": {"weights": "closed", "date": "2026-01-01"},
          "stages": [{"id": "pretrain", "sources": ["web"],
                      "checkpoint": {"id": "lab/m-base", "weights": "closed"}},
                     {"id": "dpo", "sources": ["on-policy"]}]})",
      {Source("web", R"("kind": "web-crawl", "permission": {"basis": ")" + pretrain_basis + "\"}",
              1000),
       Source("on-policy",
              R"("kind": "synthetic", "permission": {"basis": "first-party"},
              "generated_by": )" +
                  generator,
              5)});
}

TEST(OwnCheckpoints, CleanCheckpointOutputIsFirstPartyAndNeverP4) {
  ScratchDir dir;
  for (const char* generator :
       {R"({"model": "lab/m-base", "terms_allow_training": true})",
        R"({"model": "lab/m", "terms_allow_training": true})",
        R"({"model": "lab/m", "stage": "pretrain", "terms_allow_training": true})"}) {
    CheckResult result = CheckText(dir, TwoStageSelfGenerated("public-domain", generator));
    EXPECT_EQ(result.ExitCode(), 0) << generator << "\n" << Describe(result);
    EXPECT_TRUE(result.report.findings.empty()) << generator << "\n" << Describe(result);
    EXPECT_FALSE(result.report.tainted);
  }
}

TEST(OwnCheckpoints, NoCycleWhenTheModelNamesItself) {
  ScratchDir dir;
  CheckResult result =
      CheckText(dir, TwoStageSelfGenerated("public-domain",
                                           R"({"model": "lab/m", "terms_allow_training": true})"));
  EXPECT_EQ(Find(result, "P2", "lab/m"), nullptr) << Describe(result);
  EXPECT_EQ(Find(result, "P4", "lab/m"), nullptr) << Describe(result);
  EXPECT_EQ(Find(result, "P4", "lab/m-base"), nullptr) << Describe(result);
}

TEST(OwnCheckpoints, TaintedCheckpointPassesItsTaintOn) {
  ScratchDir dir;
  CheckResult result = CheckText(
      dir,
      TwoStageSelfGenerated("none", R"({"model": "lab/m-base", "terms_allow_training": true})"));
  EXPECT_EQ(result.ExitCode(), 1);
  ASSERT_NE(Find(result, "P1", "web", "no-basis"), nullptr) << Describe(result);
  // Permitted as the organisation's own output, with the taint shown where it travels.
  const Finding* own = Find(result, "P1", "on-policy", "tainted-checkpoint");
  ASSERT_NE(own, nullptr) << Describe(result);
  EXPECT_EQ(own->severity, Severity::kInfo);
  EXPECT_NE(own->message.view().find("pretrain"), std::string_view::npos) << own->message.view();
  EXPECT_EQ(Find(result, "P4", "lab/m-base"), nullptr) << Describe(result);
  EXPECT_EQ(result.report.summary.unpermitted, 1u);
}

TEST(OwnCheckpoints, DataFromTheFinalModelBeforeItsFirstUseIsJudgedByEarlierStages) {
  // The model itself generates the data its second stage uses: the generator is the checkpoint
  // after the first stage, which was trained on unpermitted data.
  ScratchDir dir;
  CheckResult result = CheckText(
      dir, TwoStageSelfGenerated("none", R"({"model": "lab/m", "terms_allow_training": true})"));
  EXPECT_NE(Find(result, "P1", "on-policy", "tainted-checkpoint"), nullptr) << Describe(result);
}

TEST(OwnCheckpoints, IntermediateProfileCountsTheStageThatUsedTaintedOutput) {
  // Pretraining on unpermitted data, its checkpoint released open under Apache-2.0; the closed
  // final stage uses data that checkpoint generated, so the last stage that used unpermitted
  // data is the final one, which has no released checkpoint: P6 does not accept the model.
  ScratchDir dir;
  std::string manifest = Manifest(
      R"({"id": "lab/m", "release": {"weights": "closed", "date": "2026-01-01"},
          "stages": [{"id": "pretrain", "sources": ["web"],
                      "checkpoint": {"id": "lab/m-base", "weights": "open", "license": "Apache-2.0"}},
                     {"id": "dpo", "sources": ["on-policy"]}]})",
      {Source("web", R"("kind": "web-crawl", "permission": {"basis": "none"})"),
       Source("on-policy", R"("kind": "synthetic", "permission": {"basis": "first-party"},
              "generated_by": {"model": "lab/m-base", "terms_allow_training": true})")});
  CheckOptions options;
  options.profile = "intermediate";
  CheckResult result = CheckText(dir, manifest, options);
  EXPECT_EQ(result.ExitCode(), 1) << Describe(result);
  const Finding* p1 = Find(result, "P1", "web");
  ASSERT_NE(p1, nullptr) << Describe(result);
  EXPECT_EQ(p1->severity, Severity::kError) << Describe(result);
  const Finding* p6 = Find(result, "P6", "lab/m");
  ASSERT_NE(p6, nullptr) << Describe(result);
  EXPECT_NE(p6->message.view().find("dpo"), std::string_view::npos) << p6->message.view();
}

TEST(Intermediate, NamesTheStageThatUsedTheTaintedGeneratorsData) {
  // A model no lineage entry names generated data used only in the first stage; the second
  // stage used permitted data. The last stage that used unpermitted data is the first one, and
  // its checkpoint is released open-weight: P6 accepts, naming that stage. (The unverified
  // generator stays a P4 error: P6 relaxes P1 and P3 only.)
  ScratchDir dir;
  std::string manifest = Manifest(
      R"({"id": "lab/m", "release": {"weights": "closed"},
          "stages": [{"id": "distill", "sources": ["teacher-data"],
                      "checkpoint": {"id": "lab/m-base", "weights": "open", "license": "Apache-2.0"}},
                     {"id": "sft", "sources": ["own"]}]})",
      {Source("teacher-data", R"("kind": "model-outputs", "permission": {"basis": "first-party"},
              "generated_by": {"model": "vendor/unknown", "terms_allow_training": true})"),
       Source("own", R"("kind": "first-party", "permission": {"basis": "first-party"})")});
  CheckOptions options;
  options.profile = "intermediate";
  CheckResult result = CheckText(dir, manifest, options);
  const Finding* p6 = Find(result, "P6", "lab/m");
  ASSERT_NE(p6, nullptr) << Describe(result);
  EXPECT_NE(p6->message.view().find("distill"), std::string_view::npos) << p6->message.view();
  EXPECT_EQ(p6->reason, "intermediate-released") << Describe(result);
  EXPECT_EQ(p6->message.view().find("'sft'"), std::string_view::npos) << p6->message.view();
}

TEST(Intermediate, AFineTunedBaseCountsFromTheFirstStage) {
  // The model descends from a tainted base (fine-tune, no stage named): the base underlies the
  // first stage, whose checkpoint is released open-weight; the later stage is permitted.
  ScratchDir dir;
  dir.Write("base.json",
            Manifest(R"({"id": "up/base", "release": {"weights": "open", "license": "MIT"}})",
                     {Source("web", R"("kind": "web-crawl", "permission": {"basis": "none"})")}));
  std::string manifest = Manifest(
      R"({"id": "lab/m", "release": {"weights": "closed"},
          "lineage": [{"relation": "fine-tune", "model": "up/base", "manifest": "base.json"}],
          "stages": [{"id": "continued", "sources": ["a"],
                      "checkpoint": {"id": "lab/m-mid", "weights": "open", "license": "Apache-2.0"}},
                     {"id": "sft", "sources": ["b"]}]})",
      {Source("a", R"("kind": "first-party", "permission": {"basis": "first-party"})"),
       Source("b", R"("kind": "first-party", "permission": {"basis": "first-party"})")});
  CheckOptions options;
  options.profile = "intermediate";
  CheckResult result = CheckText(dir, manifest, options);
  const Finding* p6 = Find(result, "P6", "lab/m");
  ASSERT_NE(p6, nullptr) << Describe(result);
  EXPECT_NE(p6->message.view().find("continued"), std::string_view::npos) << p6->message.view();
  EXPECT_EQ(result.ExitCode(), 0) << Describe(result);
}

TEST(TaintCauses, RankedByTokensThenSourcesWithPaths) {
  ScratchDir dir;
  // The upstream: 15.6T tokens of web data without a basis, pirated books (fewer tokens), and
  // a little post-training data under a proprietary licence.
  dir.Write(
      "upstream.json",
      Manifest(R"({"id": "meta/big", "release": {"weights": "open", "license": "Apache-2.0"}})",
               {Source("web", R"("kind": "web-crawl", "permission": {"basis": "none"})",
                       15'600'000'000'000ULL),
                Source("books", R"("kind": "books", "license": "CC-BY-4.0",
                             "permission": {"basis": "license"},
                             "acquisition": {"method": "piracy"})",
                       200'000'000'000ULL),
                Source("sft", R"("kind": "other", "license": "LicenseRef-OpenAI-Terms",
                             "permission": {"basis": "license"})",
                       1'000'000)}));
  std::string manifest = Manifest(
      R"({"id": "acme/closed", "release": {"weights": "closed"},
          "lineage": [{"relation": "distillation", "model": "meta/big",
                       "manifest": "upstream.json"}]})",
      {Source("own", R"("kind": "first-party", "permission": {"basis": "first-party"})")});
  CheckResult result = CheckText(dir, manifest);
  ASSERT_EQ(result.ExitCode(), 1) << Describe(result);
  const auto& causes = result.report.taint_causes;
  ASSERT_EQ(causes.size(), 3u);
  EXPECT_EQ(causes[0].reason, "no-basis");
  EXPECT_EQ(causes[0].tokens, 15'600'000'000'000ULL);
  EXPECT_EQ(causes[0].path, "acme/closed \u2190 distillation \u2190 meta/big");
  EXPECT_EQ(causes[0].examples, std::vector<std::string>{"web"});
  EXPECT_EQ(causes[1].reason, "pirated");
  EXPECT_EQ(causes[2].reason, "proprietary-license");
  const Finding* p3 = Find(result, "P3", "meta/big");
  ASSERT_NE(p3, nullptr) << Describe(result);
  std::string_view message = p3->message.view();
  // The heaviest cause comes first in the message, the lightest after it.
  EXPECT_LT(message.find("no-basis"), message.find("pirated")) << message;
  EXPECT_LT(message.find("pirated"), message.find("proprietary-license")) << message;
}

TEST(TaintCauses, CappedMessageSaysHowManyMore) {
  ScratchDir dir;
  std::vector<std::string> sources;
  const char* bases[] = {"none", "unknown", "fair-use"};
  sources.push_back(Source("a", R"("kind": "web-crawl", "permission": {"basis": "none"})", 40));
  sources.push_back(Source("b", R"("kind": "books", "permission": {"basis": "fair-use"})", 30));
  sources.push_back(Source(
      "c", R"("kind": "news", "license": "CC-BY-NC-4.0", "permission": {"basis": "license"})", 20));
  sources.push_back(Source(
      "d", R"("kind": "code", "license": "CC-BY-ND-4.0", "permission": {"basis": "license"})", 10));
  (void)bases;
  dir.Write("up.json",
            Manifest(R"({"id": "up", "release": {"weights": "open", "license": "MIT"}})", sources));
  CheckResult result = CheckText(
      dir,
      Manifest(R"({"id": "down", "release": {"weights": "closed"},
                        "lineage": [{"relation": "fine-tune", "model": "up", "manifest": "up.json"}]})",
               {Source("x", R"("kind": "first-party", "permission": {"basis": "first-party"})")}));
  const Finding* p3 = Find(result, "P3", "up");
  ASSERT_NE(p3, nullptr) << Describe(result);
  EXPECT_NE(p3->message.view().find("and 1 more"), std::string_view::npos) << p3->message.view();
  EXPECT_EQ(result.report.taint_causes.size(), 4u);
}

TEST(Generators, SeveralGeneratorsEachChecked) {
  ScratchDir dir;
  std::string manifest = Manifest(
      R"({"id": "m", "release": {"weights": "closed"},
          "lineage": [{"relation": "synthetic-data", "model": "good", "manifest": "good.json"}]})",
      {Source("mix", R"("kind": "synthetic", "permission": {"basis": "first-party"},
              "generated_by": [{"model": "good", "terms_allow_training": true},
                               {"model": "bad", "terms_allow_training": false}])")});
  dir.Write(
      "good.json",
      Manifest(R"({"id": "good", "release": {"weights": "open", "license": "MIT"}})",
               {Source("g", R"("kind": "first-party", "permission": {"basis": "first-party"})")}));
  CheckResult result = CheckText(dir, manifest);
  EXPECT_NE(Find(result, "P1", "mix", "terms-forbid-training"), nullptr) << Describe(result);
  // The second generator is a model no lineage entry names: an unverified upstream.
  EXPECT_NE(Find(result, "P4", "bad"), nullptr) << Describe(result);
  EXPECT_EQ(Find(result, "P4", "good"), nullptr) << Describe(result);
}

TEST(Generators, ProgramOutputIsNoLineageEdge) {
  ScratchDir dir;
  CheckResult result = CheckText(
      dir, Manifest(R"({"id": "m", "release": {"weights": "closed"}})",
                    {Source("math", R"("kind": "synthetic", "permission": {"basis": "first-party"},
                            "generated_by": {"program": "arithmetic problem generator"})")}));
  EXPECT_EQ(result.ExitCode(), 0) << Describe(result);
  EXPECT_TRUE(result.report.findings.empty()) << Describe(result);
}

TEST(Generators, ClaimContradictedByLicenceDataIsAFinding) {
  ScratchDir dir;
  // The pack records the terms of OpenAI models; the manifest claims they allow training.
  for (
      const char* generator :
      {R"({"model": "gpt-4o", "terms_allow_training": true})",
       R"({"model": "some/model", "terms_allow_training": true, "license": "LicenseRef-OpenAI-Terms"})",
       R"({"model": "meta-llama/Meta-Llama-3-70B-Instruct", "terms_allow_training": true})"}) {
    CheckResult result = CheckText(
        dir, Manifest(R"({"id": "m", "release": {"weights": "closed"},
                          "lineage": [{"relation": "synthetic-data", "model": "x", "ledger": true}]})",
                      {Source("distilled",
                              R"("kind": "model-outputs", "permission": {"basis": "first-party"},
                              "generated_by": )" +
                                  std::string(generator))}));
    const Finding* f = Find(result, "P1", "distilled", "terms-claim-contradicted");
    ASSERT_NE(f, nullptr) << generator << "\n" << Describe(result);
    EXPECT_EQ(f->severity, Severity::kError);
  }
}

TEST(Generators, ConversationsNeedAModel) {
  ScratchDir dir;
  CheckResult result = CheckText(
      dir, Manifest(R"({"id": "m", "release": {"weights": "closed"}})",
                    {Source("chats", R"("kind": "conversations", "permission": {"basis": "consent"},
                            "generated_by": {"program": "x"})")}));
  EXPECT_EQ(result.ExitCode(), 2) << Describe(result);
  result = CheckText(
      dir, Manifest(R"({"id": "m", "release": {"weights": "closed"}})",
                    {Source("chats", R"("kind": "conversations", "permission": {"basis": "consent"},
                            "generated_by": {"model": "m", "terms_allow_training": true})")}));
  EXPECT_EQ(result.ExitCode(), 0) << Describe(result);
}

TEST(Generators, EntryNamesAModelOrAProgramNotBoth) {
  ScratchDir dir;
  for (const char* generator : {R"({"model": "a", "program": "b", "terms_allow_training": true})",
                                R"({"program": "b", "terms_allow_training": true})", R"({})",
                                R"([])", R"({"model": "a"})"}) {
    CheckResult result = CheckText(
        dir, Manifest(R"({"id": "m", "release": {"weights": "closed"}})",
                      {Source("s", R"("kind": "synthetic", "permission": {"basis": "first-party"},
                              "generated_by": )" +
                                       std::string(generator))}));
    EXPECT_EQ(result.ExitCode(), 2) << generator << "\n" << Describe(result);
  }
}

TEST(Bases, FairUseIsRecordedNotPermission) {
  ScratchDir dir;
  CheckResult result = CheckText(
      dir, Manifest(R"({"id": "m", "release": {"weights": "closed"}})",
                    {Source("books", R"("kind": "books", "permission": {"basis": "fair-use",
                            "claim": "transformative use for training"})")}));
  const Finding* f = Find(result, "P1", "books", "fair-use-not-permission");
  ASSERT_NE(f, nullptr) << Describe(result);
  EXPECT_NE(f->message.view().find("transformative use"), std::string_view::npos);
}

TEST(Bases, AllegedPiracyCountsAsPirated) {
  ScratchDir dir;
  CheckResult result = CheckText(
      dir,
      Manifest(
          R"({"id": "m", "release": {"weights": "closed"}})",
          {Source("books",
                  R"("kind": "books", "license": "CC-BY-4.0", "permission": {"basis": "license"},
                            "acquisition": {"method": "download", "allegations": [
                              {"claim": "piracy", "reference": "Doe v. Lab, No. 1:24-cv-1 (court), ECF 12"}]})")}));
  const Finding* f = Find(result, "P1", "books", "pirated");
  ASSERT_NE(f, nullptr) << Describe(result);
  EXPECT_NE(f->message.view().find("alleged"), std::string_view::npos) << f->message.view();
  EXPECT_NE(f->message.view().find("ECF 12"), std::string_view::npos) << f->message.view();
}

TEST(Bases, CompilationLicenceDoesNotPermitTheContent) {
  ScratchDir dir;
  CheckResult result = CheckText(
      dir,
      Manifest(
          R"({"id": "m", "release": {"weights": "closed"}})",
          {Source("dclm",
                  R"("kind": "web-crawl", "license": "CC-BY-4.0", "license_scope": "compilation",
                            "permission": {"basis": "license"})")}));
  EXPECT_NE(Find(result, "P1", "dclm", "compilation-license-only"), nullptr) << Describe(result);
  // The compilation's attribution duty remains.
  bool attribution = false;
  for (const Obligation& o : result.report.obligations) {
    attribution = attribution || (o.kind == "attribution" && o.subject == "dclm");
  }
  EXPECT_TRUE(attribution);
}

TEST(Contracts, WithoutEvidenceIsAFindingNotInvalidInput) {
  ScratchDir dir;
  CheckResult result = CheckText(
      dir, Manifest(R"({"id": "m", "release": {"weights": "closed", "date": "2026-01-01"}})",
                    {Source("deal", R"("kind": "news", "permission": {"basis": "contract",
                            "grants": {"training": true, "commercial": true, "closed_weights": true}})")}));
  EXPECT_EQ(result.ExitCode(), 1) << Describe(result);
  EXPECT_NE(Find(result, "P1", "deal", "contract-no-evidence"), nullptr) << Describe(result);
}

TEST(Contracts, EveryFailingCountIsReported) {
  ScratchDir dir;
  CheckResult result = CheckText(
      dir,
      Manifest(R"({"id": "m", "release": {"weights": "closed", "date": "2026-01-01"}})",
               {Source("deal", std::string(R"("kind": "news", "permission": {"basis": "contract",
                            "evidence": [{"uri": "deal.pdf", "sha256": ")") +
                                   kDigest + R"("}],
                            "grants": {"training": true, "commercial": true},
                            "valid_until": "2025-06-30"})")}));
  const Finding* f = Find(result, "P1", "deal", "contract-scope");
  ASSERT_NE(f, nullptr) << Describe(result);
  EXPECT_NE(f->message.view().find("closed weights"), std::string_view::npos) << f->message.view();
  EXPECT_NE(f->message.view().find("expired on 2025-06-30"), std::string_view::npos)
      << f->message.view();
}

TEST(Contracts, SurvivingRightsAreJudgedAtTheTrainingDate) {
  ScratchDir dir;
  auto manifest = [](const char* survives) {
    return Manifest(
        R"({"id": "m", "release": {"weights": "closed", "date": "2026-06-01"},
            "stages": [{"id": "train", "sources": ["deal"], "date": "2025-03-01"}]})",
        {Source("deal", std::string(R"("kind": "news", "permission": {"basis": "contract",
                "evidence": [{"uri": "deal.pdf", "sha256": ")") +
                            kDigest + R"("}],
                "grants": {"training": true, "commercial": true, "closed_weights": true},
                "valid_from": "2024-01-01", "valid_until": "2025-12-31", "survives_termination": )" +
                            survives + "}")});
  };
  CheckResult surviving = CheckText(dir, manifest("true"));
  EXPECT_EQ(surviving.ExitCode(), 0) << Describe(surviving);
  CheckResult ending = CheckText(dir, manifest("false"));
  EXPECT_NE(Find(ending, "P1", "deal", "contract-expired"), nullptr) << Describe(ending);
}

TEST(Digest, ListingOfFilesMustMatchTheStatedDigest) {
  ScratchDir dir;
  // sha256("abc") and sha256("") as file digests; the listing is sorted by path.
  const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  const std::string empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  // sha256 of "<abc>  a.txt\n<empty>  b/c.txt\n", computed independently with sha256sum.
  const std::string listing = "bdc9fb767e098a1853c62db299fb6127f0a243f8ec1159b7f0aa126587cd5502";
  auto manifest = [&](const std::string& digest) {
    return R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"}},
      "sources": [{"id": "s", "kind": "first-party", "permission": {"basis": "first-party"},
        "size": {"tokens": 1}, "digest": {"sha256": ")" +
           digest + R"("},
        "files": [{"path": "b/c.txt", "sha256": ")" +
           empty + R"("}, {"path": "a.txt", "sha256": ")" + abc + R"("}]}]})";
  };
  CheckResult matching = CheckText(dir, manifest(listing));
  EXPECT_EQ(Find(matching, "P9", "s", "digest-mismatch"), nullptr) << Describe(matching);
  CheckResult other = CheckText(dir, manifest(kDigest));
  EXPECT_NE(Find(other, "P9", "s", "digest-mismatch"), nullptr) << Describe(other);
}

const Obligation* FindObligation(const CheckResult& result, const std::string& kind) {
  for (const Obligation& o : result.report.obligations) {
    if (o.kind == kind) return &o;
  }
  return nullptr;
}

TEST(LicenceConditions, DistillingLlamaOutputsNeedsThePrefixAndTheNotice) {
  ScratchDir dir;
  // Llama 3.1 licence, section 1.b: a model trained on outputs of the Llama materials carries
  // "Llama" at the start of its name and displays "Built with Llama".
  auto manifest = [](const std::string& id) {
    return Manifest(
        R"({"id": ")" + id + R"(", "release": {"weights": "open", "license": "Apache-2.0"},
            "lineage": [{"relation": "synthetic-data", "model": "meta-llama/Llama-3.1-405B-Instruct",
                         "ledger": true}]})",
        {Source("distilled", R"("kind": "model-outputs", "permission": {"basis": "first-party"},
                "generated_by": {"model": "meta-llama/Llama-3.1-405B-Instruct", "terms_allow_training": true})")});
  };
  CheckResult unprefixed = CheckText(dir, manifest("acme/small-chat"));
  const Finding* missing = Find(unprefixed, "P8", "acme/small-chat", "name-prefix-missing");
  ASSERT_NE(missing, nullptr) << Describe(unprefixed);
  EXPECT_EQ(missing->severity, Severity::kWarning);
  const Obligation* prefix = FindObligation(unprefixed, "name-prefix");
  ASSERT_NE(prefix, nullptr);
  EXPECT_EQ(prefix->text.view(), "Llama");
  EXPECT_EQ(prefix->license.view(), "LicenseRef-Llama-3.1-Community");
  const Obligation* notice = FindObligation(unprefixed, "display-notice");
  ASSERT_NE(notice, nullptr);
  EXPECT_EQ(notice->text.view(), "Built with Llama");
  ASSERT_NE(FindObligation(unprefixed, "use-restrictions"), nullptr);

  CheckResult prefixed = CheckText(dir, manifest("acme/Llama-3.1-small-chat"));
  for (const Finding& f : prefixed.report.findings) EXPECT_NE(f.reason, "name-prefix-missing");
  EXPECT_NE(FindObligation(prefixed, "name-prefix"), nullptr);
}

TEST(LicenceConditions, FineTuneOfAnUpstreamModelCarriesItsConditionsOnce) {
  ScratchDir dir;
  CheckResult result = CheckText(
      dir,
      Manifest(R"({"id": "acme/Llama-tuned", "release": {"weights": "closed"},
                        "lineage": [{"relation": "fine-tune", "model": "meta-llama/Llama-3.3-70B-Instruct",
                                     "ledger": true}]})",
               {Source("a", R"("kind": "first-party", "permission": {"basis": "first-party"})")}));
  int notices = 0;
  for (const Obligation& o : result.report.obligations) notices += o.kind == "display-notice";
  EXPECT_EQ(notices, 1) << Describe(result);
  const Obligation* notice = FindObligation(result, "display-notice");
  ASSERT_NE(notice, nullptr);
  EXPECT_EQ(notice->subject, "meta-llama/Llama-3.3-70B-Instruct");
}

TEST(LicenceConditions, ContractDutiesBecomeObligations) {
  ScratchDir dir;
  CheckResult result = CheckText(
      dir,
      Manifest(R"({"id": "m", "release": {"weights": "closed", "date": "2026-01-01"}})",
               {Source("news", std::string(R"("kind": "news", "permission": {"basis": "contract",
                            "evidence": [{"uri": "deal.pdf", "sha256": ")") +
                                   kDigest + R"("}],
                            "grants": {"training": true, "commercial": true, "closed_weights": true},
                            "obligations": [{"kind": "attribution", "text": "Credit Example News in answers that use its articles"},
                                            {"kind": "link", "text": "Link to the article", "uri": "https://news.example/"}]})")}));
  EXPECT_EQ(result.ExitCode(), 0) << Describe(result);
  std::vector<std::string> texts;
  for (const Obligation& o : result.report.obligations) {
    if (o.kind == "contract-obligation") {
      EXPECT_EQ(o.subject, "news");
      texts.emplace_back(o.text.view());
    }
  }
  ASSERT_EQ(texts.size(), 2u) << Describe(result);
}

}  // namespace
}  // namespace provgate
