// The facts that rules see: the manifest's fields plus computed ones, exposed to expressions
// as read-only objects over the loaded structures (nothing is copied per subject).
#ifndef PROVGATE_POLICY_FACTS_H_
#define PROVGATE_POLICY_FACTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expr/value.h"
#include "lineage/upstream.h"
#include "policy/permission.h"
#include "provgate/manifest.h"

namespace provgate::detail {

// Computed facts of one source.
struct SourceFacts {
  bool used = false;                     // Some stage (or the implicit single stage) uses it.
  std::vector<std::string_view> stages;  // Ids of the stages that use it.
  PermissionResult permission;           // The permission table's answer for this source.
};

struct SourceView {
  const Source* source = nullptr;
  const SourceFacts* facts = nullptr;
};

struct ModelView {
  const Model* model = nullptr;
  std::string_view effective_weights;
  const ModelUse* use = nullptr;
  // The release licence's verdict (for open_weights_license and license_error).
  bool has_license = false;
  bool open_weights_license = false;
  std::string license_error;
  // Known once every source has been read (model checks run then).
  bool tainted = false;
  std::uint64_t permitted_sources = 0;
  std::uint64_t unpermitted_sources = 0;
  // With a profile that declares intermediate_facts: the last stage that used unpermitted
  // data, and whether its checkpoint is released open-weight under an open-weights licence.
  bool intermediate_known = false;
  int intermediate_stage = -1;
  std::string intermediate_stage_id;
  bool intermediate_accepted = false;
  std::string intermediate_detail;
};

struct StageView {
  const Stage* stage = nullptr;
  bool duplicate = false;  // Another stage has the same id.
};

struct LineageView {
  const LineageEntry* entry = nullptr;
  bool manifest_found = false;  // `manifest` names a readable file.
  UpstreamStatus upstream;
  bool propagates = true;  // The relation carries taint (the pack's taint_carries).
  int stage_index = -1;    // Position of lineage[].stage among the stages; -1 without one.
};

// One element of a stage's `sources` list.
struct StageReferenceView {
  std::string_view stage;
  std::string_view source;
  bool exists = false;  // A source with that id exists in the manifest.
};

struct DuplicateIdView {
  std::string_view id;
  std::int64_t count = 0;
};

// A file (files[] entry or contract evidence) that --verify-files could not confirm.
struct UnverifiedFileView {
  std::string path;    // As written in the manifest.
  std::string kind;    // "file" or "evidence"
  std::string source;  // Source id.
  std::string status;  // missing, mismatch, unreadable, escapes
  std::string expected_sha256;
  std::string actual_sha256;  // When the file could be read.
  std::string error;
};

struct ManifestView {
  std::uint64_t stage_count = 0;
  bool sources_in_jsonl = false;
};

expr::Value SourceValue(const SourceView& view);
expr::Value ModelValue(const ModelView& view);
expr::Value StageValue(const StageView& view);
expr::Value LineageValue(const LineageView& view);
expr::Value StageReferenceValue(const StageReferenceView& view);
expr::Value DuplicateIdValue(const DuplicateIdView& view);
expr::Value ManifestValue(const ManifestView& view);
expr::Value UnverifiedFileValue(const UnverifiedFileView& view);

// What a check ranges over. Each subject binds one variable in expressions (FactBindings).
enum class Subject {
  kModel,
  kSource,
  kStage,
  kLineage,
  kStageReference,
  kDuplicateId,
  kUnverifiedFile
};
constexpr int kSubjectCount = 7;

class FactTable;

// A variable of rule expressions: the manifest, the profile, the parameters, the model, or
// the object of a check's subject. The same table decides what a rule may read (rule_pack)
// and what `provgate explain --facts` lists.
struct FactBinding {
  std::string_view name;  // The variable: source, edge, ...
  // Bound for every check (manifest, profile, params, model).
  bool always_bound = false;
  // The subject whose checks bind it, and that subject's spelling in rule files.
  std::optional<Subject> subject;
  std::string_view subject_name;
  std::string_view type;  // An object's type, or string, map
  std::string_view description;
  const FactTable* table = nullptr;  // Its fields; null for a value without fields.
};
const std::vector<FactBinding>& FactBindings();

// The spelling of `subject` in rule files (match[].subject), and the variable it binds.
std::string_view SubjectName(Subject subject);
std::string_view SubjectBinding(Subject subject);

// One fact as `explain --facts` lists it: its full path (source.permission.basis,
// source.files[].path), its type and what it means.
struct FactListing {
  std::string path;
  std::string type;
  std::string description;
};
// Every fact under `binding`: the binding itself, its fields, and the fields of the objects
// they hold, depth first.
std::vector<FactListing> ListFacts(const FactBinding& binding);

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_FACTS_H_
