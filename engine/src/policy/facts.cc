#include "policy/facts.h"

#include <array>
#include <optional>

namespace provgate::detail {
namespace {

using expr::ObjectType;
using expr::Value;
using Field = ObjectType::Field;

// An ObjectType described by a table of named getters over a native type T.
template <typename T>
class TableType : public ObjectType {
 public:
  struct FieldDef {
    std::string_view name;
    Field (*get)(const T& object, Value& out);
  };
  TableType(std::string_view name, std::vector<FieldDef> fields)
      : name_(name), fields_(std::move(fields)) {
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      buckets_[Bucket(fields_[i].name)].push_back(static_cast<std::uint8_t>(i));
    }
  }

  std::string_view name() const override { return name_; }
  // Every field access of every rule on every source comes here: the name's length and end
  // bytes pick a bucket, which nearly always holds the one field to compare with.
  Field Get(const void* object, std::string_view field, Value& out) const override {
    if (field.empty()) return Field::kUnknown;
    for (std::uint8_t i : buckets_[Bucket(field)]) {
      if (fields_[i].name == field) return fields_[i].get(*static_cast<const T*>(object), out);
    }
    return Field::kUnknown;
  }
  std::vector<std::string_view> FieldNames(const void* object) const override {
    std::vector<std::string_view> names;
    Value ignored;
    for (const auto& def : fields_) {
      if (def.get(*static_cast<const T*>(object), ignored) == Field::kPresent) {
        names.push_back(def.name);
      }
    }
    return names;
  }

 private:
  static std::size_t Bucket(std::string_view name) {
    auto first = static_cast<unsigned char>(name.front());
    auto last = static_cast<unsigned char>(name.back());
    return (name.size() * 31 + first * 7 + last) % kBuckets;
  }
  static constexpr std::size_t kBuckets = 64;

