// What the CI renderings share: paths relative to the source root, which findings fail the
// gate, fingerprints, and the rules a report's findings refer to.
#ifndef PROVGATE_REPORT_FORMAT_COMMON_H_
#define PROVGATE_REPORT_FORMAT_COMMON_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "provgate/formats.h"

namespace provgate::detail {

// Paths as the source root sees them: relative to it when inside, with '/' separators. Each
// file's path is worked out once: the findings of a report name few files.
class RelativePaths {
 public:
  explicit RelativePaths(const std::string& root);
  const std::string& Of(const std::string& path);

 private:
  std::filesystem::path base_;
  std::map<std::string, std::string> cache_;
};

bool FailsGate(const Finding& f, const FormatOptions& options);

// SHA-256 of rule, subject and reason: a finding's identity however its lines move.
std::string Fingerprint(const Finding& f);

std::string PascalCase(const std::string& title);

std::string_view SarifLevel(Severity s);

// The rules findings refer to: the pack's, plus the waiver pseudo-rule (kept in
// `waiver_rule`) when one of `reports` has findings of it.
std::vector<const RuleInfo*> ReportRules(const std::vector<const Report*>& reports,
                                         const PackInfo& pack, RuleInfo& waiver_rule);

// `path:line:column` of a finding (just the path when it has no line), as the source root
// sees it.
std::string Where(const Finding& f, RelativePaths& paths);

// A result of the gate itself, under the rule kGateRuleId: a manifest that cannot be checked,
// or one that is no longer gated.
inline constexpr std::string_view kGateRuleId = "provgate/gate";
struct GateProblem {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string subject;
  std::string reason;
  std::string message;
};

// What one SARIF log holds: the reports of one invocation, and the gate's own problems.
struct SarifLog {
  std::vector<const Report*> reports;
  std::vector<GateProblem> problems;
  // runs[0].automationDetails.id.
  std::string automation_id;
  // For a log of several reports: the run's verdict.
  bool compliant = true;
};

// SARIF 2.1.0 with one run. A log of one report and no problems is RenderSarifReport's.
std::string RenderSarifLog(const SarifLog& log, const PackInfo& pack, const FormatOptions& options);

// JUnit test suites (each `  <testsuite …>…</testsuite>` line block) for `report`, their
// names prefixed with `prefix`; adds to the counts.
struct JunitCounts {
  std::size_t tests = 0, failures = 0, skipped = 0;
};
std::string JunitSuites(const Report& report, const PackInfo& pack, const FormatOptions& options,
                        const std::string& prefix, JunitCounts& counts);

}  // namespace provgate::detail

#endif  // PROVGATE_REPORT_FORMAT_COMMON_H_
