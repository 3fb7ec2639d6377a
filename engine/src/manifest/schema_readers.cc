// The manifest's schema as tables of field readers (see schema_readers.h). Each table lists
// an object's fields in the order of its $defs entry; required fields are reported missing in
// that order.
#include "manifest/schema_readers.h"

#include <array>
#include <string>
#include <utility>

#include "manifest/enums.h"
#include "manifest/field_checks.h"
#include "manifest/rules.h"

namespace provgate::detail {
namespace {

namespace od = simdjson::ondemand;
using W = ValidatingWalker;
using V = ValidatingWalker::Value;

// ---- Values ----

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

template <typename E>
bool ReadEnum(W& w, V& value, E& out, std::string_view field) {
  const char* at = w.PositionOf(value);
  std::string text;
  if (!w.ReadString(value, text)) return false;
  auto parsed = ParseEnum<E>(text);
  if (!parsed) {
    w.Error(at, "schema-enum",
            "invalid " + std::string(field) + " '" + Excerpt(text) + "': expected one of " +
                JoinNames(EnumNames<E>()));
    return false;
  }
  out = *parsed;
  return true;
}

bool ReadDate(W& w, V& value, std::optional<std::string>& out, DateForm form) {
  const char* at = w.PositionOf(value);
  std::string text;
  if (!w.ReadString(value, text)) return false;
  if (auto problem = CheckDate(text, form)) {
    w.Error(at, std::string(problem->code), std::move(problem->message));
    return false;
  }
  out = std::move(text);
  return true;
}

// Sets `out` to the string read, valid or not.
bool ReadSha256(W& w, V& value, std::string& out) {
  const char* at = w.PositionOf(value);
  if (!w.ReadString(value, out)) return false;
  if (auto problem = CheckSha256(out)) {
    w.Error(at, std::string(problem->code), std::move(problem->message));
    return false;
  }
  return true;
}

// Places the violations of an object's cross-field rules at the object, or at its evidence.
class WalkerRuleReport final : public RuleReport {
 public:
  WalkerRuleReport(W& walker, const char* object_at, const char* evidence_at = nullptr)
      : walker_(walker), object_at_(object_at), evidence_at_(evidence_at) {}
  void Violation(std::string_view code, std::string message, RulePlace place) override {
    const char* at = place == RulePlace::kEvidence ? evidence_at_ : object_at_;
    walker_.Error(at, std::string(code), std::move(message));
  }

