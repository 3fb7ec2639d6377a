// The manifest's schema as tables of field readers (see schema_readers.h): the model and the
// manifest's root object (source_readers.cc reads sources). Each table lists an object's fields
// in the order of its $defs entry; required fields are reported missing in that order.
#include "manifest/schema_readers.h"

#include <array>
#include <string>
#include <utility>

#include "manifest/schema_values.h"

namespace provgate::detail {
namespace {

namespace od = simdjson::ondemand;
using namespace schema;  // The value readers both files of tables share.

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
    if (out.version_read && out.model_read && out.read_sources_in_place) {
      out.sources_read = out.read_sources_in_place(w, value);
    }
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
       h.version_read = true;
       if (!w.ReadString(v, h.header.manifest_version)) return;
       if (auto problem = CheckManifestVersion(h.header.manifest_version)) {
         w.Error(at, std::string(problem->code), std::move(problem->message));
       }
     }},
    {"model", true,
     [](W& w, V& v, HeaderRead& h) {
       h.model_read = true;
       ReadModel(w, v, h.header.model);
     }},
    {"sources", true, ReadSourcesField},
}};

static_assert(NoExtensionKey(kCheckpointFields) && NoExtensionKey(kReleaseFields) &&
              NoExtensionKey(kStageSourceFields) && NoExtensionKey(kStageFields) &&
              NoExtensionKey(kLineageFields) && NoExtensionKey(kModelFields) &&
              NoExtensionKey(kSourcesObjectFields) && NoExtensionKey(kRootFields));

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

}  // namespace provgate::detail