  std::string_view name_;
  std::vector<FieldDef> fields_;
  std::array<std::vector<std::uint8_t>, kBuckets> buckets_;
};

Field Str(std::string_view s, Value& out) {
  out = Value::BorrowedString(s);
  return Field::kPresent;
}
Field OptStr(const std::optional<std::string>& s, Value& out) {
  if (!s) return Field::kAbsent;
  out = Value::BorrowedString(*s);
  return Field::kPresent;
}
Field Bool(bool b, Value& out) {
  out = Value::Bool(b);
  return Field::kPresent;
}
Field Count(const std::optional<std::uint64_t>& n, Value& out) {
  if (!n) return Field::kAbsent;
  out = Value::Uint(*n);
  return Field::kPresent;
}

template <typename T>
Field Object(const ObjectType& type, const T* object, Value& out) {
  if (object == nullptr) return Field::kAbsent;
  out = Value::Object(&type, object);
  return Field::kPresent;
}

// ---- Types for the manifest's own structures ----

const TableType<Release>& ReleaseType() {
  static const TableType<Release> kType(
      "release",
      {
          {"weights", [](const Release& r, Value& out) { return Str(ToString(r.weights), out); }},
          {"license", [](const Release& r, Value& out) { return OptStr(r.license, out); }},
          {"deployment",
           [](const Release& r, Value& out) { return Str(ToString(r.deployment), out); }},
          {"date", [](const Release& r, Value& out) { return OptStr(r.date, out); }},
      });
  return kType;
}

const TableType<Checkpoint>& CheckpointType() {
  static const TableType<Checkpoint> kType(
      "checkpoint",
      {
          {"id", [](const Checkpoint& c, Value& out) { return Str(c.id, out); }},
          {"weights",
           [](const Checkpoint& c, Value& out) { return Str(ToString(c.weights), out); }},
          {"license", [](const Checkpoint& c, Value& out) { return OptStr(c.license, out); }},
          {"date", [](const Checkpoint& c, Value& out) { return OptStr(c.date, out); }},
      });
  return kType;
}

const TableType<Evidence>& EvidenceType() {
  static const TableType<Evidence> kType(
      "evidence", {
                      {"uri", [](const Evidence& e, Value& out) { return Str(e.uri, out); }},
                      {"sha256", [](const Evidence& e, Value& out) { return Str(e.sha256, out); }},
                  });
  return kType;
}

const TableType<Grants>& GrantsType() {
  static const TableType<Grants> kType(
      "grants",
      {
          {"training", [](const Grants& g, Value& out) { return Bool(g.training, out); }},
          {"commercial", [](const Grants& g, Value& out) { return Bool(g.commercial, out); }},
          {"closed_weights",
           [](const Grants& g, Value& out) { return Bool(g.closed_weights, out); }},
      });
  return kType;
}

template <typename T>
Value ObjectList(const ObjectType& type, const std::vector<T>& items) {
  std::vector<Value> values;
  values.reserve(items.size());
  for (const T& item : items) values.push_back(Value::Object(&type, &item));
  return Value::List(std::move(values));
}

const TableType<Permission>& PermissionType() {
  static const TableType<Permission> kType(
      "permission",
      {
          {"basis", [](const Permission& p, Value& out) { return Str(ToString(p.basis), out); }},
          {"evidence",
           [](const Permission& p, Value& out) {
             if (p.evidence.empty()) return Field::kAbsent;
             out = ObjectList(EvidenceType(), p.evidence);
             return Field::kPresent;
           }},
          {"grants",
           [](const Permission& p, Value& out) {
             return Object(GrantsType(), p.grants ? &*p.grants : nullptr, out);
           }},
          {"valid_from", [](const Permission& p, Value& out) { return OptStr(p.valid_from, out); }},
          {"valid_until",
           [](const Permission& p, Value& out) { return OptStr(p.valid_until, out); }},
      });
  return kType;
}

const TableType<Acquisition>& AcquisitionType() {
  static const TableType<Acquisition> kType(
      "acquisition",
      {
          {"method",
           [](const Acquisition& a, Value& out) {
             if (!a.method) return Field::kAbsent;
             return Str(ToString(*a.method), out);
           }},
          {"opt_outs_honored",
           [](const Acquisition& a, Value& out) {
             if (!a.opt_outs_honored) return Field::kAbsent;
             return Bool(*a.opt_outs_honored, out);
           }},
          {"date", [](const Acquisition& a, Value& out) { return OptStr(a.date, out); }},
      });
  return kType;
}

const TableType<GeneratedBy>& GeneratedByType() {
  static const TableType<GeneratedBy> kType(
      "generated_by",
      {
          {"model", [](const GeneratedBy& g, Value& out) { return Str(g.model, out); }},
          {"terms_allow_training",
           [](const GeneratedBy& g, Value& out) { return Bool(g.terms_allow_training, out); }},
      });
  return kType;
}

const TableType<Size>& SizeType() {
  static const TableType<Size> kType(
      "size", {
                  {"tokens", [](const Size& s, Value& out) { return Count(s.tokens, out); }},
                  {"bytes", [](const Size& s, Value& out) { return Count(s.bytes, out); }},
                  {"documents", [](const Size& s, Value& out) { return Count(s.documents, out); }},
              });
  return kType;
}

const TableType<Source>& DigestType() {
  static const TableType<Source> kType(
      "digest",
      {
          {"sha256", [](const Source& s, Value& out) { return OptStr(s.digest_sha256, out); }},
      });
  return kType;
}

const TableType<FileEntry>& FileType() {
  static const TableType<FileEntry> kType(
      "file", {
                  {"path", [](const FileEntry& f, Value& out) { return Str(f.path, out); }},
                  {"sha256", [](const FileEntry& f, Value& out) { return Str(f.sha256, out); }},
                  {"bytes", [](const FileEntry& f, Value& out) { return Count(f.bytes, out); }},
              });
  return kType;
}

const TableType<SourceView>& SourceType() {
  static const TableType<SourceView> kType(
      "source",
      {
          {"id", [](const SourceView& v, Value& out) { return Str(v.source->id, out); }},
          {"title", [](const SourceView& v, Value& out) { return OptStr(v.source->title, out); }},
          {"kind",
           [](const SourceView& v, Value& out) { return Str(ToString(v.source->kind), out); }},
          {"uri", [](const SourceView& v, Value& out) { return OptStr(v.source->uri, out); }},
          {"license",
           [](const SourceView& v, Value& out) { return OptStr(v.source->license, out); }},
          {"permission",
           [](const SourceView& v, Value& out) {
             return Object(PermissionType(), &v.source->permission, out);
           }},
          {"acquisition",
           [](const SourceView& v, Value& out) {
             return Object(AcquisitionType(),
                           v.source->acquisition ? &*v.source->acquisition : nullptr, out);
           }},
          {"generated_by",
           [](const SourceView& v, Value& out) {
             return Object(GeneratedByType(),
                           v.source->generated_by ? &*v.source->generated_by : nullptr, out);
           }},
          {"size",
           [](const SourceView& v, Value& out) {
             return Object(SizeType(), v.source->size ? &*v.source->size : nullptr, out);
           }},
          {"digest",
           [](const SourceView& v, Value& out) {
             return Object(DigestType(), v.source->digest_sha256 ? v.source : nullptr, out);
           }},
          {"files",
           [](const SourceView& v, Value& out) {
             if (v.source->files.empty()) return Field::kAbsent;
             out = ObjectList(FileType(), v.source->files);
             return Field::kPresent;
           }},
          {"index",
           [](const SourceView& v, Value& out) {
             out = Value::Uint(v.source->index);
             return Field::kPresent;
           }},
          {"used", [](const SourceView& v, Value& out) { return Bool(v.facts->used, out); }},
          {"permitted", [](const SourceView& v,
                           Value& out) { return Bool(v.facts->permission.permitted, out); }},
          {"reason",
           [](const SourceView& v, Value& out) { return Str(v.facts->permission.reason, out); }},
          {"permission_detail",
           [](const SourceView& v, Value& out) {
             return Str(v.facts->permission.explanation, out);
           }},
          {"license_class",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             if (l == nullptr) return Field::kAbsent;
             return Str(ToString(l->license_class), out);
           }},
          {"license_canonical",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             if (l == nullptr || !l->parsed) return Field::kAbsent;
             return Str(l->canonical, out);
           }},
          {"license_chosen",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             if (l == nullptr || !l->parsed) return Field::kAbsent;
             if (l->licenses.size() == 1) return Str(l->licenses.front(), out);
             std::string chosen;
             for (const auto& id : l->licenses) chosen += (chosen.empty() ? "" : " AND ") + id;
             out = Value::String(std::move(chosen));
             return Field::kPresent;
           }},
          {"license_error",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             if (l == nullptr || l->parsed) return Field::kAbsent;
             out = Value::String("column " + std::to_string(l->error.column) + ": " +
                                 l->error.message);
             return Field::kPresent;
           }},
          {"attribution",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             return Bool(l != nullptr && l->attribution, out);
           }},
          {"share_alike",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             return Bool(l != nullptr && l->share_alike, out);
           }},
          {"non_commercial_only",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             return Bool(l != nullptr && l->non_commercial_only, out);
           }},
          {"stages",
           [](const SourceView& v, Value& out) {
             std::vector<Value> ids;
             for (std::string_view id : v.facts->stages) ids.push_back(Value::BorrowedString(id));
             out = Value::List(std::move(ids));
             return Field::kPresent;
           }},
      });
  return kType;
}

