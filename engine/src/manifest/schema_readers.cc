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
  std::string_view text;
  if (!w.ViewString(value, text)) return false;
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
  std::string_view text;
  if (!w.ViewString(value, text)) return false;
  if (auto problem = CheckDate(text, form)) {
    w.Error(at, std::string(problem->code), std::move(problem->message));
    return false;
  }
  out.emplace(text);
  return true;
}

// ValidatingWalker::ReadOptString, the string written in `spare`'s memory.
bool ReadOptString(W& w, V& value, std::optional<std::string>& out, std::size_t max_length,
                   std::string& spare) {
  const char* at = w.PositionOf(value);
  std::string_view view;
  if (!w.ViewString(value, view)) return false;
  if (!w.CheckMaxLength(at, view, max_length)) return false;
  out.emplace(std::move(spare)).assign(view.data(), view.size());
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

// Places the violations of an object's cross-field rules at the object.
class WalkerRuleReport final : public RuleReport {
 public:
  WalkerRuleReport(W& walker, const char* object_at) : walker_(walker), object_at_(object_at) {}
  void Violation(std::string_view code, std::string message) override {
    walker_.Error(object_at_, std::string(code), std::move(message));
  }

 private:
  W& walker_;
  const char* object_at_;
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
  ObjectRead read = ReadObject<kCheckpointFields>(w, value, "checkpoint", checkpoint);
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
  ObjectRead read = ReadObject<kReleaseFields>(w, value, "release", release);
  if (!read.ok || w.fatal()) return;
  WalkerRuleReport rules(w, read.at);
  CheckReleaseRules(release, rules);
}

// One entry of `stages[].sources` written as an object: the id and how much of it was used.
struct StageSourceRead {
  std::string id;
  StageAmount amount;
};

constexpr std::array<FieldReader<StageSourceRead>, 3> kStageSourceFields{{
    {"id", true,
     [](W& w, V& v, StageSourceRead& s) { w.ReadNonEmptyString(v, s.id, kMaxIdLength); }},
    {"tokens", false, [](W& w, V& v, StageSourceRead& s) { w.ReadCount(v, s.amount.tokens); }},
    {"epochs", false,
     [](W& w, V& v, StageSourceRead& s) { w.ReadNonNegativeNumber(v, s.amount.epochs); }},
}};

void ReadStageSources(W& w, V& value, Stage& stage) {
  w.ForEachElement(value, "stage sources", [&](V& element, std::size_t) {
    const char* element_at = w.PositionOf(element);
    std::string id;
    StageAmount amount;
    bool read = false;
    if (*element_at == '{') {
      StageSourceRead entry;
      ObjectRead object = ReadObject<kStageSourceFields>(w, element, "stage source", entry);
      read = object.ok && !entry.id.empty();
      id = std::move(entry.id);
      amount = entry.amount;
    } else {
      read = w.ReadNonEmptyString(element, id, kMaxIdLength);
    }
    if (!read) return;
    // The amounts are kept once some source has one (then one per source): the first amount
    // is kept even when it is the stage's first source.
    bool has_amount = amount.tokens || amount.epochs;
    if (has_amount && stage.source_amounts.empty()) {
      stage.source_amounts.resize(stage.sources.size());
    }
    stage.sources.push_back(std::move(id));
    if (has_amount || !stage.source_amounts.empty()) stage.source_amounts.push_back(amount);
    Location location;
    Locate(w, element_at, location);
    stage.source_locations.push_back(std::move(location));
  });
}

constexpr std::array<FieldReader<Stage>, 5> kStageFields{{
    {"id", true, [](W& w, V& v, Stage& s) { w.ReadNonEmptyString(v, s.id, kMaxIdLength); }},
    {"sources", true, ReadStageSources},
    {"checkpoint", false,
     [](W& w, V& v, Stage& s) { ReadCheckpoint(w, v, s.checkpoint.emplace()); }},
    {"date", false, [](W& w, V& v, Stage& s) { ReadDate(w, v, s.date, DateForm::kDay); }},
    {"tokens", false, [](W& w, V& v, Stage& s) { w.ReadCount(v, s.tokens); }},
}};

void ReadStage(W& w, V& value, Stage& stage) {
  ObjectRead read = ReadObject<kStageFields>(w, value, "stage", stage);
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
  ObjectRead read = ReadObject<kLineageFields>(w, value, "lineage entry", entry);
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
  ObjectRead read = ReadObject<kModelFields>(w, value, "model", model);
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
  ReadObject<kSourcesObjectFields>(w, value, "sources", out.header);
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

void ReadEvidence(W& w, V& value, Permission& permission) {
  w.ForEachElement(value, "evidence", [&](V& element, std::size_t) {
    Evidence evidence;
    ObjectRead read = ReadObject<kEvidenceFields>(w, element, "evidence", evidence);
    if (read.ok && !w.fatal()) permission.evidence.push_back(std::move(evidence));
  });
}

constexpr std::array<FieldReader<Duty>, 3> kDutyFields{{
    {"kind", true, [](W& w, V& v, Duty& d) { ReadEnum(w, v, d.kind, "obligation kind"); }},
    {"text", true, [](W& w, V& v, Duty& d) { w.ReadNonEmptyString(v, d.text, kMaxTextLength); }},
    {"uri", false, [](W& w, V& v, Duty& d) { w.ReadOptString(v, d.uri, kMaxPathLength); }},
}};

constexpr std::array<FieldReader<Permission>, 8> kPermissionFields{{
    {"basis", false, [](W& w, V& v, Permission& p) { ReadEnum(w, v, p.basis, "basis"); }},
    {"evidence", false, ReadEvidence},
    {"grants", false,
     [](W& w, V& v, Permission& p) {
       Grants grants;
       ReadObject<kGrantsFields>(w, v, "grants", grants);
       p.grants = grants;
     }},
    {"valid_from", false,
     [](W& w, V& v, Permission& p) { ReadDate(w, v, p.valid_from, DateForm::kDay); }},
    {"valid_until", false,
     [](W& w, V& v, Permission& p) { ReadDate(w, v, p.valid_until, DateForm::kDay); }},
    {"claim", false,
     [](W& w, V& v, Permission& p) { w.ReadOptString(v, p.claim, kMaxTextLength); }},
    {"obligations", false,
     [](W& w, V& v, Permission& p) {
       w.ForEachElement(v, "obligations", [&](V& element, std::size_t) {
         Duty duty;
         ObjectRead read = ReadObject<kDutyFields>(w, element, "obligation", duty);
         if (read.ok && !w.fatal()) p.obligations.push_back(std::move(duty));
       });
     }},
    {"survives_termination", false,
     [](W& w, V& v, Permission& p) { w.ReadBool(v, p.survives_termination); }},
}};

void ReadPermission(W& w, V& value, Permission& permission) {
  ReadObject<kPermissionFields>(w, value, "permission", permission);
}

constexpr std::array<FieldReader<Allegation>, 3> kAllegationFields{{
    {"claim", true, [](W& w, V& v, Allegation& a) { ReadEnum(w, v, a.claim, "claim"); }},
    {"reference", true,
     [](W& w, V& v, Allegation& a) { w.ReadNonEmptyString(v, a.reference, kMaxTextLength); }},
    {"uri", false, [](W& w, V& v, Allegation& a) { w.ReadOptString(v, a.uri, kMaxPathLength); }},
}};

constexpr std::array<FieldReader<Acquisition>, 4> kAcquisitionFields{{
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
    {"allegations", false,
     [](W& w, V& v, Acquisition& a) {
       w.ForEachElement(v, "allegations", [&](V& element, std::size_t) {
         Allegation allegation;
         ObjectRead read = ReadObject<kAllegationFields>(w, element, "allegation", allegation);
         if (read.ok && !w.fatal()) a.allegations.push_back(std::move(allegation));
       });
     }},
}};

// A generated_by entry as read: which of its fields were given, for its rules.
struct GeneratedByRead {
  GeneratedBy& entry;
  GeneratorFields given;
};

constexpr std::array<FieldReader<GeneratedByRead>, 5> kGeneratedByFields{{
    {"model", false,
     [](W& w, V& v, GeneratedByRead& g) {
       g.given.model = true;
       w.ReadNonEmptyString(v, g.entry.model, kMaxIdLength);
     }},
    {"program", false,
     [](W& w, V& v, GeneratedByRead& g) {
       g.given.program = true;
       w.ReadNonEmptyString(v, g.entry.program, kMaxTextLength);
     }},
    {"terms_allow_training", false,
     [](W& w, V& v, GeneratedByRead& g) {
       g.given.terms = true;
       w.ReadBool(v, g.entry.terms_allow_training);
     }},
    {"stage", false,
     [](W& w, V& v, GeneratedByRead& g) {
       std::string text;
       if (w.ReadNonEmptyString(v, text, kMaxIdLength)) g.entry.stage = std::move(text);
     }},
    {"license", false,
     [](W& w, V& v, GeneratedByRead& g) { w.ReadOptString(v, g.entry.license, kMaxTextLength); }},
}};

void ReadGeneratedByEntry(W& w, V& value, Source& source) {
  GeneratedByRead out{source.generated_by.emplace_back(), {}};
  ObjectRead read = ReadObject<kGeneratedByFields>(w, value, "generated_by", out);
  if (!read.ok || w.fatal()) return;
  WalkerRuleReport rules(w, read.at);
  CheckGeneratedByRules(out.entry, out.given, rules);
}

// `generated_by`: one object, or a non-empty array of them.
void ReadGeneratedBy(W& w, V& value, Source& source) {
  const char* at = w.PositionOf(value);
  if (*at != '[') {
    ReadGeneratedByEntry(w, value, source);
    return;
  }
  std::size_t count = 0;
  w.ForEachElement(value, "generated_by", [&](V& element, std::size_t) {
    ++count;
    ReadGeneratedByEntry(w, element, source);
  });
  if (count == 0 && !w.fatal()) {
    w.Error(at, "schema-min-items", "generated_by needs at least one entry");
  }
}

constexpr std::array<FieldReader<Size>, 3> kSizeFields{{
    {"tokens", false, [](W& w, V& v, Size& s) { w.ReadCount(v, s.tokens); }},
    {"bytes", false, [](W& w, V& v, Size& s) { w.ReadCount(v, s.bytes); }},
    {"documents", false, [](W& w, V& v, Size& s) { w.ReadCount(v, s.documents); }},
}};

// `digest` as read: the digest, and the memory of a digest read before.
struct DigestRead {
  std::optional<std::string>& sha256;
  std::string& spare;
};

constexpr std::array<FieldReader<DigestRead>, 1> kDigestFields{{
    {"sha256", true,
     [](W& w, V& v, DigestRead& digest) {
       std::string sha = std::move(digest.spare);
       if (ReadSha256(w, v, sha)) {
         digest.sha256 = std::move(sha);
       } else {
         digest.spare = std::move(sha);
       }
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
    ObjectRead read = ReadObject<kFileFields>(w, element, "file entry", file);
    if (read.ok && !w.fatal()) source.files.push_back(std::move(file));
  });
}

// A source as read: the source, and the memory of the strings of sources read before.
struct SourceRead {
  Source& source;
  SourceSpares& spares;
};

constexpr std::array<FieldReader<SourceRead>, 12> kSourceFields{{
    {"id", true,
     [](W& w, V& v, SourceRead& s) { w.ReadNonEmptyString(v, s.source.id, kMaxIdLength); }},
    {"title", false,
     [](W& w, V& v, SourceRead& s) {
       ReadOptString(w, v, s.source.title, kMaxTextLength, s.spares.title);
     }},
    {"kind", true, [](W& w, V& v, SourceRead& s) { ReadEnum(w, v, s.source.kind, "kind"); }},
    {"uri", false,
     [](W& w, V& v, SourceRead& s) {
       ReadOptString(w, v, s.source.uri, kMaxPathLength, s.spares.uri);
     }},
    {"license", false,
     [](W& w, V& v, SourceRead& s) {
       ReadOptString(w, v, s.source.license, kMaxTextLength, s.spares.license);
     }},
    {"license_scope", false,
     [](W& w, V& v, SourceRead& s) { ReadEnum(w, v, s.source.license_scope, "license_scope"); }},
    {"permission", false,
     [](W& w, V& v, SourceRead& s) { ReadPermission(w, v, s.source.permission); }},
    {"acquisition", false,
     [](W& w, V& v, SourceRead& s) {
       ReadObject<kAcquisitionFields>(w, v, "acquisition", s.source.acquisition.emplace());
     }},
    {"generated_by", false, [](W& w, V& v, SourceRead& s) { ReadGeneratedBy(w, v, s.source); }},
    {"size", false,
     [](W& w, V& v, SourceRead& s) {
       ReadObject<kSizeFields>(w, v, "size", s.source.size.emplace());
     }},
    {"digest", false,
     [](W& w, V& v, SourceRead& s) {
       DigestRead digest{s.source.digest_sha256, s.spares.digest};
       ReadObject<kDigestFields>(w, v, "digest", digest);
     }},
    {"files", false, [](W& w, V& v, SourceRead& s) { ReadFiles(w, v, s.source); }},
}};

// Empties `text`, keeping the larger of its memory and `spare`'s in `spare`.
void KeepSpare(std::optional<std::string>& text, std::string& spare) {
  if (!text) return;
  if (text->capacity() > spare.capacity()) spare = std::move(*text);
  text.reset();
}

// The tables' keys are read as fields, never as extensions (ForEachKnownField).
template <typename T, std::size_t N>
constexpr bool NoExtensionKey(const std::array<FieldReader<T>, N>& fields) {
  for (const FieldReader<T>& field : fields) {
    if (field.key.starts_with(kExtensionPrefix)) return false;
  }
  return true;
}
static_assert(NoExtensionKey(kCheckpointFields) && NoExtensionKey(kReleaseFields) &&
              NoExtensionKey(kStageSourceFields) && NoExtensionKey(kStageFields) &&
              NoExtensionKey(kLineageFields) && NoExtensionKey(kModelFields) &&
              NoExtensionKey(kSourcesObjectFields) && NoExtensionKey(kRootFields) &&
              NoExtensionKey(kEvidenceFields) && NoExtensionKey(kGrantsFields) &&
              NoExtensionKey(kDutyFields) && NoExtensionKey(kPermissionFields) &&
              NoExtensionKey(kAllegationFields) && NoExtensionKey(kAcquisitionFields) &&
              NoExtensionKey(kGeneratedByFields) && NoExtensionKey(kSizeFields) &&
              NoExtensionKey(kDigestFields) && NoExtensionKey(kFileFields) &&
              NoExtensionKey(kSourceFields));

}  // namespace

void Locate(W& walker, const char* at, Location& location) {
  LineColumn lc = walker.Position(at);
  location.file = walker.file();
  walker.path().AssignTo(location.pointer);
  location.line = lc.line;
  location.column = lc.column;
}

ObjectRead ReadHeaderFields(W& walker, V& value, HeaderRead& out) {
  return ReadFields<kRootFields>(walker, value, "the manifest", out);
}

void ReportMissingHeaderFields(W& walker, const ObjectRead& read) {
  ReportMissing<kRootFields>(walker, read);
}

void ReadSource(W& walker, V& value, Source& source, SourceSpares& spares) {
  SourceRead out{source, spares};
  ObjectRead read = ReadObject<kSourceFields>(walker, value, "source", out);
  if (read.at != nullptr) Locate(walker, read.at, source.location);
  if (!read.ok || walker.fatal()) return;
  WalkerRuleReport rules(walker, read.at);
  CheckSourceRules(source, rules);
}

void ClearSource(Source& s, SourceSpares& spares) {
  s.id.clear();
  KeepSpare(s.title, spares.title);
  s.kind = SourceKind::kOther;
  KeepSpare(s.uri, spares.uri);
  KeepSpare(s.license, spares.license);
  s.license_scope = LicenseScope::kContent;
  s.permission.basis = Basis::kUnknown;
  s.permission.evidence.clear();
  s.permission.grants.reset();
  s.permission.valid_from.reset();
  s.permission.valid_until.reset();
  s.permission.claim.reset();
  s.permission.obligations.clear();
  s.permission.survives_termination = false;
  s.acquisition.reset();
  s.generated_by.clear();
  s.size.reset();
  KeepSpare(s.digest_sha256, spares.digest);
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
