#include "interop/export_common.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "common/date.h"
#include "json/json_writer.h"
#include "license/expression.h"
#include "manifest/writer.h"

namespace provgate::detail {
namespace {

using OrderedJson = nlohmann::ordered_json;

// A JSON pointer's reference token (RFC 6901: `~` as `~0`, `/` as `~1`).
std::string PointerToken(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string ScalarText(const OrderedJson& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_null()) return "null";
  return value.dump();
}

// Appends `value`'s scalars below `pointer`, except the pointers in `skip`.
void Flatten(const OrderedJson& value, const std::string& pointer,
             const std::vector<std::string_view>& skip, std::vector<ExportProperty>& out) {
  if (std::find(skip.begin(), skip.end(), pointer) != skip.end()) return;
  if (value.is_object()) {
    if (value.empty()) {
      out.push_back({std::string(kPropertyPrefix) + pointer, "{}"});
      return;
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      std::string key = PointerToken(it.key());
      std::string child = pointer.empty() ? key : pointer + "/" + key;
      // One generator is written as an object; the properties always say a list.
      if (pointer.empty() && it.key() == "generated_by" && it.value().is_object()) {
        Flatten(OrderedJson::array({it.value()}), child, skip, out);
        continue;
      }
      Flatten(it.value(), child, skip, out);
    }
    return;
  }
  if (value.is_array()) {
    if (value.empty()) {
      out.push_back({std::string(kPropertyPrefix) + pointer, "[]"});
      return;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      Flatten(value[i], pointer + "/" + std::to_string(i), skip, out);
    }
    return;
  }
  out.push_back({std::string(kPropertyPrefix) + pointer, ScalarText(value)});
}

std::vector<ExportProperty> FlattenWritten(const std::string& json,
                                           const std::vector<std::string_view>& skip) {
  std::vector<ExportProperty> out;
  // The text comes from the manifest writer: it is JSON. parse() without exceptions gives a
  // discarded value otherwise, which flattens to nothing.
  OrderedJson value = OrderedJson::parse(json, nullptr, false);
  if (value.is_discarded()) return out;
  Flatten(value, "", skip, out);
  return out;
}

void Add(std::vector<ExportProperty>& out, std::string name, std::string value) {
  out.push_back({std::move(name), std::move(value)});
}

}  // namespace

std::vector<ExportProperty> SourceProperties(const Source& source) {
  std::string json;
  JsonWriter w(json);
  WriteSource(w, source);
  return FlattenWritten(json, {"id", "title", "uri", "license"});
}

std::vector<ExportProperty> ModelProperties(const Model& model) {
  ManifestHeader header;
  header.manifest_version = "1";
  header.model = model;
  std::string json;
  JsonWriter w(json);
  WriteManifest(w, header, nullptr);
  OrderedJson value = OrderedJson::parse(json, nullptr, false);
  std::vector<ExportProperty> out;
  if (value.is_discarded() || !value.contains("model")) return out;
  Flatten(value["model"], "", {"id", "organization", "release/license"}, out);
  return out;
}

std::vector<ExportProperty> ReportProperties(const Report& report) {
  std::vector<ExportProperty> out;
  std::string p = std::string(kPropertyPrefix) + "report/";
  Add(out, p + "verdict", std::string(ToString(report.verdict)));
  Add(out, p + "tool_version", report.tool_version);
  Add(out, p + "manifest_sha256", report.manifest_sha256);
  if (report.sources_sha256) Add(out, p + "sources_sha256", *report.sources_sha256);
  Add(out, p + "policy/name", report.policy_name);
  Add(out, p + "policy/version", report.policy_version);
  Add(out, p + "policy/profile", report.policy_profile);
  Add(out, p + "policy/sha256", report.policy_sha256);
  if (!report.check_date.empty()) Add(out, p + "check_date", report.check_date);
  Add(out, p + "effective_weights", report.effective_weights);
  Add(out, p + "tainted", report.tainted ? "true" : "false");
  if (!report.taint_chain.empty()) Add(out, p + "taint_chain", report.taint_chain);
  const Report::Summary& s = report.summary;
  Add(out, p + "summary/sources", std::to_string(s.sources));
  Add(out, p + "summary/permitted", std::to_string(s.permitted));
  Add(out, p + "summary/unpermitted", std::to_string(s.unpermitted));
  Add(out, p + "summary/tokens", std::to_string(s.tokens));
  Add(out, p + "summary/tokens_permitted", std::to_string(s.tokens_permitted));
  Add(out, p + "summary/tokens_unpermitted", std::to_string(s.tokens_unpermitted));
  Add(out, p + "summary/errors", std::to_string(s.errors));
  Add(out, p + "summary/warnings", std::to_string(s.warnings));
  Add(out, p + "summary/infos", std::to_string(s.infos));
  Add(out, p + "summary/waived", std::to_string(s.waived));
  Add(out, p + "summary/findings", std::to_string(report.findings.size()));
  Add(out, p + "summary/obligations", std::to_string(report.obligations.size()));
  return out;
}

std::vector<ExportProperty> FindingProperties(const Finding& finding, std::string_view prefix) {
  std::vector<ExportProperty> out;
  std::string p(prefix);
  Add(out, p + "rule", finding.rule);
  Add(out, p + "severity", std::string(ToString(finding.severity)));
  Add(out, p + "subject", finding.subject);
  if (!finding.reason.empty()) Add(out, p + "reason", finding.reason);
  Add(out, p + "message", std::string(finding.message.view()));
  if (!finding.remedy.empty()) Add(out, p + "remedy", std::string(finding.remedy.view()));
  Add(out, p + "waived", finding.waived ? "true" : "false");
  return out;
}

std::vector<ExportProperty> ObligationProperties(const Obligation& obligation,
                                                 std::string_view prefix) {
  std::vector<ExportProperty> out;
  std::string p(prefix);
  Add(out, p + "kind", obligation.kind);
  Add(out, p + "rule", obligation.rule);
  Add(out, p + "subject", obligation.subject);
  if (!obligation.license.empty()) Add(out, p + "license", std::string(obligation.license.view()));
  if (!obligation.uri.empty()) Add(out, p + "uri", std::string(obligation.uri.view()));
  if (!obligation.title.empty()) Add(out, p + "title", std::string(obligation.title.view()));
  if (!obligation.text.empty()) Add(out, p + "text", std::string(obligation.text.view()));
  return out;
}

std::vector<ExportProperty> DecisionProperties(const SourceDecision& decision) {
  std::vector<ExportProperty> out;
  std::string p = std::string(kPropertyPrefix) + "decision/";
  Add(out, p + "permitted", decision.permitted ? "true" : "false");
  if (!decision.reason.empty()) Add(out, p + "reason", std::string(decision.reason.view()));
  Add(out, p + "license_class", std::string(decision.license_class.view()));
  if (!decision.detail.empty()) Add(out, p + "detail", std::string(decision.detail.view()));
  return out;
}

std::string FindingText(const Finding& finding) {
  std::string text = std::string(ToString(finding.severity)) + " " + finding.rule;
  if (!finding.reason.empty()) text += " " + finding.reason;
  text += " (" + finding.subject + "): " + std::string(finding.message.view());
  if (finding.waived) text += " [waived]";
  return text;
}

std::string ObligationText(const Obligation& obligation) {
  std::string text = obligation.kind + " " + obligation.rule + " (" + obligation.subject + ")";
  std::string detail;
  for (const SharedText* part :
       {&obligation.license, &obligation.uri, &obligation.title, &obligation.text}) {
    if (part->empty()) continue;
    if (!detail.empty()) detail += "; ";
    detail += part->view();
  }
  if (!detail.empty()) text += ": " + detail;
  return text;
}

std::vector<UpstreamModel> UpstreamModels(const Manifest& manifest) {
  const Model& model = manifest.header.model;
  std::map<std::string, UpstreamModel> by_id;
  for (std::size_t i = 0; i < model.lineage.size(); ++i) {
    UpstreamModel& upstream = by_id[model.lineage[i].model];
    upstream.id = model.lineage[i].model;
    upstream.lineage.push_back(i);
  }
  auto own = [&](const GeneratedBy& g) {
    if (g.stage || g.model == model.id) return true;
    for (const Stage& stage : model.stages) {
      if (stage.checkpoint && stage.checkpoint->id == g.model) return true;
    }
    return false;
  };
  for (std::size_t i = 0; i < manifest.sources.size(); ++i) {
    for (const GeneratedBy& g : manifest.sources[i].generated_by) {
      if (g.model.empty() || own(g)) continue;
      UpstreamModel& upstream = by_id[g.model];
      upstream.id = g.model;
      if (upstream.generated.empty() || upstream.generated.back() != i) {
        upstream.generated.push_back(i);
      }
    }
  }
  std::vector<UpstreamModel> out;
  out.reserve(by_id.size());
  for (auto& [id, upstream] : by_id) out.push_back(std::move(upstream));
  return out;
}

std::size_t FindSource(const Manifest& manifest, std::string_view id) {
  for (std::size_t i = 0; i < manifest.sources.size(); ++i) {
    if (manifest.sources[i].id == id) return i;
  }
  return std::string::npos;
}

std::vector<std::vector<std::size_t>> StageSourceIndices(const Manifest& manifest) {
  std::map<std::string_view, std::size_t> first;
  for (std::size_t i = 0; i < manifest.sources.size(); ++i) {
    first.emplace(manifest.sources[i].id, i);
  }
  std::vector<std::vector<std::size_t>> out;
  const Model& model = manifest.header.model;
  if (!model.stages_given) {
    std::vector<std::size_t> all;
    for (const auto& [id, index] : first) all.push_back(index);
    std::sort(all.begin(), all.end());
    out.push_back(std::move(all));
    return out;
  }
  for (const Stage& stage : model.stages) {
    std::vector<std::size_t> indices;
    for (const std::string& id : stage.sources) {
      auto it = first.find(id);
      if (it == first.end()) continue;
      if (std::find(indices.begin(), indices.end(), it->second) == indices.end()) {
        indices.push_back(it->second);
      }
    }
    out.push_back(std::move(indices));
  }
  return out;
}

bool IsLicenseExpression(std::string_view text) {
  LicenseExpression expression;
  LicenseParseError error;
  return ParseLicenseExpression(text, expression, error);
}

void ValidateExportOptions(const ExportOptions& options, std::vector<Diagnostic>& diagnostics) {
  auto problem = [&](std::string pointer, std::string message) {
    Diagnostic d;
    d.code = "export-option";
    d.message = std::move(message);
    d.pointer = std::move(pointer);
    diagnostics.push_back(std::move(d));
  };
  if (!options.created.empty() && !IsCalendarDate(options.created)) {
    problem("created", "the creation date must be a calendar date YYYY-MM-DD");
  }
  const std::string& iri = options.namespace_iri;
  if (!iri.empty()) {
    std::size_t colon = iri.find(':');
    bool scheme = colon != std::string::npos && colon > 0 &&
                  std::isalpha(static_cast<unsigned char>(iri[0])) != 0;
    for (std::size_t i = 0; scheme && i < colon; ++i) {
      char c = iri[i];
      scheme = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
    }
    bool clean =
        iri.size() <= 2048 && iri.find_first_of(" \t\r\n<>\"{}|\\^`#?") == std::string::npos;
    for (char c : iri) clean = clean && static_cast<unsigned char>(c) > 0x20 && c != 0x7f;
    if (!scheme || !clean) {
      problem("namespace",
              "the namespace must be an absolute IRI (scheme:...) without white space, '#' or "
              "'?', at most 2048 bytes");
    }
  }
}

std::string CreatedTimestamp(const ExportOptions& options) {
  std::string date = options.created.empty() ? "1970-01-01" : options.created;
  return date + "T00:00:00Z";
}

}  // namespace provgate::detail
