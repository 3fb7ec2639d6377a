// SARIF, JUnit XML, GitHub workflow commands and Markdown renderings of a report.
#include "provgate/formats.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "common/escape.h"
#include "crypto/sha256.h"
#include "json/json_writer.h"
#include "policy/waivers.h"
#include "provgate/version.h"

namespace provgate {
namespace {

// Paths as the source root sees them: relative to it when inside, with '/' separators. Each
// file's path is worked out once: the findings of a report name few files.
class RelativePaths {
 public:
  explicit RelativePaths(const std::string& root) {
    std::error_code ec;
    base_ = (root.empty() ? std::filesystem::current_path(ec) : std::filesystem::absolute(root, ec))
                .lexically_normal();
  }
  const std::string& Of(const std::string& path) {
    auto [it, inserted] = cache_.try_emplace(path);
    if (inserted) {
      namespace fs = std::filesystem;
      std::error_code ec;
      fs::path p = fs::absolute(path, ec).lexically_normal();
      fs::path rel = p.lexically_relative(base_);
      it->second = ec || rel.empty() || *rel.begin() == ".." ? fs::path(path).generic_string()
                                                             : rel.generic_string();
    }
    return it->second;
  }

 private:
  std::filesystem::path base_;
  std::map<std::string, std::string> cache_;
};

bool FailsGate(const Finding& f, const FormatOptions& options) {
  return provgate::FailsGate(f, GateOptions{options.fail_on, options.new_only});
}

std::string Fingerprint(const Finding& f) {
  return detail::Sha256Hex(f.rule + '\0' + f.subject + '\0' + f.reason);
}

std::string PascalCase(const std::string& title) {
  std::string out;
  bool upper = true;
  for (char c : title) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return out;
}

std::string_view SarifLevel(Severity s) {
  return s == Severity::kError ? "error" : s == Severity::kWarning ? "warning" : "note";
}

// The rules findings refer to: the pack's, plus the waiver pseudo-rule (kept in
// `waiver_rule`) when it has findings.
std::vector<const RuleInfo*> ReportRules(const Report& report, const PackInfo& pack,
                                         RuleInfo& waiver_rule) {
  std::vector<const RuleInfo*> rules;
  for (const RuleInfo& r : pack.rules) rules.push_back(&r);
  auto is_waiver = [](const auto& x) { return x.rule == detail::kWaiverRuleId; };
  bool in_pack = std::any_of(pack.rules.begin(), pack.rules.end(),
                             [](const RuleInfo& r) { return r.id == detail::kWaiverRuleId; });
  if (!in_pack && std::any_of(report.findings.begin(), report.findings.end(), is_waiver)) {
    waiver_rule = detail::WaiverRuleInfo(pack);  // From the waivers file, not the pack.
    rules.push_back(&waiver_rule);
  }
  return rules;
}

// `path:line:column` of a finding (just the path when it has no line), as the source root
// sees it.
std::string Where(const Finding& f, RelativePaths& paths) {
  std::string where = paths.Of(f.location.file);
  if (f.location.line > 0) {
    where += ":" + std::to_string(f.location.line) + ":" + std::to_string(f.location.column);
  }
  return where;
}

}  // namespace

std::string RenderSarifReport(const Report& report, const PackInfo& pack,
                              const FormatOptions& options) {
  // Written with the streaming JSON writer: a report with hundreds of thousands of findings
  // is one pass, with no document tree.
  RuleInfo waiver_rule;
  std::vector<const RuleInfo*> rules = ReportRules(report, pack, waiver_rule);
  RelativePaths paths(options.source_root);
  std::map<std::string, std::size_t> index;
  std::string out;
  out.reserve(8192 + report.findings.size() * 1400);
  detail::JsonWriter w(out);
  w.BeginObject();
  w.Member("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  w.Member("version", "2.1.0");
  w.Key("runs");
  w.BeginArray();
  w.BeginObject();
  w.Key("tool");
  w.BeginObject();
  w.Key("driver");
  w.BeginObject();
  w.Member("name", "provgate");
  w.Member("version", Version());
  w.Member("semanticVersion", Version());
  w.Member("informationUri", "https://provgate.dev");
  w.Key("rules");
  w.BeginArray();
  for (const RuleInfo* r : rules) {
    std::size_t position = index.size();
    index[r->id] = position;
    // The pack's texts are message strings: escaped for SARIF viewers, line feeds kept.
    std::string help = detail::SarifText(r->remedy, true);
    if (!r->rationale.empty()) help += "\n\nWhy: " + detail::SarifText(r->rationale, true);
    auto text_object = [&](const char* key, const std::string& text) {
      w.Key(key);
      w.BeginObject();
      w.Member("text", text);
      w.EndObject();
    };
    std::string title = detail::SarifText(r->title);
    w.BeginObject();
    w.Member("id", r->id);
    w.Member("name", PascalCase(r->title));
    text_object("shortDescription", title);
    text_object("fullDescription",
                r->description.empty() ? title : detail::SarifText(r->description, true));
    text_object("help", help.empty() ? title : help);
    w.Key("defaultConfiguration");
    w.BeginObject();
    w.Member("level", SarifLevel(r->severity));
    w.EndObject();
    w.Key("properties");
    w.BeginObject();
    w.Key("tags");
    w.BeginArray();
    for (const char* tag : {"compliance", "provenance", "licensing"}) w.String(tag);
    w.EndArray();
    w.EndObject();
    if (!r->references.empty())
      w.Member("helpUri", "https://provgate.dev/" + r->references.front());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();  // driver
  w.EndObject();  // tool
  w.Key("automationDetails");
  w.BeginObject();
  w.Member("id", "provgate/" + report.model_id + "/");
  w.EndObject();
  w.Key("invocations");
  w.BeginArray();
  w.BeginObject();
  w.Member("executionSuccessful", true);
  w.EndObject();
  w.EndArray();
  w.Key("results");
  w.BeginArray();
  std::string text;  // One buffer for every message: no allocation per finding.
  for (const Finding& f : report.findings) {
    w.BeginObject();
    w.Member("ruleId", f.rule);
    if (auto it = index.find(f.rule); it != index.end()) {
      w.Member("ruleIndex", static_cast<std::uint64_t>(it->second));
    }
    w.Member("level", SarifLevel(f.severity));
    w.Key("message");
    w.BeginObject();
    text.clear();
    detail::AppendSarifText(text, f.message);
    if (!f.remedy.empty()) {
      text += " Fix: ";
      detail::AppendSarifText(text, f.remedy);
    }
    w.Member("text", text);
    w.EndObject();
    w.Key("locations");
    w.BeginArray();
    w.BeginObject();
    w.Key("physicalLocation");
    w.BeginObject();
    w.Key("artifactLocation");
    w.BeginObject();
    text.clear();
    detail::AppendUriPath(text, paths.Of(f.location.file));
    w.Member("uri", text);
    w.Member("uriBaseId", "%SRCROOT%");
    w.EndObject();
    if (f.location.line > 0) {
      w.Key("region");
      w.BeginObject();
      w.Member("startLine", std::uint64_t{f.location.line});
      w.Member("startColumn", std::uint64_t{std::max<std::uint32_t>(f.location.column, 1)});
      w.EndObject();
    }
    w.EndObject();  // physicalLocation
    if (!f.location.pointer.empty()) {
      w.Key("logicalLocations");
      w.BeginArray();
      w.BeginObject();
      w.Member("fullyQualifiedName", f.location.pointer);
      w.EndObject();
      w.EndArray();
    }
    w.EndObject();
    w.EndArray();  // locations
    w.Key("partialFingerprints");
    w.BeginObject();
    w.Member("provgateFinding/v1", Fingerprint(f));
    w.EndObject();
    if (f.baseline != BaselineStatus::kNone) {
      w.Member("baselineState", f.baseline == BaselineStatus::kNew ? "new" : "unchanged");
    }
    w.Key("properties");
    w.BeginObject();
    w.Member("subject", f.subject);
    if (!f.reason.empty()) w.Member("reason", f.reason);
    w.EndObject();
    if (f.waived && f.waiver) {
      w.Key("suppressions");
      w.BeginArray();
      w.BeginObject();
      w.Member("kind", "external");
      w.Member("status", "accepted");
      w.Member("justification", detail::SarifText(f.waiver->reason) + " (approved by " +
                                    detail::SarifText(f.waiver->approver) + ", until " +
                                    detail::SarifText(f.waiver->expires) + ")");
      w.EndObject();
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();  // results
  w.Key("properties");
  w.BeginObject();
  w.Member("model", report.model_id);
  w.Member("verdict", report.compliant() ? "compliant" : "non-compliant");
  w.Member("policy",
           report.policy_name + " " + report.policy_version + " (" + report.policy_profile + ")");
  w.Member("policySha256", report.policy_sha256);
  w.EndObject();
  w.EndObject();  // run
  w.EndArray();   // runs
  w.EndObject();
  w.Raw("\n");
  return out;
}

std::string RenderJunitReport(const Report& report, const PackInfo& pack,
                              const FormatOptions& options) {
  RuleInfo waiver_rule;
  std::vector<const RuleInfo*> rules = ReportRules(report, pack, waiver_rule);
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
  std::size_t tests = 0, failures = 0, skipped = 0;
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
    tests += suite_tests;
    failures += suite_failures;
    skipped += suite_skipped;
    suites += "  <testsuite name=\"" + Xml(rule->id + " " + rule->title) + "\" tests=\"" +
              std::to_string(suite_tests) + "\" failures=\"" + std::to_string(suite_failures) +
              "\" errors=\"0\" skipped=\"" + std::to_string(suite_skipped) + "\">\n" + cases +
              "  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" +
         Xml("provgate " + report.model_id) + "\" tests=\"" + std::to_string(tests) +
         "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\" skipped=\"" +
         std::to_string(skipped) + "\">\n" + suites + "</testsuites>\n";
}

std::string RenderGithubAnnotations(const Report& report, const FormatOptions& options) {
  RelativePaths paths(options.source_root);
  std::string out;
  for (const Finding& f : report.findings) {
    // Waived findings, and with --new-only those the baseline already had, do not fail the
    // gate: they are notices, not errors on the diff.
    bool settled = f.waived || (options.new_only && f.baseline == BaselineStatus::kUnchanged);
    std::string_view command = settled                            ? "notice"
                               : f.severity == Severity::kError   ? "error"
                               : f.severity == Severity::kWarning ? "warning"
                                                                  : "notice";
    out += "::";
    out += command;
    out += " file=";
    detail::AppendGithubProperty(out, paths.Of(f.location.file));
    if (f.location.line > 0) {
      out +=
          ",line=" + std::to_string(f.location.line) + ",col=" + std::to_string(f.location.column);
    }
    out += ",title=";
    detail::AppendGithubProperty(out, f.rule);
    if (!f.reason.empty()) {
      out += ' ';
      detail::AppendGithubProperty(out, f.reason);
    }
    out += ' ';
    detail::AppendGithubProperty(out, f.subject);
    out += f.waived ? " (waived)" : f.baseline == BaselineStatus::kUnchanged ? " (unchanged)" : "";
    out += "::";
    detail::AppendGithubMessage(out, f.message);
    if (!f.remedy.empty()) {
      out += "%0AFix: ";  // A line break of the annotation's own.
      detail::AppendGithubMessage(out, f.remedy);
    }
    out += '\n';
  }
  const auto& s = report.summary;
  auto count = [](std::uint64_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  out += "provgate: " + std::string(report.compliant() ? "compliant" : "non-compliant") + ": " +
         detail::TerminalText(report.model_id) + ": " + count(s.errors, "error") + ", " +
         count(s.warnings, "warning") + ", " + std::to_string(s.infos) + " info, " +
         std::to_string(s.waived) + " waived\n";
  return out;
}

std::string RenderMarkdownReport(const Report& report, const FormatOptions& options) {
  constexpr std::size_t kMaxListed = 50;
  // Strings from the input are written as code spans (ids, subjects, paths, URIs) or as
  // escaped text (messages, reasons, the pack's names), never as Markdown of their own.
  using detail::MarkdownCode;
  using detail::MarkdownText;
  RelativePaths paths(options.source_root);
  const auto& s = report.summary;
  std::string out =
      "### provgate: " + std::string(report.compliant() ? "compliant" : "**non-compliant**") +
      " — " + MarkdownCode(report.model_id) + "\n\n";
  out += "| errors | warnings | info | waived | sources | without permission | weights |\n";
  out += "|---:|---:|---:|---:|---:|---:|---|\n";
  out += "| " + std::to_string(s.errors) + " | " + std::to_string(s.warnings) + " | " +
         std::to_string(s.infos) + " | " + std::to_string(s.waived) + " | " +
         std::to_string(s.sources) + " | " + std::to_string(s.unpermitted) + " | " +
         std::string(ToString(report.weights)) +
         (report.effective_weights != ToString(report.weights)
              ? " (counted as " + MarkdownText(report.effective_weights) + ")"
              : "") +
         " |\n\n";
  if (!report.taint_chain.empty()) out += "Taint: " + MarkdownText(report.taint_chain) + "\n\n";
  auto link = [&](const Finding& f) {
    const std::string& path = paths.Of(f.location.file);
    std::string text = path + (f.location.line > 0 ? ":" + std::to_string(f.location.line) + ":" +
                                                         std::to_string(f.location.column)
                                                   : "");
    if (options.link_base.empty() || f.location.line == 0) return MarkdownCode(text);
    return "[" + MarkdownText(text) + "](" + options.link_base + detail::UriPath(path) + "#L" +
           std::to_string(f.location.line) + ")";
  };
  auto rule = [](const std::string& id) { return "**" + MarkdownText(id) + "**"; };
  auto item = [&](const Finding& f) {
    std::string line = "- " + rule(f.rule) + " " + MarkdownCode(f.subject) +
                       (f.reason.empty() ? "" : " (" + MarkdownText(f.reason) + ")") + " at " +
                       link(f) + ": " + MarkdownText(f.message);
    if (f.baseline == BaselineStatus::kNew) line += " *(new)*";
    if (!f.remedy.empty()) line += "<br>Fix: " + MarkdownText(f.remedy);
    return line + "\n";
  };
  struct Section {
    const char* title;
    Severity severity;
    bool folded;
  };
  for (const Section& section :
       {Section{"Errors", Severity::kError, false}, Section{"Warnings", Severity::kWarning, true},
        Section{"Info", Severity::kInfo, true}}) {
    std::vector<const Finding*> listed;
    for (const Finding& f : report.findings) {
      if (f.severity == section.severity && !f.waived) listed.push_back(&f);
    }
    if (listed.empty()) continue;
    std::string body;
    for (std::size_t i = 0; i < listed.size() && i < kMaxListed; ++i) body += item(*listed[i]);
    if (listed.size() > kMaxListed) {
      body +=
          "- … and " + std::to_string(listed.size() - kMaxListed) + " more (see the full report)\n";
    }
    if (section.folded) {
      out += "<details><summary>" + std::string(section.title) + " (" +
             std::to_string(listed.size()) + ")</summary>\n\n" + body + "\n</details>\n\n";
    } else {
      out += "**" + std::string(section.title) + "**\n\n" + body + "\n";
    }
  }
  std::string waived;
  for (const Finding& f : report.findings) {
    if (!f.waived || !f.waiver) continue;
    waived += "- " + rule(f.rule) + " " + MarkdownCode(f.subject) + ": " +
              MarkdownText(f.waiver->reason) + " (" + MarkdownText(f.waiver->approver) +
              ", until " + MarkdownText(f.waiver->expires) + ")\n";
  }
  if (!waived.empty()) {
    out += "<details><summary>Waived (" + std::to_string(s.waived) + ")</summary>\n\n" + waived +
           "\n</details>\n\n";
  }
  if (!report.fixed.empty()) {
    out += "<details><summary>Fixed since the baseline (" + std::to_string(report.fixed.size()) +
           ")</summary>\n\n";
    for (const Finding& f : report.fixed) {
      out += "- " + rule(f.rule) + " " + MarkdownCode(f.subject) + ": " + MarkdownText(f.message) +
             "\n";
    }
    out += "\n</details>\n\n";
  }
  if (!report.obligations.empty()) {
    out += "<details><summary>Obligations (" + std::to_string(report.obligations.size()) +
           ")</summary>\n\n";
    for (std::size_t i = 0; i < report.obligations.size() && i < kMaxListed; ++i) {
      const Obligation& o = report.obligations[i];
      out += "- " + MarkdownText(o.kind) + ": " + MarkdownCode(o.subject) +
             (o.license.empty() ? "" : " (" + MarkdownText(o.license) + ")") +
             (o.uri.empty() ? "" : " " + MarkdownCode(o.uri)) + "\n";
    }
    if (report.obligations.size() > kMaxListed) {
      out += "- … and " + std::to_string(report.obligations.size() - kMaxListed) + " more\n";
    }
    out += "\n</details>\n\n";
  }
  out += "<sub>policy " + MarkdownText(report.policy_name) + " " +
         MarkdownText(report.policy_version) + ", profile " + MarkdownText(report.policy_profile) +
         "; provgate " + MarkdownText(report.tool_version) + "</sub>\n";
  return out;
}

void CompareWithBaseline(Report& head, const Report& base, const std::string& base_path) {
  auto rank = [](Severity s) {
    return s == Severity::kError ? 2 : s == Severity::kWarning ? 1 : 0;
  };
  // The highest severity the base had for each (rule, subject).
  std::map<std::pair<std::string, std::string>, int> before;
  for (const Finding& f : base.findings) {
    if (f.waived) continue;
    int& r = before.try_emplace({f.rule, f.subject}, -1).first->second;
    r = std::max(r, rank(f.severity));
  }
  std::set<std::pair<std::string, std::string>> now;
  for (Finding& f : head.findings) {
    auto it = before.find({f.rule, f.subject});
    f.baseline = it != before.end() && it->second >= rank(f.severity) ? BaselineStatus::kUnchanged
                                                                      : BaselineStatus::kNew;
    now.insert({f.rule, f.subject});
  }
  head.baseline_path = base_path;
  head.fixed.clear();
  for (const Finding& f : base.findings) {
    if (!f.waived && now.count({f.rule, f.subject}) == 0) head.fixed.push_back(f);
  }
}

}  // namespace provgate
