#include "policy/evaluator.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <tuple>

#include "common/safe_file.h"
#include "lineage/confine.h"

namespace provgate::detail {

// The variables of one check on one subject: fixed bindings, then the rule's variables,
// each evaluated on first use and remembered for the rest of this subject. The conditions of
// one rule on one subject and the variables they read share one budget of the cost limit, so
// that a rule's variables cannot multiply the work allowed.
class RuleActivation : public expr::Activation {
 public:
  RuleActivation(const expr::Value* globals, std::uint64_t cost_limit)
      : globals_(globals), cost_limit_(cost_limit) {}

  void SetSubject(std::string_view binding, const expr::Value* subject) {
    subject_binding_ = binding;
    subject_ = subject;
    rule_ = nullptr;
  }

  // Capacity is kept across subjects, so switching rules does not allocate.
  void SetRule(const CompiledRule* rule) {
    rule_ = rule;
    cache_.assign(rule->variables.size(), expr::Value());
    state_.assign(rule->variables.size(), 0);
    budget_.emplace(cost_limit_);
  }

  // The budget of the current rule on the current subject (after SetRule).
  expr::Budget& budget() const { return *budget_; }

  bool Find(std::string_view name, expr::Value& out) const override {
    if (name == subject_binding_) {
      out = *subject_;
      return true;
    }
    static constexpr std::string_view kGlobals[] = {"manifest", "profile", "params", "model"};
    for (int i = 0; i < 4; ++i) {
      if (name == kGlobals[i]) {
        out = globals_[i];
        return true;
      }
    }
    if (rule_ == nullptr) return false;
    for (std::size_t i = 0; i < rule_->variables.size(); ++i) {
      if (rule_->variables[i].name != name) continue;
      if (state_[i] == 1) {
        out = expr::Value::Error("variable '" + std::string(name) + "' refers to itself");
      } else {
        if (state_[i] == 0) {
          state_[i] = 1;
          cache_[i] = rule_->variables[i].program->Evaluate(*this, *budget_);
          state_[i] = 2;
        }
        out = cache_[i];
      }
      return true;
    }
    return false;
  }

 private:
  const expr::Value* globals_;
  std::string_view subject_binding_;
  const expr::Value* subject_ = nullptr;
  std::uint64_t cost_limit_;
  const CompiledRule* rule_ = nullptr;
  mutable std::vector<expr::Value> cache_;
  mutable std::vector<int> state_;
  mutable std::optional<expr::Budget> budget_;
};

namespace {

bool Applies(const std::vector<std::string>& profiles, const std::string& profile) {
  return profiles.empty() || std::find(profiles.begin(), profiles.end(), profile) != profiles.end();
}

std::uint64_t SaturatingAdd(std::uint64_t a, std::uint64_t b) {
  return a + b < a ? UINT64_MAX : a + b;
}

// The leading 16 bytes of a string as two big-endian integers, zero-padded: when two
// prefixes differ, they order as the strings do.
void Prefix(std::string_view text, std::uint64_t out[2]) {
  unsigned char bytes[16] = {};
  std::memcpy(bytes, text.data(), std::min<std::size_t>(text.size(), 16));
  for (int half = 0; half < 2; ++half) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | bytes[half * 8 + i];
    out[half] = v;
  }
}

// Sorts items by (group, subject, the rest of `less`), stably, moving each item once. The
// order is found on small keys holding the group and the subject's leading bytes, which
// decide most comparisons without touching the items; only ties on both go to `less`.
// `less` must order by subject first (groups are compared before it is called).
template <typename T, typename GroupOf, typename SubjectOf, typename Less>
std::vector<T> SortedByKey(ChunkedList<T>& items, GroupOf group_of, SubjectOf subject_of,
                           Less less) {
  struct Key {
    std::uint64_t prefix[2];
    std::uint32_t group;
    std::uint32_t index;
  };
  std::vector<Key> keys(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    Prefix(subject_of(items[i]), keys[i].prefix);
    keys[i].group = group_of(items[i]);
    keys[i].index = static_cast<std::uint32_t>(i);
  }
  std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    if (a.group != b.group) return a.group < b.group;
    if (a.prefix[0] != b.prefix[0]) return a.prefix[0] < b.prefix[0];
    if (a.prefix[1] != b.prefix[1]) return a.prefix[1] < b.prefix[1];
    const T& x = items[a.index];
    const T& y = items[b.index];
    if (less(x, y)) return true;
    if (less(y, x)) return false;
    return a.index < b.index;  // Stable: equal items keep the order they were made in.
  });
  std::vector<T> sorted;
  sorted.reserve(items.size());
  for (const Key& key : keys) sorted.push_back(std::move(items[key.index]));
  items.clear();
  return sorted;
}

