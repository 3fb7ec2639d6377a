// ValidateManifest, ValidateHeader and ValidateSource on manifests built in code, against the
// reader: each manifest is written as JSON and read back, and both must report the same codes
// and messages at the same JSON pointers, in the same order.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>

#include "provgate/manifest.h"

namespace provgate {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

constexpr char kDigest[] = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

template <typename T>
void Put(Json& object, const char* key, const std::optional<T>& value) {
  if (value) object[key] = *value;
}

GeneratedBy ModelGenerator(const std::string& model) {
  GeneratedBy generator;
  generator.model = model;
  generator.terms_allow_training = true;
  return generator;
}

GeneratedBy ProgramGenerator(const std::string& program) {
  GeneratedBy generator;
  generator.program = program;
  return generator;
}

// The manifest as JSON that reads back into the same structures: optional fields only when
// set, keys in the schema's order.
Json ToJson(const Source& s) {
  Json source;
  source["id"] = s.id;
  Put(source, "title", s.title);
  source["kind"] = std::string(ToString(s.kind));
  Put(source, "uri", s.uri);
  Put(source, "license", s.license);
  Json permission;
  permission["basis"] = std::string(ToString(s.permission.basis));
  if (!s.permission.evidence.empty()) {
    Json evidence = Json::array();
    for (const Evidence& e : s.permission.evidence) {
      evidence.push_back(Json{{"uri", e.uri}, {"sha256", e.sha256}});
    }
    permission["evidence"] = evidence;
  }
  if (s.permission.grants) {
    permission["grants"] = Json{{"training", s.permission.grants->training},
                                {"commercial", s.permission.grants->commercial},
                                {"closed_weights", s.permission.grants->closed_weights}};
  }
  Put(permission, "valid_from", s.permission.valid_from);
  Put(permission, "valid_until", s.permission.valid_until);
  source["permission"] = permission;
  if (s.acquisition) {
    Json acquisition = Json::object();
    if (s.acquisition->method)
      acquisition["method"] = std::string(ToString(*s.acquisition->method));
    Put(acquisition, "opt_outs_honored", s.acquisition->opt_outs_honored);
    Put(acquisition, "date", s.acquisition->date);
    source["acquisition"] = acquisition;
  }
  if (!s.generated_by.empty()) {
    Json generators = Json::array();
    for (const GeneratedBy& g : s.generated_by) {
      Json entry = Json::object();
      if (!g.model.empty() || g.program.empty()) {
        entry["model"] = g.model;
        entry["terms_allow_training"] = g.terms_allow_training;
        Put(entry, "stage", g.stage);
        Put(entry, "license", g.license);
      } else {
        entry["program"] = g.program;
        if (g.terms_allow_training) entry["terms_allow_training"] = true;
        Put(entry, "stage", g.stage);
        Put(entry, "license", g.license);
      }
      generators.push_back(entry);
    }
    source["generated_by"] = generators.size() == 1 ? generators[0] : generators;
  }
  if (s.size) {
    Json size = Json::object();
    Put(size, "tokens", s.size->tokens);
    Put(size, "bytes", s.size->bytes);
    Put(size, "documents", s.size->documents);
    source["size"] = size;
  }
  if (s.digest_sha256) source["digest"] = Json{{"sha256", *s.digest_sha256}};
  if (!s.files.empty()) {
    Json files = Json::array();
    for (const FileEntry& f : s.files) {
      Json file{{"path", f.path}, {"sha256", f.sha256}};
      Put(file, "bytes", f.bytes);
      files.push_back(file);
    }
    source["files"] = files;
  }
  return source;
}

Json ToJson(const Manifest& m) {
  const Model& model = m.header.model;
  Json root;
  root["manifest_version"] = m.header.manifest_version;
  Json model_json;
  model_json["id"] = model.id;
  Put(model_json, "organization", model.organization);
  Json release;
  release["weights"] = std::string(ToString(model.release.weights));
  Put(release, "license", model.release.license);
  release["deployment"] = std::string(ToString(model.release.deployment));
  Put(release, "date", model.release.date);
  model_json["release"] = release;
  if (model.stages_given || !model.stages.empty()) {
    Json stages = Json::array();
    for (const Stage& s : model.stages) {
      Json sources = Json::array();
      for (std::size_t i = 0; i < s.sources.size(); ++i) {
        const StageAmount* amount = i < s.source_amounts.size() ? &s.source_amounts[i] : nullptr;
        if (amount == nullptr || (!amount->tokens && !amount->epochs)) {
          sources.push_back(s.sources[i]);
          continue;
        }
        Json entry{{"id", s.sources[i]}};
        Put(entry, "tokens", amount->tokens);
        Put(entry, "epochs", amount->epochs);
        sources.push_back(entry);
      }
      Json stage{{"id", s.id}, {"sources", sources}};
      if (s.checkpoint) {
        Json checkpoint{{"id", s.checkpoint->id},
                        {"weights", std::string(ToString(s.checkpoint->weights))}};
        Put(checkpoint, "license", s.checkpoint->license);
        Put(checkpoint, "date", s.checkpoint->date);
        stage["checkpoint"] = checkpoint;
      }
      stages.push_back(stage);
    }
    model_json["stages"] = stages;
  }
  if (!model.lineage.empty()) {
    Json lineage = Json::array();
    for (const LineageEntry& e : model.lineage) {
      Json entry{{"relation", std::string(ToString(e.relation))}, {"model", e.model}};
      Put(entry, "manifest", e.manifest);
      Put(entry, "attestation", e.attestation);
      if (e.ledger) entry["ledger"] = true;
      Put(entry, "stage", e.stage);
      lineage.push_back(entry);
    }
    model_json["lineage"] = lineage;
  }
  root["model"] = model_json;
  if (m.header.sources_jsonl) {
    root["sources"] = Json{{"jsonl", *m.header.sources_jsonl}};
  } else {
    Json sources = Json::array();
    for (const Source& s : m.sources) sources.push_back(ToJson(s));
    root["sources"] = sources;
  }
  return root;
}

// A valid manifest that uses every structure.
Manifest ValidManifest() {
  Manifest m;
  m.header.manifest_version = "1";
  Model& model = m.header.model;
  model.id = "lab/model";
  model.organization = "Lab";
  model.release.weights = Weights::kOpen;
  model.release.license = "Apache-2.0";
  model.release.date = "2026-09-01";
  model.stages_given = true;
  Stage pre;
  pre.id = "pre";
  pre.sources = {"web", "synth"};
  model.stages.push_back(pre);
  Stage sft;
  sft.id = "sft";
  sft.sources = {"deal"};
  sft.checkpoint = Checkpoint{"lab/model-base", Weights::kClosed, std::nullopt, "2026-06-30"};
  model.stages.push_back(sft);
  LineageEntry teacher;
  teacher.relation = Relation::kDistillation;
  teacher.model = "vendor/teacher";
  teacher.attestation = "teacher.dsse.json";
  teacher.stage = "sft";
  model.lineage.push_back(teacher);

  Source web;
  web.id = "web";
  web.title = "Crawl";
  web.kind = SourceKind::kWebCrawl;
  web.uri = "https://crawl.example/";
  web.license = "CC-BY-4.0";
  web.permission.basis = Basis::kLicense;
  web.acquisition = Acquisition{AcquisitionMethod::kCrawl, true, "2025-11", {}};
  web.size = Size{1000, 2000, 3};
  web.digest_sha256 = kDigest;
  web.files.push_back({"data/web.tar", kDigest, 2000});
  Source synth;
  synth.id = "synth";
  synth.kind = SourceKind::kSynthetic;
  synth.permission.basis = Basis::kFirstParty;
  synth.generated_by = {ModelGenerator("lab/generator")};
  Source deal;
  deal.id = "deal";
  deal.kind = SourceKind::kLicensedCorpus;
  deal.permission.basis = Basis::kContract;
  deal.permission.evidence.push_back({"contracts/deal.pdf", kDigest});
  deal.permission.grants = Grants{true, true, false};
  deal.permission.valid_from = "2024-02-29";
  deal.permission.valid_until = "2027-01-31";
  m.sources = {web, synth, deal};
  return m;
}

// "pointer code: message" of each diagnostic, in order.
std::vector<std::string> Summaries(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics)
    out.push_back(d.pointer + " " + d.code + ": " + d.message);
  return out;
}

