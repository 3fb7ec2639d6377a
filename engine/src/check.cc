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
  for (const Finding& f : report.findings) {
    if (f.waived) continue;
    if (new_only && f.baseline == BaselineStatus::kUnchanged) continue;
    if (f.severity == Severity::kError) return 1;
    if (fail_on == FailOn::kWarning && f.severity == Severity::kWarning) return 1;
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

// Upstream manifests of one check: each is evaluated once, with the same pack and options,
// however many paths reach it; a manifest met again while it is being evaluated is a cycle.
struct LineageContext {
  std::map<std::string, detail::UpstreamStatus> done;  // canonical path -> status
  std::vector<std::string> stack;                      // manifests being evaluated, outermost first
  std::set<std::string> in_cycle;                      // manifests found on a cycle
  LineageGraph graph;
  std::set<std::string> graph_nodes;  // model ids already in the graph
  // Upstream models established by a verified signed report, by model id.
  std::map<std::string, LineageGraph::Node> attested;
  static constexpr int kMaxDepth = 64;
  static constexpr std::size_t kMaxModels = 100000;
};

std::string CanonicalKey(const std::string& path) {
  std::error_code ec;
  std::string key = std::filesystem::weakly_canonical(path, ec).string();
  return ec ? path : key;
}

CheckResult CheckWith(const std::string& manifest_path, const RulePack& pack,
                      const CheckOptions& options, LineageContext& lineage, int depth);

detail::UpstreamStatus EvaluateUpstream(const std::string& path, const std::string& expected_id,
                                        const RulePack& pack, const CheckOptions& options,
                                        LineageContext& lineage, int depth) {
  using State = detail::UpstreamStatus::State;
  detail::UpstreamStatus status;
  std::string key = CanonicalKey(path);
  std::string referrer = lineage.stack.back();
  auto on_stack = std::find(lineage.stack.begin(), lineage.stack.end(), key);
  if (on_stack != lineage.stack.end()) {
    // Every manifest from `key` to the referrer lies on the cycle.
    lineage.in_cycle.insert(on_stack, lineage.stack.end());
    status.state = State::kCycle;
    status.detail = "the lineage leads back to " + path;
    return status;
  }
  auto found = lineage.done.find(key);
  if (found == lineage.done.end()) {
    if (depth >= LineageContext::kMaxDepth) {
      status.state = State::kLimit;
      status.detail =
          "the lineage is deeper than " + std::to_string(LineageContext::kMaxDepth) + " models";
      return status;
    }
    if (lineage.done.size() >= LineageContext::kMaxModels) {
      status.state = State::kLimit;
      status.detail =
          "the lineage reaches more than " + std::to_string(LineageContext::kMaxModels) + " models";
      return status;
    }
    lineage.stack.push_back(key);
    CheckOptions upstream_options = options;
    upstream_options.verify_files = false;
    CheckResult upstream = CheckWith(path, pack, upstream_options, lineage, depth + 1);
    lineage.stack.pop_back();
    if (upstream.ExitCode() >= 2) {
      status.state = State::kInvalid;
      status.detail = !upstream.diagnostics.empty() ? FormatDiagnostic(upstream.diagnostics.front())
                                                    : upstream.status.message();
    } else {
      status.state = State::kOk;
      status.tainted = upstream.report.tainted;
      status.chain = upstream.report.taint_chain;
      status.detail = upstream.report.model_id;  // The id it declares, compared below.
    }
    found = lineage.done.emplace(key, status).first;
  }
  status = found->second;
  if (lineage.in_cycle.count(key) != 0 && lineage.in_cycle.count(referrer) != 0) {
    status.state = State::kCycle;
    status.detail = "the lineage from " + path + " leads back to this manifest";
    return status;
  }
  if (status.state == State::kOk && status.detail != expected_id) {
    status.state = State::kIdMismatch;
    status.detail = "the manifest " + path + " describes model '" + status.detail + "', not '" +
                    expected_id + "'";
  }
  return status;
}

// Establishes an upstream model from its signed report (a DSSE envelope, or a Sigstore
// bundle) signed by one of the trusted keys. Anything short of that leaves it unverified, with
// the cause.
detail::UpstreamStatus VerifyAttestation(const std::string& path, const std::string& expected_id,
                                         const CheckOptions& options, LineageContext& lineage) {
  using State = detail::UpstreamStatus::State;
  detail::UpstreamStatus status;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    status.detail = "its signed report " + path + " does not exist";
    return status;
  }
  if (options.trusted_keys.empty()) {
    status.detail = "its signed report " + path + " is not verified: no key is trusted (--trust)";
    return status;
  }
  VerifyOptions verify;
  verify.key_paths = options.trusted_keys;
  VerifyResult verified = VerifyEnvelopeFile(path, verify);
  if (verified.outcome != VerifyResult::Outcome::kVerified) {
    status.detail = "its signed report " + path + " does not verify: " + verified.cause;
    return status;
  }
  if (verified.model_id != expected_id) {
    status.state = State::kIdMismatch;
    status.detail = "the signed report " + path + " is about model '" + verified.model_id +
                    "', not '" + expected_id + "'";
    return status;
  }
  status.state = State::kOk;
  status.tainted = verified.tainted;
  status.chain = !verified.taint_chain.empty()
                     ? verified.taint_chain
                     : verified.model_id + ": tainted according to its signed report";
  LineageGraph::Node node;
  node.id = verified.model_id;
  node.weights = verified.weights;
  node.effective_weights = verified.effective_weights;
  node.tainted = verified.tainted;
  node.compliant = verified.verdict == "compliant";
  lineage.attested.emplace(node.id, std::move(node));
  return status;
}

}  // namespace

