// A typed manifest written back as manifest JSON (RFC 8785 canonical form): how a manifest
// built in code is validated and digested exactly as a manifest file is.
#ifndef PROVGATE_MANIFEST_WRITER_H_
#define PROVGATE_MANIFEST_WRITER_H_

#include <string>

#include "json/json_writer.h"
#include "provgate/manifest.h"

namespace provgate::detail {

// Writes one source object.
void WriteSource(JsonWriter& w, const Source& source);

// Writes the manifest's top-level object. With `sources` null, the header alone with an empty
// `sources` array (or the header's JSONL reference).
void WriteManifest(JsonWriter& w, const ManifestHeader& header, const std::vector<Source>* sources);

}  // namespace provgate::detail

#endif  // PROVGATE_MANIFEST_WRITER_H_