// Ranks the distinct values of `name_of` over the items in the order `less` gives them; the
// call operator then maps an item to its rank. Few distinct names exist (rule ids, obligation
// kinds), so the lookup is a short scan that remembers the last hit.
template <typename T, typename NameOf, typename Less>
class Ranks {
 public:
  Ranks(const ChunkedList<T>& items, NameOf name_of, Less less) : name_of_(name_of) {
    items.ForEach([&](const T& item) {
      const std::string& name = name_of_(item);
      if (!last_.empty() && last_ == name) return;
      last_ = name;
      if (std::find(names_.begin(), names_.end(), name) == names_.end()) names_.push_back(name);
    });
    std::sort(names_.begin(), names_.end(), less);
    last_.clear();
  }
  std::uint32_t operator()(const T& item) {
    const std::string& name = name_of_(item);
    if (last_index_ < names_.size() && names_[last_index_] == name) return last_index_;
    last_index_ =
        static_cast<std::uint32_t>(std::find(names_.begin(), names_.end(), name) - names_.begin());
    return last_index_;
  }

 private:
  NameOf name_of_;
  std::vector<std::string> names_;
  std::string last_;
  std::uint32_t last_index_ = 0;
};

// Rule ids compare with their numbers: P2 < P10.
bool RuleLess(const std::string& a, const std::string& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && !std::isdigit(static_cast<unsigned char>(a[i])) &&
         a[i] == b[i]) {
    ++i;
  }
  if (i < a.size() && i < b.size() && std::isdigit(static_cast<unsigned char>(a[i])) &&
      std::isdigit(static_cast<unsigned char>(b[i]))) {
    std::size_t ea = i, eb = i;
    while (ea < a.size() && std::isdigit(static_cast<unsigned char>(a[ea]))) ++ea;
    while (eb < b.size() && std::isdigit(static_cast<unsigned char>(b[eb]))) ++eb;
    if (ea - i != eb - i) return ea - i < eb - i;
    int c = a.compare(i, ea - i, b, i, eb - i);
    if (c != 0) return c < 0;
    return a.substr(ea) < b.substr(eb);
  }
  return a < b;
}

}  // namespace

PolicyEvaluator::PolicyEvaluator(const RulePack& pack, EvaluatorOptions options)
    : pack_(pack), options_(std::move(options)) {
  for (const auto& rule : pack_.rules) {
    if (options_.facts_only) break;
    if (options_.integrity_only && rule.info.id != "P2") continue;
    if (!Applies(rule.info.profiles, options_.profile)) continue;
    for (const auto& match : rule.matches) {
      if (!Applies(match.profiles, options_.profile)) continue;
      active_[static_cast<std::size_t>(match.subject)].push_back({&rule, &match});
    }
  }
  globals_[1] = expr::Value::String(options_.profile);
  globals_[2] = options_.params.kind() == expr::Kind::kMap ? options_.params : pack_.params;
  activation_ = std::make_unique<RuleActivation>(globals_, options_.cost_limit);
}

PolicyEvaluator::~PolicyEvaluator() {
  // The pool's threads call back into this object: stop them before any member goes, also
  // when reading failed and Finish never ran.
  hash_pool_.reset();
  if (obligation_sorter_.joinable()) obligation_sorter_.join();
}

