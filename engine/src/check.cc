// Check: the pipeline from a manifest path to a report.
#include "provgate/check.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "attest/dsse.h"
#include "attest/keys.h"
#include "common/date.h"
#include "lineage/confine.h"
#include "lineage/walk.h"
#include "policy/evaluator.h"
#include "policy/rule_pack.h"
#include "policy/waivers.h"
#include "provgate/attest.h"
#include "provgate/version.h"

namespace provgate {
namespace {

std::string Today() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[16];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%d", &utc);
  return buffer;
}

// CheckOptions::date must be a calendar day, like every date of manifests and waivers: it is
// compared as text with them, so `2026-02-30` would fall between real days.
bool InvalidDate(const CheckOptions& options, CheckResult& result) {
  if (options.date.empty() || detail::IsCalendarDate(options.date)) return false;
  std::string shown = options.date.size() <= 40 ? options.date : options.date.substr(0, 40) + "...";
  result.diagnostics.push_back(
      {Diagnostic::Severity::kError, "usage",
       "invalid check date '" + shown + "': expected YYYY-MM-DD naming a real calendar day",
       "provgate", 0, 0, "", 0});
  return true;
}

}  // namespace

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

CheckResult Check(const std::string& manifest_path, const CheckOptions& options) {
  if (CheckResult invalid; InvalidDate(options, invalid)) return invalid;
  PackLoadResult loaded = LoadRulePack(options.policy_dir);
  if (!loaded.ok()) {
    CheckResult result;
    result.status = loaded.status;
    result.diagnostics = std::move(loaded.diagnostics);
    return result;
  }
  return Check(manifest_path, *loaded.pack, options);
}

