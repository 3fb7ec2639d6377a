// The importers against expectations written by hand from the input files (tests/data/interop,
// docs/interop.md's tables): each value, where it came from, and what is left unknown. Bad
// input of each kind is refused with its position.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "provgate/check.h"
#include "provgate/interop.h"
#include "provgate/manifest.h"
#include "provgate/policy.h"

namespace provgate {
namespace {

using nlohmann::json;

std::string DataPath(const std::string& relative) {
  return std::string(PROVGATE_TEST_DATA) + "/data/interop/" + relative;
}

std::string ReadData(const std::string& relative) {
  std::ifstream in(DataPath(relative), std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ImportResult ImportFiles(ImportFormat format, const std::vector<std::string>& relative,
                         ImportOptions options = {}) {
  std::vector<ImportDocument> documents;
  for (const std::string& r : relative) documents.push_back({r, ReadData(r)});
  return ImportDocuments(format, documents, options);
}

ImportResult ImportText(ImportFormat format, const std::string& name, const std::string& text) {
  return ImportDocuments(format, {{name, text}}, {});
}

json Parsed(const ImportResult& result) {
  EXPECT_TRUE(result.ok());
  for (const Diagnostic& d : result.diagnostics) ADD_FAILURE() << FormatDiagnostic(d);
  return json::parse(result.manifest_json);
}

// The manifest is valid for the reader, and passes the integrity check.
void ExpectValid(const ImportResult& result) {
  Manifest manifest;
  ReadResult read = LoadManifestText(result.manifest_json, "imported.json", "", manifest);
  for (const Diagnostic& d : read.diagnostics) ADD_FAILURE() << FormatDiagnostic(d);
  EXPECT_TRUE(read.ok());
}

bool HasUnmapped(const ImportResult& result, const std::string& field) {
  for (const UnmappedField& u : result.unmapped) {
    if (u.field == field) return true;
  }
  return false;
}

CheckResult CheckImported(const ImportResult& result) {
  static PackLoadResult pack = LoadRulePack("");
  return Check(ManifestInput::Text(result.manifest_json, "imported.json", ""), *pack.pack, {});
}

std::string FirstError(const ImportResult& result) {
  for (const Diagnostic& d : result.diagnostics) {
    if (d.severity == Severity::kError) return FormatDiagnostic(d);
  }
  return "";
}

TEST(ImportFormatTest, NamesRoundTrip) {
  for (ImportFormat f : {ImportFormat::kHfCard, ImportFormat::kCroissant, ImportFormat::kSpdx3,
                         ImportFormat::kCycloneDx}) {
    EXPECT_EQ(ParseImportFormat(ToString(f)), f);
  }
  EXPECT_EQ(ParseImportFormat("hf"), std::nullopt);
}

// Zephyr 7B beta's card and the cards of the two datasets it names.
TEST(HfCardImportTest, ModelCardWithItsDatasetsCards) {
  ImportOptions options;
  options.model_id = "HuggingFaceH4/zephyr-7b-beta";
  ImportResult result = ImportFiles(
      ImportFormat::kHfCard,
      {"hf-card/zephyr-7b-beta/README.md", "hf-card/HuggingFaceH4--ultrachat_200k/README.md",
       "hf-card/ultrafeedback_binarized/README.md"},
      options);
  json m = Parsed(result);
  ExpectValid(result);
  EXPECT_EQ(m["model"]["id"], "HuggingFaceH4/zephyr-7b-beta");
  // `license: mit` is the SPDX id MIT; the weights' release is not stated: closed.
  EXPECT_EQ(m["model"]["release"]["license"], "MIT");
  EXPECT_EQ(m["model"]["release"]["weights"], "closed");
  EXPECT_EQ(m["model"]["x-provenance"]["release/weights"]["stated"], false);
  EXPECT_EQ(m["model"]["x-provenance"]["release/license"]["line"], 4);
  EXPECT_EQ(m["model"]["x-provenance"]["release/license"]["written"], "mit");
  // base_model without base_model_relation: a fine-tune, marked as not stated.
  ASSERT_EQ(m["model"]["lineage"].size(), 1u);
  EXPECT_EQ(m["model"]["lineage"][0]["model"], "mistralai/Mistral-7B-v0.1");
  EXPECT_EQ(m["model"]["lineage"][0]["relation"], "fine-tune");
  EXPECT_EQ(m["model"]["x-provenance"]["lineage/0/relation"]["stated"], false);
  EXPECT_EQ(m["model"]["x-provenance"]["lineage/0/model"]["line"], 10);
  // The two datasets, in the model card's order, with the facts of their own cards.
  ASSERT_EQ(m["sources"].size(), 2u);
  const json& ultrachat = m["sources"][0];
  EXPECT_EQ(ultrachat["id"], "HuggingFaceH4/ultrachat_200k");
  EXPECT_EQ(ultrachat["title"], "UltraChat 200k");
  EXPECT_EQ(ultrachat["license"], "MIT");
  EXPECT_EQ(ultrachat["permission"]["basis"], "license");
  EXPECT_EQ(ultrachat["kind"], "other");
  // 207865 + 23110 + 256032 + 28304 examples.
  EXPECT_EQ(ultrachat["size"]["documents"], 515311u);
  EXPECT_FALSE(ultrachat["size"].contains("bytes"));
  EXPECT_EQ(ultrachat["x-provenance"]["license"]["file"],
            "hf-card/HuggingFaceH4--ultrachat_200k/README.md");
  EXPECT_EQ(ultrachat["x-provenance"]["license"]["line"], 4);
  EXPECT_EQ(ultrachat["x-provenance"]["license"]["column"], 10);
  EXPECT_EQ(ultrachat["x-provenance"]["kind"]["stated"], false);
  const json& feedback = m["sources"][1];
  EXPECT_EQ(feedback["id"], "HuggingFaceH4/ultrafeedback_binarized");
  EXPECT_EQ(feedback["license"], "MIT");
  EXPECT_FALSE(feedback.contains("size"));
  // What the cards say that the manifest does not record.
  EXPECT_TRUE(HasUnmapped(result, "pipeline_tag"));
  EXPECT_TRUE(HasUnmapped(result, "language_creators"));
  EXPECT_TRUE(HasUnmapped(result, "size_categories"));
  EXPECT_EQ(m["x-import"]["format"], "hf-card");
  EXPECT_EQ(m["x-import"]["inputs"].size(), 3u);
}

TEST(HfCardImportTest, DatasetsWithoutCardsAreUnknown) {
  ImportResult result = ImportFiles(ImportFormat::kHfCard, {"hf-card/zephyr-7b-beta/README.md"});
  json m = Parsed(result);
  ExpectValid(result);
  EXPECT_EQ(m["model"]["id"], "unknown");
  ASSERT_EQ(m["sources"].size(), 2u);
  for (const json& s : m["sources"]) {
    EXPECT_FALSE(s.contains("license"));
    EXPECT_EQ(s["permission"]["basis"], "unknown");
    EXPECT_EQ(s["x-provenance"]["license"]["stated"], false);
  }
  // Checked, the unknown bases are findings, not silence.
  CheckResult check = CheckImported(result);
  ASSERT_TRUE(check.status.ok());
  int no_basis = 0;
  for (const Finding& f : check.report.findings) no_basis += f.reason == "no-basis" ? 1 : 0;
  EXPECT_EQ(no_basis, 2);
}

TEST(HfCardImportTest, QuantizationUnderAPackAlias) {
  ImportResult result =
      ImportFiles(ImportFormat::kHfCard, {"hf-card/llama-3.1-8b-instruct-gguf/README.md"});
  json m = Parsed(result);
  ExpectValid(result);
  EXPECT_EQ(m["model"]["release"]["license"], "LicenseRef-Llama-3.1-Community");
  EXPECT_EQ(m["model"]["x-provenance"]["release/license"]["written"], "llama3.1");
  ASSERT_EQ(m["model"]["lineage"].size(), 1u);
  EXPECT_EQ(m["model"]["lineage"][0]["model"], "meta-llama/Meta-Llama-3.1-8B-Instruct");
  EXPECT_EQ(m["model"]["lineage"][0]["relation"], "quantization");
  EXPECT_EQ(m["model"]["x-provenance"]["lineage/0/relation"]["line"], 3);
  EXPECT_TRUE(m["sources"].empty());
  EXPECT_TRUE(HasUnmapped(result, "quantized_by"));
}

TEST(HfCardImportTest, OtherLicenceNamedAndMachineGeneratedText) {
  ImportOptions options;
  options.model_id = "lab/model";
  options.weights = Weights::kOpen;
  ImportResult result =
      ImportFiles(ImportFormat::kHfCard, {"hf-card/synthetic-instructions/README.md"}, options);
  json m = Parsed(result);
  ExpectValid(result);
  EXPECT_EQ(m["model"]["release"]["weights"], "open");
  EXPECT_EQ(m["model"]["release"]["license"], "NOASSERTION");
  ASSERT_EQ(m["sources"].size(), 1u);
  const json& s = m["sources"][0];
  EXPECT_EQ(s["id"], "synthetic-instructions");
  EXPECT_EQ(s["license"], "LicenseRef-Llama-3.1-Community");
  EXPECT_EQ(s["size"]["bytes"], 1048576u);
  EXPECT_EQ(s["size"]["documents"], 10000u);
  EXPECT_EQ(s["kind"], "other");  // The generator is not named: no synthetic kind invented.
  EXPECT_FALSE(s.contains("generated_by"));
  bool flagged = false;
  for (const UnmappedField& u : result.unmapped) {
    if (u.field == "language_creators") {
      flagged = u.reason.find("machine-generated") != std::string::npos;
      EXPECT_EQ(u.line, 7u);  // The list's first item: the value, under its key on line 6.
    }
  }
  EXPECT_TRUE(flagged);
}

TEST(HfCardImportTest, BadCards) {
  struct Case {
    std::string text;
    std::string code;
    std::uint32_t line;
  };
  const std::vector<Case> cases = {
      {"# no front matter\n", "hf-card-front-matter", 1},
      {"---\nlicense: mit\n", "hf-card-front-matter", 2},
      {"---\nlicense: [mit\n---\n", "hf-card-yaml", 0},
      {"---\na: &x 1\nb: *x\n---\n", "hf-card-yaml", 3},
      {"---\nlicense: mit\nlicense: mit\n---\n", "hf-card-yaml", 3},
      {"---\n- a\n- b\n---\n", "hf-card-yaml", 2},
      {"---\nlicense: mit\n---\n", "hf-card-kind", 1},
      {"---\nbase_model: a\npretty_name: b\n---\n", "hf-card-kind", 1},
      {"---\nbase_model: {a: b}\n---\n", "hf-card-type", 2},
      {"---\nbase_model: a\nbase_model_relation: cousin\n---\n", "hf-card-value", 3},
      {"---\ndatasets: [a, [b]]\n---\n", "hf-card-type", 2},
  };
  for (const Case& c : cases) {
    ImportResult result = ImportText(ImportFormat::kHfCard, "x/README.md", c.text);
    EXPECT_FALSE(result.ok()) << c.text;
    EXPECT_TRUE(result.manifest_json.empty());
    ASSERT_FALSE(result.diagnostics.empty()) << c.text;
    const Diagnostic& d = result.diagnostics[0];
    EXPECT_EQ(d.code, c.code) << c.text << " -> " << FormatDiagnostic(d);
    if (c.line != 0) {
      EXPECT_EQ(d.line, c.line) << c.text << " -> " << FormatDiagnostic(d);
    }
    EXPECT_EQ(d.file, "x/README.md");
  }
  // Two model cards cannot make one manifest.
  ImportResult two = ImportDocuments(
      ImportFormat::kHfCard,
      {{"a/README.md", "---\nbase_model: x\n---\n"}, {"b/README.md", "---\nbase_model: y\n---\n"}},
      {});
  EXPECT_EQ(two.diagnostics.at(0).code, "hf-card-models") << FirstError(two);
}

// Croissant files of the MLCommons repository (tests/data/interop/croissant/README.md).
TEST(CroissantImportTest, C4) {
  ImportOptions options;
  options.model_id = "lab/model";
  ImportResult result =
      ImportFiles(ImportFormat::kCroissant, {"croissant/1.0_huggingface-c4.json"}, options);
  json m = Parsed(result);
  ExpectValid(result);
  ASSERT_EQ(m["sources"].size(), 1u);
  const json& s = m["sources"][0];
  EXPECT_EQ(s["id"], "c4");
  EXPECT_EQ(s["uri"], "https://huggingface.co/datasets/allenai/c4");
  EXPECT_EQ(s["license"], "ODC-By-1.0");  // `odc-by`, through the pack's aliases.
  EXPECT_EQ(s["permission"]["basis"], "license");
  EXPECT_EQ(s["x-provenance"]["license"]["written"], "odc-by");
  EXPECT_EQ(s["x-provenance"]["license"]["pointer"], "/license");
  EXPECT_FALSE(s.contains("size"));  // The repository's FileObject states no size.
  EXPECT_FALSE(s.contains("digest"));
  ASSERT_EQ(s["x-distribution"].size(), 2u);
  EXPECT_EQ(s["x-distribution"][0]["contentUrl"],
            "https://huggingface.co/datasets/allenai/c4/tree/refs%2Fconvert%2Fparquet");
  EXPECT_TRUE(HasUnmapped(result, "citeAs"));
  EXPECT_TRUE(HasUnmapped(result, "recordSet"));
}

TEST(CroissantImportTest, RaiCollectionAndCreators) {
  ImportResult result = ImportFiles(ImportFormat::kCroissant, {"croissant/1.0_dices-350.json"});
  json m = Parsed(result);
  ExpectValid(result);
  const json& s = m["sources"][0];
  EXPECT_EQ(s["id"], "DICES-350_dataset");
  EXPECT_EQ(s["license"], "CC-BY-SA-4.0");
  ASSERT_EQ(s["x-creators"].size(), 1u);
  EXPECT_EQ(s["x-creators"][0]["name"], "Lora Aroyo");
  // rai:dataCollection, dataCollectionRawData, dataCollectionType, the annotation protocol
  // and platform are kept; the collection type is a sentence, not an acquisition method.
  int collection = 0;
  for (const json& c : s["x-collection"]) collection += c["field"] == "rai:dataCollection";
  EXPECT_EQ(collection, 1);
  EXPECT_FALSE(s.contains("acquisition"));
  EXPECT_TRUE(HasUnmapped(result, "rai:dataBiases"));
  EXPECT_TRUE(HasUnmapped(result, "rai:dataCollectionType"));
}

TEST(CroissantImportTest, VersionsAndLicenceForms) {
  // 0.8 (sc:FileObject, no conformsTo), 1.0 and 1.1, combined into one manifest.
  ImportResult result = ImportFiles(
      ImportFormat::kCroissant,
      {"croissant/0.8_bigcode-the-stack.json", "croissant/1.1_huggingface-wildchat.json",
       "croissant/1.1_commoncrawl-CC-MAIN-2025-43-draft.json", "croissant/1.0_gpt-3.json",
       "croissant/1.0_recipes_minimal.json"});
  json m = Parsed(result);
  ExpectValid(result);
  ASSERT_EQ(m["sources"].size(), 5u);
  EXPECT_EQ(m["sources"][0]["id"], "bigcode-the-stack");
  EXPECT_EQ(m["sources"][0]["license"], "other");  // No licence id: kept as written.
  EXPECT_EQ(m["sources"][0]["x-provenance"]["id"]["note"], "the dataset's name (Croissant 0.8)");
  EXPECT_EQ(m["sources"][1]["id"], "WildChat-1M");
  EXPECT_EQ(m["sources"][1]["license"], "ODC-By-1.0");  // A choosealicense.com URL.
  EXPECT_EQ(m["sources"][2]["id"], "CC-MAIN-2025-43");
  // A terms-of-use URL is no SPDX expression: unknown, the URL kept in the provenance.
  EXPECT_EQ(m["sources"][2]["license"], "NOASSERTION");
  EXPECT_EQ(m["sources"][2]["x-provenance"]["license"]["written"],
            "https://commoncrawl.org/terms-of-use");
  EXPECT_EQ(m["sources"][2]["permission"]["basis"], "license");
  EXPECT_EQ(m["sources"][3]["license"], "unknown");
  EXPECT_EQ(m["sources"][3]["permission"]["basis"], "unknown");
  EXPECT_EQ(m["sources"][4]["id"], "minimal_example");
  EXPECT_FALSE(m["sources"][4].contains("license"));
  EXPECT_EQ(m["sources"][4]["permission"]["basis"], "unknown");
  EXPECT_TRUE(HasUnmapped(result, "prov:wasDerivedFrom"));
  // The terms-of-use URL and `other` are no licence the pack knows: checked, they are
  // unknown-license findings.
  CheckResult check = CheckImported(result);
  ASSERT_TRUE(check.status.ok());
  EXPECT_TRUE(check.diagnostics.empty());
}

TEST(CroissantImportTest, WebScrapingAloneIsACrawl) {
  std::string text = R"({"@context": {"@vocab": "https://schema.org/",
      "rai": "http://mlcommons.org/croissant/RAI/"},
    "@type": "Dataset", "name": "scraped", "license": "https://creativecommons.org/licenses/by/4.0/",
    "rai:dataCollectionType": ["Web Scraping"],
    "distribution": [{"@type": "FileObject", "contentUrl": "https://x/a", "contentSize": "1200 B",
                      "sha256": "ab"},
                     {"@type": "FileObject", "contentUrl": "https://x/b", "contentSize": 800}]})";
  ImportResult result = ImportText(ImportFormat::kCroissant, "s.json", text);
  json m = Parsed(result);
  const json& s = m["sources"][0];
  EXPECT_EQ(s["license"], "CC-BY-4.0");
  EXPECT_EQ(s["acquisition"]["method"], "crawl");
  EXPECT_EQ(s["size"]["bytes"], 2000u);
}

TEST(CroissantImportTest, BadFiles) {
  struct Case {
    std::string text;
    std::string code;
    std::uint32_t line;
    std::uint32_t column;
  };
  const std::vector<Case> cases = {
      {"{\"@type\": \"sc:Dataset\",\n \"name\": }", "json-syntax", 2, 10},
      {"[1, 2]", "croissant-type", 1, 1},
      {"{\"name\": \"x\"}", "croissant-no-dataset", 1, 1},
      {"{\"@context\": {\"sc\": \"https://schema.org/\"},\n \"@type\": \"sc:SoftwareApplication\", "
       "\"name\": \"x\"}",
       "croissant-type", 2, 11},
      {"{\"@type\": \"Dataset\"}", "croissant-name", 1, 1},
      {"{\"@type\": \"Dataset\", \"name\": \"x\", \"name\": \"y\"}", "json-duplicate-key", 1, 35},
      {"{\"@type\": \"Dataset\", \"name\": \"x\", \"distribution\": [3]}", "croissant-type", 1, 52},
      {std::string(100, '[') + std::string(100, ']'), "json-depth", 1, 65},
  };
  for (const Case& c : cases) {
    ImportResult result = ImportText(ImportFormat::kCroissant, "c.json", c.text);
    EXPECT_FALSE(result.ok()) << c.text;
    ASSERT_FALSE(result.diagnostics.empty()) << c.text;
    const Diagnostic& d = result.diagnostics[0];
    EXPECT_EQ(d.code, c.code) << c.text << " -> " << FormatDiagnostic(d);
    EXPECT_EQ(d.line, c.line) << FormatDiagnostic(d);
    EXPECT_EQ(d.column, c.column) << FormatDiagnostic(d);
  }
  // The same dataset twice.
  std::string text = ReadData("croissant/1.0_recipes_minimal.json");
  ImportResult twice =
      ImportDocuments(ImportFormat::kCroissant, {{"a.json", text}, {"b.json", text}}, {});
  EXPECT_EQ(twice.diagnostics.at(0).code, "import-duplicate") << FirstError(twice);
}

// SPDX 3.0.1 documents written for these tests from public facts of well-known models and
// datasets (tests/data/interop/README.md). Positions are counted in the files.
TEST(Spdx3ImportTest, AiPackageWithItsDataset) {
  ImportResult result = ImportFiles(ImportFormat::kSpdx3, {"spdx3/distilbert-squad.spdx3.json"});
  json m = Parsed(result);
  ExpectValid(result);
  // The document's root element is the AI package.
  EXPECT_EQ(m["model"]["id"], "distilbert/distilbert-base-cased-distilled-squad");
  EXPECT_EQ(m["model"]["x-provenance"]["id"]["line"], 50);
  EXPECT_EQ(m["model"]["x-provenance"]["id"]["column"], 15);
  EXPECT_EQ(m["model"]["organization"], "Hugging Face");  // suppliedBy, by the agent's name.
  // hasConcludedLicense (preferred to the declared one) to a licence expression element; the
  // position is the relationship's `to`.
  EXPECT_EQ(m["model"]["release"]["license"], "Apache-2.0");
  EXPECT_EQ(m["model"]["x-provenance"]["release/license"]["note"], "hasConcludedLicense");
  EXPECT_EQ(m["model"]["x-provenance"]["release/license"]["line"], 174);
  EXPECT_EQ(m["model"]["x-provenance"]["release/license"]["column"], 9);
  EXPECT_FALSE(m["model"]["release"].contains("date"));  // No releaseTime.
  ASSERT_EQ(m["sources"].size(), 1u);
  const json& s = m["sources"][0];
  EXPECT_EQ(s["id"], "SQuAD v1.1");
  EXPECT_EQ(s["x-provenance"]["id"]["line"], 83);
  EXPECT_EQ(s["title"], "Stanford Question Answering Dataset, version 1.1");
  EXPECT_EQ(s["uri"], "https://rajpurkar.github.io/SQuAD-explorer/");
  EXPECT_EQ(s["x-provenance"]["uri"]["line"], 89);
  EXPECT_EQ(s["x-provenance"]["uri"]["column"], 36);
  EXPECT_EQ(s["license"], "CC-BY-SA-4.0");
  EXPECT_EQ(s["permission"]["basis"], "license");
  EXPECT_EQ(s["x-provenance"]["license"]["note"], "hasConcludedLicense");
  EXPECT_EQ(s["x-provenance"]["license"]["line"], 194);
  // No dataset_datasetSize: no size, said so.
  EXPECT_FALSE(s.contains("size"));
  EXPECT_EQ(s["x-provenance"]["size"]["stated"], false);
  // trainedOn names a file the dataset package contains, not the package: said so.
  EXPECT_NE(s["x-provenance"]["id"]["note"].get<std::string>().find("no trainedOn"),
            std::string::npos);
  ASSERT_EQ(s["x-creators"].size(), 1u);
  EXPECT_EQ(s["x-creators"][0]["role"], "originatedBy");
  EXPECT_EQ(s["x-creators"][0]["name"], "Stanford NLP Group");
  ASSERT_EQ(s["x-collection"].size(), 1u);
  EXPECT_EQ(s["x-collection"][0]["field"], "dataset_dataCollectionProcess");
  EXPECT_TRUE(HasUnmapped(result, "ai_hyperparameter"));
  EXPECT_TRUE(HasUnmapped(result, "ai_typeOfModel"));
  EXPECT_TRUE(HasUnmapped(result, "dataset_datasetType"));
}

TEST(Spdx3ImportTest, TwoModelsTrainedOnACustomLicensedDataset) {
  ImportResult result = ImportFiles(ImportFormat::kSpdx3, {"spdx3/segment-anything.spdx3.json"});
  json m = Parsed(result);
  ExpectValid(result);
  // The root element is the code's package, not an AI package: the first AI package in
  // document order is the model; the other is listed as not mapped.
  EXPECT_EQ(m["model"]["id"], "SAM ViT-H");
  EXPECT_EQ(m["model"]["organization"], "Meta AI");
  EXPECT_EQ(m["model"]["release"]["license"], "Apache-2.0");
  EXPECT_EQ(m["model"]["x-provenance"]["release/license"]["note"], "hasDeclaredLicense");
  EXPECT_EQ(m["model"]["x-provenance"]["release/license"]["line"], 211);
  EXPECT_EQ(m["model"]["release"]["date"], "2023-04-05");
  EXPECT_EQ(m["model"]["x-provenance"]["release/date"]["line"], 75);
  EXPECT_EQ(m["model"]["x-provenance"]["release/date"]["column"], 22);
  EXPECT_EQ(m["model"]["x-provenance"]["release/date"]["written"], "2023-04-05T00:00:00Z");
  EXPECT_TRUE(m["model"]["lineage"].empty());  // trainedOn the same dataset: no lineage.
  EXPECT_TRUE(HasUnmapped(result, "ai_AIPackage SAM ViT-B"));
  ASSERT_EQ(m["sources"].size(), 1u);
  const json& s = m["sources"][0];
  EXPECT_EQ(s["id"], "SA-1B");
  EXPECT_NE(s["x-provenance"]["id"]["note"].get<std::string>().find("the model is trainedOn"),
            std::string::npos);
  EXPECT_EQ(s["uri"], "https://ai.facebook.com/datasets/segment-anything-downloads");
  EXPECT_EQ(s["x-provenance"]["uri"]["line"], 112);
  // A custom licence has no id: no licence, basis unknown, and the reason listed at the
  // relationship's `to`, concluded and declared.
  EXPECT_FALSE(s.contains("license"));
  EXPECT_EQ(s["permission"]["basis"], "unknown");
  bool concluded = false;
  for (const UnmappedField& u : result.unmapped) {
    if (u.field != "hasConcludedLicense") continue;
    concluded = true;
    EXPECT_EQ(u.file, "spdx3/segment-anything.spdx3.json");
    EXPECT_EQ(u.line, 261u);
    EXPECT_EQ(u.column, 9u);
  }
  EXPECT_TRUE(concluded);
  EXPECT_TRUE(HasUnmapped(result, "hasDeclaredLicense"));
  ASSERT_EQ(s["x-collection"].size(), 1u);
  EXPECT_EQ(s["x-collection"][0]["field"], "dataset_dataCollectionProcess");
  // originatedBy and suppliedBy, the same organization.
  ASSERT_EQ(s["x-creators"].size(), 2u);
  EXPECT_EQ(s["x-creators"][0]["role"], "originatedBy");
  EXPECT_EQ(s["x-creators"][1]["role"], "suppliedBy");
  EXPECT_EQ(s["x-creators"][1]["name"], "Meta AI");
  // The code's package and its dependencies are neither the model nor a source.
  EXPECT_EQ(result.manifest_json.find("torchvision"), std::string::npos);
}

TEST(Spdx3ImportTest, DatasetDocumentAndModelDocumentCombine) {
  ImportResult result = ImportFiles(ImportFormat::kSpdx3, {"spdx3/distilbert-squad.spdx3.json",
                                                           "spdx3/natural-questions.spdx3.json"});
  json m = Parsed(result);
  ExpectValid(result);
  EXPECT_EQ(m["model"]["id"], "distilbert/distilbert-base-cased-distilled-squad");
  ASSERT_EQ(m["sources"].size(), 2u);
  EXPECT_EQ(m["sources"][0]["id"], "SQuAD v1.1");
  EXPECT_EQ(m["sources"][0]["license"], "CC-BY-SA-4.0");
  const json& nq = m["sources"][1];
  EXPECT_EQ(nq["id"], "Natural Questions");
  EXPECT_EQ(nq["x-provenance"]["id"]["file"], "spdx3/natural-questions.spdx3.json");
  EXPECT_EQ(nq["x-provenance"]["id"]["line"], 51);
  EXPECT_EQ(nq["uri"], "https://ai.google.com/research/NaturalQuestions/download");
  // Declared only.
  EXPECT_EQ(nq["license"], "CC-BY-SA-3.0");
  EXPECT_EQ(nq["x-provenance"]["license"]["note"], "hasDeclaredLicense");
  EXPECT_EQ(nq["x-provenance"]["license"]["line"], 78);
  EXPECT_EQ(nq["x-provenance"]["license"]["column"], 9);
  EXPECT_EQ(nq["permission"]["basis"], "license");
  EXPECT_NE(nq["x-provenance"]["id"]["note"].get<std::string>().find("no trainedOn"),
            std::string::npos);
  ASSERT_EQ(nq["x-creators"].size(), 2u);
  EXPECT_EQ(nq["x-creators"][0]["name"], "Google Research");
}

TEST(Spdx3ImportTest, BadDocuments) {
  struct Case {
    std::string text;
    std::string code;
    std::uint32_t line;
  };
  const std::vector<Case> cases = {
      {"{\"@context\": \"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\",\n \"@graph\": [}",
       "json-syntax", 2},
      {"{\"@context\": \"https://schema.org/\", \"@graph\": []}", "spdx3-context", 1},
      {"{\"@context\": \"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\"}", "spdx3-graph", 1},
      {"{\"@context\": \"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\",\n \"@graph\": [1]}",
       "spdx3-element", 2},
      {"[]", "spdx3-type", 1},
  };
  for (const Case& c : cases) {
    ImportResult result = ImportText(ImportFormat::kSpdx3, "s.json", c.text);
    ASSERT_FALSE(result.diagnostics.empty()) << c.text;
    EXPECT_EQ(result.diagnostics[0].code, c.code) << FormatDiagnostic(result.diagnostics[0]);
    EXPECT_EQ(result.diagnostics[0].line, c.line) << FormatDiagnostic(result.diagnostics[0]);
  }
  // The SPDX specification's software SBOM describes neither a model nor a dataset.
  ImportResult sbom = ImportFiles(ImportFormat::kSpdx3, {"spdx3/software-sbom.spdx3.json"});
  EXPECT_FALSE(sbom.ok());
  EXPECT_EQ(sbom.diagnostics.at(0).code, "import-no-ai") << FirstError(sbom);
}

// CycloneDX ML-BOM examples of the CycloneDX/bom-examples repository
// (tests/data/interop/README.md), and BOMs written here for what they do not show.
TEST(CycloneDxImportTest, ModelCardWithItsDataComponents) {
  ImportResult result =
      ImportFiles(ImportFormat::kCycloneDx, {"cyclonedx/mlbom-model-card-with-dataset.json"});
  json m = Parsed(result);
  ExpectValid(result);
  // metadata.component is the application, not a model: the model is the ML component.
  EXPECT_EQ(m["model"]["id"], "support-ticket-classifier");
  EXPECT_FALSE(m["model"].contains("organization"));  // Only a publisher, no manufacturer.
  EXPECT_FALSE(m["model"]["release"].contains("license"));
  EXPECT_TRUE(HasUnmapped(result, "publisher"));
  EXPECT_TRUE(HasUnmapped(result, "modelCard/quantitativeAnalysis"));
  ASSERT_EQ(m["sources"].size(), 2u);
  const json& train = m["sources"][0];
  EXPECT_EQ(train["id"], "support-ticket-training-data");
  EXPECT_EQ(train["title"],
            "Fictional dataset component used to train the support ticket classifier.");
  EXPECT_EQ(train["uri"], "https://example.com/datasets/support-tickets/train.jsonl");
  EXPECT_FALSE(train.contains("license"));
  EXPECT_EQ(train["permission"]["basis"], "unknown");
  EXPECT_EQ(train["x-provenance"]["id"]["note"],
            "a data component the model card names as a dataset");
  EXPECT_EQ(train["x-provenance"]["uri"]["line"], 104u);
  EXPECT_EQ(train["x-data-governance"][0]["field"], "classification");
  EXPECT_EQ(train["x-data-governance"][0]["text"], "internal");
  EXPECT_EQ(m["sources"][1]["id"], "support-ticket-evaluation-data");
  // The card's approach, task and considerations are notes beside the model.
  std::vector<std::string> fields;
  for (const json& n : m["model"]["x-model-card"]) fields.push_back(n["field"]);
  EXPECT_EQ(fields.at(0), "approach/type");
  EXPECT_EQ(m["model"]["x-model-card"][0]["text"], "supervised");
  EXPECT_EQ(fields.at(1), "task");
  EXPECT_NE(std::find(fields.begin(), fields.end(), "considerations/useCases"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(),
                      "considerations/ethicalConsiderations/mitigationStrategy"),
            fields.end());
  // Nothing says how the data may be used: the check finds it.
  CheckResult check = CheckImported(result);
  EXPECT_EQ(check.report.verdict, Verdict::kNonCompliant);
}

TEST(CycloneDxImportTest, ModelOnly) {
  ImportResult result =
      ImportFiles(ImportFormat::kCycloneDx, {"cyclonedx/mlbom-model-gpt-4o.json"});
  json m = Parsed(result);
  ExpectValid(result);
  EXPECT_EQ(m["model"]["id"], "gpt-4o");
  EXPECT_EQ(m["model"]["organization"], "OpenAI Inc");  // manufacturer before supplier
  EXPECT_EQ(m["model"]["x-provenance"]["organization"]["pointer"],
            "/components/0/manufacturer/name");
  EXPECT_TRUE(m["sources"].empty());
  EXPECT_TRUE(HasUnmapped(result, "modelCard/modelParameters/modelArchitecture"));
}

TEST(CycloneDxImportTest, DatasetsDescribedInTheModelCard) {
  ImportResult result =
      ImportFiles(ImportFormat::kCycloneDx, {"cyclonedx/mlbom-model-bert-base-cased.fixed.json"});
  json m = Parsed(result);
  ExpectValid(result);
  EXPECT_EQ(m["model"]["id"], "bert-base-cased");
  EXPECT_EQ(m["model"]["organization"], "google-bert");
  EXPECT_EQ(m["model"]["release"]["license"], "Apache-2.0");  // license.id
  ASSERT_EQ(m["sources"].size(), 2u);
  EXPECT_EQ(m["sources"][0]["id"], "legacy-datasets/wikipedia");
  EXPECT_EQ(m["sources"][0]["uri"], "https://huggingface.co/datasets/legacy-datasets/wikipedia");
  EXPECT_EQ(m["sources"][0]["title"],
            "Wikipedia dataset containing cleaned articles of all languages.");
  EXPECT_EQ(m["sources"][1]["id"], "bookcorpus/bookcorpus");
  EXPECT_EQ(m["sources"][1]["permission"]["basis"], "unknown");
  // The model's SHA-1 is of its download: not mapped.
  EXPECT_TRUE(HasUnmapped(result, "hashes"));
  EXPECT_TRUE(HasUnmapped(result, "property region"));
}

TEST(CycloneDxImportTest, DataComponentAlone) {
  ImportResult result =
      ImportFiles(ImportFormat::kCycloneDx, {"cyclonedx/mlbom-dataset-wikipedia.fixed.json"});
  json m = Parsed(result);
  ExpectValid(result);
  EXPECT_EQ(m["model"]["id"], "unknown");
  ASSERT_EQ(m["sources"].size(), 1u);
  const json& s = m["sources"][0];
  EXPECT_EQ(s["id"], "wikipedia");
  // Two licences listed: both, noted; each by its SPDX id.
  EXPECT_EQ(s["license"], "CC-BY-SA-3.0 AND GFDL-1.3");
  EXPECT_NE(s["x-provenance"]["license"]["note"].get<std::string>().find("several licences"),
            std::string::npos);
  EXPECT_EQ(s["permission"]["basis"], "license");
  EXPECT_EQ(s["uri"], "https://huggingface.co/datasets/wikimedia/wikipedia");
  // The download's hash is kept, not taken for the content digest.
  EXPECT_FALSE(s.contains("digest"));
  ASSERT_EQ(s["x-distribution"].size(), 1u);
  EXPECT_EQ(s["x-distribution"][0]["algorithm"], "SHA-1");
  EXPECT_EQ(s["x-distribution"][0]["hashValue"], "b04c8d1ceb2f5cd4588862100d08de323dccfbaa");
  EXPECT_EQ(s["x-provenance"]["digest"]["stated"], false);
  ASSERT_EQ(s["x-creators"].size(), 3u);
  EXPECT_EQ(s["x-creators"][2]["role"], "publisher");
  EXPECT_EQ(s["x-creators"][2]["name"], "Hugging Face Inc");
}

const char kLineageBom[] = R"({"bomFormat": "CycloneDX", "specVersion": "1.6",
 "metadata": {"component": {"type": "machine-learning-model", "bom-ref": "m", "name": "tuned",
   "supplier": {"name": "Lab"},
   "licenses": [{"expression": "apache-2.0"}],
   "modelCard": {"modelParameters": {"datasets": [{"ref": "d"}, {"ref": "nowhere"}]}},
   "properties": [
     {"name": "provgate:release/weights", "value": "open"},
     {"name": "provgate:stages/0/id", "value": "sft"},
     {"name": "provgate:stages/0/sources/0/id", "value": "chat"},
     {"name": "provgate:stages/0/sources/0/epochs", "value": "2.5"},
     {"name": "provgate:stages/0/tokens", "value": "1000"},
     {"name": "provgate:report/verdict", "value": "compliant"}]}},
 "components": [
  {"type": "machine-learning-model", "bom-ref": "b", "name": "base"},
  {"type": "data", "bom-ref": "d", "name": "chat",
   "licenses": [{"license": {"name": "Some terms in words"}}],
   "hashes": [{"alg": "SHA-256", "content": "aa"}],
   "data": [{"type": "dataset", "contents": {"url": "https://example.org/chat"},
             "governance": {"owners": [{"organization": {"name": "Chat Co"}}]}}],
   "properties": [
     {"name": "provgate:kind", "value": "licensed-corpus"},
     {"name": "provgate:size/bytes", "value": "123"},
     {"name": "provgate:permission/basis", "value": "contract"},
     {"name": "provgate:permission/grants/commercial", "value": "false"},
     {"name": "provgate:permission/evidence", "value": "[]"},
     {"name": "provgate:decision/permitted", "value": "true"},
     {"name": "colour", "value": "blue"}]},
  {"type": "library", "name": "torch"}],
 "dependencies": [{"ref": "m", "dependsOn": ["b", "d"]}, {"ref": "b"}]})";