 private:
  W& walker_;
  const char* object_at_;
  const char* evidence_at_;
};

// ---- The model ----

constexpr std::array<FieldReader<Checkpoint>, 4> kCheckpointFields{{
    {"id", true, [](W& w, V& v, Checkpoint& c) { w.ReadNonEmptyString(v, c.id, kMaxIdLength); }},
    {"weights", true, [](W& w, V& v, Checkpoint& c) { ReadEnum(w, v, c.weights, "weights"); }},
    {"license", false,
     [](W& w, V& v, Checkpoint& c) { w.ReadOptString(v, c.license, kMaxTextLength); }},
    {"date", false, [](W& w, V& v, Checkpoint& c) { ReadDate(w, v, c.date, DateForm::kDay); }},
}};

void ReadCheckpoint(W& w, V& value, Checkpoint& checkpoint) {
  ObjectRead read = ReadObject(w, value, "checkpoint", kCheckpointFields, checkpoint);
  if (!read.ok || w.fatal()) return;
  WalkerRuleReport rules(w, read.at);
  CheckCheckpointRules(checkpoint, rules);
}

constexpr std::array<FieldReader<Release>, 4> kReleaseFields{{
    {"weights", true, [](W& w, V& v, Release& r) { ReadEnum(w, v, r.weights, "weights"); }},
    {"license", false,
     [](W& w, V& v, Release& r) { w.ReadOptString(v, r.license, kMaxTextLength); }},
    {"deployment", false,
     [](W& w, V& v, Release& r) { ReadEnum(w, v, r.deployment, "deployment"); }},
    {"date", false, [](W& w, V& v, Release& r) { ReadDate(w, v, r.date, DateForm::kDay); }},
}};

void ReadRelease(W& w, V& value, Release& release) {
  ObjectRead read = ReadObject(w, value, "release", kReleaseFields, release);
  if (!read.ok || w.fatal()) return;
  WalkerRuleReport rules(w, read.at);
  CheckReleaseRules(release, rules);
}

void ReadStageSources(W& w, V& value, Stage& stage) {
  w.ForEachElement(value, "stage sources", [&](V& element, std::size_t) {
    const char* element_at = w.PositionOf(element);
    std::string id;
    if (w.ReadNonEmptyString(element, id, kMaxIdLength)) {
      stage.sources.push_back(std::move(id));
      Location location;
      Locate(w, element_at, location);
      stage.source_locations.push_back(std::move(location));
    }
  });
}

constexpr std::array<FieldReader<Stage>, 3> kStageFields{{
    {"id", true, [](W& w, V& v, Stage& s) { w.ReadNonEmptyString(v, s.id, kMaxIdLength); }},
    {"sources", true, ReadStageSources},
    {"checkpoint", false,
     [](W& w, V& v, Stage& s) { ReadCheckpoint(w, v, s.checkpoint.emplace()); }},
}};

void ReadStage(W& w, V& value, Stage& stage) {
  ObjectRead read = ReadObject(w, value, "stage", kStageFields, stage);
  if (read.at != nullptr) Locate(w, read.at, stage.location);
}

// A path of a lineage entry. Set even when it is invalid: the entry names it, and the rule
// on the number of verifications counts it.
void ReadLineagePath(W& w, V& value, std::optional<std::string>& out) {
  std::string text;
  w.ReadNonEmptyString(value, text, kMaxPathLength);
  out = std::move(text);
}

constexpr std::array<FieldReader<LineageEntry>, 6> kLineageFields{{
    {"relation", true, [](W& w, V& v, LineageEntry& e) { ReadEnum(w, v, e.relation, "relation"); }},
    {"model", true,
     [](W& w, V& v, LineageEntry& e) { w.ReadNonEmptyString(v, e.model, kMaxIdLength); }},
    {"manifest", false, [](W& w, V& v, LineageEntry& e) { ReadLineagePath(w, v, e.manifest); }},
    {"attestation", false,
     [](W& w, V& v, LineageEntry& e) { ReadLineagePath(w, v, e.attestation); }},
    {"ledger", false, [](W& w, V& v, LineageEntry& e) { w.ReadBool(v, e.ledger); }},
    {"stage", false,
     [](W& w, V& v, LineageEntry& e) {
       std::string text;
       if (w.ReadNonEmptyString(v, text, kMaxIdLength)) e.stage = std::move(text);
     }},
}};

void ReadLineage(W& w, V& value, LineageEntry& entry) {
  ObjectRead read = ReadObject(w, value, "lineage entry", kLineageFields, entry);
  if (read.at != nullptr) Locate(w, read.at, entry.location);
  if (!read.ok || w.fatal()) return;
  WalkerRuleReport rules(w, read.at);
  CheckLineageRules(entry, rules);
}

constexpr std::array<FieldReader<Model>, 5> kModelFields{{
    {"id", true, [](W& w, V& v, Model& m) { w.ReadNonEmptyString(v, m.id, kMaxIdLength); }},
    {"organization", false,
     [](W& w, V& v, Model& m) { w.ReadOptString(v, m.organization, kMaxTextLength); }},
    {"release", true, [](W& w, V& v, Model& m) { ReadRelease(w, v, m.release); }},
    {"stages", false,
     [](W& w, V& v, Model& m) {
       m.stages_given = true;
       w.ForEachElement(v, "stages", [&](V& element, std::size_t) {
         ReadStage(w, element, m.stages.emplace_back());
       });
     }},
    {"lineage", false,
     [](W& w, V& v, Model& m) {
       w.ForEachElement(v, "lineage", [&](V& element, std::size_t) {
         ReadLineage(w, element, m.lineage.emplace_back());
       });
     }},
}};

void ReadModel(W& w, V& value, Model& model) {
  ObjectRead read = ReadObject(w, value, "model", kModelFields, model);
  if (read.at != nullptr) Locate(w, read.at, model.location);
}

// ---- The root ----

void ReadSideFile(W& w, V& value, ManifestHeader& header) {
  const char* at = w.PositionOf(value);
  std::string relative;
  if (!w.ReadNonEmptyString(value, relative, kMaxPathLength)) return;
  if (auto problem = CheckSideFilePath(relative)) {
    w.Error(at, std::string(problem->code), std::move(problem->message));
    return;
  }
  header.sources_jsonl = std::move(relative);
}

constexpr std::array<FieldReader<ManifestHeader>, 1> kSourcesObjectFields{{
    {"jsonl", true, ReadSideFile},
}};

// `sources`: an array, left for the caller, or {"jsonl": PATH}.
void ReadSourcesField(W& w, V& value, HeaderRead& out) {
  const char* at = w.PositionOf(value);
  Locate(w, at, out.header.sources_location);
  od::json_type type;
  if (auto error = value.type().get(type); error != simdjson::SUCCESS) {
    w.Syntax(error, at);
    return;
  }
  if (type == od::json_type::array) {
    out.sources_is_array = true;
    return;
  }
  if (type != od::json_type::object) {
    w.Error(at, "schema-type",
            "expected an array of sources or {\"jsonl\": PATH} for sources, got " +
                std::string(JsonTypeName(type)));
    return;
  }
  ReadObject(w, value, "sources", kSourcesObjectFields, out.header);
}

constexpr std::array<FieldReader<HeaderRead>, 3> kRootFields{{
    {"manifest_version", true,
     [](W& w, V& v, HeaderRead& h) {
       const char* at = w.PositionOf(v);
       if (!w.ReadString(v, h.header.manifest_version)) return;
       if (auto problem = CheckManifestVersion(h.header.manifest_version)) {
         w.Error(at, std::string(problem->code), std::move(problem->message));
       }
     }},
    {"model", true, [](W& w, V& v, HeaderRead& h) { ReadModel(w, v, h.header.model); }},
    {"sources", true, ReadSourcesField},
}};

// ---- Sources ----

constexpr std::array<FieldReader<Evidence>, 2> kEvidenceFields{{
    {"uri", true, [](W& w, V& v, Evidence& e) { w.ReadNonEmptyString(v, e.uri, kMaxPathLength); }},
    {"sha256", true, [](W& w, V& v, Evidence& e) { ReadSha256(w, v, e.sha256); }},
}};

constexpr std::array<FieldReader<Grants>, 3> kGrantsFields{{
    {"training", false, [](W& w, V& v, Grants& g) { w.ReadBool(v, g.training); }},
    {"commercial", false, [](W& w, V& v, Grants& g) { w.ReadBool(v, g.commercial); }},
    {"closed_weights", false, [](W& w, V& v, Grants& g) { w.ReadBool(v, g.closed_weights); }},
}};

// A permission as read, with where its evidence is for the rule that counts it.
struct PermissionRead {
  Permission& permission;
  const char* evidence_at = nullptr;  // Set when the permission has `evidence`.
};

void ReadEvidence(W& w, V& value, PermissionRead& out) {
  out.evidence_at = w.PositionOf(value);
  w.ForEachElement(value, "evidence", [&](V& element, std::size_t) {
    // Kept even when it cannot be read, so that the evidence counts as given.
    ReadObject(w, element, "evidence", kEvidenceFields, out.permission.evidence.emplace_back());
  });
}

constexpr std::array<FieldReader<PermissionRead>, 5> kPermissionFields{{
    {"basis", true,
     [](W& w, V& v, PermissionRead& p) { ReadEnum(w, v, p.permission.basis, "basis"); }},
    {"evidence", false, ReadEvidence},
    {"grants", false,
     [](W& w, V& v, PermissionRead& p) {
       Grants grants;
       ReadObject(w, v, "grants", kGrantsFields, grants);
       p.permission.grants = grants;
     }},
    {"valid_from", false,
     [](W& w, V& v, PermissionRead& p) {
       ReadDate(w, v, p.permission.valid_from, DateForm::kDay);
     }},
    {"valid_until", false,
     [](W& w, V& v, PermissionRead& p) {
       ReadDate(w, v, p.permission.valid_until, DateForm::kDay);
     }},
}};

void ReadPermission(W& w, V& value, Permission& permission) {
  PermissionRead out{permission};
  ObjectRead read = ReadObject(w, value, "permission", kPermissionFields, out);
  if (!read.ok || w.fatal()) return;
  WalkerRuleReport rules(w, read.at, out.evidence_at);
  CheckPermissionRules(permission, out.evidence_at != nullptr, rules);
}

constexpr std::array<FieldReader<Acquisition>, 3> kAcquisitionFields{{
    {"method", false,
     [](W& w, V& v, Acquisition& a) {
       AcquisitionMethod method;
       if (ReadEnum(w, v, method, "acquisition method")) a.method = method;
     }},
    {"opt_outs_honored", false,
     [](W& w, V& v, Acquisition& a) {
       bool honored;
       if (w.ReadBool(v, honored)) a.opt_outs_honored = honored;
     }},
    {"date", false,
     [](W& w, V& v, Acquisition& a) { ReadDate(w, v, a.date, DateForm::kDayOrMonth); }},
}};

constexpr std::array<FieldReader<GeneratedBy>, 2> kGeneratedByFields{{
    {"model", true,
     [](W& w, V& v, GeneratedBy& g) { w.ReadNonEmptyString(v, g.model, kMaxIdLength); }},
    {"terms_allow_training", true,
     [](W& w, V& v, GeneratedBy& g) { w.ReadBool(v, g.terms_allow_training); }},
}};

constexpr std::array<FieldReader<Size>, 3> kSizeFields{{
    {"tokens", false, [](W& w, V& v, Size& s) { w.ReadCount(v, s.tokens); }},
    {"bytes", false, [](W& w, V& v, Size& s) { w.ReadCount(v, s.bytes); }},
    {"documents", false, [](W& w, V& v, Size& s) { w.ReadCount(v, s.documents); }},
}};

constexpr std::array<FieldReader<std::optional<std::string>>, 1> kDigestFields{{
    {"sha256", true,
     [](W& w, V& v, std::optional<std::string>& digest) {
       std::string sha;
       if (ReadSha256(w, v, sha)) digest = std::move(sha);
     }},
}};

constexpr std::array<FieldReader<FileEntry>, 3> kFileFields{{
    {"path", true,
     [](W& w, V& v, FileEntry& f) { w.ReadNonEmptyString(v, f.path, kMaxPathLength); }},
    {"sha256", true, [](W& w, V& v, FileEntry& f) { ReadSha256(w, v, f.sha256); }},
    {"bytes", false, [](W& w, V& v, FileEntry& f) { w.ReadCount(v, f.bytes); }},
}};

void ReadFiles(W& w, V& value, Source& source) {
  w.ForEachElement(value, "files", [&](V& element, std::size_t) {
    FileEntry file;
    ObjectRead read = ReadObject(w, element, "file entry", kFileFields, file);
    if (read.ok && !w.fatal()) source.files.push_back(std::move(file));
  });
}

constexpr std::array<FieldReader<Source>, 11> kSourceFields{{
    {"id", true, [](W& w, V& v, Source& s) { w.ReadNonEmptyString(v, s.id, kMaxIdLength); }},
    {"title", false, [](W& w, V& v, Source& s) { w.ReadOptString(v, s.title, kMaxTextLength); }},
    {"kind", true, [](W& w, V& v, Source& s) { ReadEnum(w, v, s.kind, "kind"); }},
    {"uri", false, [](W& w, V& v, Source& s) { w.ReadOptString(v, s.uri, kMaxPathLength); }},
    {"license", false,
     [](W& w, V& v, Source& s) { w.ReadOptString(v, s.license, kMaxTextLength); }},
    {"permission", true, [](W& w, V& v, Source& s) { ReadPermission(w, v, s.permission); }},
    {"acquisition", false,
     [](W& w, V& v, Source& s) {
       Acquisition acquisition;
       ReadObject(w, v, "acquisition", kAcquisitionFields, acquisition);
       s.acquisition = std::move(acquisition);
     }},
    {"generated_by", false,
     [](W& w, V& v, Source& s) {
       GeneratedBy generated;
       ReadObject(w, v, "generated_by", kGeneratedByFields, generated);
       s.generated_by = std::move(generated);
     }},
    {"size", false,
     [](W& w, V& v, Source& s) {
       Size size;
       ReadObject(w, v, "size", kSizeFields, size);
       s.size = size;
     }},
    {"digest", false,
     [](W& w, V& v, Source& s) { ReadObject(w, v, "digest", kDigestFields, s.digest_sha256); }},
    {"files", false, ReadFiles},
}};

}  // namespace

void Locate(W& walker, const char* at, Location& location) {
  LineColumn lc = walker.Position(at);
  location.file = walker.file();
  location.pointer = walker.path().str();
  location.line = lc.line;
  location.column = lc.column;
}

ObjectRead ReadHeaderFields(W& walker, V& value, HeaderRead& out) {
  return ReadFields(walker, value, "the manifest", kRootFields, out);
}

void ReportMissingHeaderFields(W& walker, const ObjectRead& read) {
  ReportMissing(walker, read, kRootFields);
}

void ReadSource(W& walker, V& value, Source& source) {
  ObjectRead read = ReadObject(walker, value, "source", kSourceFields, source);
  if (read.at != nullptr) Locate(walker, read.at, source.location);
  if (!read.ok || walker.fatal()) return;
  WalkerRuleReport rules(walker, read.at);
  CheckSourceRules(source, rules);
}

void ClearSource(Source& s) {
  s.id.clear();
  s.title.reset();
  s.kind = SourceKind::kOther;
  s.uri.reset();
  s.license.reset();
  s.permission.basis = Basis::kUnknown;
  s.permission.evidence.clear();
  s.permission.grants.reset();
  s.permission.valid_from.reset();
  s.permission.valid_until.reset();
  s.acquisition.reset();
  s.generated_by.reset();
  s.size.reset();
  s.digest_sha256.reset();
  s.files.clear();
}

bool ReadSourceId(W& walker, V& value, std::string_view& id, Location& location) {
  const char* at = walker.PositionOf(value);
  od::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return false;
  if (object.find_field_unordered("id").get_string().get(id) != simdjson::SUCCESS) return false;
  Locate(walker, at, location);
  return true;
}

}  // namespace provgate::detail
