// Check: the pipeline from a manifest path to a report.
#include "provgate/check.h"

#include <ctime>
#include <filesystem>

#include "policy/evaluator.h"
#include "policy/rule_pack.h"
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

}  // namespace

int CheckResult::ExitCode(FailOn fail_on) const {
  if (!status.ok()) {
    return status.code() == Status::Code::kNotFound ||
                   status.code() == Status::Code::kInvalidArgument
               ? 2
               : 3;
  }
  if (HasErrors(diagnostics)) return 2;
  for (const Finding& f : report.findings) {
    if (f.waived) continue;
    if (f.severity == Severity::kError) return 1;
    if (fail_on == FailOn::kWarning && f.severity == Severity::kWarning) return 1;
  }
  return 0;
}

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

  detail::EvaluatorOptions evaluator_options;
  evaluator_options.profile = profile;
  evaluator_options.check_date = options.date.empty() ? Today() : options.date;
  evaluator_options.integrity_only = options.integrity_only;
  evaluator_options.manifest_path = manifest_path;
  evaluator_options.cost_limit = options.cost_limit;
  evaluator_options.verify_files = options.verify_files;
  detail::PolicyEvaluator evaluator(pack, evaluator_options);
  ReadResult read = ReadManifest(manifest_path, evaluator, options.read);
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
  report.tainted = evaluator.tainted();
  report.check_date = evaluator.check_date_used();
  report.compliant = true;
  for (const Finding& f : report.findings) {
    if (f.severity == Severity::kError && !f.waived) report.compliant = false;
  }
  return result;
}

}  // namespace provgate
