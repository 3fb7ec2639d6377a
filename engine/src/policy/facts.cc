// The computed facts of sources and of the model: permission, licence verdicts, usage by
// stages, taint and the released intermediate checkpoint, next to the manifest's own fields.
#include "policy/facts.h"

#include "policy/facts_table.h"

namespace provgate::detail {

using expr::Value;

const FactTable& SourceViewFacts() {
  static const TableType<SourceView> kType(
      "source",
      {
          {"id", "string", "the source's id",
           [](const SourceView& v, Value& out) { return Str(v.source->id, out); }},
          {"title", "string", "its title",
           [](const SourceView& v, Value& out) { return OptStr(v.source->title, out); }},
          {"kind", "string", "the kind of data (web-crawl, books, code, ...)",
           [](const SourceView& v, Value& out) { return Str(ToString(v.source->kind), out); }},
          {"uri", "string", "where the data comes from",
           [](const SourceView& v, Value& out) { return OptStr(v.source->uri, out); }},
          {"license", "string", "the SPDX licence expression as written",
           [](const SourceView& v, Value& out) { return OptStr(v.source->license, out); }},
          {"permission", "permission", "the basis of permission the manifest states",
           [](const SourceView& v, Value& out) {
             return Object(PermissionFacts(), &v.source->permission, out);
           },
           &PermissionFacts},
          {"acquisition", "acquisition", "how the data was acquired",
           [](const SourceView& v, Value& out) {
             return Object(AcquisitionFacts(),
                           v.source->acquisition ? &*v.source->acquisition : nullptr, out);
           },
           &AcquisitionFacts},
          {"generated_by", "list of generated_by",
           "the models and programs that generated the data (absent when none)",
           [](const SourceView& v, Value& out) {
             return NonEmptyList(GeneratedByFacts(), v.source->generated_by, out);
           },
           &GeneratedByFacts},
          {"license_scope", "string",
           "what the licence covers: content, or compilation (the dataset, not the third-party "
           "content it compiles)",
           [](const SourceView& v, Value& out) {
             return Str(ToString(v.source->license_scope), out);
           }},
          {"own_output", "bool",
           "every generator is the model's own checkpoint or a program, and one is a checkpoint",
           [](const SourceView& v, Value& out) { return Bool(v.facts->own_output, out); }},
          {"reasons", "list of string",
           "every reason code the source fails on, the first being `reason` (a contract may "
           "fail on several counts); empty when permitted",
           [](const SourceView& v, Value& out) {
             std::vector<Value> items;
             for (const std::string& reason : v.facts->permission.reasons) {
               items.push_back(Value::String(reason));
             }
             out = Value::List(std::move(items));
             return FactPresence::kPresent;
           }},
          {"size", "size", "how much data the source contributed",
           [](const SourceView& v, Value& out) {
             return Object(SizeFacts(), v.source->size ? &*v.source->size : nullptr, out);
           },
           &SizeFacts},
          {"digest", "digest", "the source's content digest",
           [](const SourceView& v, Value& out) {
             return Object(DigestFacts(), v.source->digest_sha256 ? v.source : nullptr, out);
           },
           &DigestFacts},
          {"files", "list of file", "the files of the source (absent when none)",
           [](const SourceView& v, Value& out) {
             return NonEmptyList(FileFacts(), v.source->files, out);
           },
           &FileFacts},
          {"index", "uint", "the position of the source in the manifest",
           [](const SourceView& v, Value& out) { return Uint(v.source->index, out); }},
          {"used", "bool",
           "some stage names the source; true for every source when the manifest has no stages",
           [](const SourceView& v, Value& out) { return Bool(v.facts->used, out); }},
          {"permitted", "bool", "the permission table allows this use of the source",
           [](const SourceView& v, Value& out) {
             return Bool(v.facts->permission.permitted, out);
           }},
          {"contract_expiring", "bool",
           "the source's contract grants the use on the date of the check but ends within the "
           "days of check --warn-expiring (false without it, and when the release date decides)",
           [](const SourceView& v, Value& out) { return Bool(v.facts->permission.expiring, out); }},
          {"reason", "string", "the permission table's reason code when not permitted, else empty",
           [](const SourceView& v, Value& out) { return Str(v.facts->permission.reason, out); }},
          {"permission_detail", "string", "one sentence saying why",
           [](const SourceView& v, Value& out) {
             return Str(v.facts->permission.explanation, out);
           }},
          {"license_class", "string",
           "the class of the licence alternative that counts (absent without a licence)",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             if (l == nullptr) return FactPresence::kAbsent;
             return Str(ToString(l->license_class), out);
           }},
          {"license_canonical", "string", "the licence expression in canonical spelling",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             if (l == nullptr || !l->parsed) return FactPresence::kAbsent;
             return Str(l->canonical, out);
           }},
          {"license_chosen", "string",
           "the licences of the alternative that counts (for A OR B, the one chosen), joined "
           "with AND",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             if (l == nullptr || !l->parsed) return FactPresence::kAbsent;
             if (l->licenses.size() == 1) return Str(l->licenses.front(), out);
             std::string chosen;
             for (const auto& id : l->licenses) chosen += (chosen.empty() ? "" : " AND ") + id;
             out = Value::String(std::move(chosen));
             return FactPresence::kPresent;
           }},
          {"license_choice", "string",
           "for an expression with OR: which alternative counts and why; empty otherwise",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             if (l == nullptr || !l->parsed) return FactPresence::kAbsent;
             return Str(l->choice, out);
           }},
          {"license_error", "string",
           "why the licence is not a valid SPDX expression (absent when it is)",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             if (l == nullptr || l->parsed) return FactPresence::kAbsent;
             out = Value::String("column " + std::to_string(l->error.column) + ": " +
                                 l->error.message);
             return FactPresence::kPresent;
           }},
          {"attribution", "bool", "the licence that counts requires attribution",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             return Bool(l != nullptr && l->attribution, out);
           }},
          {"share_alike", "bool", "the licence that counts binds the release to its terms",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             return Bool(l != nullptr && l->share_alike, out);
           }},
          {"non_commercial_only", "bool", "the licence that counts allows only non-commercial use",
           [](const SourceView& v, Value& out) {
             const LicenseVerdict* l = v.facts->permission.license;
             return Bool(l != nullptr && l->non_commercial_only, out);
           }},
          {"stages", "list of string", "the ids of the stages that name the source",
           [](const SourceView& v, Value& out) {
             std::vector<Value> ids;
             for (std::string_view id : v.facts->stages) ids.push_back(Value::BorrowedString(id));
             out = Value::List(std::move(ids));
             return FactPresence::kPresent;
           }},
      });
  return kType;
}