namespace {

// The directory that confines lineage files (CheckOptions::root), absolute and with symlinks
// resolved; empty when nothing confines them.
std::string LineageRoot(const std::string& manifest_path, const std::string& configured) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!configured.empty()) {
    fs::path root = fs::weakly_canonical(configured, ec);
    return ec ? configured : root.string();
  }
  fs::path dir = fs::weakly_canonical(fs::absolute(manifest_path, ec).parent_path(), ec);
  if (ec) return "";
  for (fs::path at = dir;; at = at.parent_path()) {
    if (fs::exists(at / ".git", ec) || fs::exists(at / ".provgate.yaml", ec)) return at.string();
    if (at == at.root_path() || at.parent_path() == at) return "";
  }
}

}  // namespace

CheckResult Check(const std::string& manifest_path, const RulePack& pack,
                  const CheckOptions& given_options) {
  if (CheckResult invalid; InvalidDate(given_options, invalid)) return invalid;
  CheckOptions options = given_options;
  options.root = LineageRoot(manifest_path, given_options.root);
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
    waivers = detail::LoadWaivers(options.waivers_path, result.diagnostics);
    if (HasErrors(result.diagnostics)) return result;
  }
  LineageContext lineage;
  // The manifest being checked is on the path too: an upstream that leads back to it closes
  // a cycle.
  lineage.stack.push_back(CanonicalKey(manifest_path));
  CheckResult result = CheckWith(manifest_path, pack, options, lineage, 0);
  if (result.ExitCode() < 2 && !options.waivers_path.empty()) {
    detail::ApplyWaivers(result.report, waivers, options.date.empty() ? Today() : options.date);
  }
  if (result.ExitCode() < 2) {
    LineageGraph& graph = lineage.graph;
    // The checked model first, then the upstream models by id.
    std::stable_sort(graph.nodes.begin(), graph.nodes.end(),
                     [&](const LineageGraph::Node& a, const LineageGraph::Node& b) {
                       bool a_root = a.id == result.report.model_id;
                       bool b_root = b.id == result.report.model_id;
                       if (a_root != b_root) return a_root;
                       return a.id < b.id;
                     });
    std::sort(graph.edges.begin(), graph.edges.end(),
              [](const LineageGraph::Edge& a, const LineageGraph::Edge& b) {
                return std::tie(a.downstream, a.upstream, a.relation) <
                       std::tie(b.downstream, b.upstream, b.relation);
              });
    result.graph = std::move(graph);
  }
  return result;
}

