// CycloneDX 1.6: the model is the BOM's subject (metadata.component), a machine-learning-model
// with a model card naming the datasets; sources are data components; upstream models more
// machine-learning-model components. docs/interop.md (Export) has the field mapping.
#include "interop/export_cyclonedx.h"

#include <map>

#include "crypto/sha256.h"
#include "interop/export_common.h"
#include "json/json_writer.h"

namespace provgate::detail {
namespace {

// Replaced by the document's content UUID once the rest is written.
constexpr std::string_view kSerialPlaceholder = "urn:uuid:00000000-0000-0000-0000-000000000000";

void WriteProperties(JsonWriter& w, const std::vector<ExportProperty>& properties) {
  if (properties.empty()) return;
  w.Key("properties");
  w.BeginArray();
  for (const ExportProperty& p : properties) {
    w.BeginObject();
    w.Member("name", p.name);
    w.Member("value", p.value);
    w.EndObject();
  }
  w.EndArray();
}

// A licence as CycloneDX says it: an SPDX expression when it parses as one, else a named
// licence with the text as written.
void WriteLicenses(JsonWriter& w, const std::string& license) {
  w.Key("licenses");
  w.BeginArray();
  w.BeginObject();
  if (IsLicenseExpression(license)) {
    w.Member("expression", license);
  } else {
    w.Key("license");
    w.BeginObject();
    w.Member("name", license);
    w.EndObject();
  }
  w.EndObject();
  w.EndArray();
}

void WriteTool(JsonWriter& w, const Report& report) {
  w.BeginObject();
  w.Member("type", "application");
  w.Member("name", "provgate");
  if (!report.tool_version.empty()) w.Member("version", report.tool_version);
  w.EndObject();
}

struct Refs {
  std::string model;
  std::vector<std::string> sources;  // Parallel to manifest.sources.
  std::map<std::string, std::string> upstream;
};

Refs MakeRefs(const Manifest& manifest, const std::vector<UpstreamModel>& upstream) {
  Refs refs;
  refs.model = "model:" + manifest.header.model.id;
  std::map<std::string, int> seen;
  for (const Source& source : manifest.sources) {
    int n = ++seen[source.id];
    std::string ref = "source:" + source.id;
    // A repeated id (a finding of its own) still needs a reference of its own.
    if (n > 1) ref += "#" + std::to_string(n);
    refs.sources.push_back(std::move(ref));
  }
  for (const UpstreamModel& u : upstream) refs.upstream[u.id] = "upstream:" + u.id;
  return refs;
}

void WriteModelComponent(JsonWriter& w, const Manifest& manifest, const Refs& refs,
                         const std::vector<std::vector<std::size_t>>& stages) {
  const Model& model = manifest.header.model;
  w.BeginObject();
  w.Member("type", "machine-learning-model");
  w.Member("bom-ref", refs.model);
  w.Member("name", model.id);
  if (model.organization) {
    w.Key("manufacturer");
    w.BeginObject();
    w.Member("name", *model.organization);
    w.EndObject();
  }
  if (model.release.license) WriteLicenses(w, *model.release.license);
  w.Key("modelCard");
  w.BeginObject();
  w.Key("modelParameters");
  w.BeginObject();
  w.Key("datasets");
  w.BeginArray();
  std::vector<bool> listed(manifest.sources.size(), false);
  for (const std::vector<std::size_t>& stage : stages) {
    for (std::size_t index : stage) {
      if (listed[index]) continue;
      listed[index] = true;
      w.BeginObject();
      w.Member("ref", refs.sources[index]);
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  WriteProperties(w, ModelProperties(model));
  w.EndObject();
}

void WriteSourceComponent(JsonWriter& w, const Source& source, const std::string& ref,
                          const SourceDecision* decision) {
  w.BeginObject();
  w.Member("type", "data");
  w.Member("bom-ref", ref);
  w.Member("name", source.id);
  if (source.title) w.Member("description", *source.title);
  if (source.license) WriteLicenses(w, *source.license);
  if (source.digest_sha256) {
    w.Key("hashes");
    w.BeginArray();
    w.BeginObject();
    w.Member("alg", "SHA-256");
    w.Member("content", *source.digest_sha256);
    w.EndObject();
    w.EndArray();
  }
  w.Key("data");
  w.BeginArray();
  w.BeginObject();
  w.Member("type", "dataset");
  w.Member("name", source.title ? *source.title : source.id);
  if (source.uri) {
    w.Key("contents");
    w.BeginObject();
    w.Member("url", *source.uri);
    w.EndObject();
  }
  w.EndObject();
  w.EndArray();
  std::vector<ExportProperty> properties = SourceProperties(source);
  if (decision != nullptr) {
    std::vector<ExportProperty> more = DecisionProperties(*decision);
    properties.insert(properties.end(), more.begin(), more.end());
  }
  WriteProperties(w, properties);
  w.EndObject();
}

void WriteDependency(JsonWriter& w, const std::string& ref, const std::vector<std::string>& on) {
  w.BeginObject();
  w.Member("ref", ref);
  w.Key("dependsOn");
  w.BeginArray();
  for (const std::string& target : on) w.String(target);
  w.EndArray();
  w.EndObject();
}

void AddUnique(std::vector<std::string>& list, const std::string& value) {
  for (const std::string& v : list) {
    if (v == value) return;
  }
  list.push_back(value);
}

}  // namespace

std::string ContentUuidUrn(std::string_view content) {
  std::string hex = Sha256Hex(content).substr(0, 32);
  hex[12] = '8';  // Version 8: a UUID whose bits the producer defines.
  static constexpr char kVariant[] = "89ab";
  hex[16] = kVariant[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];
  return "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::string WriteCycloneDx(const Manifest& manifest, const Report& report,
                           const ExportOptions& options) {
  std::vector<UpstreamModel> upstream = UpstreamModels(manifest);
  std::vector<std::vector<std::size_t>> stages = StageSourceIndices(manifest);
  Refs refs = MakeRefs(manifest, upstream);
  std::string timestamp = CreatedTimestamp(options);
  const Model& model = manifest.header.model;

  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Member("bomFormat", "CycloneDX");
  w.Member("specVersion", "1.6");
  w.Member("serialNumber", kSerialPlaceholder);
  w.Member("version", std::uint64_t{1});

  w.Key("metadata");
  w.BeginObject();
  w.Member("timestamp", timestamp);
  w.Key("tools");
  w.BeginObject();
  w.Key("components");
  w.BeginArray();
  WriteTool(w, report);
  w.EndArray();
  w.EndObject();
  w.Key("component");
  WriteModelComponent(w, manifest, refs, stages);
  std::vector<ExportProperty> properties = ReportProperties(report);
  std::string finding_prefix = std::string(kPropertyPrefix) + "report/findings/";
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    std::vector<ExportProperty> more =
        FindingProperties(report.findings[i], finding_prefix + std::to_string(i) + "/");
    properties.insert(properties.end(), more.begin(), more.end());
  }
  std::string obligation_prefix = std::string(kPropertyPrefix) + "report/obligations/";
  for (std::size_t i = 0; i < report.obligations.size(); ++i) {
    std::vector<ExportProperty> more =
        ObligationProperties(report.obligations[i], obligation_prefix + std::to_string(i) + "/");
    properties.insert(properties.end(), more.begin(), more.end());
  }
  WriteProperties(w, properties);
  w.EndObject();

  w.Key("components");
  w.BeginArray();
  const std::vector<SourceDecision>* decisions =
      report.decisions && report.decisions->size() == manifest.sources.size() ? &*report.decisions
                                                                              : nullptr;
  for (std::size_t i = 0; i < manifest.sources.size(); ++i) {
    WriteSourceComponent(w, manifest.sources[i], refs.sources[i],
                         decisions != nullptr ? &(*decisions)[i] : nullptr);
  }
  for (const UpstreamModel& u : upstream) {
    w.BeginObject();
    w.Member("type", "machine-learning-model");
    w.Member("bom-ref", refs.upstream.at(u.id));
    w.Member("name", u.id);
    std::vector<ExportProperty> upstream_properties;
    for (std::size_t entry : u.lineage) {
      upstream_properties.push_back({std::string(kPropertyPrefix) + "upstream/relation",
                                     std::string(ToString(model.lineage[entry].relation))});
    }
    if (!u.generated.empty()) {
      upstream_properties.push_back(
          {std::string(kPropertyPrefix) + "upstream/relation", "generated-data"});
    }
    WriteProperties(w, upstream_properties);
    w.EndObject();
  }
  w.EndArray();

  w.Key("dependencies");
  w.BeginArray();
  std::vector<std::string> model_depends;
  for (const std::vector<std::size_t>& stage : stages) {
    for (std::size_t index : stage) AddUnique(model_depends, refs.sources[index]);
  }
  for (const LineageEntry& entry : model.lineage) {
    AddUnique(model_depends, refs.upstream.at(entry.model));
  }
  WriteDependency(w, refs.model, model_depends);
  for (std::size_t i = 0; i < manifest.sources.size(); ++i) {
    std::vector<std::string> generators;
    for (const UpstreamModel& u : upstream) {
      for (std::size_t index : u.generated) {
        if (index == i) AddUnique(generators, refs.upstream.at(u.id));
      }
    }
    WriteDependency(w, refs.sources[i], generators);
  }
  for (const UpstreamModel& u : upstream) WriteDependency(w, refs.upstream.at(u.id), {});
  w.EndArray();

  if (!report.findings.empty()) {
    w.Key("annotations");
    w.BeginArray();
    for (std::size_t i = 0; i < report.findings.size(); ++i) {
      const Finding& finding = report.findings[i];
      std::size_t index = FindSource(manifest, finding.subject);
      w.BeginObject();
      // Two findings may read alike (a stage id used twice): annotations must differ.
      w.Member("bom-ref", "finding:" + std::to_string(i));
      w.Key("subjects");
      w.BeginArray();
      w.String(index == std::string::npos ? refs.model : refs.sources[index]);
      w.EndArray();
      w.Key("annotator");
      w.BeginObject();
      w.Key("component");
      WriteTool(w, report);
      w.EndObject();
      w.Member("timestamp", timestamp);
      w.Member("text", FindingText(finding));
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  w.Raw("\n");

  std::string serial = ContentUuidUrn(out);
  std::size_t at = out.find(kSerialPlaceholder);
  if (at != std::string::npos) out.replace(at, kSerialPlaceholder.size(), serial);
  return out;
}

}  // namespace provgate::detail