const TableType<Stage>& StageDataType() {
  static const TableType<Stage> kType(
      "stage", {
                   {"id", [](const Stage& s, Value& out) { return Str(s.id, out); }},
                   {"sources",
                    [](const Stage& s, Value& out) {
                      std::vector<Value> ids;
                      for (const auto& id : s.sources) ids.push_back(Value::BorrowedString(id));
                      out = Value::List(std::move(ids));
                      return Field::kPresent;
                    }},
                   {"checkpoint",
                    [](const Stage& s, Value& out) {
                      return Object(CheckpointType(), s.checkpoint ? &*s.checkpoint : nullptr, out);
                    }},
               });
  return kType;
}

const TableType<LineageEntry>& LineageDataType() {
  static const TableType<LineageEntry> kType(
      "lineage entry",
      {
          {"relation",
           [](const LineageEntry& e, Value& out) { return Str(ToString(e.relation), out); }},
          {"model", [](const LineageEntry& e, Value& out) { return Str(e.model, out); }},
          {"manifest", [](const LineageEntry& e, Value& out) { return OptStr(e.manifest, out); }},
          {"attestation",
           [](const LineageEntry& e, Value& out) { return OptStr(e.attestation, out); }},
          {"ledger", [](const LineageEntry& e, Value& out) { return Bool(e.ledger, out); }},
          {"stage", [](const LineageEntry& e, Value& out) { return OptStr(e.stage, out); }},
      });
  return kType;
}

