// Checks of single manifest values that JSON types alone do not make: the longest ids, texts
// and paths, calendar dates, SHA-256 digests, the manifest version and the JSONL side file's
// path. Used by the reader as it parses and by the validation of a manifest built in code, so
// that both say the same.
#ifndef PROVGATE_MANIFEST_FIELD_CHECKS_H_
#define PROVGATE_MANIFEST_FIELD_CHECKS_H_

#include <cstddef>
#include <optional>
#include <string_view>

#include "json/text_checks.h"

namespace provgate::detail {

// The longest strings, in characters (Unicode code points, as JSON Schema's maxLength counts
// them). schemas/manifest.schema.json says the same with `maxLength`, and the schema agreement
// test checks both at the limits. They keep what a manifest's strings become (messages,
// findings, reports that repeat an id) proportional to the manifest.
constexpr std::size_t kMaxIdLength = 512;     // Ids of models, stages, sources.
constexpr std::size_t kMaxTextLength = 2048;  // Titles, organizations, licence expressions.
constexpr std::size_t kMaxPathLength = 4096;  // URIs and paths.

enum class DateForm {
  kDay,         // YYYY-MM-DD, a real calendar day.
  kDayOrMonth,  // That, or YYYY-MM.
};

// `schema-format` unless `text` is a date of the given form.
std::optional<ValueProblem> CheckDate(std::string_view text, DateForm form);

// True when `text` is 64 lowercase hexadecimal characters.
bool IsSha256(std::string_view text);
// `schema-pattern` unless `text` is a SHA-256 digest in lowercase hexadecimal.
std::optional<ValueProblem> CheckSha256(std::string_view text);

// `schema-const` unless `version` is "1".
std::optional<ValueProblem> CheckManifestVersion(std::string_view version);

// `path-escape` unless `relative` is a relative path with no ".." segment, so that it stays
// inside the manifest's directory (the schema's pattern says the same).
std::optional<ValueProblem> CheckSideFilePath(std::string_view relative);

}  // namespace provgate::detail

#endif  // PROVGATE_MANIFEST_FIELD_CHECKS_H_
