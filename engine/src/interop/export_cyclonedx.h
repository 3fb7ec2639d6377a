// The CycloneDX 1.6 ML-BOM writer (provgate/export_formats.h, ExportCycloneDx).
#ifndef PROVGATE_INTEROP_EXPORT_CYCLONEDX_H_
#define PROVGATE_INTEROP_EXPORT_CYCLONEDX_H_

#include <string>

#include "provgate/export_formats.h"

namespace provgate::detail {

// The BOM's text; `options` already validated.
std::string WriteCycloneDx(const Manifest& manifest, const Report& report,
                           const ExportOptions& options);

// `urn:uuid:` and a UUID (version 8, RFC 9562) made of the SHA-256 of `content`: the same
// document always has the same serial number, and a different one another.
std::string ContentUuidUrn(std::string_view content);

}  // namespace provgate::detail

#endif  // PROVGATE_INTEROP_EXPORT_CYCLONEDX_H_
