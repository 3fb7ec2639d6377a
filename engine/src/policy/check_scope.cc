#include "policy/check_scope.h"

#include <algorithm>
#include <filesystem>

#include "license/expression.h"
#include "lineage/confine.h"
#include "policy/taint_causes.h"

namespace provgate::detail {

CheckScope::CheckScope(const RulePack& pack, EvaluatorOptions options, ManifestHeader header)
    : pack_(pack),
      options_(std::move(options)),
      header_(std::move(header)),
      rules_(pack_, options_.profile, options_.only_rule, options_.facts_only) {
  const Model& model = header_.model;
  model_view_.model = &model;
  // P5: weights count as open only under a licence in the open-weights class.
  const LicenseClassifier& classifier = pack_.licenses;
  model_view_.effective_weights = ToString(model.release.weights);
  if (model.release.license) {
    model_view_.has_license = true;
    LicenseExpression tree;
    LicenseParseError error;
    if (!ParseLicenseExpression(*model.release.license, tree, error)) {
      model_view_.license_error = "column " + std::to_string(error.column) + ": " + error.message;
    }
    model_view_.open_weights_license = classifier.IsOpenWeights(*model.release.license);
  }
  if (model.release.weights == Weights::kOpen && !model_view_.open_weights_license) {
    model_view_.effective_weights = "closed";
  }
  use_.effective_weights = std::string(model_view_.effective_weights);
  use_.deployment = model.release.deployment;
  use_.date_is_release_date = model.release.date.has_value();
  use_.date = model.release.date.value_or(options_.check_date);
  use_.expiring_before = options_.expiring_before;
  model_view_.use = &use_;
  if (options_.intermediate_known) ComputeIntermediate();
  if (options_.verify_files) {
    std::filesystem::path dir = std::filesystem::path(options_.manifest_path).parent_path();
    manifest_dir_ = dir.empty() ? "" : dir.string() + "/";
  }

  globals_[static_cast<int>(Global::kProfile)] = expr::Value::String(options_.profile);
  globals_[static_cast<int>(Global::kParams)] =
      options_.params.kind() == expr::Kind::kMap ? options_.params : pack_.params;
  globals_[static_cast<int>(Global::kModel)] = ModelValue(model_view_);
  manifest_view_.stage_count = model.stages.size();
  manifest_view_.sources_in_jsonl = header_.sources_jsonl.has_value();
  globals_[static_cast<int>(Global::kManifest)] = ManifestValue(manifest_view_);

  if (model.stages_given) {
    for (const auto& stage : model.stages) stage_ids_.push_back(stage.id);
  } else {
    stage_ids_.push_back("(all)");
  }
  for (std::size_t i = 0; i < model.stages.size(); ++i) {
    for (const auto& id : model.stages[i].sources) {
      auto [it, inserted] = references_.try_emplace(std::string_view(id));
      if (inserted) it->second.slot = references_.size() - 1;
      auto& stages = it->second.stages;
      if (stages.empty() || stages.back() != i) stages.push_back(i);
    }
  }

  RuleRunner runner(rules_, options_.cost_limit);
  for (int g = 0; g < kGlobalCount; ++g) {
    runner.SetGlobal(static_cast<Global>(g), globals_[g]);
  }
  for (std::size_t i = 0; i < model.stages.size(); ++i) {
    StageView view;
    view.stage = &model.stages[i];
    for (std::size_t j = 0; j < model.stages.size(); ++j) {
      if (j != i && model.stages[j].id == model.stages[i].id) view.duplicate = true;
    }
    runner.Run(Subject::kStage, StageValue(view), view.stage->id, view.stage->location, nullptr,
               findings_, obligations_);
  }
  constexpr std::size_t kMaxLineageEntries = 10000;
  std::size_t entries = 0;
  for (const auto& entry : model.lineage) {
    UpstreamStatus status;
    if (++entries > kMaxLineageEntries) {
      status.state = UpstreamStatus::State::kLimit;
      status.detail =
          "the model has more than " + std::to_string(kMaxLineageEntries) + " lineage entries";
    } else {
      status = ResolveLineage(entry);
    }
    lineage_models_.insert(entry.model);
    EdgeOutcome edge =
        JudgeEdge(entry, std::move(status), runner, findings_, obligations_, graph_edges_);
    if (edge.carries_taint) {
      first_taint_stage_ = std::min(first_taint_stage_, edge.stage);
      taint_stage_ = std::max(taint_stage_, edge.stage);
      for (TaintCause& cause : edge.causes) lineage_causes_.push_back(std::move(cause));
      lineage_causes_omitted_ += edge.causes_omitted;
      if (!lineage_tainted_) {
        lineage_tainted_ = true;
        taint_chain_ = std::move(edge.chain);
      }
    }
  }
}

UpstreamStatus CheckScope::ResolveLineage(const LineageEntry& entry) const {
  std::filesystem::path base = std::filesystem::path(options_.manifest_path).parent_path();
  UpstreamStatus status;
  if (entry.manifest) {
    std::string path = (base / *entry.manifest).lexically_normal().string();
    if (options_.note_lineage_file) options_.note_lineage_file(path);
    if (!LineageFileUsable(options_.lineage_root, path, *entry.manifest, "manifest", status)) {
      // `status` says why.
    } else if (options_.resolve_upstream) {
      status = options_.resolve_upstream(path, entry.model);
    } else {
      status.detail = "upstream manifests are not evaluated by this caller";
    }
  } else if (entry.attestation) {
    std::string path = (base / *entry.attestation).lexically_normal().string();
    if (options_.note_lineage_file) options_.note_lineage_file(path);
    bool usable =
        LineageFileUsable(options_.lineage_root, path, *entry.attestation, "signed report", status);
    if (!usable && status.state != UpstreamStatus::State::kMissing) {
      // Outside the root or not a regular file: nothing establishes the upstream model. (A
      // missing report is left to the resolver, which says so.)
      status.state = UpstreamStatus::State::kUnverified;
    } else if (options_.resolve_attestation) {
      status = options_.resolve_attestation(path, entry.model);
    } else {
      status.detail = "signed upstream reports are not verified by this caller";
    }
  } else if (entry.ledger) {
    status.detail = "the ledger is not available in this version of provgate";
  } else {
    status.detail = "no manifest, signed report or ledger record establishes it";
  }
  return status;
}

void CheckScope::ComputeIntermediate() {
  const Model& model = header_.model;
  const LicenseClassifier& classifier = pack_.licenses;
  ModelView& v = model_view_;
  v.intermediate_known = true;
  v.intermediate_stage = options_.intermediate_stage;
  const auto& stages = model.stages;
  int k = options_.intermediate_stage;
  if (k < 0) {
    v.intermediate_detail = "no stage used unpermitted data";
  } else if (!model.stages_given || k >= static_cast<int>(stages.size())) {
    v.intermediate_detail = "the manifest has no stages, so no checkpoint can be released";
  } else {
    const Stage& stage = stages[static_cast<std::size_t>(k)];
    v.intermediate_stage_id = stage.id;
    std::string where = "stage '" + stage.id + "', the last that used unpermitted data";
    if (!stage.checkpoint) {
      v.intermediate_detail = where + ", has no released checkpoint";
    } else if (stage.checkpoint->weights != Weights::kOpen) {
      v.intermediate_detail = "the checkpoint " + stage.checkpoint->id + " after " + where +
                              ", is not released open-weight";
    } else if (!stage.checkpoint->license ||
               !classifier.IsOpenWeights(*stage.checkpoint->license)) {
      v.intermediate_detail = "the checkpoint " + stage.checkpoint->id + " after " + where +
                              ", is released under " +
                              stage.checkpoint->license.value_or("no licence") +
                              ", which is not in the open-weights class";
    } else {
      v.intermediate_accepted = true;
      v.intermediate_detail = "the checkpoint " + stage.checkpoint->id + " after " + where +
                              ", is released open-weight under " + *stage.checkpoint->license;
    }
  }
}

int CheckScope::OwnCheckpoint(const GeneratedBy& generator, const Reference* reference) const {
  if (generator.model.empty()) return kNotOwn;
  const Model& model = header_.model;
  int last = static_cast<int>(stage_ids_.size()) - 1;
  if (generator.stage) {
    for (std::size_t i = 0; i < model.stages.size(); ++i) {
      if (model.stages[i].id == *generator.stage) return static_cast<int>(i);
    }
    return last;  // A stage the manifest does not have: the latest checkpoint, to be safe.
  }
  for (std::size_t i = 0; i < model.stages.size(); ++i) {
    if (model.stages[i].checkpoint && model.stages[i].checkpoint->id == generator.model) {
      return static_cast<int>(i);
    }
  }
  if (generator.model != model.id) return kNotOwn;
  // The model itself: the checkpoint before the first stage that used the data.
  if (!model.stages_given) return 0;
  if (reference == nullptr || reference->stages.empty()) return last;
  return static_cast<int>(reference->stages.front()) - 1;
}

const CheckScope::Reference* CheckScope::FindReference(std::string_view source_id) const {
  auto it = references_.find(source_id);
  return it == references_.end() ? nullptr : &it->second;
}

CheckScope::EdgeOutcome CheckScope::JudgeEdge(const LineageEntry& entry, UpstreamStatus status,
                                              RuleRunner& runner, ChunkedList<Finding>& findings,
                                              ChunkedList<Obligation>& obligations,
                                              std::vector<LineageGraph::Edge>& edges,
                                              int stage_hint) const {
  LineageView view;
  view.entry = &entry;
  view.manifest_found =
      entry.manifest.has_value() && status.state != UpstreamStatus::State::kMissing;
  view.upstream = std::move(status);
  if (entry.stage) {
    const auto& stages = header_.model.stages;
    for (std::size_t i = 0; i < stages.size(); ++i) {
      if (stages[i].id == *entry.stage) view.stage_index = static_cast<int>(i);
    }
  }
  // Whether the relation passes taint on is the pack's to say (pack.yaml, taint_carries).
  view.propagates = CarriesTaint(pack_, entry.relation, global(Global::kProfile),
                                 global(Global::kParams), options_.cost_limit);
  // A tainted upstream used at a known stage counts for that stage. Without a stage, one the
  // model descends from (its weights are the starting point: fine-tune, continued
  // pretraining, merge, adapter, quantization) counts from the first stage; a model that
  // generated sources, for the last stage that used them (`stage_hint`); any other is taken
  // as used by the final model.
  int last = header_.model.stages.empty() ? 0 : static_cast<int>(header_.model.stages.size()) - 1;
  bool underlies = entry.relation == Relation::kFineTune ||
                   entry.relation == Relation::kContinuedPretraining ||
                   entry.relation == Relation::kMerge || entry.relation == Relation::kAdapter ||
                   entry.relation == Relation::kQuantization;
  view.taint_stage = view.stage_index >= 0 ? view.stage_index
                     : underlies           ? 0
                     : stage_hint >= 0     ? stage_hint
                                           : last;
  // Taint: a tainted or unestablished upstream taints this model through relations that
  // carry taint.
  const UpstreamStatus& upstream = view.upstream;
  bool carries = upstream.state != UpstreamStatus::State::kOk || upstream.tainted;
  EdgeOutcome outcome;
  if (view.propagates && carries) {
    outcome.carries_taint = true;
    outcome.stage = view.taint_stage;
    std::string relation(ToString(entry.relation));
    if (upstream.state == UpstreamStatus::State::kOk) {
      outcome.causes = CausesThrough(upstream.causes, header_.model.id, relation);
      outcome.causes_omitted = upstream.causes_omitted;
    } else {
      TaintCause cause;
      cause.path = header_.model.id + " \u2190 " + relation + " \u2190 " + entry.model;
      cause.model = entry.model;
      cause.reason = "unverified-upstream";
      cause.detail = std::string(ToString(upstream.state)) + ": " + upstream.detail;
      outcome.causes.push_back(std::move(cause));
    }
    outcome.chain = header_.model.id + " \u2190 " + std::string(ToString(entry.relation)) +
                    " \u2190 " +
                    (upstream.state == UpstreamStatus::State::kOk
                         ? upstream.chain
                         : entry.model + ": " + std::string(ToString(upstream.state)) + " (" +
                               upstream.detail + ")");
  }
  edges.push_back({header_.model.id, entry.model, std::string(ToString(entry.relation)),
                   std::string(ToString(upstream.state)), outcome.carries_taint});
  runner.Run(Subject::kLineage, LineageValue(view), entry.model, entry.location, nullptr, findings,
             obligations);
  return outcome;
}

}  // namespace provgate::detail