const FactTable& ModelViewFacts() {
  static const TableType<ModelView> kType(
      "model",
      {
          {"id", "string", "the model's id",
           [](const ModelView& v, Value& out) { return Str(v.model->id, out); }},
          {"organization", "string", "the organization that made it, when given",
           [](const ModelView& v, Value& out) { return OptStr(v.model->organization, out); }},
          {"release", "release", "the release as the manifest states it",
           [](const ModelView& v, Value& out) {
             return Object(ReleaseFacts(), &v.model->release, out);
           },
           &ReleaseFacts},
          {"stages", "list of stage", "the declared stages (absent when the manifest has none)",
           [](const ModelView& v, Value& out) {
             if (!v.model->stages_given) return FactPresence::kAbsent;
             out = ObjectList(StageDataFacts(), v.model->stages);
             return FactPresence::kPresent;
           },
           &StageDataFacts},
          {"lineage", "list of lineage entry", "the lineage entries",
           [](const ModelView& v, Value& out) {
             out = ObjectList(LineageDataFacts(), v.model->lineage);
             return FactPresence::kPresent;
           },
           &LineageDataFacts},
          {"effective_weights", "string",
           "how the release counts: open only when the weights are open under a licence in the "
           "open-weights class, otherwise closed; unreleased stays unreleased",
           [](const ModelView& v, Value& out) { return Str(v.effective_weights, out); }},
          {"open_weights_license", "bool",
           "release.license is in the open-weights class (absent without a licence)",
           [](const ModelView& v, Value& out) {
             if (!v.has_license) return FactPresence::kAbsent;
             return Bool(v.open_weights_license, out);
           }},
          {"license_error", "string",
           "why release.license is not a valid SPDX expression (absent when it is)",
           [](const ModelView& v, Value& out) {
             if (v.license_error.empty()) return FactPresence::kAbsent;
             return Str(v.license_error, out);
           }},
          {"commercial", "bool", "the deployment is commercial or internal",
           [](const ModelView& v, Value& out) { return Bool(v.use->commercial(), out); }},
          {"date", "string",
           "the date contracts must cover: release.date, or the date of the check",
           [](const ModelView& v, Value& out) { return Str(v.use->date, out); }},
          {"tainted", "bool",
           "some source is used without permission, or an upstream model passes its taint on "
           "(final in model checks)",
           [](const ModelView& v, Value& out) { return Bool(v.tainted, out); }},
          {"intermediate_stage", "int",
           "the position of the last stage that used unpermitted data, directly or through a "
           "taint-carrying upstream model (-1: none); only in a profile that declares "
           "intermediate_facts",
           [](const ModelView& v, Value& out) {
             if (!v.intermediate_known) return FactPresence::kAbsent;
             out = Value::Int(v.intermediate_stage);
             return FactPresence::kPresent;
           }},
          {"intermediate_stage_id", "string", "that stage's id (absent when there is none)",
           [](const ModelView& v, Value& out) {
             if (!v.intermediate_known || v.intermediate_stage < 0) return FactPresence::kAbsent;
             return Str(v.intermediate_stage_id, out);
           }},
          {"intermediate_accepted", "bool",
           "that stage's checkpoint is released open-weight under an open-weights licence",
           [](const ModelView& v, Value& out) {
             if (!v.intermediate_known) return FactPresence::kAbsent;
             return Bool(v.intermediate_accepted, out);
           }},
          {"intermediate_detail", "string", "why that checkpoint is accepted or not",
           [](const ModelView& v, Value& out) {
             if (!v.intermediate_known) return FactPresence::kAbsent;
             return Str(v.intermediate_detail, out);
           }},
          {"permitted_sources", "uint",
           "how many sources are used with permission (final in model checks)",
           [](const ModelView& v, Value& out) { return Uint(v.permitted_sources, out); }},
          {"unpermitted_sources", "uint",
           "how many sources are used without permission (final in model checks)",
           [](const ModelView& v, Value& out) { return Uint(v.unpermitted_sources, out); }},
      });
  return kType;
}

Value SourceValue(const SourceView& view) { return Value::Object(&SourceViewFacts(), &view); }
Value ModelValue(const ModelView& view) { return Value::Object(&ModelViewFacts(), &view); }

}  // namespace provgate::detail
