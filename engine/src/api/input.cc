// Manifests given as files, as JSON text, or built in code; and reading each.
#include <utility>

#include "api/check_flow.h"
#include "json/json_writer.h"
#include "manifest/writer.h"

namespace provgate {
namespace {

// The name of text given without one.
constexpr std::string_view kUnnamed = "manifest.json";

}  // namespace

ManifestInput ManifestInput::File(std::string path) {
  ManifestInput input;
  input.kind_ = Kind::kFile;
  input.name_ = std::move(path);
  return input;
}

ManifestInput ManifestInput::Text(std::string json, std::string name, std::string base_dir) {
  ManifestInput input;
  input.kind_ = Kind::kText;
  input.name_ = name.empty() ? std::string(kUnnamed) : std::move(name);
  input.base_dir_ = std::move(base_dir);
  input.text_ = std::move(json);
  return input;
}

ManifestInput ManifestInput::Typed(Manifest manifest, std::string name, std::string base_dir) {
  ManifestInput input;
  input.kind_ = Kind::kTyped;
  input.name_ = name.empty() ? std::string(kUnnamed) : std::move(name);
  input.base_dir_ = std::move(base_dir);
  detail::JsonWriter w(input.text_, detail::JsonWriter::Canonical{});
  detail::WriteManifest(w, manifest.header, &manifest.sources);
  return input;
}

namespace detail {
namespace {

void Unplace(Location& location) { location.line = location.column = 0; }

// Passes a typed manifest's header and sources on without line and column: they are places
// in the canonical text the manifest was written to, which its author never sees.
class Unplaced : public ManifestVisitor {
 public:
  explicit Unplaced(ManifestVisitor& next) : next_(next) {}
  void OnHeader(const ManifestHeader& given) override {
    ManifestHeader header = given;
    StripPositions(header);
    next_.OnHeader(header);
  }
  void OnSource(const Source& given) override {
    source_ = given;
    Unplace(source_.location);
    next_.OnSource(source_);
  }

 private:
  ManifestVisitor& next_;
  Source source_;
};

}  // namespace

void StripPositions(ManifestHeader& header) {
  Unplace(header.sources_location);
  Unplace(header.model.location);
  for (Stage& stage : header.model.stages) {
    Unplace(stage.location);
    for (Location& location : stage.source_locations) Unplace(location);
  }
  for (LineageEntry& entry : header.model.lineage) Unplace(entry.location);
}

ReadResult ReadInput(const ManifestInput& input, ManifestVisitor& visitor,
                     const ReadOptions& options) {
  if (input.kind() == ManifestInput::Kind::kFile) {
    return ReadManifest(input.name(), visitor, options);
  }
  if (input.kind() == ManifestInput::Kind::kText) {
    return ReadManifestText(input.text(), input.name(), input.base_dir(), visitor, options);
  }
  Unplaced unplaced(visitor);
  ReadResult read =
      ReadManifestText(input.text(), input.name(), input.base_dir(), unplaced, options);
  for (Diagnostic& d : read.diagnostics) d.line = d.column = 0;
  for (auto& duplicate : read.duplicate_source_ids) {
    for (Location& location : duplicate.locations) Unplace(location);
  }
  return read;
}

}  // namespace detail
}  // namespace provgate