namespace {

// A manifest-relative path that stays inside the manifest's directory.
bool InsideManifestDir(const std::string& path) {
  std::filesystem::path p(path);
  if (path.empty() || p.is_absolute()) return false;
  for (const auto& part : p) {
    if (part == "..") return false;
  }
  return true;
}

std::string_view StatusName(FileStatus status) {
  switch (status) {
    case FileStatus::kOk:
      return "ok";
    case FileStatus::kMissing:
      return "missing";
    case FileStatus::kMismatch:
      return "mismatch";
    case FileStatus::kUnreadable:
      return "unreadable";
    case FileStatus::kEscapes:
      return "escapes";
  }
  return "unreadable";
}

}  // namespace

void PolicyEvaluator::RecordFile(PendingFile pending, const HashResult& result) {
  std::lock_guard<std::mutex> lock(files_mutex_);
  if (result.status == FileStatus::kOk) {
    ++summary_.files_verified;
    summary_.files_bytes = SaturatingAdd(summary_.files_bytes, result.bytes);
    return;
  }
  ++summary_.files_failed;
  pending.view.status = std::string(StatusName(result.status));
  pending.view.actual_sha256 = result.actual_sha256;
  pending.view.error = result.error;
  unverified_files_.push_back(std::move(pending));
}

void PolicyEvaluator::VerifySourceFiles(const Source& source, bool& evidence_confirmed) {
  auto pending_for = [&](const std::string& path, const std::string& sha, const char* kind,
                         const std::string& pointer) {
    PendingFile pending;
    pending.view.path = path;
    pending.view.kind = kind;
    pending.view.source = source.id;
    pending.view.expected_sha256 = sha;
    pending.location = source.location;
    pending.location.pointer = pointer;
    return pending;
  };
  // Evidence decides permission now, so it is hashed here; documents given as URLs cannot
  // be checked on disk and are taken as they are.
  if (source.permission.basis == Basis::kContract) {
    for (std::size_t i = 0; i < source.permission.evidence.size(); ++i) {
      const Evidence& e = source.permission.evidence[i];
      if (e.uri.find("://") != std::string::npos) continue;
      PendingFile pending =
          pending_for(e.uri, e.sha256, "evidence",
                      source.location.pointer + "/permission/evidence/" + std::to_string(i));
      HashResult result;
      if (!InsideManifestDir(e.uri)) {
        result.status = FileStatus::kUnreadable;
        pending.view.status = "escapes";
        std::lock_guard<std::mutex> lock(files_mutex_);
        ++summary_.files_failed;
        unverified_files_.push_back(std::move(pending));
        evidence_confirmed = false;
        continue;
      }
      result = HashFile(manifest_dir_, e.uri, e.sha256);
      if (result.status != FileStatus::kOk) evidence_confirmed = false;
      RecordFile(std::move(pending), result);
    }
  }
  for (std::size_t i = 0; i < source.files.size(); ++i) {
    const FileEntry& f = source.files[i];
    PendingFile pending = pending_for(f.path, f.sha256, "file",
                                      source.location.pointer + "/files/" + std::to_string(i));
    if (!InsideManifestDir(f.path)) {
      pending.view.status = "escapes";
      std::lock_guard<std::mutex> lock(files_mutex_);
      ++summary_.files_failed;
      unverified_files_.push_back(std::move(pending));
      continue;
    }
    std::uint64_t job = next_file_job_++;
    {
      std::lock_guard<std::mutex> lock(files_mutex_);
      pending_files_.emplace(job, std::move(pending));
    }
    hash_pool_->Submit(job, manifest_dir_, f.path, f.sha256);
  }
}

