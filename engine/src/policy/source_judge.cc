// Judges one source at a time into the tally: permission, files on disk, the source rules'
// findings and obligations, the summary's counts and, when asked, the decision table's row.
#include "policy/source_judge.h"

#include <filesystem>

namespace provgate::detail {
namespace {

std::uint64_t SaturatingAdd(std::uint64_t a, std::uint64_t b) {
  return a + b < a ? UINT64_MAX : a + b;
}

// A manifest-relative path that stays inside the manifest's directory, as written (symlinks
// that lead out are refused when the file is opened).
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

SourceJudge::SourceJudge(const CheckScope& scope)
    : scope_(scope),
      runner_(scope.rules(), scope.options().cost_limit),
      resolver_(scope.pack().licenses,
                PermissionProfileOf(scope.pack().info, scope.options().profile), scope.use()) {
  for (int g = 0; g < kGlobalCount; ++g) {
    runner_.SetGlobal(static_cast<Global>(g), scope.global(static_cast<Global>(g)));
  }
  tally_.Reset(scope.stage_slots(), scope.reference_count());
  if (scope.options().collect_decisions) {
    decisions_ = std::make_unique<DecisionRecorder>(scope.header().model);
  }
  if (scope.options().verify_files) {
    int threads = std::max(1, scope.options().hash_threads);
    hash_pool_ =
        std::make_unique<FileHashPool>(threads, [this](std::uint64_t job, const HashResult& r) {
          SourceTally::File file;
          {
            std::lock_guard<std::mutex> lock(files_mutex_);
            auto it = pending_files_.find(job);
            file = std::move(it->second);
            pending_files_.erase(it);
          }
          RecordFile(std::move(file), r);
        });
  }
}

SourceJudge::~SourceJudge() {
  // The pool's threads call back into this object: stop them before any member goes.
  hash_pool_.reset();
}

void SourceJudge::RecordFile(SourceTally::File file, const HashResult& result) {
  std::lock_guard<std::mutex> lock(files_mutex_);
  if (result.status == FileStatus::kOk) {
    ++tally_.files_verified;
    tally_.files_bytes = SaturatingAdd(tally_.files_bytes, result.bytes);
    return;
  }
  ++tally_.files_failed;
  file.view.status = std::string(StatusName(result.status));
  file.view.actual_sha256 = result.actual_sha256;
  file.view.error = result.error;
  tally_.unverified_files.push_back(std::move(file));
}

void SourceJudge::VerifyFiles(const Source& source, bool& evidence_confirmed) {
  const std::string& dir = scope_.manifest_dir();
  auto file_for = [&](const std::string& path, const std::string& sha, const char* kind,
                      const std::string& pointer) {
    SourceTally::File file;
    file.index = source.index;
    file.view.path = path;
    file.view.kind = kind;
    file.view.source = source.id;
    file.view.expected_sha256 = sha;
    file.location = source.location;
    file.location.pointer = pointer;
    return file;
  };
  auto refuse = [&](SourceTally::File file) {
    file.view.status = "escapes";
    std::lock_guard<std::mutex> lock(files_mutex_);
    ++tally_.files_failed;
    tally_.unverified_files.push_back(std::move(file));
  };
  // Evidence decides permission now, so it is hashed here; documents given as URLs cannot
  // be checked on disk and are taken as they are.
  if (source.permission.basis == Basis::kContract) {
    for (std::size_t i = 0; i < source.permission.evidence.size(); ++i) {
      const Evidence& e = source.permission.evidence[i];
      if (e.uri.find("://") != std::string::npos) continue;
      SourceTally::File file =
          file_for(e.uri, e.sha256, "evidence",
                   source.location.pointer + "/permission/evidence/" + std::to_string(i));
      if (!InsideManifestDir(e.uri)) {
        refuse(std::move(file));
        evidence_confirmed = false;
        continue;
      }
      HashResult result = HashFile(dir, e.uri, e.sha256);
      if (result.status != FileStatus::kOk) evidence_confirmed = false;
      RecordFile(std::move(file), result);
    }
  }
  for (std::size_t i = 0; i < source.files.size(); ++i) {
    const FileEntry& f = source.files[i];
    SourceTally::File file =
        file_for(f.path, f.sha256, "file", source.location.pointer + "/files/" + std::to_string(i));
    if (!InsideManifestDir(f.path)) {
      refuse(std::move(file));
      continue;
    }
    std::uint64_t job = next_file_job_++;
    {
      std::lock_guard<std::mutex> lock(files_mutex_);
      pending_files_.emplace(job, std::move(file));
    }
    hash_pool_->Submit(job, dir, f.path, f.sha256);
  }
}

void SourceJudge::Judge(const Source& source) {
  SourceTally& t = tally_;
  ++t.sources;
  std::uint64_t tokens = 0;
  if (source.size) {
    if (source.size->tokens) {
      tokens = *source.size->tokens;
      t.tokens = SaturatingAdd(t.tokens, tokens);
    }
    if (source.size->bytes) t.bytes = SaturatingAdd(t.bytes, *source.size->bytes);
  }
  if (scope_.options().collect_ids) t.ids.push_back({source.index, source.id, source.location});
  // The stages that name this source (looked up once, used for the facts and the graph).
  facts_.stages.clear();
  const CheckScope::Reference* reference = nullptr;
  const Model& model = scope_.header().model;
  if (!model.stages_given) {
    facts_.used = true;
  } else {
    reference = scope_.FindReference(source.id);
    facts_.used = reference != nullptr;
    if (reference != nullptr) {
      t.referenced_seen[reference->slot] = true;
      for (std::size_t stage : reference->stages) facts_.stages.push_back(model.stages[stage].id);
    }
  }
  bool evidence_confirmed = true;
  if (hash_pool_) VerifyFiles(source, evidence_confirmed);
  if (scope_.options().collect_artifacts) {
    for (const Evidence& e : source.permission.evidence) {
      t.artifacts.push_back({source.index, {e.uri, e.sha256}});
    }
    for (const FileEntry& f : source.files)
      t.artifacts.push_back({source.index, {f.path, f.sha256}});
  }
  SourceContext context;
  if (reference != nullptr) {
    for (std::size_t stage : reference->stages) {
      const std::optional<std::string>& date = model.stages[stage].date;
      if (date && *date > context.training_date) context.training_date = *date;
    }
  }
  // The generators: the model's own checkpoints, programs, and other models (lineage edges).
  int own_checkpoint = CheckScope::kNotOwn;
  bool other_model = false;
  for (const GeneratedBy& generator : source.generated_by) {
    int checkpoint = scope_.OwnCheckpoint(generator, reference);
    if (checkpoint != CheckScope::kNotOwn) {
      own_checkpoint = std::max(own_checkpoint, checkpoint);
    } else if (!generator.model.empty()) {
      other_model = true;
      if (!scope_.NamedByLineage(generator.model)) {
        auto [it, inserted] = t.generators.try_emplace(generator.model);
        int last_stage = inserted ? -1 : it->second.last_stage;
        if (!model.stages_given) {
          last_stage = 0;
        } else if (reference != nullptr) {
          last_stage = std::max(last_stage, static_cast<int>(reference->stages.back()));
        }
        if (inserted || source.index < it->second.index) {
          it->second = {source.index, source.id, source.location, last_stage};
        }
        it->second.last_stage = last_stage;
      }
    }
  }
  context.own_output = own_checkpoint != CheckScope::kNotOwn && !other_model;
  facts_.own_output = context.own_output;
  facts_.permission = resolver_.Resolve(source, evidence_confirmed, context);
  const PermissionResult& permission = facts_.permission;
  if (own_checkpoint != CheckScope::kNotOwn) {
    SourceTally::OwnOutput output;
    output.index = source.index;
    output.source = source.id;
    output.location = source.location;
    output.checkpoint = own_checkpoint;
    if (!model.stages_given) {
      output.stages.push_back(0);
    } else if (reference != nullptr) {
      for (std::size_t stage : reference->stages) {
        output.stages.push_back(static_cast<std::uint32_t>(stage));
      }
    }
    output.tokens = tokens;
    // Judged with the model only while the source counts as permitted: data denied for its
    // own reasons stays denied for them.
    if (permission.permitted) t.own_outputs.push_back(std::move(output));
  }
  if (permission.permitted) RecordConditions(source, context.own_output);
  t.check_date_used = t.check_date_used || permission.used_check_date;
  auto count_stage = [&](SourceTally::Stage& stage) {
    if (permission.permitted) {
      ++stage.permitted;
    } else {
      ++stage.unpermitted;
      if (stage.examples.size() < 5) stage.examples.emplace_back(source.index, source.id);
    }
  };
  if (!model.stages_given) {
    count_stage(t.stages.front());
  } else if (reference != nullptr) {
    for (std::size_t stage : reference->stages) count_stage(t.stages[stage]);
  }
  if (permission.permitted) {
    ++t.permitted;
    t.tokens_permitted = SaturatingAdd(t.tokens_permitted, tokens);
  } else {
    ++t.unpermitted;
    t.tokens_unpermitted = SaturatingAdd(t.tokens_unpermitted, tokens);
    SourceTally::ReasonCount& by_reason = t.by_reason[permission.reason];
    ++by_reason.sources;
    by_reason.tokens = SaturatingAdd(by_reason.tokens, tokens);
    if (by_reason.examples.size() < 3 || tokens > by_reason.examples.back().tokens) {
      by_reason.examples.push_back({tokens, source.index, source.id});
      SourceTally::KeepHeaviest(by_reason.examples);
    }
    if (!t.first_unpermitted || source.index < t.first_unpermitted->index) {
      t.first_unpermitted = SourceTally::Unpermitted{
          source.index,
          model.id + ": used " + source.id + " without permission (" + permission.reason + ")"};
    }
  }
  const LicenseVerdict* license = permission.license;
  std::string_view license_class = license == nullptr ? "none" : ToString(license->license_class);
  auto it = t.by_class.find(license_class);
  if (it == t.by_class.end()) {
    it = t.by_class.emplace(std::string(license_class), Report::Summary::ClassCount{}).first;
    it->second.license_class = std::string(license_class);
  }
  ++it->second.sources;
  it->second.tokens = SaturatingAdd(it->second.tokens, tokens);
  if (decisions_) {
    t.decisions.push_back(decisions_->Record(source, permission, permission.explanation,
                                             reference != nullptr ? &reference->stages : nullptr));
    t.decision_sources.push_back(source.index);
  }
  if (!runner_.HasChecks(Subject::kSource)) return;
  SourceView view{&source, &facts_};
  runner_.Run(Subject::kSource, SourceValue(view), source.id, source.location, &source, t.findings,
              t.obligations);
  t.finding_sources.resize(t.findings.size(), source.index);
  t.obligation_sources.resize(t.obligations.size(), source.index);
}

void SourceJudge::RecordConditions(const Source& source, bool own_output) {
  const PermissionResult& permission = facts_.permission;
  auto add = [&](const LicenseCondition& condition) {
    ConditionView view;
    view.kind = condition.kind;
    view.text = condition.text;
    view.uri = condition.uri;
    view.license = condition.license;
    tally_.AddCondition(source.index, source.id, std::move(view));
  };
  if (permission.license != nullptr) {
    for (const LicenseCondition& condition : permission.license->conditions) add(condition);
  }
  // The terms of the models that generated the data set conditions too (a model trained on
  // Llama 3.1 outputs is named Llama...).
  if (!own_output) {
    const LicenseClassifier& classifier = scope_.pack().licenses;
    for (const GeneratedBy& generator : source.generated_by) {
      if (generator.model.empty()) continue;
      std::string terms = generator.license.value_or(classifier.TermsOfModel(generator.model));
      if (terms.empty() || (source.license && terms == *source.license)) continue;
      for (const LicenseCondition& condition : classifier.ConditionsOf(terms)) add(condition);
    }
  }
  for (const Duty& duty : source.permission.obligations) {
    ConditionView view;
    view.kind = std::string(ToString(duty.kind));
    view.text = duty.text;
    view.uri = duty.uri.value_or("");
    view.contract = true;
    tally_.AddCondition(source.index, source.id, std::move(view));
  }
}

SourceTally SourceJudge::Finish() {
  if (hash_pool_) {
    hash_pool_->Wait();
    hash_pool_.reset();
  }
  return std::move(tally_);
}

}  // namespace provgate::detail
