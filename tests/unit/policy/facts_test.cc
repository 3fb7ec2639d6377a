// The fact listing (`explain --facts`) and the fact bindings are one table: every listed field
// is bound, every bound field is listed, and a listed object's fields are those of the type
// actually bound there.
#include "policy/facts.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "policy/facts_table.h"
#include "policy/rule_runner.h"
#include "provgate/policy.h"

namespace provgate::detail {
namespace {

// A manifest in which every object that facts can reach is present.
struct Fixture {
  Fixture() {
    source.id = "books";
    source.title = "Books";
    source.uri = "https://example.org/books";
    source.license = "CC-BY-4.0";
    source.permission.basis = Basis::kContract;
    source.permission.evidence.push_back({"deal.pdf", std::string(64, 'a')});
    source.permission.grants = Grants{true, true, true};
    source.permission.valid_from = "2025-01-01";
    source.permission.valid_until = "2027-01-01";
    source.acquisition.emplace();
    source.acquisition->method = AcquisitionMethod::kPurchase;
    source.acquisition->opt_outs_honored = true;
    source.acquisition->date = "2025-02";
    GeneratedBy generator;
    generator.model = "other/model";
    generator.terms_allow_training = true;
    source.generated_by = {generator};
    source.size = Size{10, 20, 30};
    source.digest_sha256 = std::string(64, 'b');
    source.files.push_back({"books/a.txt", std::string(64, 'c'), 5});
    verdict.parsed = true;
    verdict.canonical = "CC-BY-4.0";
    verdict.licenses = {"CC-BY-4.0"};
    source_facts.used = true;
    source_facts.stages = {"pretrain"};
    source_facts.permission.license = &verdict;
    source_view = {&source, &source_facts};

    model.id = "acme/m";
    model.organization = "Acme";
    model.release.license = "Apache-2.0";
    model.release.date = "2026-01-01";
    model.stages_given = true;
    Stage stage;
    stage.id = "pretrain";
    stage.sources = {"books"};
    stage.checkpoint = Checkpoint{"ckpt-1", Weights::kOpen, "Apache-2.0", "2026-01-01"};
    model.stages.push_back(stage);
    LineageEntry entry;
    entry.model = "base";
    entry.manifest = "../base/manifest.json";
    entry.attestation = "../base/report.dsse.json";
    entry.stage = "pretrain";
    model.lineage.push_back(entry);
    use.date = "2026-01-01";
    model_view.model = &model;
    model_view.use = &use;
    model_view.has_license = true;
    model_view.intermediate_known = true;
    model_view.intermediate_stage = 0;
    model_view.intermediate_stage_id = "pretrain";
    stage_view.stage = &model.stages[0];
    lineage_view.entry = &model.lineage[0];
    lineage_view.stage_index = 0;
    reference_view = {"pretrain", "books", true};
    duplicate_view = {"books", 2};
    file_view = {"books/a.txt",        "file", "books", "mismatch", std::string(64, 'c'),
                 std::string(64, 'd'), ""};
  }

  // The value a binding takes in a check.
  expr::Value Bound(const FactBinding& binding) const {
    if (binding.name == "manifest") return ManifestValue(manifest_view);
    if (!binding.subject) return {};
    switch (*binding.subject) {
      case Subject::kModel:
        return ModelValue(model_view);
      case Subject::kSource:
        return SourceValue(source_view);
      case Subject::kStage:
        return StageValue(stage_view);
      case Subject::kLineage:
        return LineageValue(lineage_view);
      case Subject::kStageReference:
        return StageReferenceValue(reference_view);
      case Subject::kDuplicateId:
        return DuplicateIdValue(duplicate_view);
      case Subject::kUnverifiedFile:
        return UnverifiedFileValue(file_view);
      case Subject::kOwnOutput:
        return OwnOutputValue(output_view);
      case Subject::kCondition:
        return ConditionValue(condition_view);
    }
    return {};
  }

