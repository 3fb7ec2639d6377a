// What the SPDX and CycloneDX exporters share: the manifest's fields as provgate properties
// (name and text value), the report as properties, the upstream models, the creation date.
#ifndef PROVGATE_INTEROP_EXPORT_COMMON_H_
#define PROVGATE_INTEROP_EXPORT_COMMON_H_

#include <string>
#include <string_view>
#include <vector>

#include "provgate/diagnostic.h"
#include "provgate/export_formats.h"
#include "provgate/manifest.h"
#include "provgate/report.h"

namespace provgate::detail {

// One name-value pair: a CycloneDX property, an SPDX CdxPropertyEntry.
struct ExportProperty {
  std::string name;
  std::string value;
};

// The prefix of every property name provgate writes.
inline constexpr std::string_view kPropertyPrefix = "provgate:";

// The fields of `source` that neither format has a field for, as properties named
// `provgate:` + the field's JSON pointer within the source object (without the leading `/`),
// valued with the field's value as text: strings as written, numbers in decimal, booleans
// `true`/`false`, an empty list `[]`. The fields every format maps itself are left out: `id`,
// `title`, `uri` and `license`. `digest/sha256` is written both as the format's hash and as a
// property: a format's hash is of a download, provgate's digest of a content listing, so an
// importer takes the digest from the property alone. A single generator is written as a list
// of one (`generated_by/0/model`).
std::vector<ExportProperty> SourceProperties(const Source& source);

// The same for the model object: every field but `id`, `organization` and `release/license`
// (stages, lineage and release as `provgate:release/weights`, `provgate:stages/0/id`, ...).
std::vector<ExportProperty> ModelProperties(const Model& model);

// The report's scalar facts as `provgate:report/...` properties: verdict, policy, profile,
// digests, date, taint, summary counts. Findings and obligations are not among them.
std::vector<ExportProperty> ReportProperties(const Report& report);

// A finding as properties `<prefix>rule`, `severity`, `subject`, `reason`, `message`,
// `remedy`, `waived`.
std::vector<ExportProperty> FindingProperties(const Finding& finding, std::string_view prefix);

// An obligation as properties `<prefix>kind`, `rule`, `subject`, `license`, `uri`, `title`,
// `text` (those that are not empty).
std::vector<ExportProperty> ObligationProperties(const Obligation& obligation,
                                                 std::string_view prefix);

// A source's decision as properties `provgate:decision/permitted`, `reason`, `basis`,
// `license_class`, `detail`.
std::vector<ExportProperty> DecisionProperties(const SourceDecision& decision);

// One line saying what a finding is: `error P1 no-basis (web): message`.
std::string FindingText(const Finding& finding);
// One line saying what an obligation is: `attribution P7 (web): CC-BY-4.0 https://…`.
std::string ObligationText(const Obligation& obligation);

// A model another model of the manifest descends from or whose outputs a source holds.
struct UpstreamModel {
  std::string id;
  // The lineage entries naming it (indices into model.lineage), in manifest order.
  std::vector<std::size_t> lineage;
  // The sources it generated (indices into sources), in manifest order.
  std::vector<std::size_t> generated;
};

// The upstream models of `manifest`, sorted by id: the models of lineage entries and the
// generator models that are not the model's own checkpoints (docs/manifest.md, Generators).
std::vector<UpstreamModel> UpstreamModels(const Manifest& manifest);

// The sources each stage names, as indices into `manifest.sources` (the first source with the
// id; ids naming no source are left out); without stages, one list of every source.
std::vector<std::vector<std::size_t>> StageSourceIndices(const Manifest& manifest);

// Index of the first source with id `id`, or npos.
std::size_t FindSource(const Manifest& manifest, std::string_view id);

// True when `text` parses as an SPDX licence expression.
bool IsLicenseExpression(std::string_view text);

// Checks `options`: `created` a calendar date, `namespace_iri` an absolute IRI without white
// space. Appends one diagnostic per problem (pointer: the option's name).
void ValidateExportOptions(const ExportOptions& options, std::vector<Diagnostic>& diagnostics);

// `created` as an RFC 3339 timestamp at midnight UTC; 1970-01-01 when empty.
std::string CreatedTimestamp(const ExportOptions& options);

}  // namespace provgate::detail

#endif  // PROVGATE_INTEROP_EXPORT_COMMON_H_