std::vector<Diagnostic> ReadBack(const Manifest& m) {
  Manifest read;
  return LoadManifestText(ToJson(m).dump(2), "m.json", "", read).diagnostics;
}

struct Mutation {
  const char* name;
  std::function<void(Manifest&)> apply;
};

const std::vector<Mutation>& Mutations() {
  static const std::vector<Mutation> mutations = {
      {"open_release_without_licence", [](Manifest& m) { m.header.model.release.license.reset(); }},
      {"open_checkpoint_without_licence",
       [](Manifest& m) { m.header.model.stages[1].checkpoint->weights = Weights::kOpen; }},
      {"lineage_manifest_and_ledger",
       [](Manifest& m) {
         m.header.model.lineage[0].attestation.reset();
         m.header.model.lineage[0].manifest = "teacher.json";
         m.header.model.lineage[0].ledger = true;
       }},
      {"lineage_three_verifications",
       [](Manifest& m) {
         m.header.model.lineage[0].manifest = "teacher.json";
         m.header.model.lineage[0].ledger = true;
       }},
      {"synthetic_without_generated_by", [](Manifest& m) { m.sources[1].generated_by.clear(); }},
      {"model_outputs_without_generated_by",
       [](Manifest& m) {
         m.sources[0].kind = SourceKind::kModelOutputs;
         m.sources[1].kind = SourceKind::kModelOutputs;
       }},
      {"conversations_generated_by_a_program_only",
       [](Manifest& m) {
         m.sources[1].kind = SourceKind::kConversations;
         m.sources[1].generated_by = {ProgramGenerator("a chat simulator")};
       }},
      {"generator_program_with_a_stage",
       [](Manifest& m) {
         GeneratedBy program = ProgramGenerator("templates");
         program.stage = "sft";
         m.sources[1].generated_by.push_back(program);
       }},
      {"stage_amount_epochs_negative",
       [](Manifest& m) {
         auto& stage = m.header.model.stages[0];
         stage.source_amounts.resize(stage.sources.size());
         stage.source_amounts[0].epochs = -1.5;
       }},
      {"empty_ids",
       [](Manifest& m) {
         m.header.model.id.clear();
         m.header.model.stages[0].sources[1].clear();
         m.header.model.stages[1].checkpoint->id.clear();
         m.sources[1].id.clear();
         m.sources[1].generated_by[0].model.clear();
       }},
      {"bad_dates",
       [](Manifest& m) {
         m.header.model.release.date = "2026-02-30";
         m.header.model.stages[1].checkpoint->date = "2026-06";
         m.sources[2].permission.valid_until = "2025-13-01";
         m.sources[0].acquisition->date = "2026-13";
       }},
      {"bad_digests",
       [](Manifest& m) {
         m.sources[0].digest_sha256 = "ABC";
         m.sources[0].files[0].sha256 = std::string(64, 'A');
         m.sources[2].permission.evidence[0].sha256.clear();
       }},
      {"unsupported_version", [](Manifest& m) { m.header.manifest_version = "2"; }},
      {"too_long",
       [](Manifest& m) {
         std::string e_acute = "\xc3\xa9";
         std::string title;
         for (int i = 0; i < 2049; ++i) title += e_acute;
         m.sources[0].title = title;
         m.sources[0].id = std::string(513, 's');
         m.header.model.organization = std::string(2048, 'o');  // At the limit: valid.
         m.header.model.lineage[0].stage = std::string(513, 'x');
       }},
      {"empty_paths",
       [](Manifest& m) {
         m.sources[0].files[0].path.clear();
         m.sources[2].permission.evidence[0].uri.clear();
         m.header.model.lineage[0].manifest = "";  // Given, though empty: two verifications.
       }},
      {"side_file_outside",
       [](Manifest& m) {
         m.sources.clear();
         m.header.sources_jsonl = "../sources.jsonl";
       }},
      {"everything_at_once",
       [](Manifest& m) {
         m.header.manifest_version = "0";
         m.header.model.release.license.reset();
         m.header.model.release.date = "2026-1-1";
         m.header.model.lineage[0].ledger = true;
         m.sources[0].kind = SourceKind::kSynthetic;
         m.sources[0].id.clear();
         m.sources[1].generated_by.clear();
         m.sources[2].permission.valid_from = "yesterday";
       }},
  };
  return mutations;
}

