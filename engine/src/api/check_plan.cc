#include "api/check_plan.h"

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "common/date.h"
#include "policy/waivers.h"
#include "provgate/version.h"

namespace provgate::detail {
namespace {

Diagnostic UsageError(std::string message) {
  return {Diagnostic::Severity::kError, "usage", std::move(message), "provgate", 0, 0, "", 0};
}

std::string Shown(const std::string& text) {
  return text.size() <= 40 ? text : text.substr(0, 40) + "...";
}

}  // namespace

std::string Today() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[16];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%d", &utc);
  return buffer;
}

std::optional<CheckPlan> PlanCheck(const RulePack& pack, const CheckOptions& options,
                                   std::vector<Diagnostic>& diagnostics) {
  // The check date is compared as text with the dates of manifests and waivers, so it must
  // be a calendar day: `2026-02-30` would fall between real days.
  if (!options.date.empty() && !IsCalendarDate(options.date)) {
    diagnostics.push_back(UsageError("invalid check date '" + Shown(options.date) +
                                     "': expected YYYY-MM-DD naming a real calendar day"));
    return std::nullopt;
  }
  const PackInfo& info = pack.info;
  CheckPlan plan;
  plan.profile = options.profile.empty() ? info.default_profile : options.profile;
  auto profile = std::find_if(info.profiles.begin(), info.profiles.end(),
                              [&](const ProfileInfo& p) { return p.name == plan.profile; });
  if (profile == info.profiles.end()) {
    std::string names;
    for (const auto& p : info.profiles) names += (names.empty() ? "" : ", ") + p.name;
    diagnostics.push_back(UsageError("unknown profile '" + Shown(plan.profile) + "': the pack " +
                                     info.name + " defines " + names));
    return std::nullopt;
  }
  plan.two_pass = profile->intermediate_facts;

  // Parameter overrides: declared names only, values of the declared type.
  expr::MapData params = pack.params.AsMap();
  bool valid = true;
  for (const auto& param : options.params) {
    const std::string& name = param.first;
    const std::string& text = param.second;
    auto declared = std::find_if(info.parameters.begin(), info.parameters.end(),
                                 [&](const ParameterInfo& p) { return p.name == name; });
    if (declared == info.parameters.end()) {
      diagnostics.push_back(
          UsageError("the pack " + info.name + " has no parameter '" + Shown(name) + "'"));
      valid = false;
      continue;
    }
    std::optional<expr::Value> value = ParseParamValue(declared->type, text);
    if (!value) {
      diagnostics.push_back(UsageError(
          "parameter '" + name + "' takes " +
          (declared->type == "int" ? "an int (decimal, within 64 bits)" : "a " + declared->type) +
          ", not '" + Shown(text) + "'"));
      valid = false;
      continue;
    }
    for (auto& entry : params.entries) {
      if (entry.first.AsString() == name) entry.second = *value;
    }
  }
  if (options.integrity_only && info.integrity_rule.empty()) {
    diagnostics.push_back(UsageError("the pack " + info.name +
                                     " declares no integrity_rule: it cannot validate a manifest"));
    valid = false;
  }
  if (!valid) return std::nullopt;

  EvaluatorOptions& evaluator = plan.evaluator;
  evaluator.profile = plan.profile;
  evaluator.params = expr::Value::Map(std::move(params));
  evaluator.check_date = options.date.empty() ? Today() : options.date;
  evaluator.expiring_before = ExpiringBefore(options, evaluator.check_date);
  if (options.integrity_only) evaluator.only_rule = info.integrity_rule;
  evaluator.lineage_root = options.root;
  evaluator.cost_limit = options.cost_limit;
  evaluator.verify_files = options.verify_files;
  evaluator.hash_threads = std::max(1, std::min(2, ExtraThreads(options)));
  evaluator.sort_on_thread = ExtraThreads(options) >= 1;
  return plan;
}

void FillReport(Report& report, Evaluation&& evaluation, const ManifestHeader& header,
                const ReportInput& input, const RulePack& pack, const std::string& profile) {
  report.findings = std::move(evaluation.findings);
  report.tool_version = Version();
  report.manifest_path = input.manifest_path;
  report.manifest_sha256 = input.manifest_sha256;
  if (header.sources_jsonl) {
    report.sources_path =
        (std::filesystem::path(input.manifest_path).parent_path() / *header.sources_jsonl)
            .lexically_normal()
            .string();
    report.sources_sha256 = input.sources_sha256;
  }
  report.policy_name = pack.info.name;
  report.policy_version = pack.info.version;
  report.policy_profile = profile;
  report.policy_sha256 = pack.info.sha256;
  report.model_id = header.model.id;
  report.weights = header.model.release.weights;
  report.effective_weights = std::move(evaluation.effective_weights);
  report.summary = std::move(evaluation.summary);
  report.obligations = std::move(evaluation.obligations);
  report.artifacts = std::move(evaluation.artifacts);
  report.decisions = std::move(evaluation.decisions);
  report.tainted = evaluation.tainted;
  report.taint_chain = std::move(evaluation.taint_chain);
  report.taint_causes = std::move(evaluation.taint_causes);
  report.taint_causes_omitted = evaluation.taint_causes_omitted;
  report.check_date = std::move(evaluation.check_date_used);
  RecountFindings(report);
}

int ExtraThreads(const CheckOptions& options) {
  return options.max_threads == 0 ? 3 : static_cast<int>(options.max_threads) - 1;
}

std::string ExpiringBefore(const CheckOptions& options, const std::string& date) {
  if (options.warn_expiring_days < 0) return {};
  // Beyond the last calendar date whatever the date of the check.
  constexpr int kMaxDays = 3'660'000;
  return AddDays(date, std::min(options.warn_expiring_days, kMaxDays) + 1);
}

}  // namespace provgate::detail
