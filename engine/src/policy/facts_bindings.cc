// The variables of rule expressions: one table of bindings (manifest, profile, params, model
// and each subject's object), the facts of stages, lineage edges, stage references, repeated
// ids and unverified files, and the listing of every fact that `explain --facts` prints.
#include <algorithm>
#include <array>

#include "policy/facts.h"
#include "policy/facts_table.h"
#include "policy/taint_causes.h"

namespace provgate::detail {
namespace {

using expr::Value;

const FactTable& StageViewFacts() {
  static const TableType<StageView> kType(
      "stage", {
                   {"id", "string", "the stage's id",
                    [](const StageView& v, Value& out) { return Str(v.stage->id, out); }},
                   {"sources", "list of string", "the ids of the sources the stage used",
                    [](const StageView& v, Value& out) {
                      return StageDataFacts().Get(v.stage, "sources", out);
                    }},
                   {"checkpoint", "checkpoint", "the checkpoint released after the stage",
                    [](const StageView& v, Value& out) {
                      return StageDataFacts().Get(v.stage, "checkpoint", out);
                    },
                    &CheckpointFacts},
                   {"duplicate", "bool", "another stage has the same id",
                    [](const StageView& v, Value& out) { return Bool(v.duplicate, out); }},
               });
  return kType;
}

const FactTable& LineageViewFacts() {
  static const TableType<LineageView> kType(
      "lineage entry",
      {
          {"relation", "string", "how this model used the upstream model (lineage[].relation)",
           [](const LineageView& v, Value& out) {
             return LineageDataFacts().Get(v.entry, "relation", out);
           }},
          {"model", "string", "the upstream model's id",
           [](const LineageView& v, Value& out) { return Str(v.entry->model, out); }},
          {"manifest", "string", "the upstream model's manifest, relative to this one",
           [](const LineageView& v, Value& out) { return OptStr(v.entry->manifest, out); }},
          {"attestation", "string", "the upstream model's signed report, relative to this one",
           [](const LineageView& v, Value& out) { return OptStr(v.entry->attestation, out); }},
          {"ledger", "bool", "the upstream model is to be found in the ledger",
           [](const LineageView& v, Value& out) { return Bool(v.entry->ledger, out); }},
          {"stage", "string", "the stage that used the upstream model",
           [](const LineageView& v, Value& out) { return OptStr(v.entry->stage, out); }},
          {"manifest_found", "bool",
           "the upstream manifest file exists (present only when manifest is set)",
           [](const LineageView& v, Value& out) {
             if (!v.entry->manifest) return FactPresence::kAbsent;
             return Bool(v.manifest_found, out);
           }},
          {"upstream_status", "string",
           "ok (evaluated from its manifest, or established by a signed report that verifies "
           "under a --trust key), unverified (nothing establishes it), or missing, invalid, "
           "cycle, id-mismatch, limit",
           [](const LineageView& v, Value& out) { return Str(ToString(v.upstream.state), out); }},
          {"upstream_tainted", "bool", "the upstream model is established as tainted",
           [](const LineageView& v, Value& out) {
             return Bool(v.upstream.state == UpstreamStatus::State::kOk && v.upstream.tainted, out);
           }},
          {"upstream_unverified", "bool", "the upstream model cannot be established",
           [](const LineageView& v, Value& out) {
             return Bool(v.upstream.state == UpstreamStatus::State::kUnverified, out);
           }},
          {"upstream_detail", "string", "what went wrong, for problems and unverified upstreams",
           [](const LineageView& v, Value& out) { return Str(v.upstream.detail, out); }},
          {"taint_stage", "int",
           "the position of the stage the upstream's taint counts for: lineage[].stage; without "
           "one, the first stage for a model this one descends from (fine-tune, continued "
           "pretraining, merge, adapter, quantization), the last stage that used its data for a "
           "model that generated sources, the last stage otherwise",
           [](const LineageView& v, Value& out) {
             out = Value::Int(v.taint_stage);
             return FactPresence::kPresent;
           }},
          {"causes", "string",
           "the upstream model's causes of taint in words, heaviest first: the first three, "
           "then \"and N more\" (empty when it carries none)",
           [](const LineageView& v, Value& out) {
             // Made here: owned by the value, not borrowed.
             out = Value::String(DescribeTaintCauses(v.upstream.causes, v.upstream.causes_omitted));
             return FactPresence::kPresent;
           }},
          {"chain", "string",
           "the lineage that carries the taint, e.g. a <- distillation <- b: used x ...",
           [](const LineageView& v, Value& out) { return Str(v.upstream.chain, out); }},
          {"propagates", "bool", "the relation carries taint, as the pack's taint_carries says",
           [](const LineageView& v, Value& out) { return Bool(v.propagates, out); }},
          {"stage_index", "int",
           "the position of lineage[].stage among the stages (absent without one)",
           [](const LineageView& v, Value& out) {
             if (v.stage_index < 0) return FactPresence::kAbsent;
             out = Value::Int(v.stage_index);
             return FactPresence::kPresent;
           }},
      });
  return kType;
}

const FactTable& StageReferenceFacts() {
  static const TableType<StageReferenceView> kType(
      "stage reference",
      {
          {"stage", "string", "the stage's id",
           [](const StageReferenceView& v, Value& out) { return Str(v.stage, out); }},
          {"source", "string", "the source id it names",
           [](const StageReferenceView& v, Value& out) { return Str(v.source, out); }},
          {"exists", "bool", "a source with that id exists",
           [](const StageReferenceView& v, Value& out) { return Bool(v.exists, out); }},
      });
  return kType;
}

const FactTable& DuplicateIdFacts() {
  static const TableType<DuplicateIdView> kType(
      "duplicate id", {
                          {"id", "string", "the repeated source id",
                           [](const DuplicateIdView& v, Value& out) { return Str(v.id, out); }},
                          {"count", "int", "how many sources carry it",
                           [](const DuplicateIdView& v, Value& out) {
                             out = Value::Int(v.count);
                             return FactPresence::kPresent;
                           }},
                      });
  return kType;
}

const FactTable& ManifestFacts() {
  static const TableType<ManifestView> kType(
      "manifest",
      {
          {"stage_count", "uint", "the number of declared stages",
           [](const ManifestView& v, Value& out) { return Uint(v.stage_count, out); }},
          {"sources_in_jsonl", "bool", "the sources are kept in a JSONL side file",
           [](const ManifestView& v, Value& out) { return Bool(v.sources_in_jsonl, out); }},
      });
  return kType;
}

const FactTable& UnverifiedFileFacts() {
  static const TableType<UnverifiedFileView> kType(
      "unverified file",
      {
          {"path", "string", "the path as the manifest writes it",
           [](const UnverifiedFileView& v, Value& out) { return Str(v.path, out); }},
          {"kind", "string", "file (a files[] entry) or evidence (a contract's document)",
           [](const UnverifiedFileView& v, Value& out) { return Str(v.kind, out); }},
          {"source", "string", "the id of the source that lists it",
           [](const UnverifiedFileView& v, Value& out) { return Str(v.source, out); }},
          {"status", "string",
           "missing, mismatch, unreadable or escapes (the manifest's directory)",
           [](const UnverifiedFileView& v, Value& out) { return Str(v.status, out); }},
          {"expected_sha256", "string", "the SHA-256 the manifest gives",
           [](const UnverifiedFileView& v, Value& out) { return Str(v.expected_sha256, out); }},
          {"actual_sha256", "string", "the SHA-256 on disk (absent when it could not be read)",
           [](const UnverifiedFileView& v, Value& out) {
             if (v.actual_sha256.empty()) return FactPresence::kAbsent;
             return Str(v.actual_sha256, out);
           }},
          {"error", "string", "why the file could not be read (absent otherwise)",
           [](const UnverifiedFileView& v, Value& out) {
             if (v.error.empty()) return FactPresence::kAbsent;
             return Str(v.error, out);
           }},
      });
  return kType;
}

const FactTable& OwnOutputFacts() {
  static const TableType<OwnOutputView> kType(
      "own output",
      {
          {"source", "string", "the id of the source the checkpoint generated",
           [](const OwnOutputView& v, Value& out) { return Str(v.source, out); }},
          {"checkpoint", "string", "which of the model's checkpoints generated it, in words",
           [](const OwnOutputView& v, Value& out) { return Str(v.checkpoint, out); }},
          {"tainted", "bool",
           "the checkpoint was trained on data used without permission, directly or through a "
           "tainted upstream model",
           [](const OwnOutputView& v, Value& out) { return Bool(v.tainted, out); }},
          {"detail", "string", "why the checkpoint is tainted (absent when it is not)",
           [](const OwnOutputView& v, Value& out) {
             if (v.detail.empty()) return FactPresence::kAbsent;
             return Str(v.detail, out);
           }},
      });
  return kType;
}

const FactTable& ConditionFacts() {
  static const TableType<ConditionView> kType(
      "condition",
      {
          {"kind", "string",
           "name-prefix, display-notice or use-restrictions for a licence; for a contract, the "
           "duty's kind (attribution, link, display-notice, other)",
           [](const ConditionView& v, Value& out) { return Str(v.kind, out); }},
          {"text", "string", "the prefix, the notice or the duty, in words (empty when none)",
           [](const ConditionView& v, Value& out) { return Str(v.text, out); }},
          {"uri", "string", "where the restrictions or the duty's details are (empty when none)",
           [](const ConditionView& v, Value& out) { return Str(v.uri, out); }},
          {"license", "string", "the licence that sets it (empty for a contract)",
           [](const ConditionView& v, Value& out) { return Str(v.license, out); }},
          {"contract", "bool", "a duty an agreement sets, rather than a licence's condition",
           [](const ConditionView& v, Value& out) { return Bool(v.contract, out); }},
          {"origin", "string", "the first source, or the upstream model, that sets it",
           [](const ConditionView& v, Value& out) { return Str(v.origin, out); }},
          {"count", "uint", "how many sources and models set it",
           [](const ConditionView& v, Value& out) { return Uint(v.count, out); }},
          {"met", "bool",
           "for name-prefix: the model's name (its id after the last '/') starts with the "
           "text, ignoring case; true for other kinds",
           [](const ConditionView& v, Value& out) { return Bool(v.met, out); }},
      });
  return kType;
}

void ListFields(const FactTable& table, const std::string& prefix, std::vector<FactListing>& out) {
  for (const FactField& field : table.Fields()) {
    std::string path = prefix + "." + std::string(field.name);
    out.push_back({path, std::string(field.type), std::string(field.description)});
    if (field.nested == nullptr) continue;
    bool list = field.type.substr(0, 8) == "list of ";
    ListFields(*field.nested, list ? path + "[]" : path, out);
  }
}

// Looked up for every subject a check evaluates, so found once.
const FactBinding& BindingOf(Subject subject) {
  static const std::array<const FactBinding*, kSubjectCount> kBySubject = [] {
    std::array<const FactBinding*, kSubjectCount> by_subject{};
    for (const FactBinding& binding : FactBindings()) {
      if (binding.subject) by_subject[static_cast<std::size_t>(*binding.subject)] = &binding;
    }
    return by_subject;
  }();
  return *kBySubject[static_cast<std::size_t>(subject)];
}

}  // namespace

const std::vector<FactBinding>& FactBindings() {
  static const std::vector<FactBinding> kBindings = {
      {"manifest", true, std::nullopt, "", "manifest", "the manifest as a whole", &ManifestFacts()},
      {"profile", true, std::nullopt, "", "string", "the name of the check's profile", nullptr},
      {"params", true, std::nullopt, "", "map",
       "the pack's parameters after defaults and --param overrides: params.NAME", nullptr},
      {"model", true, Subject::kModel, "model", "model", "the model the manifest describes",
       &ModelViewFacts()},
      {"source", false, Subject::kSource, "source", "source", "one source of the manifest",
       &SourceViewFacts()},
      {"stage", false, Subject::kStage, "stage", "stage", "one declared stage", &StageViewFacts()},
      {"edge", false, Subject::kLineage, "lineage", "lineage entry",
       "one lineage entry, or a model that generated a source and that no entry names "
       "(relation synthetic-data)",
       &LineageViewFacts()},
      {"ref", false, Subject::kStageReference, "stage-reference", "stage reference",
       "one element of a stage's sources list", &StageReferenceFacts()},
      {"dup", false, Subject::kDuplicateId, "duplicate-id", "duplicate id",
       "a source id that more than one source carries", &DuplicateIdFacts()},
      {"file", false, Subject::kUnverifiedFile, "unverified-file", "unverified file",
       "with --verify-files, a files[] entry or contract evidence that is missing, different "
       "from its sha256, unreadable or outside the manifest's directory",
       &UnverifiedFileFacts()},
      {"output", false, Subject::kOwnOutput, "own-output", "own output",
       "a source that one of the model's own checkpoints generated (on-policy data, rejection "
       "sampling, self-distillation), with whether that checkpoint carries taint",
       &OwnOutputFacts()},
      {"condition", false, Subject::kCondition, "condition", "condition",
       "a condition the release must meet: one a licence of the material, of generated data "
       "or of an upstream model sets on models built with it, or a duty an agreement sets",
       &ConditionFacts()},
  };
  return kBindings;
}

std::string_view SubjectName(Subject subject) { return BindingOf(subject).subject_name; }

int SubjectBindingIndex(Subject subject) {
  return static_cast<int>(&BindingOf(subject) - FactBindings().data());
}

std::vector<expr::NameBinding> RuleNameBindings(
    const std::vector<std::string_view>& variable_names) {
  std::vector<expr::NameBinding> names;
  const std::vector<FactBinding>& bindings = FactBindings();
  for (std::size_t i = 0; i < bindings.size(); ++i) {
    names.push_back({bindings[i].name, static_cast<int>(i), bindings[i].table});
  }
  for (std::size_t j = 0; j < variable_names.size(); ++j) {
    bool taken = std::any_of(names.begin(), names.end(), [&](const expr::NameBinding& n) {
      return n.name == variable_names[j];
    });
    if (!taken) names.push_back({variable_names[j], kFirstVariableIndex + static_cast<int>(j)});
  }
  return names;
}
std::string_view SubjectBinding(Subject subject) { return BindingOf(subject).name; }

std::vector<FactListing> ListFacts(const FactBinding& binding) {
  std::vector<FactListing> out;
  out.push_back(
      {std::string(binding.name), std::string(binding.type), std::string(binding.description)});
  if (binding.table != nullptr) ListFields(*binding.table, std::string(binding.name), out);
  return out;
}

Value StageValue(const StageView& view) { return Value::Object(&StageViewFacts(), &view); }
Value LineageValue(const LineageView& view) { return Value::Object(&LineageViewFacts(), &view); }
Value StageReferenceValue(const StageReferenceView& view) {
  return Value::Object(&StageReferenceFacts(), &view);
}
Value DuplicateIdValue(const DuplicateIdView& view) {
  return Value::Object(&DuplicateIdFacts(), &view);
}
Value ManifestValue(const ManifestView& view) { return Value::Object(&ManifestFacts(), &view); }
Value UnverifiedFileValue(const UnverifiedFileView& view) {
  return Value::Object(&UnverifiedFileFacts(), &view);
}
Value ConditionValue(const ConditionView& view) { return Value::Object(&ConditionFacts(), &view); }
Value OwnOutputValue(const OwnOutputView& view) { return Value::Object(&OwnOutputFacts(), &view); }

}  // namespace provgate::detail
