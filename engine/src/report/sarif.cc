// SARIF 2.1.0: one log with one run, for one report or for the reports of a gate run.
#include <algorithm>
#include <map>
#include <set>

#include "common/escape.h"
#include "crypto/sha256.h"
#include "json/json_writer.h"
#include "provgate/formats.h"
#include "provgate/version.h"
#include "report/format_common.h"

namespace provgate {

namespace detail {
namespace {

// A SARIF physicalLocation: the file relative to %SRCROOT%, and its line and column when known.
void WritePhysicalLocation(JsonWriter& w, std::string& scratch, std::string_view file,
                           std::uint32_t line, std::uint32_t column) {
  w.Key("physicalLocation");
  w.BeginObject();
  w.Key("artifactLocation");
  w.BeginObject();
  scratch.clear();
  AppendUriPath(scratch, file);
  w.Member("uri", scratch);
  w.Member("uriBaseId", "%SRCROOT%");
  w.EndObject();
  if (line > 0) {
    w.Key("region");
    w.BeginObject();
    w.Member("startLine", std::uint64_t{line});
    w.Member("startColumn", std::uint64_t{std::max<std::uint32_t>(column, 1)});
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace

std::string RenderSarifLog(const SarifLog& log, const PackInfo& pack,
                           const FormatOptions& options) {
  // Written with the streaming JSON writer: a report with hundreds of thousands of findings
  // is one pass, with no document tree.
  RuleInfo waiver_rule;
  std::vector<const RuleInfo*> rules = ReportRules(log.reports, pack, waiver_rule);
  RuleInfo gate_rule;
  if (!log.problems.empty()) {
    gate_rule.id = std::string(kGateRuleId);
    gate_rule.title = "Gated manifests";
    gate_rule.severity = Severity::kError;
    gate_rule.description =
        "Every manifest the repository's gate covers can be checked, and a manifest the base "
        "revision gated is still gated (or removed on purpose).";
    gate_rule.remedy =
        "Fix the manifest's invalid input, restore the manifest or its gate pattern, or list "
        "a manifest removed on purpose under retired: in .provgate.yaml.";
    gate_rule.references = {"docs/cli.md#the-repository-gate-provgate-gate"};
    rules.push_back(&gate_rule);
  }
  std::size_t finding_count = 0;
  for (const Report* report : log.reports) finding_count += report->findings.size();
  RelativePaths paths(options.source_root);
  std::map<std::string, std::size_t> index;
  std::string out;
  out.reserve(8192 + finding_count * 1400);
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
  w.Member("id", log.automation_id);
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
  for (const GateProblem& p : log.problems) {
    w.BeginObject();
    w.Member("ruleId", kGateRuleId);
    w.Member("ruleIndex", static_cast<std::uint64_t>(index[std::string(kGateRuleId)]));
    w.Member("level", "error");
    w.Key("message");
    w.BeginObject();
    w.Member("text", SarifText(p.message));
    w.EndObject();
    w.Key("locations");
    w.BeginArray();
    w.BeginObject();
    WritePhysicalLocation(w, text, paths.Of(p.file), p.line, p.column);
    w.EndObject();
    w.EndArray();
    w.Key("partialFingerprints");
    w.BeginObject();
    w.Member("provgateFinding/v1",
             Sha256Hex(std::string(kGateRuleId) + '\0' + p.subject + '\0' + p.reason));
    w.EndObject();
    w.Key("properties");
    w.BeginObject();
    w.Member("subject", p.subject);
    w.Member("reason", p.reason);
    w.EndObject();
    w.EndObject();
  }
  for (const Report* report : log.reports) {
    for (const Finding& f : report->findings) {
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
      w.Member("text", text);
      w.EndObject();
      w.Key("locations");
      w.BeginArray();
      w.BeginObject();
      WritePhysicalLocation(w, text, paths.Of(f.location.file), f.location.line, f.location.column);
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
      // What would fix this finding: apart from the message, which says what is wrong. (A
      // SARIF `fix` describes edits to files, which a remedy in words is not.)
      if (!f.remedy.empty()) w.Member("remedy", f.remedy);
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
  }
  w.EndArray();  // results
  w.Key("properties");
  w.BeginObject();
  if (log.reports.size() == 1 && log.problems.empty()) {
    const Report& report = *log.reports.front();
    w.Member("model", report.model_id);
    w.Member("verdict", report.compliant() ? "compliant" : "non-compliant");
    w.Member("policy",
             report.policy_name + " " + report.policy_version + " (" + report.policy_profile + ")");
    w.Member("policySha256", report.policy_sha256);
  } else {
    w.Member("verdict", log.compliant ? "compliant" : "non-compliant");
    w.Member("manifests", static_cast<std::uint64_t>(log.reports.size()));
    w.Member("policy", pack.name + " " + pack.version);
  }
  w.EndObject();
  w.EndObject();  // run
  w.EndArray();   // runs
  w.EndObject();
  w.Raw("\n");
  return out;
}

}  // namespace detail

std::string RenderSarifReport(const Report& report, const PackInfo& pack,
                              const FormatOptions& options) {
  detail::SarifLog log;
  log.reports = {&report};
  log.automation_id = "provgate/" + report.model_id + "/";
  return detail::RenderSarifLog(log, pack, options);
}

}  // namespace provgate
