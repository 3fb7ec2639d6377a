// Validation of a manifest built in code (ValidateHeader, ValidateSource, ValidateManifest in
// provgate/manifest.h): each value checked as the reader checks it (manifest/field_checks),
// and the cross-field rules (manifest/rules), with JSON pointers in place of positions.
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/text_position.h"
#include "json/pointer_path.h"
#include "json/text_checks.h"
#include "manifest/field_checks.h"
#include "manifest/rules.h"
#include "provgate/manifest.h"

namespace provgate {
namespace {

using detail::DateForm;
using detail::kMaxIdLength;
using detail::kMaxPathLength;
using detail::kMaxTextLength;
using detail::ValueProblem;

// Collects the diagnostics of typed structures, keeping the pointer of the value being
// checked.
class TypedValidation final : public detail::RuleReport {
 public:
  explicit TypedValidation(std::vector<Diagnostic>& out) : out_(out) {}

  // Adds a segment to the pointer for as long as it lives.
  class Scope {
   public:
    Scope(TypedValidation& validation, std::string_view key)
        : pointer_(validation.pointer_), length_(pointer_.size()) {
      detail::AppendPointerKey(pointer_, key);
    }
    Scope(TypedValidation& validation, std::size_t index)
        : pointer_(validation.pointer_), length_(pointer_.size()) {
      pointer_ += '/';
      pointer_ += std::to_string(index);
    }
    ~Scope() { pointer_.resize(length_); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    std::string& pointer_;
    std::size_t length_;
  };

  void Violation(std::string_view code, std::string message) override {
    Add(code, std::move(message));
  }
  // A number that must be finite and not negative, reported as the reader reports it.
  void NonNegative(std::string_view field, const std::optional<double>& number) {
    if (!number || (std::isfinite(*number) && *number >= 0)) return;
    Scope scope(*this, field);
    char text[32];
    auto [end, ec] = std::to_chars(text, text + sizeof(text), *number);
    Add("schema-minimum",
        "expected a non-negative number, got " + std::string(text, ec == std::errc() ? end : text));
  }

  // A required string of 1 to `max_length` characters.
  void Required(std::string_view field, std::string_view text, std::size_t max_length) {
    Scope scope(*this, field);
    NonEmpty(text, max_length);
  }
  // The same for the value at the pointer itself (an array's element).
  void NonEmpty(std::string_view text, std::size_t max_length) {
    if (Utf8(text)) Report(detail::CheckNonEmpty(text, max_length));
  }
  // An optional string of at most `max_length` characters.
  void Optional(std::string_view field, const std::optional<std::string>& text,
                std::size_t max_length) {
    if (!text) return;
    Scope scope(*this, field);
    if (Utf8(*text)) Report(detail::CheckMaxLength(*text, max_length));
  }
  // An optional string that, when given, has 1 to `max_length` characters.
  void OptionalNonEmpty(std::string_view field, const std::optional<std::string>& text,
                        std::size_t max_length) {
    if (text) Required(field, *text, max_length);
  }
  void Date(std::string_view field, const std::optional<std::string>& text, DateForm form) {
    if (!text) return;
    Scope scope(*this, field);
    if (Utf8(*text)) Report(detail::CheckDate(*text, form));
  }
  void Digest(std::string_view field, std::string_view text) {
    Scope scope(*this, field);
    if (Utf8(text)) Report(detail::CheckSha256(text));
  }
  void Version(std::string_view text) {
    Scope scope(*this, "manifest_version");
    if (Utf8(text)) Report(detail::CheckManifestVersion(text));
  }
  void SideFile(std::string_view relative) {
    Scope scope(*this, "jsonl");
    if (!Utf8(relative) || !Report(detail::CheckNonEmpty(relative, kMaxPathLength))) return;
    Report(detail::CheckSideFilePath(relative));
  }