TEST(ValidateManifest, AcceptsAValidManifestAsTheReaderDoes) {
  Manifest m = ValidManifest();
  EXPECT_EQ(Summaries(ValidateManifest(m)), std::vector<std::string>{});
  EXPECT_EQ(Summaries(ReadBack(m)), std::vector<std::string>{});
}

class TypedAndRead : public testing::TestWithParam<Mutation> {};

TEST_P(TypedAndRead, ReportTheSameProblems) {
  Manifest m = ValidManifest();
  GetParam().apply(m);
  std::vector<std::string> typed = Summaries(ValidateManifest(m));
  EXPECT_FALSE(typed.empty());
  EXPECT_EQ(typed, Summaries(ReadBack(m))) << ToJson(m).dump(2);
  for (const Diagnostic& d : ValidateManifest(m)) {
    EXPECT_TRUE(d.file.empty());
    EXPECT_EQ(d.line, 0u);
    EXPECT_EQ(d.severity, Severity::kError);
  }
}

INSTANTIATE_TEST_SUITE_P(Mutations, TypedAndRead, testing::ValuesIn(Mutations()),
                         [](const testing::TestParamInfo<Mutation>& info) {
                           return std::string(info.param.name);
                         });

TEST(ValidateManifest, NamesEachRuleAsTheReaderDoes) {
  Manifest m = ValidManifest();
  m.header.model.release.license.reset();
  m.sources[1].generated_by.clear();
  m.header.model.lineage[0].ledger = true;
  EXPECT_EQ(
      Summaries(ValidateManifest(m)),
      (std::vector<std::string>{
          "/model/release schema-required: missing required field 'license' (required when "
          "weights are open)",
          "/model/lineage/0 schema-exclusive: a lineage entry names at most one of manifest, "
          "attestation and ledger: true",
          "/sources/1 schema-required: missing required field 'generated_by' (required for kind "
          "synthetic)",
      }));
}