void PolicyEvaluator::Evaluate(Subject subject, const expr::Value& binding,
                               std::string_view subject_id, const Location& location,
                               const Source* source) {
  const auto& matches = active_[static_cast<std::size_t>(subject)];
  if (matches.empty()) return;
  RuleActivation& activation = *activation_;
  activation.SetSubject(SubjectBinding(subject), &binding);
  const CompiledRule* current = nullptr;
  for (const ActiveMatch& active : matches) {
    if (active.rule != current) {
      current = active.rule;
      activation.SetRule(current);
    }
    expr::Value result = active.match->condition->Evaluate(activation, activation.budget());
    if (result.kind() == expr::Kind::kBool && !result.AsBool()) continue;
    const CompiledMatch& match = *active.match;
    if (result.kind() == expr::Kind::kBool && match.obligation.present) {
      // Built in its place in the list: findings and obligations are never moved until sorted.
      Obligation& obligation = obligations_.emplace_back();
      obligation.kind = match.obligation.kind;
      obligation.rule = current->info.id;
      obligation.subject.assign(subject_id);
      obligation.license = match.obligation.license.Render(activation, options_.cost_limit);
      obligation.uri = match.obligation.uri.Render(activation, options_.cost_limit);
      if (source != nullptr && source->title) obligation.title = *source->title;
      if (match.message.empty()) continue;
    }
    Finding& finding = findings_.emplace_back();
    finding.rule = current->info.id;
    finding.subject.assign(subject_id);
    finding.location = location;
    if (result.kind() != expr::Kind::kBool) {
      // A rule that cannot be decided fails closed: the gate must not pass silently.
      finding.severity = Severity::kError;
      finding.reason = "rule-error";
      finding.message =
          "rule " + current->info.id + " could not be evaluated for " +
          std::string(SubjectName(subject)) + " '" + std::string(subject_id) + "': " +
          (result.is_error() ? std::string(result.ErrorMessage())
                             : "the condition gave a " +
                                   std::string(expr::KindName(result.kind())) + ", not a bool");
      finding.remedy = "Fix the rule's condition in " + current->info.file +
                       ", or the manifest data it cannot read.";
    } else {
      finding.severity = active.match->severity;
      finding.reason = match.reason_template.empty()
                           ? match.reason
                           : match.reason_template.Render(activation, options_.cost_limit);
      finding.message = active.match->message.Render(activation, options_.cost_limit);
      finding.remedy = active.match->remedy.empty()
                           ? current->info.remedy
                           : active.match->remedy.Render(activation, options_.cost_limit);
      while (!finding.remedy.empty() && finding.remedy.back() == '\n') finding.remedy.pop_back();
    }
  }
}

