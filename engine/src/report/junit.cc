// JUnit XML: a test suite per rule, a test case per rule and subject.
#include <algorithm>
#include <map>
#include <set>

#include "common/escape.h"
#include "provgate/formats.h"
#include "report/format_common.h"

namespace provgate {

namespace detail {

std::string JunitSuites(const Report& report, const PackInfo& pack, const FormatOptions& options,
                        const std::string& prefix, JunitCounts& counts) {
  RuleInfo waiver_rule;
  std::vector<const RuleInfo*> rules = ReportRules({&report}, pack, waiver_rule);
  RelativePaths paths(options.source_root);
  // Findings by rule, then subject, in report order.
  std::map<std::string, std::map<std::string, std::vector<const Finding*>>> grouped;
  for (const Finding& f : report.findings) grouped[f.rule][f.subject].push_back(&f);
  // Every string from the input goes through detail::AppendXml (attribute values and character
  // data alike); the line breaks between a finding's lines are the only raw ones.
  using detail::AppendXml;
  using detail::Xml;
  // A finding as lines of text: severity, location, reason and message, then the fix.
  auto append_finding = [&](std::string& out, const Finding& f) {
    out += ToString(f.severity);
    out += ' ';
    AppendXml(out, Where(f, paths));
    out += ' ';
    if (!f.reason.empty()) {
      out += '[';
      AppendXml(out, f.reason);
      out += "] ";
    }
    AppendXml(out, f.message);
    if (!f.remedy.empty()) {
      out += "\nfix: ";
      AppendXml(out, f.remedy);
    }
    out += '\n';
  };
  std::string suites;
  for (const RuleInfo* rule : rules) {
    auto found = grouped.find(rule->id);
    std::string cases;
    std::size_t suite_tests = 0, suite_failures = 0, suite_skipped = 0;
    std::string classname = Xml("provgate." + rule->id);
    if (found == grouped.end()) {
      cases += "    <testcase classname=\"" + classname + "\" name=\"" +
               Xml(rule->id + ": no finding") + "\"/>\n";
      ++suite_tests;
    } else {
      for (const auto& [subject, findings] : found->second) {
        ++suite_tests;
        cases += "    <testcase classname=\"" + classname + "\" name=\"" +
                 Xml(rule->id + " " + subject) + "\" file=\"" +
                 Xml(paths.Of(findings.front()->location.file)) + "\" line=\"" +
                 std::to_string(findings.front()->location.line) + "\">\n";
        std::string body, out, skip;
        bool failed = false;
        for (const Finding* f : findings) {
          if (FailsGate(*f, options)) {
            if (!failed) {
              body += "      <failure type=\"" + std::string(ToString(f->severity)) +
                      "\" message=\"" + Xml(f->message) + "\">";
            }
            failed = true;
            append_finding(body, *f);
          } else {
            if (f->waived) {
              skip = f->waiver ? "waived by " + Xml(f->waiver->approver) + " until " +
                                     Xml(f->waiver->expires) + ": " + Xml(f->waiver->reason)
                               : "waived";
            }
            append_finding(out, *f);
          }
        }
        if (failed) {
          body += "</failure>\n";
          ++suite_failures;
        } else if (!skip.empty()) {
          body += "      <skipped message=\"" + skip + "\"/>\n";
          ++suite_skipped;
        }
        if (!out.empty()) body += "      <system-out>" + out + "</system-out>\n";
        cases += body + "    </testcase>\n";
      }
    }
    counts.tests += suite_tests;
    counts.failures += suite_failures;
    counts.skipped += suite_skipped;
    suites += "  <testsuite name=\"" + Xml(prefix + rule->id + " " + rule->title) + "\" tests=\"" +
              std::to_string(suite_tests) + "\" failures=\"" + std::to_string(suite_failures) +
              "\" errors=\"0\" skipped=\"" + std::to_string(suite_skipped) + "\">\n" + cases +
              "  </testsuite>\n";
  }
  return suites;
}

}  // namespace detail

std::string RenderJunitReport(const Report& report, const PackInfo& pack,
                              const FormatOptions& options) {
  using detail::Xml;
  detail::JunitCounts counts;
  std::string suites = detail::JunitSuites(report, pack, options, "", counts);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" +
         Xml("provgate " + report.model_id) + "\" tests=\"" + std::to_string(counts.tests) +
         "\" failures=\"" + std::to_string(counts.failures) + "\" errors=\"0\" skipped=\"" +
         std::to_string(counts.skipped) + "\">\n" + suites + "</testsuites>\n";
}

}  // namespace provgate
