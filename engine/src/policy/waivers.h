// Waivers: accepted exceptions to findings, read from a YAML (or JSON) file.
#ifndef PROVGATE_POLICY_WAIVERS_H_
#define PROVGATE_POLICY_WAIVERS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "provgate/diagnostic.h"
#include "provgate/policy.h"
#include "provgate/report.h"

namespace provgate::detail {

// The rule id of the findings waivers make (waiver-expired, waiver-unused): the engine's,
// not a pack's.
inline constexpr std::string_view kWaiverRuleId = "waiver";

// Reads the waivers file at `path` (schemas/waivers.schema.json). Every problem is a
// diagnostic at its line and column, with its JSON pointer: a missing rule, subject, reason,
// approver, created or expires, a date that is not a calendar day YYYY-MM-DD, an expiry before
// creation, an unknown key, a value longer than the schema's maxLength, a repeated (rule,
// subject), and a waiver of a rule that `pack` declares never_waived. The file itself must be a
// regular file of at most 16 MiB holding at most 100000 waivers, in one YAML document without
// aliases or repeated keys (policy/yaml_reader.h); reading stops at the first such problem,
// or after 200 problems. Waivers are returned only from a file without errors. The file is
// read as it is parsed: memory is the waivers themselves, not a tree of YAML nodes.
std::vector<std::shared_ptr<const Waiver>> LoadWaivers(const std::string& path,
                                                       const PackInfo& pack,
                                                       std::vector<Diagnostic>& diagnostics);
// The same, with the declarations of the built-in pack.
std::vector<std::shared_ptr<const Waiver>> LoadWaivers(const std::string& path,
                                                       std::vector<Diagnostic>& diagnostics);
// Reads waivers from `text` (at most 16 MiB), as LoadWaivers reads a file's contents: for a
// caller that holds them in memory. `display_name` stands for the text in diagnostics and in
// the waivers' locations (a path, "<stdin>", a URL). Example:
//   std::vector<Diagnostic> diagnostics;
//   auto waivers = ReadWaivers(yaml, "waivers from the pipeline", pack.info, diagnostics);
std::vector<std::shared_ptr<const Waiver>> ReadWaivers(std::string_view text,
                                                       const std::string& display_name,
                                                       const PackInfo& pack,
                                                       std::vector<Diagnostic>& diagnostics);

// Applies `waivers` to the report's findings on `date` (YYYY-MM-DD): a waiver in force (from
// its created date to its expires date, both included) marks every finding of its rule and
// subject waived; an expired one waives nothing and is an error finding (rule `waiver`,
// reason `waiver-expired`); one that matches no finding is a warning (`waiver-unused`); one
// created after `date` is not in force yet and is left out, reported by nothing. Recomputes
// the verdict and the finding counts. O((findings + waivers) log waivers).
// With `expiring_before` (YYYY-MM-DD; empty: off), a waiver in force that expires before it is
// also a warning (`waiver-expiring`), and still waives its finding.
void ApplyWaivers(Report& report, const std::vector<std::shared_ptr<const Waiver>>& waivers,
                  const std::string& date, const std::string& expiring_before = {});

// The rule of the findings waivers make, its description (with the rules `pack` declares
// never_waived), and its reason codes (`waiver-expired`, `waiver-unused`): what SARIF, JUnit
// and `explain` say about them.
RuleInfo WaiverRuleInfo(const PackInfo& pack);
// The description of waivers with what `pack` says cannot be waived.
std::string WaiverDescription(const PackInfo& pack);
const std::vector<ReasonInfo>& WaiverReasons();

// Recomputes the finding counts (waived findings apart) and the verdict from the findings.
void RecountFindings(Report& report);

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_WAIVERS_H_
