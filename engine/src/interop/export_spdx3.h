// The SPDX 3.0.1 JSON-LD writer (provgate/export_formats.h, ExportSpdx3).
#ifndef PROVGATE_INTEROP_EXPORT_SPDX3_H_
#define PROVGATE_INTEROP_EXPORT_SPDX3_H_

#include <string>

#include "provgate/export_formats.h"

namespace provgate::detail {

// The document's text; `options` already validated.
std::string WriteSpdx3(const Manifest& manifest, const Report& report,
                       const ExportOptions& options);

}  // namespace provgate::detail

#endif  // PROVGATE_INTEROP_EXPORT_SPDX3_H_
