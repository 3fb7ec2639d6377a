// The export entry points as a library caller sees them: a typed manifest and its report in,
// the document out; options checked; what the document says about properties and ids.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "../test_files.h"
#include "interop/export_common.h"
#include "interop/export_cyclonedx.h"
#include "provgate/check.h"
#include "provgate/export_formats.h"
#include "provgate/policy.h"

namespace provgate {
namespace {

using testing_support::ScratchDir;

const RulePack& DefaultPack() {
  static const PackLoadResult loaded = LoadRulePack("");
  EXPECT_TRUE(loaded.ok());
  return *loaded.pack;
}

Manifest TwoSources() {
  Manifest m;
  m.header.manifest_version = "1";
  m.header.model.id = "lab/m";
  m.header.model.release.weights = Weights::kClosed;
  Source web;
  web.id = "web/2024~x";  // Pointer-unsafe characters stay in values, never in names.
  web.kind = SourceKind::kWebCrawl;
  web.license = "CC-BY-4.0";
  web.permission.basis = Basis::kLicense;
  web.size = Size{std::uint64_t{5}, std::nullopt, std::nullopt};
  Source synthetic;
  synthetic.id = "synth";
  synthetic.kind = SourceKind::kSynthetic;
  synthetic.permission.basis = Basis::kFirstParty;
  GeneratedBy teacher;
  teacher.model = "vendor/teacher";
  teacher.terms_allow_training = true;
  synthetic.generated_by.push_back(teacher);
  m.sources = {web, synthetic};
  return m;
}

Report CheckOf(const Manifest& m) {
  CheckOptions options;
  options.date = "2026-01-01";
  CheckResult result = Check(ManifestInput::Typed(m, "m.json", ""), DefaultPack(), options);
  EXPECT_TRUE(result.status.ok());
  EXPECT_FALSE(HasErrors(result.diagnostics));
  return result.report;
}

std::map<std::string, std::string> Properties(const nlohmann::json& items) {
  std::map<std::string, std::string> out;
  for (const auto& p : items) out[p["name"].get<std::string>()] = p["value"].get<std::string>();
  return out;
}

TEST(Export, CycloneDxCarriesEveryFieldWithoutAFieldOfItsOwnAsAProperty) {
  Manifest m = TwoSources();
  ExportOptions options;
  options.created = "2026-01-01";
  ExportResult result = ExportCycloneDx(m, CheckOf(m), options);
  ASSERT_TRUE(result.ok());
  nlohmann::json bom = nlohmann::json::parse(result.document);
  EXPECT_EQ(bom["metadata"]["timestamp"], "2026-01-01T00:00:00Z");
  const nlohmann::json& web = bom["components"][0];
  EXPECT_EQ(web["name"], "web/2024~x");
  EXPECT_EQ(web["licenses"][0]["expression"], "CC-BY-4.0");
  std::map<std::string, std::string> props = Properties(web["properties"]);
  EXPECT_EQ(props["provgate:kind"], "web-crawl");
  EXPECT_EQ(props["provgate:permission/basis"], "license");
  EXPECT_EQ(props["provgate:size/tokens"], "5");
  EXPECT_EQ(props.count("provgate:id"), 0u) << "the id is the component's name";
  EXPECT_EQ(props.count("provgate:license"), 0u) << "the licence is the component's licence";
  // One generator is written as a list of one, so that a reader sees one shape.
  std::map<std::string, std::string> synth = Properties(bom["components"][1]["properties"]);
  EXPECT_EQ(synth["provgate:generated_by/0/model"], "vendor/teacher");
  EXPECT_EQ(synth["provgate:generated_by/0/terms_allow_training"], "true");
  // The generator is an upstream model the synthetic source depends on.
  EXPECT_EQ(bom["components"][2]["name"], "vendor/teacher");
  bool found = false;
  for (const auto& d : bom["dependencies"]) {
    if (d["ref"] == "source:synth") {
      found = true;
      EXPECT_EQ(d["dependsOn"], nlohmann::json::array({"upstream:vendor/teacher"}));
    }
  }
  EXPECT_TRUE(found);
}

TEST(Export, SerialNumberFollowsTheContent) {
  std::string a = detail::ContentUuidUrn("a");
  EXPECT_EQ(a, detail::ContentUuidUrn("a"));
  EXPECT_NE(a, detail::ContentUuidUrn("b"));
  ASSERT_EQ(a.size(), 45u);
  EXPECT_EQ(a.substr(0, 9), "urn:uuid:");
  EXPECT_EQ(a[9 + 14], '8') << "version 8";
  EXPECT_NE(std::string("89ab").find(a[9 + 19]), std::string::npos) << "RFC 9562 variant";
}

TEST(Export, AStageWithoutSourcesKeepsItsEmptyList) {
  Model model;
  model.id = "m";
  model.stages_given = true;
  Stage stage;
  stage.id = "s";
  model.stages.push_back(stage);  // A stage without sources keeps its (empty) list.
  std::vector<detail::ExportProperty> props = detail::ModelProperties(model);
  bool empty_list = false;
  for (const auto& p : props) {
    if (p.name == "provgate:stages/0/sources") empty_list = p.value == "[]";
  }
  EXPECT_TRUE(empty_list);
}

TEST(Export, InvalidOptionsAreDiagnosticsAndNoDocument) {
  Manifest m = TwoSources();
  Report report = CheckOf(m);
  for (const char* iri : {"not an iri", "urn:x#frag", ":nothing", "1abc:x"}) {
    ExportOptions options;
    options.namespace_iri = iri;
    ExportResult result = ExportSpdx3(m, report, options);
    EXPECT_FALSE(result.ok()) << iri;
    EXPECT_TRUE(result.document.empty());
    ASSERT_EQ(result.diagnostics.size(), 1u) << iri;
    EXPECT_EQ(result.diagnostics[0].pointer, "namespace");
  }
  ExportOptions options;
  options.created = "2026-02-30";
  EXPECT_FALSE(ExportCycloneDx(m, report, options).ok());
}

TEST(Export, ManifestEntryPointChecksFirstAndKeepsTheCheck) {
  ScratchDir dir;
  std::string path = dir.Write("m.json", R"({"manifest_version": "1",
    "model": {"id": "lab/m", "release": {"weights": "closed", "date": "2026-05-04"}},
    "sources": [{"id": "web", "kind": "web-crawl", "permission": {"basis": "none"}}]})");
  ExportResult result =
      ExportManifest(ExportFormat::kSpdx3, path, DefaultPack(), CheckOptions{}, ExportOptions{});
  ASSERT_TRUE(result.ok()) << result.status.message();
  EXPECT_EQ(result.check.report.verdict, Verdict::kNonCompliant);
  nlohmann::json doc = nlohmann::json::parse(result.document);
  EXPECT_EQ(doc["@graph"][0]["created"], "2026-05-04T00:00:00Z") << "the release date";

  std::string bad = dir.Write("bad.json", R"({"manifest_version": "1"})");
  result = ExportManifest(ExportFormat::kCycloneDx, bad, DefaultPack(), {}, {});
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(HasErrors(result.diagnostics));
  EXPECT_TRUE(result.document.empty());
}

}  // namespace
}  // namespace provgate
