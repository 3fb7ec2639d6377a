// The manifest's schema mirrored as tables: one table of field readers per object of
// schemas/manifest.schema.json ($defs), read with json/object_table, each value checked as it
// is read and each object's cross-field rules (manifest/rules) applied once it is read.
#ifndef PROVGATE_MANIFEST_SCHEMA_READERS_H_
#define PROVGATE_MANIFEST_SCHEMA_READERS_H_

#include <functional>
#include <string>
#include <string_view>

#include "json/object_table.h"
#include "json/validating_walker.h"
#include "provgate/manifest.h"

namespace provgate::detail {

// Keys starting with this are extensions, allowed in every object of a manifest.
inline constexpr std::string_view kExtensionPrefix = "x-";

// Sets `location` to the position `at` of the value being read: the walker's file, the JSON
// pointer, the line and the column.
void Locate(ValidatingWalker& walker, const char* at, Location& location);

// The manifest's root object as read: everything but the sources, and how they are given.
struct HeaderRead {
  ManifestHeader header;
  // `sources` is an array, skipped here unless read in place: the caller streams it.
  bool sources_is_array = false;
  // Where `sources` is an array that comes after `manifest_version` and `model` (the usual
  // order), the header is complete when the reader reaches it, and the caller may read the
  // sources there, in the same pass, instead of skipping them and coming back: this is
  // called with the array and returns whether it read it (`sources_read`).
  std::function<bool(ValidatingWalker&, ValidatingWalker::Value&)> read_sources_in_place;
  bool sources_read = false;
  // Which of the other required fields have been read so far.
  bool version_read = false;
  bool model_read = false;
};

// Reads the root object's fields into `out` (the sources array is skipped, a `{"jsonl": PATH}`
// read). Missing fields are reported by ReportMissingHeaderFields, so that content after the
// root value can be reported first.
ObjectRead ReadHeaderFields(ValidatingWalker& walker, ValidatingWalker::Value& value,
                            HeaderRead& out);
void ReportMissingHeaderFields(ValidatingWalker& walker, const ObjectRead& read);

// The memory of optional strings of sources read before: ClearSource keeps it, and
// ReadSource writes the next sources' strings in it, so that reading sources into slots that
// are reused allocates nothing per source.
struct SourceSpares {
  std::string title;
  std::string uri;
  std::string license;
  std::string digest;
};

// Reads one source object into `source`, which the caller has cleared (ClearSource).
void ReadSource(ValidatingWalker& walker, ValidatingWalker::Value& value, Source& source,
                SourceSpares& spares);

// Empties a source read before, keeping its strings' memory (in `spares` for its optional
// strings).
void ClearSource(Source& source, SourceSpares& spares);

// Reads only the id of one source value, and where the source is, for the second pass that
// confirms repeated ids. False when the value has no string id (the first pass said why).
bool ReadSourceId(ValidatingWalker& walker, ValidatingWalker::Value& value, std::string_view& id,
                  Location& location);

}  // namespace provgate::detail

#endif  // PROVGATE_MANIFEST_SCHEMA_READERS_H_