const TableType<ModelView>& ModelType() {
  static const TableType<ModelView> kType(
      "model",
      {
          {"id", [](const ModelView& v, Value& out) { return Str(v.model->id, out); }},
          {"organization",
           [](const ModelView& v, Value& out) { return OptStr(v.model->organization, out); }},
          {"release", [](const ModelView& v,
                         Value& out) { return Object(ReleaseType(), &v.model->release, out); }},
          {"stages",
           [](const ModelView& v, Value& out) {
             if (!v.model->stages_given) return Field::kAbsent;
             out = ObjectList(StageDataType(), v.model->stages);
             return Field::kPresent;
           }},
          {"lineage",
           [](const ModelView& v, Value& out) {
             out = ObjectList(LineageDataType(), v.model->lineage);
             return Field::kPresent;
           }},
          {"effective_weights",
           [](const ModelView& v, Value& out) { return Str(v.effective_weights, out); }},
          {"open_weights_license",
           [](const ModelView& v, Value& out) {
             if (!v.has_license) return Field::kAbsent;
             return Bool(v.open_weights_license, out);
           }},
          {"license_error",
           [](const ModelView& v, Value& out) {
             if (v.license_error.empty()) return Field::kAbsent;
             return Str(v.license_error, out);
           }},
          {"commercial",
           [](const ModelView& v, Value& out) { return Bool(v.use->commercial(), out); }},
          {"date", [](const ModelView& v, Value& out) { return Str(v.use->date, out); }},
          {"tainted", [](const ModelView& v, Value& out) { return Bool(v.tainted, out); }},
          {"intermediate_stage",
           [](const ModelView& v, Value& out) {
             if (!v.intermediate_known) return Field::kAbsent;
             out = Value::Int(v.intermediate_stage);
             return Field::kPresent;
           }},
          {"intermediate_stage_id",
           [](const ModelView& v, Value& out) {
             if (!v.intermediate_known || v.intermediate_stage < 0) return Field::kAbsent;
             return Str(v.intermediate_stage_id, out);
           }},
          {"intermediate_accepted",
           [](const ModelView& v, Value& out) {
             if (!v.intermediate_known) return Field::kAbsent;
             return Bool(v.intermediate_accepted, out);
           }},
          {"intermediate_detail",
           [](const ModelView& v, Value& out) {
             if (!v.intermediate_known) return Field::kAbsent;
             return Str(v.intermediate_detail, out);
           }},
          {"permitted_sources",
           [](const ModelView& v, Value& out) {
             out = Value::Uint(v.permitted_sources);
             return Field::kPresent;
           }},
          {"unpermitted_sources",
           [](const ModelView& v, Value& out) {
             out = Value::Uint(v.unpermitted_sources);
             return Field::kPresent;
           }},
      });
  return kType;
}

const TableType<StageView>& StageType() {
  static const TableType<StageView> kType(
      "stage",
      {
          {"id", [](const StageView& v, Value& out) { return Str(v.stage->id, out); }},
          {"sources", [](const StageView& v,
                         Value& out) { return StageDataType().Get(v.stage, "sources", out); }},
          {"checkpoint",
           [](const StageView& v, Value& out) {
             return StageDataType().Get(v.stage, "checkpoint", out);
           }},
          {"duplicate", [](const StageView& v, Value& out) { return Bool(v.duplicate, out); }},
      });
  return kType;
}

