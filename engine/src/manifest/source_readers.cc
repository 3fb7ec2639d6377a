// Sources as the manifest's schema describes them, read against tables of field readers
// (schema_readers.h): permission, acquisition, generated_by, size, digest and files, the
// source's cross-field rules, and the slots sources are read into, reused from one source to
// the next.
#include <array>
#include <string>
#include <utility>

#include "manifest/schema_readers.h"
#include "manifest/schema_values.h"

namespace provgate::detail {
namespace {

namespace od = simdjson::ondemand;
using namespace schema;  // The value readers both files of tables share.

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

static_assert(NoExtensionKey(kEvidenceFields) && NoExtensionKey(kGrantsFields) &&
              NoExtensionKey(kDutyFields) && NoExtensionKey(kPermissionFields) &&
              NoExtensionKey(kAllegationFields) && NoExtensionKey(kAcquisitionFields) &&
              NoExtensionKey(kGeneratedByFields) && NoExtensionKey(kSizeFields) &&
              NoExtensionKey(kDigestFields) && NoExtensionKey(kFileFields) &&
              NoExtensionKey(kSourceFields));

}  // namespace

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
  V id_value;
  if (!ValidatingWalker::FindFirstMember(object, "id", id_value) ||
      id_value.get_string().get(id) != simdjson::SUCCESS) {
    return false;
  }
  Locate(walker, at, location);
  return true;
}

}  // namespace provgate::detail