namespace {

CheckResult CheckWith(const std::string& manifest_path, const RulePack& pack,
                      const CheckOptions& options, LineageContext& lineage, int depth) {
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
    expr::Value value;
    if (declared->type == "bool" && (text == "true" || text == "false")) {
      value = expr::Value::Bool(text == "true");
    } else if (declared->type == "int" && !text.empty() &&
               text.find_first_not_of("-0123456789") == std::string::npos) {
      value = expr::Value::Int(std::stoll(text));
    } else if (declared->type == "string") {
      value = expr::Value::String(text);
    } else {
      result.diagnostics.push_back(
          {Diagnostic::Severity::kError, "usage",
           "parameter '" + name + "' takes a " + declared->type + ", not '" + text + "'",
           "provgate", 0, 0, "", 0});
      continue;
    }
    for (auto& entry : params.entries) {
      if (entry.first.AsString() == name) entry.second = value;
    }
  }
  if (HasErrors(result.diagnostics)) return result;

  detail::EvaluatorOptions evaluator_options;
  evaluator_options.profile = profile;
  evaluator_options.params = expr::Value::Map(std::move(params));
  evaluator_options.check_date = options.date.empty() ? Today() : options.date;
  evaluator_options.integrity_only = options.integrity_only;
  evaluator_options.manifest_path = manifest_path;
  evaluator_options.lineage_root = options.root;
  evaluator_options.cost_limit = options.cost_limit;
  evaluator_options.verify_files = options.verify_files;
  evaluator_options.resolve_upstream = [&](const std::string& path, const std::string& id) {
    return EvaluateUpstream(path, id, pack, options, lineage, depth);
  };
  evaluator_options.resolve_attestation = [&](const std::string& path, const std::string& id) {
    return VerifyAttestation(path, id, options, lineage);
  };
  evaluator_options.collect_artifacts = options.collect_artifacts && depth == 0;
  // The evaluator judges each source on a second thread while the reader parses the next.
  ReadOptions read_options = options.read;
  read_options.pipeline = true;
  if (profile == "intermediate") {
    // P6 needs the last stage that used unpermitted data before any source is judged: a
    // first pass computes the facts only.
    detail::EvaluatorOptions first_pass = evaluator_options;
    first_pass.facts_only = true;
    detail::PolicyEvaluator facts(pack, first_pass);
    ReadResult read = ReadManifest(manifest_path, facts, read_options);
    if (read.ok()) {
      facts.Finish(read);
      evaluator_options.intermediate_known = true;
      evaluator_options.intermediate_stage = facts.last_unpermitted_stage();
    }
  }
  detail::PolicyEvaluator evaluator(pack, evaluator_options);
  ReadResult read = ReadManifest(manifest_path, evaluator, read_options);
  result.status = read.status;
  result.diagnostics = std::move(read.diagnostics);
  if (!read.ok()) return result;

  Report& report = result.report;
  report.findings = evaluator.Finish(read);
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
  report.effective_weights = std::string(evaluator.effective_weights());
  report.summary = evaluator.summary();
  report.obligations = evaluator.TakeObligations();
  report.artifacts = evaluator.TakeArtifacts();
  report.tainted = evaluator.tainted();
  report.taint_chain = evaluator.taint_chain();
  report.check_date = evaluator.check_date_used();
  detail::RecountFindings(report);
  ++lineage.graph.manifests_evaluated;
  // This model and its edges join the lineage graph; upstream models that no manifest
  // establishes appear as unverified nodes.
  if (lineage.graph_nodes.insert(report.model_id).second) {
    LineageGraph::Node node;
    node.id = report.model_id;
    node.manifest = manifest_path;
    node.weights = std::string(ToString(report.weights));
    node.effective_weights = report.effective_weights;
    node.tainted = report.tainted;
    node.compliant = report.compliant;
    node.stages = evaluator.graph_stages();
    lineage.graph.nodes.push_back(std::move(node));
  }
  for (const auto& edge : evaluator.graph_edges()) {
    lineage.graph.edges.push_back(edge);
    auto attested = lineage.attested.find(edge.upstream);
    if (edge.status == "ok" && attested != lineage.attested.end() &&
        lineage.graph_nodes.insert(edge.upstream).second) {
      lineage.graph.nodes.push_back(attested->second);
    }
    if (edge.status != "ok" && lineage.graph_nodes.insert(edge.upstream).second) {
      LineageGraph::Node node;
      node.id = edge.upstream;
      node.unverified = true;
      node.tainted = true;
      lineage.graph.nodes.push_back(std::move(node));
    }
  }
  return result;
}

}  // namespace

}  // namespace provgate