TEST(CycloneDxImportTest, LineageLicencesAndProvgateProperties) {
  ImportResult result = ImportText(ImportFormat::kCycloneDx, "l.json", kLineageBom);
  json m = Parsed(result);
  EXPECT_EQ(m["model"]["id"], "tuned");
  EXPECT_EQ(m["model"]["organization"], "Lab");  // supplier, no manufacturer
  EXPECT_EQ(m["model"]["release"]["license"], "Apache-2.0");
  // The model depends on another model: its lineage, the relation not stated.
  ASSERT_EQ(m["model"]["lineage"].size(), 1u);
  EXPECT_EQ(m["model"]["lineage"][0]["model"], "base");
  EXPECT_EQ(m["model"]["lineage"][0]["relation"], "fine-tune");
  EXPECT_EQ(m["model"]["x-provenance"]["lineage/0/relation"]["stated"], false);
  EXPECT_TRUE(HasUnmapped(result, "modelCard/modelParameters/datasets"));  // ref "nowhere"
  // Properties set their fields, typed by the schema.
  EXPECT_EQ(m["model"]["release"]["weights"], "open");
  EXPECT_EQ(m["model"]["stages"][0]["id"], "sft");
  EXPECT_EQ(m["model"]["stages"][0]["sources"][0]["id"], "chat");
  EXPECT_EQ(m["model"]["stages"][0]["sources"][0]["epochs"], 2.5);
  EXPECT_EQ(m["model"]["stages"][0]["tokens"], 1000u);
  EXPECT_EQ(m["model"]["x-provenance"]["release/weights"]["file"], "l.json");
  EXPECT_EQ(m["model"]["x-provenance"]["release/weights"]["line"], 7u);
  ASSERT_EQ(m["sources"].size(), 1u);
  const json& s = m["sources"][0];
  EXPECT_EQ(s["kind"], "licensed-corpus");
  EXPECT_EQ(s["size"]["bytes"], 123u);
  EXPECT_EQ(s["permission"]["basis"], "contract");  // The property decides.
  EXPECT_EQ(s["permission"]["grants"]["commercial"], false);
  // `[]`: an empty list, which the manifest writes as none.
  EXPECT_FALSE(s["permission"].contains("evidence"));
  EXPECT_EQ(s["license"], "NOASSERTION");  // A licence in words is no SPDX id.
  EXPECT_EQ(s["uri"], "https://example.org/chat");
  EXPECT_FALSE(s.contains("digest"));  // hashes are of the download
  EXPECT_EQ(s["x-distribution"][0]["algorithm"], "SHA-256");
  EXPECT_EQ(s["x-data-governance"][0]["field"], "governance/owners");
  EXPECT_EQ(s["x-data-governance"][0]["text"], "Chat Co");
  EXPECT_TRUE(HasUnmapped(result, "property colour"));
  EXPECT_FALSE(HasUnmapped(result, "property provgate:decision/permitted"));
  // The library is neither a model nor data: not a source.
  for (const json& source : m["sources"]) EXPECT_NE(source["id"], "torch");
}