TEST(ValidateManifest, IsTheHeaderAndEachSource) {
  Manifest m = ValidManifest();
  Mutations().back().apply(m);
  std::vector<Diagnostic> parts = ValidateHeader(m.header);
  EXPECT_FALSE(parts.empty());
  for (std::size_t i = 0; i < m.sources.size(); ++i) {
    m.sources[i].index = i;
    std::vector<Diagnostic> source = ValidateSource(m.sources[i]);
    parts.insert(parts.end(), source.begin(), source.end());
  }
  EXPECT_EQ(Summaries(parts), Summaries(ValidateManifest(m)));
}

TEST(ValidateSource, PointsAtTheSourceIndex) {
  Source source = ValidManifest().sources[1];
  source.index = 41;
  source.generated_by.clear();
  source.files.push_back({"x", "nope", std::nullopt});
  EXPECT_EQ(Summaries(ValidateSource(source)),
            (std::vector<std::string>{
                "/sources/41 schema-required: missing required field 'generated_by' (required "
                "for kind synthetic)",
                "/sources/41/files/0/sha256 schema-pattern: invalid sha256 digest: expected 64 "
                "lowercase hexadecimal characters",
            }));
}

TEST(ValidateSource, RefusesInvalidUtf8) {
  // A file cannot hold it (the reader refuses the whole file); a structure built in code can.
  Source source = ValidManifest().sources[0];
  source.title = "caf\xc3";
  source.id = "\xff";
  EXPECT_EQ(Summaries(ValidateSource(source)),
            (std::vector<std::string>{"/sources/0/id json-utf8: invalid UTF-8",
                                      "/sources/0/title json-utf8: invalid UTF-8"}));
}

