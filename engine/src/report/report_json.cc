#include <nlohmann/json.hpp>

#include "provgate/report.h"

namespace provgate {

std::string_view ToString(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "error";
}

std::string RenderJsonReport(const Report& report) {
  using J = nlohmann::ordered_json;
  J out;
  out["report_version"] = "1";
  out["tool"] = {{"name", "provgate"}, {"version", report.tool_version}};
  J manifest = {{"path", report.manifest_path}, {"sha256", report.manifest_sha256}};
  if (report.sources_path) {
    manifest["sources"] = {{"path", *report.sources_path},
                           {"sha256", report.sources_sha256.value_or("")}};
  }
  out["manifest"] = std::move(manifest);
  out["policy"] = {{"name", report.policy_name},
                   {"version", report.policy_version},
                   {"profile", report.policy_profile},
                   {"sha256", report.policy_sha256}};
  if (!report.check_date.empty()) out["check_date"] = report.check_date;
  out["model"] = {{"id", report.model_id},
                  {"weights", std::string(ToString(report.weights))},
                  {"effective_weights", report.effective_weights},
                  {"tainted", report.tainted}};
  out["verdict"] = report.compliant ? "compliant" : "non-compliant";
  J findings = J::array();
  for (const Finding& f : report.findings) {
    J finding;
    finding["rule"] = f.rule;
    finding["severity"] = std::string(ToString(f.severity));
    finding["subject"] = f.subject;
    if (!f.reason.empty()) finding["reason"] = f.reason;
    finding["message"] = f.message;
    finding["remedy"] = f.remedy;
    J location;
    if (f.location.file != report.manifest_path) location["file"] = f.location.file;
    location["pointer"] = f.location.pointer;
    location["line"] = f.location.line;
    location["column"] = f.location.column;
    finding["location"] = std::move(location);
    finding["waived"] = f.waived;
    findings.push_back(std::move(finding));
  }
  out["findings"] = std::move(findings);
  J obligations = J::array();
  for (const Obligation& o : report.obligations) {
    J obligation = {{"kind", o.kind}, {"rule", o.rule}, {"subject", o.subject}};
    if (!o.title.empty()) obligation["title"] = o.title;
    if (!o.license.empty()) obligation["license"] = o.license;
    if (!o.uri.empty()) obligation["uri"] = o.uri;
    obligations.push_back(std::move(obligation));
  }
  out["obligations"] = std::move(obligations);
  const Report::Summary& s = report.summary;
  J by_class = J::object();
  for (const auto& c : s.by_license_class) {
    by_class[c.license_class] = {{"sources", c.sources}, {"tokens", c.tokens}};
  }
  out["summary"] = {
      {"sources", s.sources},
      {"permitted", s.permitted},
      {"unpermitted", s.unpermitted},
      {"stages", s.stages},
      {"lineage", s.lineage},
      {"tokens",
       {{"total", s.tokens},
        {"permitted", s.tokens_permitted},
        {"unpermitted", s.tokens_unpermitted}}},
      {"by_license_class", std::move(by_class)},
      {"bytes", {{"total", s.bytes}}},
      {"findings", {{"error", s.errors}, {"warning", s.warnings}, {"info", s.infos}}}};
  if (s.files_checked) {
    out["summary"]["files"] = {
        {"verified", s.files_verified}, {"failed", s.files_failed}, {"bytes", s.files_bytes}};
  }
  return out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace provgate