 private:
  void Add(std::string_view code, std::string message) {
    Diagnostic d;
    d.code = std::string(code);
    d.message = std::move(message);
    d.pointer = pointer_;
    out_.push_back(std::move(d));
  }
  // True when `problem` is empty; else reports it.
  bool Report(std::optional<ValueProblem> problem) {
    if (!problem) return true;
    Add(problem->code, std::move(problem->message));
    return false;
  }
  // A manifest file is UTF-8 throughout (its reader refuses anything else); so must be the
  // strings of a manifest built in code, which reports and other tools repeat.
  bool Utf8(std::string_view text) {
    if (detail::FindInvalidUtf8(text) == std::string_view::npos) return true;
    Add("json-utf8", "invalid UTF-8");
    return false;
  }

  std::vector<Diagnostic>& out_;
  std::string pointer_;
};

using Scope = TypedValidation::Scope;

void CheckModel(TypedValidation& v, const Model& model) {
  Scope model_scope(v, "model");
  v.Required("id", model.id, kMaxIdLength);
  v.Optional("organization", model.organization, kMaxTextLength);
  {
    Scope scope(v, "release");
    detail::CheckReleaseRules(model.release, v);
    v.Optional("license", model.release.license, kMaxTextLength);
    v.Date("date", model.release.date, DateForm::kDay);
  }
  for (std::size_t i = 0; i < model.stages.size(); ++i) {
    const Stage& stage = model.stages[i];
    Scope stages_scope(v, "stages");
    Scope scope(v, i);
    v.Required("id", stage.id, kMaxIdLength);
    v.Date("date", stage.date, DateForm::kDay);
    if (!stage.source_amounts.empty() && stage.source_amounts.size() != stage.sources.size()) {
      Scope sources_scope(v, "sources");
      v.Violation("schema-mismatch", "a stage's source amounts must be parallel to its sources (" +
                                         std::to_string(stage.source_amounts.size()) +
                                         " amounts for " + std::to_string(stage.sources.size()) +
                                         " sources)");
    }
    for (std::size_t j = 0; j < stage.sources.size(); ++j) {
      Scope sources_scope(v, "sources");
      Scope source_scope(v, j);
      v.NonEmpty(stage.sources[j], kMaxIdLength);
      if (j < stage.source_amounts.size()) v.NonNegative("epochs", stage.source_amounts[j].epochs);
    }
    if (stage.checkpoint) {
      Scope checkpoint_scope(v, "checkpoint");
      detail::CheckCheckpointRules(*stage.checkpoint, v);
      v.Required("id", stage.checkpoint->id, kMaxIdLength);
      v.Optional("license", stage.checkpoint->license, kMaxTextLength);
      v.Date("date", stage.checkpoint->date, DateForm::kDay);
    }
  }
  for (std::size_t i = 0; i < model.lineage.size(); ++i) {
    const LineageEntry& entry = model.lineage[i];
    Scope lineage_scope(v, "lineage");
    Scope scope(v, i);
    detail::CheckLineageRules(entry, v);
    v.Required("model", entry.model, kMaxIdLength);
    v.OptionalNonEmpty("manifest", entry.manifest, kMaxPathLength);
    v.OptionalNonEmpty("attestation", entry.attestation, kMaxPathLength);
    v.OptionalNonEmpty("stage", entry.stage, kMaxIdLength);
  }
}

void CheckHeader(TypedValidation& v, const ManifestHeader& header) {
  v.Version(header.manifest_version);
  CheckModel(v, header.model);
  if (header.sources_jsonl) {
    Scope scope(v, "sources");
    v.SideFile(*header.sources_jsonl);
  }
}

void CheckPermission(TypedValidation& v, const Permission& permission) {
  Scope scope(v, "permission");
  for (std::size_t i = 0; i < permission.evidence.size(); ++i) {
    Scope evidence_scope(v, "evidence");
    Scope element_scope(v, i);
    v.Required("uri", permission.evidence[i].uri, kMaxPathLength);
    v.Digest("sha256", permission.evidence[i].sha256);
  }
  v.Date("valid_from", permission.valid_from, DateForm::kDay);
  v.Date("valid_until", permission.valid_until, DateForm::kDay);
  v.Optional("claim", permission.claim, kMaxTextLength);
  for (std::size_t i = 0; i < permission.obligations.size(); ++i) {
    Scope obligations_scope(v, "obligations");
    Scope element_scope(v, i);
    v.Required("text", permission.obligations[i].text, kMaxTextLength);
    v.Optional("uri", permission.obligations[i].uri, kMaxPathLength);
  }
}

// `source` at /sources/`index`.
void CheckSource(TypedValidation& v, const Source& source, std::uint64_t index) {
  Scope sources_scope(v, "sources");
  Scope scope(v, static_cast<std::size_t>(index));
  detail::CheckSourceRules(source, v);
  v.Required("id", source.id, kMaxIdLength);
  v.Optional("title", source.title, kMaxTextLength);
  v.Optional("uri", source.uri, kMaxPathLength);
  v.Optional("license", source.license, kMaxTextLength);
  CheckPermission(v, source.permission);
  if (source.acquisition) {
    Scope acquisition_scope(v, "acquisition");
    v.Date("date", source.acquisition->date, DateForm::kDayOrMonth);
    for (std::size_t i = 0; i < source.acquisition->allegations.size(); ++i) {
      const Allegation& allegation = source.acquisition->allegations[i];
      Scope allegations_scope(v, "allegations");
      Scope element_scope(v, i);
      v.Required("reference", allegation.reference, kMaxTextLength);
      v.Optional("uri", allegation.uri, kMaxPathLength);
    }
  }
  for (std::size_t i = 0; i < source.generated_by.size(); ++i) {
    const GeneratedBy& entry = source.generated_by[i];
    Scope generated_scope(v, "generated_by");
    // One entry is the object itself (as WriteManifest writes it), several an array.
    std::optional<Scope> element_scope;
    if (source.generated_by.size() > 1) element_scope.emplace(v, i);
    // An entry without a program is a model's: its model must be named, and its terms stated.
    detail::GeneratorFields given;
    given.program = !entry.program.empty();
    given.model = !given.program || !entry.model.empty();
    given.terms = given.model || entry.terms_allow_training;
    detail::CheckGeneratedByRules(entry, given, v);
    if (given.model) v.Required("model", entry.model, kMaxIdLength);
    if (given.program) v.Required("program", entry.program, kMaxTextLength);
    v.OptionalNonEmpty("stage", entry.stage, kMaxIdLength);
    v.Optional("license", entry.license, kMaxTextLength);
  }
  if (source.digest_sha256) {
    Scope digest_scope(v, "digest");
    v.Digest("sha256", *source.digest_sha256);
  }
  for (std::size_t i = 0; i < source.files.size(); ++i) {
    Scope files_scope(v, "files");
    Scope file_scope(v, i);
    v.Required("path", source.files[i].path, kMaxPathLength);
    v.Digest("sha256", source.files[i].sha256);
  }
}

}  // namespace

std::vector<Diagnostic> ValidateHeader(const ManifestHeader& header) {
  std::vector<Diagnostic> diagnostics;
  TypedValidation validation(diagnostics);
  CheckHeader(validation, header);
  return diagnostics;
}

std::vector<Diagnostic> ValidateSource(const Source& source) {
  std::vector<Diagnostic> diagnostics;
  TypedValidation validation(diagnostics);
  CheckSource(validation, source, source.index);
  return diagnostics;
}

std::vector<Diagnostic> ValidateManifest(const Manifest& manifest) {
  std::vector<Diagnostic> diagnostics;
  TypedValidation validation(diagnostics);
  CheckHeader(validation, manifest.header);
  for (std::size_t i = 0; i < manifest.sources.size(); ++i) {
    CheckSource(validation, manifest.sources[i], i);
  }
  return diagnostics;
}

}  // namespace provgate