TEST(ValidateHeader, EscapesKeysInPointersAndChecksTheSideFile) {
  ManifestHeader header = ValidManifest().header;
  header.sources_jsonl = "/etc/sources.jsonl";
  EXPECT_EQ(Summaries(ValidateHeader(header)),
            (std::vector<std::string>{
                "/sources/jsonl path-escape: the JSONL side file '/etc/sources.jsonl' must be a "
                "relative path inside the manifest's directory"}));
  header.sources_jsonl = "";
  EXPECT_EQ(
      Summaries(ValidateHeader(header)),
      (std::vector<std::string>{"/sources/jsonl schema-min-length: expected a non-empty string"}));
}

TEST(FindDuplicateSourceIds, FindsWhatTheReaderFinds) {
  const std::string path =
      std::string(PROVGATE_SOURCE_DIR) + "/tests/golden/cases/p2-duplicate-source-id/manifest.json";
  Manifest m;
  ReadResult result = LoadManifest(path, m);
  ASSERT_TRUE(result.ok());
  ASSERT_FALSE(result.duplicate_source_ids.empty());
  std::vector<ReadResult::DuplicateId> found = FindDuplicateSourceIds(m.sources);
  ASSERT_EQ(found.size(), result.duplicate_source_ids.size());
  for (std::size_t i = 0; i < found.size(); ++i) {
    EXPECT_EQ(found[i].id, result.duplicate_source_ids[i].id);
    ASSERT_EQ(found[i].locations.size(), result.duplicate_source_ids[i].locations.size());
    for (std::size_t j = 0; j < found[i].locations.size(); ++j) {
      const Location& a = found[i].locations[j];
      const Location& b = result.duplicate_source_ids[i].locations[j];
      EXPECT_EQ(a.file + a.pointer + ":" + std::to_string(a.line) + ":" + std::to_string(a.column),
                b.file + b.pointer + ":" + std::to_string(b.line) + ":" + std::to_string(b.column));
    }
  }
}

TEST(FindDuplicateSourceIds, PointsAtPlacesInCode) {
  std::vector<Source> sources = ValidManifest().sources;
  sources.push_back(sources[0]);
  sources.back().location = {};
  sources.push_back(sources[1]);
  sources.push_back(Source{});
  sources.push_back(Source{});  // Empty ids are not repeats.
  std::vector<ReadResult::DuplicateId> found = FindDuplicateSourceIds(sources);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, "synth");
  EXPECT_EQ(found[0].locations[0].pointer, "/sources/1");
  EXPECT_EQ(found[0].locations[1].pointer, "/sources/4");
  EXPECT_EQ(found[1].id, "web");
  EXPECT_EQ(found[1].locations[1].pointer, "/sources/3");
}

// What the reader accepts, the typed validation accepts too: every manifest of the examples
// and golden cases that reads without errors validates without diagnostics once loaded.
TEST(ValidateManifest, AcceptsEveryManifestTheReaderAccepts) {
  const fs::path root = PROVGATE_SOURCE_DIR;
  int accepted = 0;
  for (const char* dir : {"tests/golden/cases", "examples", "tests/schema/corpus"}) {
    for (auto it = fs::recursive_directory_iterator(root / dir);
         it != fs::recursive_directory_iterator(); ++it) {
      if (it.depth() > 1 || it->path().extension() != ".json") continue;
      Manifest m;
      if (!LoadManifest(it->path().string(), m).ok()) continue;
      ++accepted;
      EXPECT_EQ(Summaries(ValidateManifest(m)), std::vector<std::string>{}) << it->path();
    }
  }
  EXPECT_GT(accepted, 40);
}

}  // namespace
}  // namespace provgate