void PolicyEvaluator::OnHeader(const ManifestHeader& header) {
  header_ = header;
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
  model_view_.use = &use_;
  if (options_.intermediate_known) {
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
  resolver_ = std::make_unique<PermissionResolver>(classifier, options_.profile, use_);
  if (options_.verify_files) {
    std::filesystem::path dir = std::filesystem::path(options_.manifest_path).parent_path();
    manifest_dir_ = dir.empty() ? "" : dir.string() + "/";
    summary_.files_checked = true;
    hash_pool_ = std::make_unique<FileHashPool>(2, [this](std::uint64_t job, const HashResult& r) {
      PendingFile pending;
      {
        std::lock_guard<std::mutex> lock(files_mutex_);
        auto it = pending_files_.find(job);
        pending = std::move(it->second);
        pending_files_.erase(it);
      }
      RecordFile(std::move(pending), r);
    });
  }
  globals_[3] = ModelValue(model_view_);
  manifest_view_.stage_count = model.stages.size();
  manifest_view_.sources_in_jsonl = header_.sources_jsonl.has_value();
  globals_[0] = ManifestValue(manifest_view_);
  summary_.stages = model.stages.size();
  summary_.lineage = model.lineage.size();

  if (model.stages_given) {
    for (const auto& stage : model.stages) stage_counts_.push_back({stage.id, 0, 0, {}});
  } else {
    stage_counts_.push_back({"(all)", 0, 0, {}});
  }
  for (std::size_t i = 0; i < model.stages.size(); ++i) {
    for (const auto& id : model.stages[i].sources) {
      auto& stages = references_[id].stages;
      if (stages.empty() || stages.back() != i) stages.push_back(i);
    }
  }

  for (std::size_t i = 0; i < model.stages.size(); ++i) {
    StageView view;
    view.stage = &model.stages[i];
    for (std::size_t j = 0; j < model.stages.size(); ++j) {
      if (j != i && model.stages[j].id == model.stages[i].id) view.duplicate = true;
    }
    Evaluate(Subject::kStage, StageValue(view), view.stage->id, view.stage->location);
  }
  std::filesystem::path base = std::filesystem::path(options_.manifest_path).parent_path();
  constexpr std::size_t kMaxLineageEntries = 10000;
  std::size_t entries = 0;
  for (const auto& entry : model.lineage) {
    UpstreamStatus status;
    if (++entries > kMaxLineageEntries) {
      status.state = UpstreamStatus::State::kLimit;
      status.detail =
          "the model has more than " + std::to_string(kMaxLineageEntries) + " lineage entries";
    } else if (entry.manifest) {
      std::string path = (base / *entry.manifest).lexically_normal().string();
      if (!LineageFileUsable(options_.lineage_root, path, *entry.manifest, "manifest", status)) {
        // `status` says why.
      } else if (options_.resolve_upstream) {
        status = options_.resolve_upstream(path, entry.model);
      } else {
        status.detail = "upstream manifests are not evaluated by this caller";
      }
    } else if (entry.attestation) {
      std::string path = (base / *entry.attestation).lexically_normal().string();
      bool usable = LineageFileUsable(options_.lineage_root, path, *entry.attestation,
                                      "signed report", status);
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
    lineage_models_.insert(entry.model);
    EvaluateEdge(entry, std::move(status));
  }
}

void PolicyEvaluator::EvaluateEdge(const LineageEntry& entry, UpstreamStatus status) {
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
  bool judges_propagate = true;
  for (const auto& [key, value] : globals_[2].AsMap().entries) {
    if (key.AsString() == "judge_propagates_taint" && value.kind() == expr::Kind::kBool) {
      judges_propagate = value.AsBool();
    }
  }
  view.propagates = judges_propagate || (entry.relation != Relation::kJudge &&
                                         entry.relation != Relation::kRewardModel);
  // Taint: a tainted or unestablished upstream taints this model through relations that
  // carry taint.
  const UpstreamStatus& upstream = view.upstream;
  bool carries = upstream.state != UpstreamStatus::State::kOk || upstream.tainted;
  if (view.propagates && carries) {
    // A tainted upstream used at a known stage counts for that stage; one without a stage is
    // taken as used by the final model.
    int last = header_.model.stages.empty() ? 0 : static_cast<int>(header_.model.stages.size()) - 1;
    taint_stage_ = std::max(taint_stage_, view.stage_index >= 0 ? view.stage_index : last);
  }
  if (view.propagates && carries && !lineage_tainted_) {
    lineage_tainted_ = true;
    taint_chain_ = header_.model.id + " \u2190 " + std::string(ToString(entry.relation)) +
                   " \u2190 " +
                   (upstream.state == UpstreamStatus::State::kOk
                        ? upstream.chain
                        : entry.model + ": " + std::string(ToString(upstream.state)) + " (" +
                              upstream.detail + ")");
  }
  graph_edges_.push_back({header_.model.id, entry.model, std::string(ToString(entry.relation)),
                          std::string(ToString(upstream.state)), view.propagates && carries});
  Evaluate(Subject::kLineage, LineageValue(view), entry.model, entry.location);
}

std::vector<LineageGraph::Stage> PolicyEvaluator::graph_stages() const { return stage_counts_; }

int PolicyEvaluator::last_unpermitted_stage() const {
  int last = taint_stage_;
  for (std::size_t i = 0; i < stage_counts_.size(); ++i) {
    if (stage_counts_[i].unpermitted > 0) last = std::max(last, static_cast<int>(i));
  }
  return last;
}

void PolicyEvaluator::OnSource(const Source& source) {
  ++summary_.sources;
  if (source.size) {
    if (source.size->tokens) summary_.tokens = SaturatingAdd(summary_.tokens, *source.size->tokens);
    if (source.size->bytes) summary_.bytes = SaturatingAdd(summary_.bytes, *source.size->bytes);
  }
  source_facts_.stages.clear();
  // The stages that name this source (looked up once, used for the facts and the graph).
  Reference* reference = nullptr;
  if (!header_.model.stages_given) {
    source_facts_.used = true;
  } else {
    auto it = references_.find(source.id);
    source_facts_.used = it != references_.end();
    if (source_facts_.used) {
      reference = &it->second;
      reference->seen = true;
      for (std::size_t stage : reference->stages) {
        source_facts_.stages.push_back(header_.model.stages[stage].id);
      }
    }
  }
  bool evidence_confirmed = true;
  if (hash_pool_) VerifySourceFiles(source, evidence_confirmed);
  if (options_.collect_artifacts) {
    auto add = [&](const std::string& name, const std::string& sha256) {
      if (artifact_keys_.emplace(name, sha256).second) artifacts_.push_back({name, sha256});
    };
    for (const Evidence& e : source.permission.evidence) add(e.uri, e.sha256);
    for (const FileEntry& f : source.files) add(f.path, f.sha256);
  }
  source_facts_.permission = resolver_->Resolve(source, evidence_confirmed);
  if (source.generated_by && lineage_models_.count(source.generated_by->model) == 0) {
    generators_.try_emplace(source.generated_by->model, source.id, source.location);
  }
  check_date_used_ = check_date_used_ || source_facts_.permission.used_check_date;
  std::uint64_t tokens = source.size && source.size->tokens ? *source.size->tokens : 0;
  auto count_stage = [&](LineageGraph::Stage& stage) {
    if (source_facts_.permission.permitted) {
      ++stage.permitted;
    } else {
      ++stage.unpermitted;
      if (stage.unpermitted_examples.size() < 5) stage.unpermitted_examples.push_back(source.id);
    }
  };
  if (!header_.model.stages_given) {
    count_stage(stage_counts_.front());
  } else if (reference != nullptr) {
    for (std::size_t stage : reference->stages) count_stage(stage_counts_[stage]);
  }
  if (source_facts_.permission.permitted) {
    ++summary_.permitted;
    summary_.tokens_permitted = SaturatingAdd(summary_.tokens_permitted, tokens);
  } else {
    ++summary_.unpermitted;
    summary_.tokens_unpermitted = SaturatingAdd(summary_.tokens_unpermitted, tokens);
    if (!model_view_.tainted && !lineage_tainted_) {
      taint_chain_ = header_.model.id + ": used " + source.id + " without permission (" +
                     source_facts_.permission.reason + ")";
    }
    model_view_.tainted = true;
  }
  const LicenseVerdict* license = source_facts_.permission.license;
  std::string_view license_class = license == nullptr ? "none" : ToString(license->license_class);
  auto it = by_class_.find(license_class);
  if (it == by_class_.end()) {
    it = by_class_.emplace(std::string(license_class), Report::Summary::ClassCount{}).first;
    it->second.license_class = std::string(license_class);
  }
  ++it->second.sources;
  it->second.tokens = SaturatingAdd(it->second.tokens, tokens);
  if (active_[static_cast<std::size_t>(Subject::kSource)].empty()) return;
  SourceView view{&source, &source_facts_};
  Evaluate(Subject::kSource, SourceValue(view), source.id, source.location, &source);
}

std::vector<Finding> PolicyEvaluator::Finish(const ReadResult& read) {
  // Models that generated sources are upstream models too (relation synthetic-data); one
  // that no lineage entry names cannot be established.
  std::vector<LineageEntry> synthetic_edges;
  synthetic_edges.reserve(generators_.size());
  for (const auto& [generator, first] : generators_) {
    LineageEntry entry;
    entry.relation = Relation::kSyntheticData;
    entry.model = generator;
    entry.location = first.second;
    synthetic_edges.push_back(std::move(entry));
  }
  std::size_t i = 0;
  for (const auto& [generator, first] : generators_) {
    UpstreamStatus status;
    status.detail =
        "it generated source '" + first.first + "', and no lineage entry names its manifest";
    EvaluateEdge(synthetic_edges[i++], std::move(status));
  }
  model_view_.tainted = model_view_.tainted || lineage_tainted_;
  model_view_.permitted_sources = summary_.permitted;
  model_view_.unpermitted_sources = summary_.unpermitted;
  for (auto& [name, count] : by_class_) summary_.by_license_class.push_back(count);
  Evaluate(Subject::kModel, globals_[3], header_.model.id, header_.model.location);
  // Stage references, in manifest order.
  for (const auto& stage : header_.model.stages) {
    for (std::size_t k = 0; k < stage.sources.size(); ++k) {
      StageReferenceView view;
      view.stage = stage.id;
      view.source = stage.sources[k];
      auto it = references_.find(stage.sources[k]);
      view.exists = it != references_.end() && it->second.seen;
      Evaluate(Subject::kStageReference, StageReferenceValue(view), view.source,
               stage.source_locations[k]);
    }
  }
  if (hash_pool_) {
    hash_pool_->Wait();
    hash_pool_.reset();
    std::sort(unverified_files_.begin(), unverified_files_.end(),
              [](const PendingFile& a, const PendingFile& b) {
                return std::tie(a.location.file, a.location.line, a.location.pointer) <
                       std::tie(b.location.file, b.location.line, b.location.pointer);
              });
    for (const PendingFile& file : unverified_files_) {
      Evaluate(Subject::kUnverifiedFile, UnverifiedFileValue(file.view), file.view.path,
               file.location);
    }
  }
  for (const auto& duplicate : read.duplicate_source_ids) {
    DuplicateIdView view;
    view.id = duplicate.id;
    view.count = static_cast<std::int64_t>(duplicate.locations.size());
    Evaluate(Subject::kDuplicateId, DuplicateIdValue(view), duplicate.id,
             duplicate.locations.size() > 1 ? duplicate.locations[1] : duplicate.locations[0]);
  }
  // Obligations are final now: many are sorted on a second thread meanwhile (a few are not
  // worth a thread; TakeObligations sorts them).
  if (obligations_.size() >= 4096) {
    obligation_sorter_ = std::thread([this] { sorted_obligations_ = SortObligations(); });
  }
  auto rule_of = [](const Finding& f) -> const std::string& { return f.rule; };
  Ranks<Finding, decltype(rule_of), bool (*)(const std::string&, const std::string&)> rules(
      findings_, rule_of, RuleLess);
  std::vector<Finding> sorted = SortedByKey(
      findings_, [&](const Finding& f) { return rules(f); },
      [](const Finding& f) -> std::string_view { return f.subject; },
      [](const Finding& a, const Finding& b) {
        if (a.subject != b.subject) return a.subject < b.subject;
        if (a.location.file != b.location.file) return a.location.file < b.location.file;
        if (a.location.line != b.location.line) return a.location.line < b.location.line;
        if (a.location.column != b.location.column) return a.location.column < b.location.column;
        return a.reason < b.reason;
      });
  // The finding counts are the report's, made once the findings are final (waivers apply
  // later): see RecountFindings.
  return sorted;
}

std::vector<Obligation> PolicyEvaluator::SortObligations() {
  auto kind_of = [](const Obligation& o) -> const std::string& { return o.kind; };
  Ranks<Obligation, decltype(kind_of), std::less<std::string>> kinds(obligations_, kind_of, {});
  std::vector<Obligation> sorted = SortedByKey(
      obligations_, [&](const Obligation& o) { return kinds(o); },
      [](const Obligation& o) -> std::string_view { return o.subject; },
      [](const Obligation& a, const Obligation& b) {
        return std::tie(a.subject, a.license, a.rule) < std::tie(b.subject, b.license, b.rule);
      });
  sorted.erase(std::unique(sorted.begin(), sorted.end(),
                           [](const Obligation& a, const Obligation& b) {
                             return a.kind == b.kind && a.subject == b.subject &&
                                    a.license == b.license;
                           }),
               sorted.end());
  return sorted;
}

std::vector<Obligation> PolicyEvaluator::TakeObligations() {
  if (obligation_sorter_.joinable()) {
    obligation_sorter_.join();
    return std::move(sorted_obligations_);
  }
  return SortObligations();
}

}  // namespace provgate::detail