namespace {

CheckResult CheckWith(const std::string& manifest_path, const RulePack& pack,
                      const CheckOptions& options, detail::LineageWalk& lineage, int depth);

// Evaluates an upstream manifest with the same pack and options (files are verified only for
// the checked manifest).
detail::UpstreamEvaluation EvaluateUpstream(const std::string& path, const RulePack& pack,
                                            const CheckOptions& options,
                                            detail::LineageWalk& lineage, int depth) {
  CheckOptions upstream_options = options;
  upstream_options.verify_files = false;
  CheckResult upstream = CheckWith(path, pack, upstream_options, lineage, depth);
  detail::UpstreamEvaluation evaluation;
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
  return evaluation;
}

// Verifies a signed upstream report (a DSSE envelope, or a Sigstore bundle) against the
// trusted keys.
detail::VerifiedUpstream VerifyUpstreamReport(const std::string& path,
                                              const CheckOptions& options) {
  VerifyOptions verify;
  verify.key_paths = options.trusted_keys;
  VerifyResult verified = VerifyEnvelopeFile(path, verify);
  detail::VerifiedUpstream upstream;
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

namespace {}  // namespace

CheckResult Check(const std::string& manifest_path, const RulePack& pack,
                  const CheckOptions& given_options) {
  if (CheckResult invalid; InvalidDate(given_options, invalid)) return invalid;
  CheckOptions options = given_options;
  options.root = detail::LineageRoot(manifest_path, given_options.root);
  for (const std::string& key : options.trusted_keys) {
    detail::SigningKey loaded;
    Status status = detail::LoadPublicKeyFile(key, loaded);
    if (!status.ok()) {
      CheckResult result;
      result.status = Status::IoError("--trust: " + status.message());
      return result;
    }
  }
  std::vector<std::shared_ptr<const Waiver>> waivers;
  if (!options.waivers_path.empty()) {
    CheckResult result;
    waivers = detail::LoadWaivers(options.waivers_path, pack.info, result.diagnostics);
    if (HasErrors(result.diagnostics)) return result;
  }
  detail::LineageWalk lineage(manifest_path);
  CheckResult result = CheckWith(manifest_path, pack, options, lineage, 0);
  if (result.ExitCode() < 2 && !options.waivers_path.empty()) {
    detail::ApplyWaivers(result.report, waivers, options.date.empty() ? Today() : options.date);
  }
  if (result.ExitCode() < 2) {
    result.graph = lineage.TakeGraph(result.report.model_id);
  }
  return result;
}

namespace {

CheckResult CheckWith(const std::string& manifest_path, const RulePack& pack,
                      const CheckOptions& options, detail::LineageWalk& lineage, int depth) {
  CheckResult result;
  const PackInfo& info = pack.info;
  std::string profile = options.profile.empty() ? info.default_profile : options.profile;
  bool known = false;
  std::string names;
  for (const auto& p : info.profiles) {
    known = known || p.name == profile;
    names += (names.empty() ? "" : ", ") + p.name;
  }
  if (!known) {
    result.diagnostics.push_back(
        {Diagnostic::Severity::kError, "usage",
         "unknown profile '" + profile + "': the pack " + info.name + " defines " + names,
         "provgate", 0, 0, "", 0});
    return result;
  }

  // Parameter overrides: declared names only, values of the declared type.
  expr::MapData params = pack.params.AsMap();
  for (const auto& param : options.params) {
    const std::string& name = param.first;
    const std::string& text = param.second;
    auto declared = std::find_if(info.parameters.begin(), info.parameters.end(),
                                 [&](const ParameterInfo& p) { return p.name == name; });
    if (declared == info.parameters.end()) {
      result.diagnostics.push_back({Diagnostic::Severity::kError, "usage",
                                    "the pack " + info.name + " has no parameter '" + name + "'",
                                    "provgate", 0, 0, "", 0});
      continue;
    }
    std::optional<expr::Value> value = detail::ParseParamValue(declared->type, text);
    if (!value) {
      result.diagnostics.push_back(
          {Diagnostic::Severity::kError, "usage",
           "parameter '" + name + "' takes " +
               (declared->type == "int" ? "an int (decimal, within 64 bits)"
                                        : "a " + declared->type) +
               ", not '" + text + "'",
           "provgate", 0, 0, "", 0});
      continue;
    }
    for (auto& entry : params.entries) {
      if (entry.first.AsString() == name) entry.second = *value;
    }
  }
  if (options.integrity_only && info.integrity_rule.empty()) {
    result.diagnostics.push_back(
        {Diagnostic::Severity::kError, "usage",
         "the pack " + info.name + " declares no integrity_rule: it cannot validate a manifest",
         "provgate", 0, 0, "", 0});
  }
  if (HasErrors(result.diagnostics)) return result;

  detail::EvaluatorOptions evaluator_options;
  evaluator_options.profile = profile;
  evaluator_options.params = expr::Value::Map(std::move(params));
  evaluator_options.check_date = options.date.empty() ? Today() : options.date;
  if (options.integrity_only) evaluator_options.only_rule = info.integrity_rule;
  evaluator_options.manifest_path = manifest_path;
  evaluator_options.lineage_root = options.root;
  evaluator_options.cost_limit = options.cost_limit;
  evaluator_options.verify_files = options.verify_files;
  evaluator_options.resolve_upstream = [&](const std::string& path, const std::string& id) {
    return lineage.ResolveManifest(path, id, depth, [&](const std::string& at, int next_depth) {
      return EvaluateUpstream(at, pack, options, lineage, next_depth);
    });
  };
  evaluator_options.resolve_attestation = [&](const std::string& path, const std::string& id) {
    return lineage.ResolveAttestation(
        path, id, !options.trusted_keys.empty(),
        [&](const std::string& at) { return VerifyUpstreamReport(at, options); });
  };
  evaluator_options.collect_artifacts = options.collect_artifacts && depth == 0;
  // The evaluator judges each source on a second thread while the reader parses the next.
  ReadOptions read_options = options.read;
  read_options.pipeline = true;
  if (info.FindProfile(profile)->intermediate_facts) {
    // The profile's rules need the last stage that used unpermitted data before any source
    // is judged: a first pass computes the facts only.
    detail::EvaluatorOptions first_pass = evaluator_options;
    first_pass.facts_only = true;
    detail::PolicyEvaluator facts(pack, first_pass);
    ReadResult read = ReadManifest(manifest_path, facts, read_options);
    if (read.ok()) {
      evaluator_options.intermediate_known = true;
      evaluator_options.intermediate_stage = facts.Finish(read).last_unpermitted_stage;
    }
  }
  detail::PolicyEvaluator evaluator(pack, evaluator_options);
  ReadResult read = ReadManifest(manifest_path, evaluator, read_options);
  const bool read_ok = read.ok();
  result.status = read.status;
  result.diagnostics = std::move(read.diagnostics);
  if (!read_ok) return result;

  Report& report = result.report;
  detail::Evaluation evaluation = evaluator.Finish(read);
  report.findings = std::move(evaluation.findings);
  report.tool_version = Version();
  report.manifest_path = manifest_path;
  report.manifest_sha256 = read.manifest_sha256;
  const ManifestHeader& header = evaluator.header();
  if (header.sources_jsonl) {
    report.sources_path =
        (std::filesystem::path(manifest_path).parent_path() / *header.sources_jsonl)
            .lexically_normal()
            .string();
    report.sources_sha256 = read.sources_sha256;
  }
  report.policy_name = info.name;
  report.policy_version = info.version;
  report.policy_profile = profile;
  report.policy_sha256 = info.sha256;
  report.model_id = header.model.id;
  report.weights = header.model.release.weights;
  report.effective_weights = std::move(evaluation.effective_weights);
  report.summary = std::move(evaluation.summary);
  report.obligations = std::move(evaluation.obligations);
  report.artifacts = std::move(evaluation.artifacts);
  report.tainted = evaluation.tainted;
  report.taint_chain = std::move(evaluation.taint_chain);
  report.check_date = std::move(evaluation.check_date_used);
  detail::RecountFindings(report);
  // This model and its edges join the lineage graph.
  LineageGraph::Node node;
  node.id = report.model_id;
  node.manifest = manifest_path;
  node.weights = std::string(ToString(report.weights));
  node.effective_weights = report.effective_weights;
  node.tainted = report.tainted;
  node.compliant = report.compliant;
  node.stages = std::move(evaluation.graph_stages);
  lineage.AddModel(std::move(node), evaluation.graph_edges);
  return result;
}

}  // namespace

}  // namespace provgate
