// What every way of checking shares: turning CheckOptions into the evaluator's options (the
// profile, the parameters, the check date) before anything is read, and turning an evaluation
// into the report afterwards.
#ifndef PROVGATE_API_CHECK_PLAN_H_
#define PROVGATE_API_CHECK_PLAN_H_

#include <optional>
#include <string>
#include <vector>

#include "policy/check_scope.h"
#include "policy/model_judge.h"
#include "policy/rule_pack.h"
#include "provgate/check.h"

namespace provgate::detail {

// Today's date (UTC) as YYYY-MM-DD.
std::string Today();

// With CheckOptions::warn_expiring_days, the first day after the window of warnings that
// starts on `date`: waivers and contracts ending before it are expiring. Empty without it.
std::string ExpiringBefore(const CheckOptions& options, const std::string& date);

struct CheckPlan {
  std::string profile;
  // The profile needs the last stage that used unpermitted data before any source is judged:
  // every source is read twice (facts first, then rules).
  bool two_pass = false;
  EvaluatorOptions evaluator;
};

// The plan for checking with `pack` and `options`; nullopt with error diagnostics (usage)
// when the date, the profile or a parameter override is invalid. The evaluator's resolvers
// and the manifest path are left for the caller.
std::optional<CheckPlan> PlanCheck(const RulePack& pack, const CheckOptions& options,
                                   std::vector<Diagnostic>& diagnostics);

// What the report says about its input.
struct ReportInput {
  std::string manifest_path;
  std::string manifest_sha256;
  std::string sources_sha256;
};

// The report of an evaluation: the evaluation's findings and tallies, the input, the pack and
// the profile, with the findings counted and the verdict set.
void FillReport(Report& report, Evaluation&& evaluation, const ManifestHeader& header,
                const ReportInput& input, const RulePack& pack, const std::string& profile);

// The threads a check may start besides the calling thread, from CheckOptions::max_threads.
int ExtraThreads(const CheckOptions& options);

}  // namespace provgate::detail

#endif  // PROVGATE_API_CHECK_PLAN_H_