TEST(CycloneDxImportTest, RepeatedDatasetNamesAreRepeatedIds) {
  ImportResult result = ImportText(ImportFormat::kCycloneDx, "r.json",
                                   R"({"bomFormat": "CycloneDX", "specVersion": "1.6",
 "components": [{"type": "data", "name": "web"}, {"type": "data", "name": "web"}]})");
  json m = Parsed(result);
  ASSERT_EQ(m["sources"].size(), 2u);
  EXPECT_EQ(m["sources"][1]["id"], "web");
  EXPECT_NE(m["sources"][1]["x-provenance"]["id"]["note"].get<std::string>().find("repeated"),
            std::string::npos);
  CheckResult check = CheckImported(result);
  bool repeated = false;
  for (const Finding& f : check.report.findings) repeated = repeated || f.subject == "web";
  EXPECT_TRUE(repeated);
}

TEST(CycloneDxImportTest, BadBoms) {
  struct Case {
    std::string text;
    std::string code;
    std::uint32_t line;
    std::uint32_t column;
  };
  const std::string head = "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\",\n";
  const std::string model = "{\"type\": \"machine-learning-model\", \"name\": \"m\"";
  const std::vector<Case> cases = {
      {head + " \"components\": [}", "json-syntax", 2, 0},
      {"[]", "cyclonedx-type", 1, 1},
      {"{\"bomFormat\": \"SPDX\"}", "cyclonedx-format", 1, 15},
      {"{\"specVersion\": \"1.6\"}", "cyclonedx-format", 1, 1},
      {"{\"bomFormat\": \"CycloneDX\",\n \"specVersion\": 1.6}", "cyclonedx-version", 2, 17},
      {"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"2.0\"}", "cyclonedx-version", 1, 43},
      {head + " \"components\": {}}", "cyclonedx-components", 2, 16},
      {head + " \"components\": [{\"name\": \"x\"}]}", "cyclonedx-component", 2, 17},
      {head + " \"metadata\": []}", "cyclonedx-metadata", 2, 14},
      {head + " \"components\": [{\"type\": \"data\", \"bom-ref\": \"a\", \"name\": \"a\"},\n"
              "  {\"type\": \"data\", \"bom-ref\": \"a\", \"name\": \"b\"}]}",
       "cyclonedx-duplicate-ref", 3, 31},
      {head + " \"components\": [" + model + "}],\n \"dependencies\": [{\"dependsOn\": []}]}",
       "cyclonedx-dependencies", 3, 19},
      {head + " \"components\": [" + model +
           "}],\n \"dependencies\": [{\"ref\": \"m\", "
           "\"dependsOn\": [1]}]}",
       "cyclonedx-dependencies", 3, 46},
      // An ordinary software SBOM: neither a model nor data.
      {head + " \"components\": [{\"type\": \"library\", \"name\": \"zlib\"}]}", "import-no-ai", 1,
       1},
      // provgate: properties that cannot be a manifest's fields.
      {head + " \"components\": [" + model +
           ",\n \"properties\": [{\"name\": \"provgate:stages/0/tokens\", \"value\": \"many\"}]}]}",
       "import-property", 3, 63},
      {head + " \"components\": [" + model +
           ",\n \"properties\": [{\"name\": \"provgate:lineage/5/model\", \"value\": \"x\"}]}]}",
       "import-property", 3, 63},
      {head + " \"components\": [" + model +
           ",\n \"properties\": [{\"name\": \"provgate:lineage/0/ledger\", \"value\": \"yes\"}]}]}",
       "import-property", 3, 64},
      {head + " \"components\": [{\"type\": \"data\", \"name\": \"d\",\n \"properties\": "
              "[{\"name\": \"provgate:size/bytes\", \"value\": 5}]}]}",
       "import-property", 3, 58},
      {head + " \"components\": [{\"type\": \"data\", \"name\": \"d\",\n \"properties\": "
              "[{\"name\": \"provgate:permission/basis\", \"value\": \"magic\"}]}]}",
       "import-property", 3, 64},
      {head + " \"components\": [{\"type\": \"data\", \"name\": \"d\",\n \"properties\": "
              "[{\"name\": \"provgate:size\", \"value\": \"1\"},\n"
              "  {\"name\": \"provgate:size/bytes\", \"value\": \"1\"}]}]}",
       "import-property", 4, 44},
  };
  for (const Case& c : cases) {
    ImportResult result = ImportText(ImportFormat::kCycloneDx, "c.json", c.text);
    ASSERT_FALSE(result.diagnostics.empty()) << c.text;
    EXPECT_FALSE(result.ok()) << c.text;
    EXPECT_TRUE(result.manifest_json.empty());
    const Diagnostic& d = result.diagnostics[0];
    EXPECT_EQ(d.code, c.code) << FormatDiagnostic(d);
    EXPECT_EQ(d.file, "c.json");
    EXPECT_EQ(d.line, c.line) << FormatDiagnostic(d);
    if (c.column != 0) {
      EXPECT_EQ(d.column, c.column) << FormatDiagnostic(d);
    }
  }
  // The CycloneDX examples as published have a comma before a closing brace.
  ImportResult comma =
      ImportFiles(ImportFormat::kCycloneDx, {"cyclonedx/mlbom-dataset-wikipedia.json"});
  ASSERT_FALSE(comma.diagnostics.empty());
  EXPECT_EQ(comma.diagnostics[0].code, "json-syntax");
  EXPECT_EQ(comma.diagnostics[0].line, 9u);
}

