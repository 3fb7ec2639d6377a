// SARIF, JUnit XML, GitHub workflow commands and Markdown renderings of a report.
#include "provgate/formats.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "crypto/sha256.h"
#include "policy/waivers.h"
#include "provgate/version.h"
#include "report/json_writer.h"

namespace provgate {
namespace {

// The path as the source root sees it: relative to it when inside, with '/' separators.
std::string RelativePath(const std::string& path, const std::string& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path base = root.empty() ? fs::current_path(ec) : fs::absolute(root, ec);
  fs::path p = fs::absolute(path, ec).lexically_normal();
  fs::path rel = p.lexically_relative(base.lexically_normal());
  if (ec || rel.empty() || *rel.begin() == "..") return fs::path(path).generic_string();
  return rel.generic_string();
}

bool FailsGate(const Finding& f, const FormatOptions& options) {
  if (f.waived) return false;
  if (options.new_only && f.baseline == BaselineStatus::kUnchanged) return false;
  return f.severity == Severity::kError ||
         (options.fail_on == FailOn::kWarning && f.severity == Severity::kWarning);
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

// The rules findings refer to: the pack's, plus the waiver pseudo-rule when it has findings.
std::vector<const RuleInfo*> ReportRules(const Report& report, const PackInfo& pack) {
  std::vector<const RuleInfo*> rules;
  for (const RuleInfo& r : pack.rules) rules.push_back(&r);
  auto is_waiver = [](const auto& x) { return x.rule == "waiver"; };
  bool in_pack = std::any_of(pack.rules.begin(), pack.rules.end(),
                             [](const RuleInfo& r) { return r.id == "waiver"; });
  if (!in_pack && std::any_of(report.findings.begin(), report.findings.end(), is_waiver)) {
    rules.push_back(&detail::WaiverRuleInfo());  // From the waivers file, not the pack.
  }
  return rules;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 allows no control characters but tab, newline and carriage return.
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\xEF\xBF\xBD";  // U+FFFD
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string Where(const Finding& f, const FormatOptions& options) {
  std::string where = RelativePath(f.location.file, options.source_root);
  if (f.location.line > 0) {
    where += ":" + std::to_string(f.location.line) + ":" + std::to_string(f.location.column);
  }
  return where;
}

// Workflow command data: %, CR and LF escaped; properties also escape ':' and ','.
std::string GithubEscape(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else if (property && c == ':') {
      out += "%3A";
    } else if (property && c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

std::string MarkdownEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\`*_[]<>|").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string RenderSarifReport(const Report& report, const PackInfo& pack,
                              const FormatOptions& options) {
  // Written with the streaming JSON writer: a report with hundreds of thousands of findings
  // is one pass, with no document tree.
  std::vector<const RuleInfo*> rules = ReportRules(report, pack);
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
    std::string help = r->remedy;
    if (!r->rationale.empty()) help += "\n\nWhy: " + r->rationale;
    auto text_object = [&](const char* key, const std::string& text) {
      w.Key(key);
      w.BeginObject();
      w.Member("text", text);
      w.EndObject();
    };
    w.BeginObject();
    w.Member("id", r->id);
    w.Member("name", PascalCase(r->title));
    text_object("shortDescription", r->title);
    text_object("fullDescription", r->description.empty() ? r->title : r->description);
    text_object("help", help.empty() ? r->title : help);
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
  for (const Finding& f : report.findings) {
    w.BeginObject();
    w.Member("ruleId", f.rule);
    if (auto it = index.find(f.rule); it != index.end()) {
      w.Member("ruleIndex", static_cast<std::uint64_t>(it->second));
    }
    w.Member("level", SarifLevel(f.severity));
    w.Key("message");
    w.BeginObject();
    w.Member("text", f.remedy.empty() ? f.message : f.message + " Fix: " + f.remedy);
    w.EndObject();
    w.Key("locations");
    w.BeginArray();
    w.BeginObject();
    w.Key("physicalLocation");
    w.BeginObject();
    w.Key("artifactLocation");
    w.BeginObject();
    w.Member("uri", RelativePath(f.location.file, options.source_root));
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
      w.Member("justification", f.waiver->reason + " (approved by " + f.waiver->approver +
                                    ", until " + f.waiver->expires + ")");
      w.EndObject();
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();  // results
  w.Key("properties");
  w.BeginObject();
  w.Member("model", report.model_id);
  w.Member("verdict", report.compliant ? "compliant" : "non-compliant");
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
  std::vector<const RuleInfo*> rules = ReportRules(report, pack);
  // Findings by rule, then subject, in report order.
  std::map<std::string, std::map<std::string, std::vector<const Finding*>>> grouped;
  for (const Finding& f : report.findings) grouped[f.rule][f.subject].push_back(&f);
  std::string suites;
  std::size_t tests = 0, failures = 0, skipped = 0;
  for (const RuleInfo* rule : rules) {
    auto found = grouped.find(rule->id);
    std::string cases;
    std::size_t suite_tests = 0, suite_failures = 0, suite_skipped = 0;
    std::string classname = "provgate." + rule->id;
    if (found == grouped.end()) {
      cases += "    <testcase classname=\"" + XmlEscape(classname) + "\" name=\"" +
               XmlEscape(rule->id + ": no finding") + "\"/>\n";
      ++suite_tests;
    } else {
      for (const auto& [subject, findings] : found->second) {
        ++suite_tests;
        cases += "    <testcase classname=\"" + XmlEscape(classname) + "\" name=\"" +
                 XmlEscape(rule->id + " " + subject) + "\" file=\"" +
                 XmlEscape(RelativePath(findings.front()->location.file, options.source_root)) +
                 "\" line=\"" + std::to_string(findings.front()->location.line) + "\">\n";
        std::string body, out, skip;
        bool failed = false;
        for (const Finding* f : findings) {
          std::string line = std::string(ToString(f->severity)) + " " + Where(*f, options) + " " +
                             (f->reason.empty() ? "" : "[" + f->reason + "] ") + f->message +
                             (f->remedy.empty() ? "" : "\nfix: " + f->remedy) + "\n";
          if (FailsGate(*f, options)) {
            if (!failed) {
              body += "      <failure type=\"" + std::string(ToString(f->severity)) +
                      "\" message=\"" + XmlEscape(f->message) + "\">";
            }
            failed = true;
            body += XmlEscape(line);
          } else if (f->waived) {
            skip = f->waiver ? "waived by " + f->waiver->approver + " until " + f->waiver->expires +
                                   ": " + f->waiver->reason
                             : "waived";
            out += XmlEscape(line);
          } else {
            out += XmlEscape(line);
          }
        }
        if (failed) {
          body += "</failure>\n";
          ++suite_failures;
        } else if (!skip.empty()) {
          body += "      <skipped message=\"" + XmlEscape(skip) + "\"/>\n";
          ++suite_skipped;
        }
        if (!out.empty()) body += "      <system-out>" + out + "</system-out>\n";
        cases += body + "    </testcase>\n";
      }
    }
    tests += suite_tests;
    failures += suite_failures;
    skipped += suite_skipped;
    suites += "  <testsuite name=\"" + XmlEscape(rule->id + " " + rule->title) + "\" tests=\"" +
              std::to_string(suite_tests) + "\" failures=\"" + std::to_string(suite_failures) +
              "\" errors=\"0\" skipped=\"" + std::to_string(suite_skipped) + "\">\n" + cases +
              "  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" +
         XmlEscape("provgate " + report.model_id) + "\" tests=\"" + std::to_string(tests) +
         "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\" skipped=\"" +
         std::to_string(skipped) + "\">\n" + suites + "</testsuites>\n";
}

std::string RenderGithubAnnotations(const Report& report, const FormatOptions& options) {
  std::string out;
  for (const Finding& f : report.findings) {
    // Waived findings, and with --new-only those the baseline already had, do not fail the
    // gate: they are notices, not errors on the diff.
    bool settled = f.waived || (options.new_only && f.baseline == BaselineStatus::kUnchanged);
    std::string_view command = settled                            ? "notice"
                               : f.severity == Severity::kError   ? "error"
                               : f.severity == Severity::kWarning ? "warning"
                                                                  : "notice";
    std::string title = f.rule + (f.reason.empty() ? "" : " " + f.reason) + " " + f.subject +
                        (f.waived                                   ? " (waived)"
                         : f.baseline == BaselineStatus::kUnchanged ? " (unchanged)"
                                                                    : "");
    out += "::" + std::string(command) +
           " file=" + GithubEscape(RelativePath(f.location.file, options.source_root), true);
    if (f.location.line > 0) {
      out +=
          ",line=" + std::to_string(f.location.line) + ",col=" + std::to_string(f.location.column);
    }
    out += ",title=" + GithubEscape(title, true) +
           "::" + GithubEscape(f.message + (f.remedy.empty() ? "" : "\nFix: " + f.remedy), false) +
           "\n";
  }
  const auto& s = report.summary;
  auto count = [](std::uint64_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  out += "provgate: " + std::string(report.compliant ? "compliant" : "non-compliant") + ": " +
         report.model_id + ": " + count(s.errors, "error") + ", " + count(s.warnings, "warning") +
         ", " + std::to_string(s.infos) + " info, " + std::to_string(s.waived) + " waived\n";
  return out;
}

std::string RenderMarkdownReport(const Report& report, const FormatOptions& options) {
  constexpr std::size_t kMaxListed = 50;
  const auto& s = report.summary;
  std::string out =
      "### provgate: " + std::string(report.compliant ? "compliant" : "**non-compliant**") +
      " — `" + report.model_id + "`\n\n";
  out += "| errors | warnings | info | waived | sources | without permission | weights |\n";
  out += "|---:|---:|---:|---:|---:|---:|---|\n";
  out += "| " + std::to_string(s.errors) + " | " + std::to_string(s.warnings) + " | " +
         std::to_string(s.infos) + " | " + std::to_string(s.waived) + " | " +
         std::to_string(s.sources) + " | " + std::to_string(s.unpermitted) + " | " +
         std::string(ToString(report.weights)) +
         (report.effective_weights != ToString(report.weights)
              ? " (counted as " + report.effective_weights + ")"
              : "") +
         " |\n\n";
  if (!report.taint_chain.empty()) out += "Taint: " + MarkdownEscape(report.taint_chain) + "\n\n";
  auto link = [&](const Finding& f) {
    std::string path = RelativePath(f.location.file, options.source_root);
    std::string text = path + (f.location.line > 0 ? ":" + std::to_string(f.location.line) + ":" +
                                                         std::to_string(f.location.column)
                                                   : "");
    if (options.link_base.empty() || f.location.line == 0) return "`" + text + "`";
    return "[" + MarkdownEscape(text) + "](" + options.link_base + path + "#L" +
           std::to_string(f.location.line) + ")";
  };
  auto item = [&](const Finding& f) {
    std::string line = "- **" + f.rule + "** `" + f.subject + "`" +
                       (f.reason.empty() ? "" : " (" + f.reason + ")") + " at " + link(f) + ": " +
                       MarkdownEscape(f.message);
    if (f.baseline == BaselineStatus::kNew) line += " *(new)*";
    if (!f.remedy.empty()) line += "<br>Fix: " + MarkdownEscape(f.remedy);
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
    waived += "- **" + f.rule + "** `" + f.subject + "`: " + MarkdownEscape(f.waiver->reason) +
              " (" + MarkdownEscape(f.waiver->approver) + ", until " + f.waiver->expires + ")\n";
  }
  if (!waived.empty()) {
    out += "<details><summary>Waived (" + std::to_string(s.waived) + ")</summary>\n\n" + waived +
           "\n</details>\n\n";
  }
  if (!report.fixed.empty()) {
    out += "<details><summary>Fixed since the baseline (" + std::to_string(report.fixed.size()) +
           ")</summary>\n\n";
    for (const Finding& f : report.fixed) {
      out += "- **" + f.rule + "** `" + f.subject + "`: " + MarkdownEscape(f.message) + "\n";
    }
    out += "\n</details>\n\n";
  }
  if (!report.obligations.empty()) {
    out += "<details><summary>Obligations (" + std::to_string(report.obligations.size()) +
           ")</summary>\n\n";
    for (std::size_t i = 0; i < report.obligations.size() && i < kMaxListed; ++i) {
      const Obligation& o = report.obligations[i];
      out += "- " + o.kind + ": `" + o.subject + "`" +
             (o.license.empty() ? "" : " (" + MarkdownEscape(o.license) + ")") +
             (o.uri.empty() ? "" : " " + MarkdownEscape(o.uri)) + "\n";
    }
    if (report.obligations.size() > kMaxListed) {
      out += "- … and " + std::to_string(report.obligations.size() - kMaxListed) + " more\n";
    }
    out += "\n</details>\n\n";
  }
  out += "<sub>policy " + report.policy_name + " " + report.policy_version + ", profile " +
         report.policy_profile + "; provgate " + report.tool_version + "</sub>\n";
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