  Source source;
  LicenseVerdict verdict;
  SourceFacts source_facts;
  SourceView source_view;
  Model model;
  ModelUse use;
  ModelView model_view;
  StageView stage_view;
  LineageView lineage_view;
  StageReferenceView reference_view;
  DuplicateIdView duplicate_view;
  UnverifiedFileView file_view;
  OwnOutputView output_view;
  ConditionView condition_view;
  ManifestView manifest_view;
};

// Compares the listing of `table` with the object `value` that is bound where it is listed,
// then does the same for every object the listing nests, at `path`.
void CompareTable(const FactTable& table, const expr::Value& value, const std::string& path,
                  std::set<std::string>& visited) {
  visited.insert(path);
  ASSERT_EQ(value.kind(), expr::Kind::kObject) << path;
  ASSERT_EQ(value.object_type(), &table) << path << ": the listing names another type";
  std::set<std::string_view> listed;
  for (const FactField& field : table.Fields()) {
    listed.insert(field.name);
    std::string at = path + "." + std::string(field.name);
    expr::Value out;
    expr::ObjectType::Field found = table.Get(value.object(), field.name, out);
    EXPECT_NE(found, expr::ObjectType::Field::kUnknown) << at << " is listed but not bound";
    if (field.nested == nullptr) continue;
    // Every object the listing nests is present in the fixture, so that none goes unchecked.
    ASSERT_EQ(found, expr::ObjectType::Field::kPresent) << at << " is absent in the fixture";
    if (out.kind() == expr::Kind::kList) {
      ASSERT_FALSE(out.AsList().empty()) << at;
      CompareTable(*field.nested, out.AsList().front(), at + "[]", visited);
    } else {
      CompareTable(*field.nested, out, at, visited);
    }
  }
  for (std::string_view name : table.FieldNames(value.object())) {
    EXPECT_TRUE(listed.count(name) != 0) << path << "." << name << " is bound but not listed";
  }
  expr::Value ignored;
  EXPECT_EQ(table.Get(value.object(), "no_such_fact", ignored), expr::ObjectType::Field::kUnknown);
}

TEST(Facts, EveryListedFieldIsBoundAndEveryBoundFieldListed) {
  Fixture fixture;
  std::set<std::string> visited;
  for (const FactBinding& binding : FactBindings()) {
    if (binding.table == nullptr) continue;
    CompareTable(*binding.table, fixture.Bound(binding), std::string(binding.name), visited);
  }
  EXPECT_TRUE(visited.count("source.files[]") != 0);
  EXPECT_TRUE(visited.count("model.stages[].checkpoint") != 0);
  EXPECT_TRUE(visited.count("source.permission.grants") != 0);
}

TEST(Facts, EveryBindingIsListedAndNothingElse) {
  // The headings of the listing are exactly the variables rule expressions can read.
  std::set<std::string> headings;
  std::istringstream lines(ExplainFacts());
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == ' ' || line.back() == ':') continue;
    headings.insert(line.substr(0, line.find(' ')));
  }
  std::set<std::string> bindings;
  for (const FactBinding& binding : FactBindings()) bindings.insert(std::string(binding.name));
  EXPECT_EQ(headings, bindings);
  // The unverified-file subject binds `file`, which the listing once left out.
  EXPECT_TRUE(headings.count("file") != 0);
  EXPECT_NE(ExplainFacts().find("  file.expected_sha256 (string): "), std::string::npos);
}

TEST(Facts, EachSubjectHasOneBindingWithItsSpelling) {
  std::set<std::string_view> names;
  std::set<std::string_view> spellings;
  int subjects = 0;
  for (const FactBinding& binding : FactBindings()) {
    EXPECT_TRUE(names.insert(binding.name).second) << binding.name;
    if (!binding.subject) continue;
    ++subjects;
    EXPECT_TRUE(spellings.insert(binding.subject_name).second) << binding.subject_name;
    EXPECT_EQ(SubjectBinding(*binding.subject), binding.name);
    EXPECT_EQ(SubjectName(*binding.subject), binding.subject_name);
  }
  EXPECT_EQ(subjects, kSubjectCount);
}

// Rule programs find names by the numbers RuleNameBindings gives (RuleActivation::FindBound):
// the check's bindings first, in the order of Global, each subject's binding at its place, and
// the variables after every binding.
TEST(Facts, RuleNamesAreNumberedAsTheActivationFindsThem) {
  const std::vector<FactBinding>& bindings = FactBindings();
  ASSERT_LT(bindings.size(), static_cast<std::size_t>(kFirstVariableIndex));
  const char* const kGlobals[] = {"manifest", "profile", "params", "model"};
  for (int g = 0; g < kGlobalCount; ++g) {
    EXPECT_EQ(bindings[static_cast<std::size_t>(g)].name, kGlobals[g]);
    EXPECT_TRUE(bindings[static_cast<std::size_t>(g)].always_bound);
  }
  for (int s = 0; s < kSubjectCount; ++s) {
    auto subject = static_cast<Subject>(s);
    EXPECT_EQ(bindings[static_cast<std::size_t>(SubjectBindingIndex(subject))].name,
              SubjectBinding(subject));
  }
  // A variable named like a binding, or like an earlier variable, is not numbered.
  std::vector<std::string_view> variables = {"ok", "source", "ok", "other"};
  std::vector<expr::NameBinding> names = RuleNameBindings(variables);
  ASSERT_EQ(names.size(), bindings.size() + 2);
  EXPECT_EQ(names[bindings.size()].name, "ok");
  EXPECT_EQ(names[bindings.size()].index, kFirstVariableIndex);
  EXPECT_EQ(names[bindings.size() + 1].name, "other");
  EXPECT_EQ(names[bindings.size() + 1].index, kFirstVariableIndex + 3);
}

}  // namespace
}  // namespace provgate::detail
