// The findings of waivers: applying waivers to a report's findings (waived, expired,
// unused), the description of the pseudo-rule `waiver` for reports and `explain`, and the
// recount of findings and verdict.
#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include "policy/waivers.h"

namespace provgate::detail {

namespace {

constexpr char kWaiverDescription[] =
    "A waiver (check --waivers FILE) accepts one finding, named by rule and subject, until its "
    "expiry date: the finding stays in the report, marked waived, and no longer fails the "
    "check. An expired waiver waives nothing and is an error; a waiver that matches no finding "
    "is a warning.";

}  // namespace

std::string WaiverDescription(const PackInfo& pack) {
  std::string refused;
  for (std::size_t i = 0; i < pack.never_waived.size(); ++i) {
    const std::string& id = pack.never_waived[i];
    refused += i == 0 ? "" : i + 1 == pack.never_waived.size() ? " and " : ", ";
    refused += id + (id == pack.integrity_rule ? " integrity errors" : " findings");
  }
  return refused.empty() ? kWaiverDescription
                         : std::string(kWaiverDescription) + " " + refused + " cannot be waived.";
}

RuleInfo WaiverRuleInfo(const PackInfo& pack) {
  RuleInfo r;
  r.id = std::string(kWaiverRuleId);
  r.title = "Waivers in force";
  r.severity = Severity::kError;
  r.description = WaiverDescription(pack);
  r.rationale =
      "An accepted exception must be reviewed again when it ends, and a stale one removed "
      "before it hides a new problem of the same rule and subject.";
  r.remedy = "Extend a waiver after a new review, or remove it when its finding is gone.";
  r.reasons = {"waiver-expired", "waiver-expiring", "waiver-unused"};
  r.subjects = {"rule/subject"};
  r.references = {"docs/cli.md#waivers"};
  r.file = "the waivers file";
  return r;
}

const std::vector<ReasonInfo>& WaiverReasons() {
  static const std::vector<ReasonInfo> reasons = {
      {"waiver-expired", "The waiver has expired",
       "The waiver's expires date is before the date of the check (--date, else today). It no "
       "longer waives its finding, which counts again, and the expired waiver is itself an "
       "error located in the waivers file.",
       "Fix the finding, or have it reviewed again and move the waiver's expires date."},
      {"waiver-expiring", "The waiver expires soon",
       "The waiver's expires date falls within the days of --warn-expiring after the date of "
       "the check. It still waives its finding; once it has expired, the finding counts "
       "again and the check fails.",
       "Fix the finding before the waiver expires, or have it reviewed again and move the "
       "waiver's expires date."},
      {"waiver-unused", "The waiver matches no finding",
       "No finding has the waiver's rule and subject: the problem it covered is gone, or the "
       "waiver names the wrong rule or subject.",
       "Remove the waiver, or correct its rule or subject."},
  };
  return reasons;
}

namespace {

// A finding about a waiver itself, located at the waiver in its file.
Finding WaiverFinding(const Waiver& waiver, Severity severity, const char* reason,
                      std::string message, const char* remedy) {
  Finding f;
  f.rule = std::string(kWaiverRuleId);
  f.severity = severity;
  f.subject = waiver.rule + "/" + waiver.subject;
  f.reason = reason;
  f.message = std::move(message);
  f.remedy = remedy;
  f.location = waiver.location;
  return f;
}

}  // namespace

void RecountFindings(Report& report) {
  auto& s = report.summary;
  s.errors = s.warnings = s.infos = s.waived = 0;
  report.verdict = Verdict::kCompliant;
  for (const Finding& f : report.findings) {
    if (f.waived) {
      ++s.waived;
      continue;
    }
    if (f.severity == Severity::kError) {
      ++s.errors;
      report.verdict = Verdict::kNonCompliant;
    } else if (f.severity == Severity::kWarning) {
      ++s.warnings;
    } else {
      ++s.infos;
    }
  }
}

void ApplyWaivers(Report& report, const std::vector<std::shared_ptr<const Waiver>>& waivers,
                  const std::string& date, const std::string& expiring_before) {
  // Keyed by views of the waivers' own strings, which outlive this call: looking a finding up
  // copies nothing, and the tree costs log n per finding whatever the ids are.
  using Key = std::pair<std::string_view, std::string_view>;
  std::map<Key, std::shared_ptr<const Waiver>> in_force;
  std::vector<Finding> added;
  for (const auto& waiver : waivers) {
    // Not in force yet: on a date before it was granted (a check of a past date) the waiver
    // did not exist, so it waives nothing and is not reported either.
    if (date < waiver->created) continue;
    if (waiver->expires < date) {
      added.push_back(WaiverFinding(
          *waiver, Severity::kError, "waiver-expired",
          "the waiver of " + waiver->rule + " for '" + waiver->subject + "' approved by " +
              waiver->approver + " expired on " + waiver->expires +
              "; the finding it covered counts again",
          "Fix the finding, or have it reviewed again and extend the waiver's expires."));
      continue;
    }
    if (!expiring_before.empty() && waiver->expires < expiring_before) {
      added.push_back(WaiverFinding(
          *waiver, Severity::kWarning, "waiver-expiring",
          "the waiver of " + waiver->rule + " for '" + waiver->subject + "' approved by " +
              waiver->approver + " expires on " + waiver->expires +
              "; after that the finding it covers counts again",
          "Fix the finding before the waiver expires, or have it reviewed again and extend the "
          "waiver's expires."));
    }
    in_force.emplace(Key(waiver->rule, waiver->subject), waiver);
  }
  std::set<const Waiver*> used;
  for (Finding& f : report.findings) {
    auto it = in_force.find(Key(f.rule, f.subject));
    if (it == in_force.end()) continue;
    f.waived = true;
    f.waiver = it->second;
    used.insert(it->second.get());
  }
  for (const auto& [unused_key, waiver] : in_force) {
    if (used.count(waiver.get()) != 0) continue;
    added.push_back(WaiverFinding(
        *waiver, Severity::kWarning, "waiver-unused",
        "the waiver of " + waiver->rule + " for '" + waiver->subject +
            "' matches no finding: the problem it covered is gone, or the waiver names the "
            "wrong rule or subject",
        "Remove the waiver from the waivers file."));
  }
  std::sort(added.begin(), added.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.subject, a.location.line) < std::tie(b.subject, b.location.line);
  });
  // `waiver` sorts after every P-numbered rule id, so the findings stay in order.
  for (auto& f : added) report.findings.push_back(std::move(f));
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.rule < b.rule; });
  RecountFindings(report);
}

}  // namespace provgate::detail