const TableType<LineageView>& LineageType() {
  static const TableType<LineageView> kType(
      "lineage entry",
      {
          {"relation", [](const LineageView& v,
                          Value& out) { return LineageDataType().Get(v.entry, "relation", out); }},
          {"model", [](const LineageView& v, Value& out) { return Str(v.entry->model, out); }},
          {"manifest",
           [](const LineageView& v, Value& out) { return OptStr(v.entry->manifest, out); }},
          {"attestation",
           [](const LineageView& v, Value& out) { return OptStr(v.entry->attestation, out); }},
          {"ledger", [](const LineageView& v, Value& out) { return Bool(v.entry->ledger, out); }},
          {"stage", [](const LineageView& v, Value& out) { return OptStr(v.entry->stage, out); }},
          {"manifest_found",
           [](const LineageView& v, Value& out) {
             if (!v.entry->manifest) return Field::kAbsent;
             return Bool(v.manifest_found, out);
           }},
          {"upstream_status",
           [](const LineageView& v, Value& out) { return Str(ToString(v.upstream.state), out); }},
          {"upstream_tainted",
           [](const LineageView& v, Value& out) {
             return Bool(v.upstream.state == UpstreamStatus::State::kOk && v.upstream.tainted, out);
           }},
          {"upstream_unverified",
           [](const LineageView& v, Value& out) {
             return Bool(v.upstream.state == UpstreamStatus::State::kUnverified, out);
           }},
          {"upstream_detail",
           [](const LineageView& v, Value& out) { return Str(v.upstream.detail, out); }},
          {"chain", [](const LineageView& v, Value& out) { return Str(v.upstream.chain, out); }},
          {"propagates", [](const LineageView& v, Value& out) { return Bool(v.propagates, out); }},
          {"stage_index",
           [](const LineageView& v, Value& out) {
             if (v.stage_index < 0) return Field::kAbsent;
             out = Value::Int(v.stage_index);
             return Field::kPresent;
           }},
      });
  return kType;
}

const TableType<StageReferenceView>& StageReferenceType() {
  static const TableType<StageReferenceView> kType(
      "stage reference",
      {
          {"stage", [](const StageReferenceView& v, Value& out) { return Str(v.stage, out); }},
          {"source", [](const StageReferenceView& v, Value& out) { return Str(v.source, out); }},
          {"exists", [](const StageReferenceView& v, Value& out) { return Bool(v.exists, out); }},
      });
  return kType;
}

const TableType<DuplicateIdView>& DuplicateIdType() {
  static const TableType<DuplicateIdView> kType(
      "duplicate id",
      {
          {"id", [](const DuplicateIdView& v, Value& out) { return Str(v.id, out); }},
          {"count",
           [](const DuplicateIdView& v, Value& out) {
             out = Value::Int(v.count);
             return Field::kPresent;
           }},
      });
  return kType;
}

const TableType<ManifestView>& ManifestType() {
  static const TableType<ManifestView> kType(
      "manifest",
      {
          {"stage_count",
           [](const ManifestView& v, Value& out) {
             out = Value::Uint(v.stage_count);
             return Field::kPresent;
           }},
          {"sources_in_jsonl",
           [](const ManifestView& v, Value& out) { return Bool(v.sources_in_jsonl, out); }},
      });
  return kType;
}

const TableType<UnverifiedFileView>& UnverifiedFileType() {
  static const TableType<UnverifiedFileView> kType(
      "unverified file",
      {
          {"path", [](const UnverifiedFileView& v, Value& out) { return Str(v.path, out); }},
          {"kind", [](const UnverifiedFileView& v, Value& out) { return Str(v.kind, out); }},
          {"source", [](const UnverifiedFileView& v, Value& out) { return Str(v.source, out); }},
          {"status", [](const UnverifiedFileView& v, Value& out) { return Str(v.status, out); }},
          {"expected_sha256",
           [](const UnverifiedFileView& v, Value& out) { return Str(v.expected_sha256, out); }},
          {"actual_sha256",
           [](const UnverifiedFileView& v, Value& out) {
             if (v.actual_sha256.empty()) return Field::kAbsent;
             return Str(v.actual_sha256, out);
           }},
          {"error",
           [](const UnverifiedFileView& v, Value& out) {
             if (v.error.empty()) return Field::kAbsent;
             return Str(v.error, out);
           }},
      });
  return kType;
}

}  // namespace

Value UnverifiedFileValue(const UnverifiedFileView& view) {
  return Value::Object(&UnverifiedFileType(), &view);
}

Value SourceValue(const SourceView& view) { return Value::Object(&SourceType(), &view); }
Value ModelValue(const ModelView& view) { return Value::Object(&ModelType(), &view); }
Value StageValue(const StageView& view) { return Value::Object(&StageType(), &view); }
Value LineageValue(const LineageView& view) { return Value::Object(&LineageType(), &view); }
Value StageReferenceValue(const StageReferenceView& view) {
  return Value::Object(&StageReferenceType(), &view);
}
Value DuplicateIdValue(const DuplicateIdView& view) {
  return Value::Object(&DuplicateIdType(), &view);
}
Value ManifestValue(const ManifestView& view) { return Value::Object(&ManifestType(), &view); }

