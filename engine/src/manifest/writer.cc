#include "manifest/writer.h"

namespace provgate::detail {
namespace {

void Optional(JsonWriter& w, std::string_view key, const std::optional<std::string>& value) {
  if (value) w.Member(key, *value);
}

void Optional(JsonWriter& w, std::string_view key, const std::optional<std::uint64_t>& value) {
  if (value) w.Member(key, *value);
}

void WriteCheckpoint(JsonWriter& w, const Checkpoint& c) {
  w.BeginObject();
  w.Member("id", c.id);
  w.Member("weights", ToString(c.weights));
  Optional(w, "license", c.license);
  Optional(w, "date", c.date);
  w.EndObject();
}

void WriteModel(JsonWriter& w, const Model& model) {
  w.BeginObject();
  w.Member("id", model.id);
  Optional(w, "organization", model.organization);
  w.Key("release");
  w.BeginObject();
  w.Member("weights", ToString(model.release.weights));
  Optional(w, "license", model.release.license);
  w.Member("deployment", ToString(model.release.deployment));
  Optional(w, "date", model.release.date);
  w.EndObject();
  if (model.stages_given) {
    w.Key("stages");
    w.BeginArray();
    for (const Stage& stage : model.stages) {
      w.BeginObject();
      w.Member("id", stage.id);
      w.Key("sources");
      w.BeginArray();
      for (std::size_t i = 0; i < stage.sources.size(); ++i) {
        const StageAmount* amount =
            i < stage.source_amounts.size() ? &stage.source_amounts[i] : nullptr;
        if (amount == nullptr || (!amount->tokens && !amount->epochs)) {
          w.String(stage.sources[i]);
          continue;
        }
        w.BeginObject();
        w.Member("id", stage.sources[i]);
        Optional(w, "tokens", amount->tokens);
        if (amount->epochs) {
          w.Key("epochs");
          w.Double(*amount->epochs);
        }
        w.EndObject();
      }
      w.EndArray();
      if (stage.checkpoint) {
        w.Key("checkpoint");
        WriteCheckpoint(w, *stage.checkpoint);
      }
      Optional(w, "date", stage.date);
      Optional(w, "tokens", stage.tokens);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!model.lineage.empty()) {
    w.Key("lineage");
    w.BeginArray();
    for (const LineageEntry& entry : model.lineage) {
      w.BeginObject();
      w.Member("relation", ToString(entry.relation));
      w.Member("model", entry.model);
      Optional(w, "manifest", entry.manifest);
      Optional(w, "attestation", entry.attestation);
      if (entry.ledger) w.Member("ledger", true);
      Optional(w, "stage", entry.stage);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

void WritePermission(JsonWriter& w, const Permission& p) {
  w.BeginObject();
  w.Member("basis", ToString(p.basis));
  if (!p.evidence.empty()) {
    w.Key("evidence");
    w.BeginArray();
    for (const Evidence& e : p.evidence) {
      w.BeginObject();
      w.Member("uri", e.uri);
      w.Member("sha256", e.sha256);
      w.EndObject();
    }
    w.EndArray();
  }
  if (p.grants) {
    w.Key("grants");
    w.BeginObject();
    w.Member("training", p.grants->training);
    w.Member("commercial", p.grants->commercial);
    w.Member("closed_weights", p.grants->closed_weights);
    w.EndObject();
  }
  Optional(w, "valid_from", p.valid_from);
  Optional(w, "valid_until", p.valid_until);
  Optional(w, "claim", p.claim);
  if (!p.obligations.empty()) {
    w.Key("obligations");
    w.BeginArray();
    for (const Duty& duty : p.obligations) {
      w.BeginObject();
      w.Member("kind", ToString(duty.kind));
      w.Member("text", duty.text);
      Optional(w, "uri", duty.uri);
      w.EndObject();
    }
    w.EndArray();
  }
  if (p.survives_termination) w.Member("survives_termination", true);
  w.EndObject();
}

}  // namespace

void WriteSource(JsonWriter& w, const Source& s) {
  w.BeginObject();
  w.Member("id", s.id);
  Optional(w, "title", s.title);
  w.Member("kind", ToString(s.kind));
  Optional(w, "uri", s.uri);
  Optional(w, "license", s.license);
  if (s.license_scope != LicenseScope::kContent) {
    w.Member("license_scope", ToString(s.license_scope));
  }
  w.Key("permission");
  WritePermission(w, s.permission);
  if (s.acquisition) {
    w.Key("acquisition");
    w.BeginObject();
    if (s.acquisition->method) w.Member("method", ToString(*s.acquisition->method));
    if (s.acquisition->opt_outs_honored) {
      w.Member("opt_outs_honored", *s.acquisition->opt_outs_honored);
    }
    Optional(w, "date", s.acquisition->date);
    if (!s.acquisition->allegations.empty()) {
      w.Key("allegations");
      w.BeginArray();
      for (const Allegation& allegation : s.acquisition->allegations) {
        w.BeginObject();
        w.Member("claim", ToString(allegation.claim));
        w.Member("reference", allegation.reference);
        Optional(w, "uri", allegation.uri);
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  if (!s.generated_by.empty()) {
    w.Key("generated_by");
    // One entry is written as an object, as manifests before lists of generators wrote it.
    if (s.generated_by.size() > 1) w.BeginArray();
    for (const GeneratedBy& g : s.generated_by) {
      w.BeginObject();
      if (!g.model.empty()) {
        w.Member("model", g.model);
        w.Member("terms_allow_training", g.terms_allow_training);
        Optional(w, "stage", g.stage);
        Optional(w, "license", g.license);
      } else {
        w.Member("program", g.program);
      }
      w.EndObject();
    }
    if (s.generated_by.size() > 1) w.EndArray();
  }
  if (s.size) {
    w.Key("size");
    w.BeginObject();
    Optional(w, "tokens", s.size->tokens);
    Optional(w, "bytes", s.size->bytes);
    Optional(w, "documents", s.size->documents);
    w.EndObject();
  }
  if (s.digest_sha256) {
    w.Key("digest");
    w.BeginObject();
    w.Member("sha256", *s.digest_sha256);
    w.EndObject();
  }
  if (!s.files.empty()) {
    w.Key("files");
    w.BeginArray();
    for (const FileEntry& f : s.files) {
      w.BeginObject();
      w.Member("path", f.path);
      w.Member("sha256", f.sha256);
      Optional(w, "bytes", f.bytes);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

void WriteManifest(JsonWriter& w, const ManifestHeader& header,
                   const std::vector<Source>* sources) {
  w.BeginObject();
  w.Member("manifest_version", header.manifest_version);
  w.Key("model");
  WriteModel(w, header.model);
  w.Key("sources");
  if (header.sources_jsonl && sources == nullptr) {
    w.BeginObject();
    w.Member("jsonl", *header.sources_jsonl);
    w.EndObject();
  } else {
    w.BeginArray();
    if (sources != nullptr) {
      for (const Source& source : *sources) WriteSource(w, source);
    }
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace provgate::detail