// SPDX: the `provgate:` properties of an extension_CdxPropertiesExtension set their fields.
TEST(Spdx3ImportTest, ProvgatePropertiesOfTheExtension) {
  const std::string text = R"({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
 "@graph": [
  {"type": "ai_AIPackage", "spdxId": "urn:x/model", "name": "m",
   "extension": [{"type": "extension_CdxPropertiesExtension", "extension_cdxProperty": [
     {"type": "extension_CdxPropertyEntry", "extension_cdxPropName": "provgate:release/weights",
      "extension_cdxPropValue": "open-weights"},
     {"type": "extension_CdxPropertyEntry", "extension_cdxPropName": "provgate:lineage/0/model",
      "extension_cdxPropValue": "base"},
     {"type": "extension_CdxPropertyEntry",
      "extension_cdxPropName": "provgate:lineage/0/relation",
      "extension_cdxPropValue": "distillation"},
     {"type": "extension_CdxPropertyEntry", "extension_cdxPropName": "provgate:report/verdict",
      "extension_cdxPropValue": "compliant"}]}]},
  {"type": "dataset_DatasetPackage", "spdxId": "urn:x/d", "name": "d",
   "description": "The d data",
   "extension": [{"type": "extension_CdxPropertiesExtension", "extension_cdxProperty": [
     {"type": "extension_CdxPropertyEntry", "extension_cdxPropName": "provgate:size/tokens",
      "extension_cdxPropValue": "77"},
     {"type": "extension_CdxPropertyEntry", "extension_cdxPropName": "provgate:digest/sha256",
      "extension_cdxPropValue":
        "0000000000000000000000000000000000000000000000000000000000000000"}]}]}]})";
  ImportResult result = ImportText(ImportFormat::kSpdx3, "s.json", text);
  // `open-weights` is no weights value: refused at the property.
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.diagnostics.at(0).code, "import-property") << FirstError(result);
  EXPECT_EQ(result.diagnostics.at(0).line, 6u) << FirstError(result);

  std::string fixed = text;
  fixed.replace(fixed.find("open-weights"), 12, "open");
  result = ImportText(ImportFormat::kSpdx3, "s.json", fixed);
  json m = Parsed(result);
  ExpectValid(result);
  EXPECT_EQ(m["model"]["release"]["weights"], "open");
  EXPECT_EQ(m["model"]["release"]["license"], "NOASSERTION");  // open, no licence stated
  ASSERT_EQ(m["model"]["lineage"].size(), 1u);
  EXPECT_EQ(m["model"]["lineage"][0]["relation"], "distillation");
  EXPECT_EQ(m["sources"][0]["title"], "The d data");
  EXPECT_EQ(m["sources"][0]["size"]["tokens"], 77u);
  EXPECT_EQ(m["sources"][0]["digest"]["sha256"],
            "0000000000000000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(m["sources"][0]["x-provenance"]["digest/sha256"]["note"],
            "provgate:digest/sha256 property");
}

TEST(ImportFilesTest, MissingAndNonRegularFiles) {
  ImportResult missing = Import(ImportFormat::kCroissant, {"/nonexistent/x.json"}, {});
  EXPECT_EQ(missing.status.code(), Status::Code::kNotFound);
  ImportResult dir = Import(ImportFormat::kCroissant, {std::string(PROVGATE_TEST_DATA)}, {});
  EXPECT_FALSE(dir.status.ok());
  ImportOptions small;
  small.max_file_bytes = 10;
  ImportResult big =
      Import(ImportFormat::kCroissant, {DataPath("croissant/1.0_recipes_minimal.json")}, small);
  EXPECT_FALSE(big.status.ok());
}

}  // namespace
}  // namespace provgate