const std::vector<FactDescription>& DescribeFacts() {
  static const std::vector<FactDescription> kFacts = {
      {"manifest",
       "",
       {{"stage_count", "number of declared stages (uint)"},
        {"sources_in_jsonl", "sources are kept in a JSONL side file (bool)"}}},
      {"profile", "", {{"(string)", "the active profile: thread, intermediate or eu"}}},
      {"params", "", {{"(map)", "the pack's parameters, after defaults"}}},
      {"model",
       "",
       {{"id", "model id"},
        {"organization", "organization, when given"},
        {"release", "weights, license, deployment, date as in the manifest"},
        {"stages", "declared stages (absent when the manifest has none)"},
        {"lineage", "lineage entries"},
        {"effective_weights",
         "how the release counts for the policy: open only when weights are open under a "
         "licence in the open-weights class (P5); otherwise closed or unreleased"},
        {"open_weights_license", "release.license is in the open-weights class (bool)"},
        {"license_error", "why release.license is not a valid SPDX expression"},
        {"commercial", "the deployment is commercial or internal (bool)"},
        {"date", "the date contracts must cover: release.date, or the date of the check"},
        {"tainted", "some source is used without permission (model checks only)"},
        {"intermediate_stage, intermediate_stage_id",
         "profile intermediate: the last stage that used unpermitted data (-1: none)"},
        {"intermediate_accepted",
         "profile intermediate: that stage's checkpoint is released open-weight under an "
         "open-weights licence (P6)"},
        {"intermediate_detail", "profile intermediate: why P6 accepts or refuses"},
        {"permitted_sources, unpermitted_sources", "counts (model checks only)"}}},
      {"source",
       "source",
       {{"id, title, kind, uri, license", "as in the manifest"},
        {"permission", "basis, evidence, grants, valid_from, valid_until"},
        {"acquisition", "method, opt_outs_honored, date"},
        {"generated_by", "model, terms_allow_training"},
        {"size", "tokens, bytes, documents (uint)"},
        {"digest", "sha256"},
        {"files", "list of {path, sha256, bytes}"},
        {"index", "position in the manifest (uint)"},
        {"used", "some stage uses the source (bool); true for every source without stages"},
        {"stages", "ids of the stages that use the source"},
        {"permitted", "the permission table allows this use of the source (bool)"},
        {"reason", "the reason code when not permitted, else empty"},
        {"permission_detail", "one sentence saying why"},
        {"license_class", "class of the licence alternative that counts (when licensed)"},
        {"license_canonical", "the licence expression in canonical spelling"},
        {"license_chosen",
         "the licences of the alternative that counts (for A OR B, the one chosen)"},
        {"license_error", "why the licence expression is not valid SPDX (when it is not)"},
        {"attribution", "the licence requires attribution (bool)"},
        {"share_alike", "the licence carries share-alike or copyleft terms (bool)"},
        {"non_commercial_only", "the licence allows only non-commercial use (bool)"}}},
      {"stage",
       "stage",
       {{"id, sources, checkpoint", "as in the manifest"},
        {"duplicate", "another stage has the same id (bool)"}}},
      {"edge",
       "lineage",
       {{"relation, model, manifest, attestation, ledger, stage", "as in the manifest"},
        {"manifest_found", "the upstream manifest file exists (present when manifest is set)"},
        {"upstream_status",
         "ok (evaluated from its manifest), unverified (nothing establishes it), or a P2 "
         "problem: missing, invalid, cycle, id-mismatch, limit"},
        {"upstream_tainted", "the upstream model is established as tainted (bool)"},
        {"upstream_unverified", "the upstream model cannot be established (bool)"},
        {"upstream_detail", "what went wrong, for problems and unverified upstreams"},
        {"chain", "the lineage that carries the taint, e.g. a <- distillation <- b: used x ..."},
        {"propagates",
         "the relation carries taint (judge and reward-model only while the pack parameter "
         "judge_propagates_taint is true)"},
        {"stage_index", "position of lineage[].stage among the stages (absent without one)"}}},
      {"ref",
       "stage-reference",
       {{"stage", "the stage id"},
        {"source", "the source id it names"},
        {"exists", "a source with that id exists (bool)"}}},
      {"dup",
       "duplicate-id",
       {{"id", "the repeated source id"}, {"count", "how many sources carry it (int)"}}},
  };
  return kFacts;
}

}  // namespace provgate::detail
