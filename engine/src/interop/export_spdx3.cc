// SPDX 3.0.1 in its JSON-LD serialization: one @graph of elements sharing one CreationInfo.
// The model is an ai_AIPackage, sources dataset_DatasetPackages, licences
// simplelicensing_LicenseExpressions; stages, lineage, generators and licences are
// Relationships; the report is Annotations. What SPDX has no property for travels in
// extension_CdxPropertiesExtension entries named as the CycloneDX properties are.
// docs/interop.md (Export) has the field mapping.
#include "interop/export_spdx3.h"

#include <map>

#include "interop/export_common.h"
#include "json/json_writer.h"

namespace provgate::detail {
namespace {

constexpr std::string_view kCreationInfo = "_:creationinfo";

// Writes the members every element has: type, spdxId, creationInfo.
void BeginElement(JsonWriter& w, std::string_view type, const std::string& id) {
  w.BeginObject();
  w.Member("type", type);
  w.Member("spdxId", id);
  w.Member("creationInfo", kCreationInfo);
}

void WriteExtension(JsonWriter& w, const std::vector<ExportProperty>& properties) {
  if (properties.empty()) return;
  w.Key("extension");
  w.BeginArray();
  w.BeginObject();
  w.Member("type", "extension_CdxPropertiesExtension");
  w.Key("extension_cdxProperty");
  w.BeginArray();
  for (const ExportProperty& p : properties) {
    w.BeginObject();
    w.Member("type", "extension_CdxPropertyEntry");
    w.Member("extension_cdxPropName", p.name);
    w.Member("extension_cdxPropValue", p.value);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndArray();
}

void WriteIdList(JsonWriter& w, std::string_view key, const std::vector<std::string>& ids) {
  w.Key(key);
  w.BeginArray();
  for (const std::string& id : ids) w.String(id);
  w.EndArray();
}

// What a lineage relation is in SPDX's terms: the relations that start from the upstream's
// weights make the model its descendant; the others use the upstream's outputs or judgement.
std::string_view RelationshipFor(Relation relation) {
  switch (relation) {
    case Relation::kFineTune:
    case Relation::kContinuedPretraining:
    case Relation::kMerge:
    case Relation::kAdapter:
    case Relation::kQuantization:
      return "descendantOf";
    case Relation::kDistillation:
    case Relation::kSyntheticData:
    case Relation::kJudge:
    case Relation::kRewardModel:
      return "dependsOn";
  }
  return "other";
}

class Spdx3Writer {
 public:
  Spdx3Writer(const Manifest& manifest, const Report& report, const ExportOptions& options)
      : manifest_(manifest), report_(report), w_(out_) {
    ns_ = options.namespace_iri.empty()
              ? "urn:provgate:" + (report.manifest_sha256.empty() ? std::string("manifest")
                                                                  : report.manifest_sha256)
              : options.namespace_iri;
    created_ = CreatedTimestamp(options);
    upstream_ = UpstreamModels(manifest);
    stages_ = StageSourceIndices(manifest);
  }

  std::string Write() {
    const Model& model = manifest_.header.model;
    model_id_ = ns_ + "/model";
    agent_id_ = ns_ + "/agent/provgate";
    tool_id_ = ns_ + "/tool/provgate";
    for (std::size_t i = 0; i < manifest_.sources.size(); ++i) {
      source_ids_.push_back(ns_ + "/source/" + std::to_string(i));
    }
    for (std::size_t i = 0; i < upstream_.size(); ++i) {
      upstream_ids_[upstream_[i].id] = ns_ + "/upstream/" + std::to_string(i);
    }

    w_.BeginObject();
    w_.Member("@context", "https://spdx.org/rdf/3.0.1/spdx-context.jsonld");
    w_.Key("@graph");
    w_.BeginArray();
    WriteCreationInfo();
    BeginElement(w_, "SoftwareAgent", agent_id_);
    w_.Member("name", "provgate");
    w_.EndObject();
    Listed(agent_id_);
    BeginElement(w_, "Tool", tool_id_);
    w_.Member("name", report_.tool_version.empty() ? std::string("provgate")
                                                   : "provgate " + report_.tool_version);
    w_.EndObject();
    Listed(tool_id_);
    std::string organization_id;
    if (model.organization) {
      organization_id = ns_ + "/organization";
      BeginElement(w_, "Organization", organization_id);
      w_.Member("name", *model.organization);
      w_.EndObject();
      Listed(organization_id);
    }
    WriteModel(organization_id);
    for (std::size_t i = 0; i < manifest_.sources.size(); ++i) WriteSource(i);
    for (const UpstreamModel& u : upstream_) {
      BeginElement(w_, "ai_AIPackage", upstream_ids_.at(u.id));
      w_.Member("name", u.id);
      w_.Member("software_primaryPurpose", "model");
      w_.EndObject();
      Listed(upstream_ids_.at(u.id));
    }
    WriteRelationships();
    WriteAnnotations();
    WriteDocument();
    w_.EndArray();
    w_.EndObject();
    w_.Raw("\n");
    return std::move(out_);
  }

 private:
  void Listed(const std::string& id) { elements_.push_back(id); }

  void WriteCreationInfo() {
    w_.BeginObject();
    w_.Member("type", "CreationInfo");
    w_.Member("@id", kCreationInfo);
    w_.Member("specVersion", "3.0.1");
    w_.Member("created", created_);
    WriteIdList(w_, "createdBy", {agent_id_});
    WriteIdList(w_, "createdUsing", {tool_id_});
    w_.EndObject();
  }

  void WriteModel(const std::string& organization_id) {
    const Model& model = manifest_.header.model;
    BeginElement(w_, "ai_AIPackage", model_id_);
    w_.Member("name", model.id);
    w_.Member("software_primaryPurpose", "model");
    if (!organization_id.empty()) w_.Member("suppliedBy", organization_id);
    if (model.release.date) w_.Member("releaseTime", *model.release.date + "T00:00:00Z");
    WriteExtension(w_, ModelProperties(model));
    w_.EndObject();
    Listed(model_id_);
  }

  void WriteSource(std::size_t index) {
    const Source& source = manifest_.sources[index];
    BeginElement(w_, "dataset_DatasetPackage", source_ids_[index]);
    w_.Member("name", source.id);
    if (source.title) w_.Member("description", *source.title);
    w_.Member("software_primaryPurpose", "data");
    // The manifest does not say what modality the data has: SPDX's way of saying so.
    w_.Key("dataset_datasetType");
    w_.BeginArray();
    w_.String("noAssertion");
    w_.EndArray();
    if (source.uri) w_.Member("software_downloadLocation", *source.uri);
    if (source.size && source.size->bytes) w_.Member("dataset_datasetSize", *source.size->bytes);
    if (source.acquisition && source.acquisition->method) {
      w_.Member("dataset_dataCollectionProcess", ToString(*source.acquisition->method));
    }
    if (source.digest_sha256) {
      w_.Key("verifiedUsing");
      w_.BeginArray();
      w_.BeginObject();
      w_.Member("type", "Hash");
      w_.Member("algorithm", "sha256");
      w_.Member("hashValue", *source.digest_sha256);
      w_.Member("comment", "SHA-256 of the source's content listing (provgate manifest digest)");
      w_.EndObject();
      w_.EndArray();
    }
    std::vector<ExportProperty> properties = SourceProperties(source);
    if (report_.decisions && report_.decisions->size() == manifest_.sources.size()) {
      std::vector<ExportProperty> more = DecisionProperties((*report_.decisions)[index]);
      properties.insert(properties.end(), more.begin(), more.end());
    }
    WriteExtension(w_, properties);
    w_.EndObject();
    Listed(source_ids_[index]);
  }

  // The element of a licence text, written once however many elements declare it.
  const std::string& License(const std::string& text) {
    auto it = licenses_.find(text);
    if (it != licenses_.end()) return it->second;
    std::string id = ns_ + "/license/" + std::to_string(licenses_.size());
    BeginElement(w_, "simplelicensing_LicenseExpression", id);
    w_.Member("simplelicensing_licenseExpression", text);
    w_.EndObject();
    Listed(id);
    return licenses_.emplace(text, std::move(id)).first->second;
  }

  void Relationship(const std::string& from, std::string_view type,
                    const std::vector<std::string>& to, const std::string& comment) {
    std::string id = ns_ + "/relationship/" + std::to_string(relationships_++);
    BeginElement(w_, "Relationship", id);
    w_.Member("from", from);
    w_.Member("relationshipType", type);
    WriteIdList(w_, "to", to);
    if (!comment.empty()) w_.Member("comment", comment);
    w_.EndObject();
    Listed(id);
  }

  void WriteRelationships() {
    const Model& model = manifest_.header.model;
    for (std::size_t s = 0; s < stages_.size(); ++s) {
      if (stages_[s].empty()) continue;
      std::vector<std::string> to;
      for (std::size_t index : stages_[s]) to.push_back(source_ids_[index]);
      std::string comment = model.stages_given ? "stage " + model.stages[s].id : "all sources";
      Relationship(model_id_, "trainedOn", to, comment);
    }
    for (const LineageEntry& entry : model.lineage) {
      Relationship(model_id_, RelationshipFor(entry.relation), {upstream_ids_.at(entry.model)},
                   "lineage " + std::string(ToString(entry.relation)));
    }
    for (const UpstreamModel& u : upstream_) {
      if (u.generated.empty()) continue;
      std::vector<std::string> to;
      for (std::size_t index : u.generated) to.push_back(source_ids_[index]);
      Relationship(upstream_ids_.at(u.id), "generates", to, "generated_by");
    }
    if (model.release.license) {
      const std::string& license = License(*model.release.license);
      Relationship(model_id_, "hasDeclaredLicense", {license}, "release.license");
    }
    for (std::size_t i = 0; i < manifest_.sources.size(); ++i) {
      const Source& source = manifest_.sources[i];
      if (!source.license) continue;
      const std::string& license = License(*source.license);
      Relationship(source_ids_[i], "hasDeclaredLicense", {license}, "license");
    }
  }

  void Annotation(const std::string& id, std::string_view type, const std::string& subject,
                  const std::string& statement, const std::vector<ExportProperty>& properties) {
    BeginElement(w_, "Annotation", id);
    w_.Member("annotationType", type);
    w_.Member("subject", subject);
    w_.Member("statement", statement);
    WriteExtension(w_, properties);
    w_.EndObject();
    Listed(id);
  }

  const std::string& SubjectElement(const std::string& subject) {
    std::size_t index = FindSource(manifest_, subject);
    return index == std::string::npos ? model_id_ : source_ids_[index];
  }

  void WriteAnnotations() {
    const Report::Summary& s = report_.summary;
    std::string verdict = std::string(ToString(report_.verdict)) + " (errors " +
                          std::to_string(s.errors) + ", warnings " + std::to_string(s.warnings) +
                          ", waived " + std::to_string(s.waived) + "); policy " +
                          report_.policy_name + " " + report_.policy_version + ", profile " +
                          report_.policy_profile;
    Annotation(ns_ + "/annotation/verdict", "review", model_id_, verdict,
               ReportProperties(report_));
    std::string finding = std::string(kPropertyPrefix) + "finding/";
    for (std::size_t i = 0; i < report_.findings.size(); ++i) {
      const Finding& f = report_.findings[i];
      Annotation(ns_ + "/annotation/finding/" + std::to_string(i), "review",
                 SubjectElement(f.subject), FindingText(f), FindingProperties(f, finding));
    }
    std::string obligation = std::string(kPropertyPrefix) + "obligation/";
    for (std::size_t i = 0; i < report_.obligations.size(); ++i) {
      const Obligation& o = report_.obligations[i];
      Annotation(ns_ + "/annotation/obligation/" + std::to_string(i), "other",
                 SubjectElement(o.subject), ObligationText(o), ObligationProperties(o, obligation));
    }
  }

  void WriteDocument() {
    BeginElement(w_, "SpdxDocument", ns_ + "/document");
    w_.Member("name", "provgate export of " + manifest_.header.model.id);
    w_.Key("profileConformance");
    w_.BeginArray();
    for (const char* profile : {"core", "software", "simpleLicensing", "ai", "dataset"}) {
      w_.String(profile);
    }
    // Written whole: the context's term `extension` (the property Core/extension) would take
    // the short name before the profile vocabulary does.
    w_.String("https://spdx.org/rdf/3.0.1/terms/Core/ProfileIdentifierType/extension");
    w_.EndArray();
    WriteIdList(w_, "rootElement", {model_id_});
    WriteIdList(w_, "element", elements_);
    w_.EndObject();
  }

  const Manifest& manifest_;
  const Report& report_;
  std::string out_;
  JsonWriter w_;
  std::string ns_;
  std::string created_;
  std::vector<UpstreamModel> upstream_;
  std::vector<std::vector<std::size_t>> stages_;
  std::string model_id_;
  std::string agent_id_;
  std::string tool_id_;
  std::vector<std::string> source_ids_;
  std::map<std::string, std::string> upstream_ids_;
  std::map<std::string, std::string> licenses_;
  std::size_t relationships_ = 0;
  std::vector<std::string> elements_;
};

}  // namespace

std::string WriteSpdx3(const Manifest& manifest, const Report& report,
                       const ExportOptions& options) {
  return Spdx3Writer(manifest, report, options).Write();
}

}  // namespace provgate::detail
