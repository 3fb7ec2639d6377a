// Check: a manifest (file, text or typed) in, a report out. The flow every way of checking
// shares: the plan, the lineage walk over upstream models, reading with one or two passes,
// the report, waivers and the lineage graph.
#include "provgate/check.h"

#include <filesystem>

#include "api/check_flow.h"
#include "api/check_plan.h"
#include "attest/keys.h"
#include "lineage/confine.h"
#include "policy/waivers.h"
#include "provgate/attest.h"

namespace provgate {

int CheckResult::ExitCode(FailOn fail_on, bool new_only) const {
  if (!status.ok()) {
    return status.code() == Status::Code::kNotFound ||
                   status.code() == Status::Code::kInvalidArgument
               ? 2
               : 3;
  }
  if (HasErrors(diagnostics)) return 2;
  GateOptions gate{fail_on, new_only};
  for (const Finding& f : report.findings) {
    if (FailsGate(f, gate)) return 1;
  }
  return 0;
}

namespace detail {
namespace {

// Evaluates an upstream manifest with the same pack and options (files are verified only for
// the checked manifest).
UpstreamEvaluation EvaluateUpstream(const std::string& path, CheckContext& context, int depth) {
  CheckOptions upstream_options = context.options;
  upstream_options.verify_files = false;
  CheckContext upstream_context{context.pack, upstream_options, context.lineage};
  CheckResult upstream = CheckManifest(ManifestInput::File(path), upstream_context, depth);
  UpstreamEvaluation evaluation;
  if (upstream.ExitCode() >= 2) {
    evaluation.problem = !upstream.diagnostics.empty()
                             ? FormatDiagnostic(upstream.diagnostics.front())
                             : upstream.status.message();
    return evaluation;
  }
  evaluation.valid = true;
  evaluation.model_id = upstream.report.model_id;
  evaluation.tainted = upstream.report.tainted;
  evaluation.taint_chain = upstream.report.taint_chain;
  evaluation.taint_causes = upstream.report.taint_causes;
  evaluation.taint_causes_omitted = upstream.report.taint_causes_omitted;
  return evaluation;
}

// Verifies a signed upstream report (a DSSE envelope, or a Sigstore bundle) against the
// trusted keys.
VerifiedUpstream VerifyUpstreamReport(const std::string& path, const CheckOptions& options) {
  VerifyOptions verify;
  verify.key_paths = options.trusted_keys;
  verify.keys = options.trusted_key_sources;
  VerifyResult verified = VerifyEnvelopeFile(path, verify);
  VerifiedUpstream upstream;
  upstream.verified = verified.outcome == VerifyResult::Outcome::kVerified;
  upstream.cause = verified.cause;
  upstream.model_id = verified.model_id;
  upstream.weights = verified.weights;
  upstream.effective_weights = verified.effective_weights;
  upstream.tainted = verified.tainted;
  upstream.taint_chain = verified.taint_chain;
  upstream.compliant = verified.verdict == "compliant";
  return upstream;
}

}  // namespace

std::string ResolvingPath(const ManifestInput& input) {
  if (input.kind() == ManifestInput::Kind::kFile) return input.name();
  const std::string& base = input.base_dir().empty() ? std::string(".") : input.base_dir();
  return (std::filesystem::path(base) / input.name()).lexically_normal().string();
}

std::optional<CheckPlan> PlanFor(const ManifestInput& input, CheckContext& context, int depth,
                                 std::vector<Diagnostic>& diagnostics) {
  std::optional<CheckPlan> plan = PlanCheck(context.pack, context.options, diagnostics);
  if (!plan) return plan;
  EvaluatorOptions& evaluator = plan->evaluator;
  evaluator.manifest_path = ResolvingPath(input);
  evaluator.resolve_upstream = [&context, depth](const std::string& path, const std::string& id) {
    return context.lineage.ResolveManifest(path, id, depth,
                                           [&context](const std::string& at, int next_depth) {
                                             return EvaluateUpstream(at, context, next_depth);
                                           });
  };
  evaluator.resolve_attestation = [&context](const std::string& path, const std::string& id) {
    return context.lineage.ResolveAttestation(
        path, id,
        !context.options.trusted_keys.empty() || !context.options.trusted_key_sources.empty(),
        [&context](const std::string& at) { return VerifyUpstreamReport(at, context.options); });
  };
  evaluator.note_lineage_file = [&context](const std::string& path) {
    context.lineage.NoteFile(path);
  };
  evaluator.collect_artifacts = context.options.collect_artifacts && depth == 0;
  evaluator.collect_decisions = context.options.collect_decisions && depth == 0;
  return plan;
}

ReadOptions ReadOptionsFor(const CheckOptions& options) {
  ReadOptions read = options.read;
  // The evaluator judges each source on a thread of its own while the reader parses the next.
  read.pipeline = ExtraThreads(options) >= 1;
  read.hash_on_thread = ExtraThreads(options) >= 2;
  return read;
}

bool FirstPass(const ManifestInput& input, const RulePack& pack, const CheckOptions& options,
               CheckPlan& plan) {
  if (!plan.two_pass) return true;
  EvaluatorOptions first = plan.evaluator;
  first.facts_only = true;
  first.collect_decisions = false;
  first.judge_sources = true;
  first.shard_count = 1;
  first.shard_index = 0;
  PolicyEvaluator facts(pack, first);
  ReadResult read = ReadInput(input, facts, ReadOptionsFor(options));
  if (!read.ok()) return false;
  plan.evaluator.intermediate_known = true;
  plan.evaluator.intermediate_stage = facts.Finish(read).last_unpermitted_stage;
  return true;
}

void Conclude(const ManifestInput& input, CheckContext& context, const CheckPlan& plan,
              Evaluation&& evaluation, const ManifestHeader& header, const ReadResult& read,
              CheckResult& result) {
  std::vector<LineageGraph::Stage> stages = std::move(evaluation.graph_stages);
  std::vector<LineageGraph::Edge> edges = std::move(evaluation.graph_edges);
  ReportInput report_input{input.name(), read.manifest_sha256, read.sources_sha256};
  FillReport(result.report, std::move(evaluation), header, report_input, context.pack,
             plan.profile);
  Report& report = result.report;
  // This model and its edges join the lineage graph.
  LineageGraph::Node node;
  node.id = report.model_id;
  node.manifest = input.name();
  context.lineage.NoteFile(ResolvingPath(input));
  if (report.sources_path) context.lineage.NoteFile(*report.sources_path);
  node.weights = std::string(ToString(report.weights));
  node.effective_weights = report.effective_weights;
  node.tainted = report.tainted;
  node.compliant = report.compliant();
  node.stages = std::move(stages);
  context.lineage.AddModel(std::move(node), edges);
}

bool ReadForEvaluation(const ManifestInput& input, PolicyEvaluator& evaluator,
                       const CheckOptions& options, ReadResult& read, Status& status,
                       std::vector<Diagnostic>& diagnostics) {
  read = ReadInput(input, evaluator, ReadOptionsFor(options));
  const bool ok = read.ok();
  status = read.status;
  diagnostics = std::move(read.diagnostics);
  return ok;
}

CheckResult CheckManifest(const ManifestInput& input, CheckContext& context, int depth) {
  CheckResult result;
  std::optional<CheckPlan> plan = PlanFor(input, context, depth, result.diagnostics);
  if (!plan) return result;
  if (!FirstPass(input, context.pack, context.options, *plan)) {
    // The second read reports the same problems.
    plan->two_pass = false;
  }
  PolicyEvaluator evaluator(context.pack, plan->evaluator);
  ReadResult read;
  if (!ReadForEvaluation(input, evaluator, context.options, read, result.status,
                         result.diagnostics)) {
    return result;
  }
  Evaluation evaluation = evaluator.Finish(read);
  Conclude(input, context, *plan, std::move(evaluation), evaluator.header(), read, result);
  return result;
}

std::optional<CheckResult> Prepare(const ManifestInput& input, const RulePack& pack,
                                   CheckOptions& options,
                                   std::vector<std::shared_ptr<const Waiver>>& waivers) {
  options.root = LineageRoot(ResolvingPath(input), options.root);
  for (const std::string& key : options.trusted_keys) {
    SigningKey loaded;
    Status status = LoadPublicKeyFile(key, loaded);
    if (!status.ok()) {
      CheckResult result;
      result.status = Status::IoError("--trust: " + status.message());
      return result;
    }
  }
  for (const KeySource& key : options.trusted_key_sources) {
    Status status = CheckPublicKey(key);
    if (!status.ok()) {
      CheckResult result;
      result.status = Status::IoError("--trust: " + status.message());
      return result;
    }
  }
  if (!options.waivers_path.empty() || !options.waivers_text.empty()) {
    CheckResult result;
    waivers = !options.waivers_path.empty()
                  ? LoadWaivers(options.waivers_path, pack.info, result.diagnostics)
                  : ReadWaivers(options.waivers_text, options.waivers_name, pack.info,
                                result.diagnostics);
    if (HasErrors(result.diagnostics)) return result;
  }
  return std::nullopt;
}

void Finalize(CheckResult& result, const CheckOptions& options,
              const std::vector<std::shared_ptr<const Waiver>>& waivers, LineageWalk& lineage) {
  result.dependencies = lineage.TakeFiles();
  if (!options.waivers_path.empty()) result.dependencies.push_back(options.waivers_path);
  for (const std::string& key : options.trusted_keys) result.dependencies.push_back(key);
  if (result.ExitCode() >= 2) return;
  if (!options.waivers_path.empty() || !options.waivers_text.empty()) {
    const std::string date = options.date.empty() ? Today() : options.date;
    ApplyWaivers(result.report, waivers, date, ExpiringBefore(options, date));
  }
  result.graph = lineage.TakeGraph(result.report.model_id);
}

}  // namespace detail

CheckResult Check(const std::string& manifest_path, const CheckOptions& options) {
  PackLoadResult loaded = LoadRulePack(options.policy_dir);
  if (!loaded.ok()) {
    CheckResult result;
    result.status = loaded.status;
    result.diagnostics = std::move(loaded.diagnostics);
    return result;
  }
  return Check(manifest_path, *loaded.pack, options);
}

CheckResult Check(const std::string& manifest_path, const RulePack& pack,
                  const CheckOptions& options) {
  return Check(ManifestInput::File(manifest_path), pack, options);
}

CheckResult Check(const ManifestInput& input, const RulePack& pack,
                  const CheckOptions& given_options) {
  CheckOptions options = given_options;
  if (CheckResult invalid; !detail::PlanCheck(pack, options, invalid.diagnostics)) return invalid;
  std::vector<std::shared_ptr<const Waiver>> waivers;
  if (auto failed = detail::Prepare(input, pack, options, waivers)) return std::move(*failed);
  detail::LineageWalk lineage(detail::ResolvingPath(input));
  detail::CheckContext context{pack, options, lineage};
  CheckResult result = detail::CheckManifest(input, context, 0);
  detail::Finalize(result, options, waivers, lineage);
  return result;
}

}  // namespace provgate
