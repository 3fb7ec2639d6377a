// The manifest's own structures as facts: release, checkpoints, permission, acquisition,
// files and the rest, under their manifest names, read in place (nothing is copied).
#include <algorithm>

#include "crypto/sha256.h"
#include "policy/facts_table.h"
#include "provgate/manifest.h"

namespace provgate::detail {

using expr::Value;

const FactTable& ReleaseFacts() {
  static const TableType<Release> kType(
      "release",
      {
          {"weights", "string", "open, closed or unreleased, as the manifest states it",
           [](const Release& r, Value& out) { return Str(ToString(r.weights), out); }},
          {"license", "string", "the SPDX expression the weights are released under",
           [](const Release& r, Value& out) { return OptStr(r.license, out); }},
          {"deployment", "string", "commercial (when not stated), non-commercial or internal",
           [](const Release& r, Value& out) { return Str(ToString(r.deployment), out); }},
          {"date", "string", "the release date, YYYY-MM-DD",
           [](const Release& r, Value& out) { return OptStr(r.date, out); }},
      });
  return kType;
}

const FactTable& CheckpointFacts() {
  static const TableType<Checkpoint> kType(
      "checkpoint",
      {
          {"id", "string", "the checkpoint's id",
           [](const Checkpoint& c, Value& out) { return Str(c.id, out); }},
          {"weights", "string", "open, closed or unreleased",
           [](const Checkpoint& c, Value& out) { return Str(ToString(c.weights), out); }},
          {"license", "string", "the SPDX expression the checkpoint is released under",
           [](const Checkpoint& c, Value& out) { return OptStr(c.license, out); }},
          {"date", "string", "the checkpoint's release date",
           [](const Checkpoint& c, Value& out) { return OptStr(c.date, out); }},
      });
  return kType;
}

namespace {

const FactTable& EvidenceFacts() {
  static const TableType<Evidence> kType(
      "evidence",
      {
          {"uri", "string", "the agreement document: a path relative to the manifest, or a URL",
           [](const Evidence& e, Value& out) { return Str(e.uri, out); }},
          {"sha256", "string", "the document's SHA-256",
           [](const Evidence& e, Value& out) { return Str(e.sha256, out); }},
      });
  return kType;
}

const FactTable& GrantsFacts() {
  static const TableType<Grants> kType(
      "grants", {
                    {"training", "bool", "the agreement grants training",
                     [](const Grants& g, Value& out) { return Bool(g.training, out); }},
                    {"commercial", "bool", "the agreement grants commercial use",
                     [](const Grants& g, Value& out) { return Bool(g.commercial, out); }},
                    {"closed_weights", "bool", "the agreement grants use in closed-weight models",
                     [](const Grants& g, Value& out) { return Bool(g.closed_weights, out); }},
                });
  return kType;
}

}  // namespace

const FactTable& PermissionFacts() {
  static const TableType<Permission> kType(
      "permission",
      {
          {"basis", "string",
           "license, contract, public-domain, first-party, consent, statutory-exception, none "
           "or unknown",
           [](const Permission& p, Value& out) { return Str(ToString(p.basis), out); }},
          {"evidence", "list of evidence", "the agreement's documents (absent when none)",
           [](const Permission& p, Value& out) {
             return NonEmptyList(EvidenceFacts(), p.evidence, out);
           },
           &EvidenceFacts},
          {"grants", "grants", "what the agreement grants",
           [](const Permission& p, Value& out) {
             return Object(GrantsFacts(), p.grants ? &*p.grants : nullptr, out);
           },
           &GrantsFacts},
          {"valid_from", "string", "the first day the agreement is valid",
           [](const Permission& p, Value& out) { return OptStr(p.valid_from, out); }},
          {"valid_until", "string", "the last day the agreement is valid",
           [](const Permission& p, Value& out) { return OptStr(p.valid_until, out); }},
      });
  return kType;
}

const FactTable& AcquisitionFacts() {
  static const TableType<Acquisition> kType(
      "acquisition",
      {
          {"method", "string",
           "crawl, download, purchase, license-deal, api, donation, internal, generated, "
           "piracy or unknown",
           [](const Acquisition& a, Value& out) {
             if (!a.method) return FactPresence::kAbsent;
             return Str(ToString(*a.method), out);
           }},
          {"opt_outs_honored", "bool",
           "rights holders' opt-outs (robots.txt, TDM reservations) were honoured",
           [](const Acquisition& a, Value& out) {
             if (!a.opt_outs_honored) return FactPresence::kAbsent;
             return Bool(*a.opt_outs_honored, out);
           }},
          {"date", "string", "when the data was acquired, YYYY-MM-DD or YYYY-MM",
           [](const Acquisition& a, Value& out) { return OptStr(a.date, out); }},
      });
  return kType;
}

const FactTable& GeneratedByFacts() {
  static const TableType<GeneratedBy> kType(
      "generated_by",
      {
          {"model", "string", "the model that generated the data (absent for a program)",
           [](const GeneratedBy& g, Value& out) {
             if (g.model.empty()) return FactPresence::kAbsent;
             return Str(g.model, out);
           }},
          {"program", "string", "the program that generated the data (absent for a model)",
           [](const GeneratedBy& g, Value& out) {
             if (g.program.empty()) return FactPresence::kAbsent;
             return Str(g.program, out);
           }},
          {"terms_allow_training", "bool",
           "the manifest says that model's terms allow training on its outputs",
           [](const GeneratedBy& g, Value& out) { return Bool(g.terms_allow_training, out); }},
          {"stage", "string", "the stage of this model whose checkpoint generated the data",
           [](const GeneratedBy& g, Value& out) { return OptStr(g.stage, out); }},
          {"license", "string", "the terms the outputs come under, as written",
           [](const GeneratedBy& g, Value& out) { return OptStr(g.license, out); }},
      });
  return kType;
}

const FactTable& SizeFacts() {
  static const TableType<Size> kType(
      "size", {
                  {"tokens", "uint", "tokens the source contributed",
                   [](const Size& s, Value& out) { return Count(s.tokens, out); }},
                  {"bytes", "uint", "bytes the source contributed",
                   [](const Size& s, Value& out) { return Count(s.bytes, out); }},
                  {"documents", "uint", "documents the source contributed",
                   [](const Size& s, Value& out) { return Count(s.documents, out); }},
              });
  return kType;
}

namespace {

// The digest docs/manifest.md defines: SHA-256 over the lines "<sha256>  <path>\n" of the
// files, sorted by path bytewise.
std::string ContentListingDigest(const std::vector<FileEntry>& files) {
  std::vector<const FileEntry*> sorted;
  sorted.reserve(files.size());
  for (const FileEntry& f : files) sorted.push_back(&f);
  std::sort(sorted.begin(), sorted.end(),
            [](const FileEntry* a, const FileEntry* b) { return a->path < b->path; });
  Sha256 hash;
  for (const FileEntry* f : sorted) {
    hash.Update(f->sha256);
    hash.Update("  ");
    hash.Update(f->path);
    hash.Update("\n");
  }
  return hash.HexDigest();
}

}  // namespace

const FactTable& DigestFacts() {
  static const TableType<Source> kType(
      "digest", {
                    {"sha256", "string", "the SHA-256 of the source's content listing",
                     [](const Source& s, Value& out) { return OptStr(s.digest_sha256, out); }},
                    {"of_files", "string",
                     "the SHA-256 of the content listing of the source's files[] (docs/"
                     "manifest.md, \"The digest of a source's content\"); absent without files",
                     [](const Source& s, Value& out) {
                       if (s.files.empty()) return FactPresence::kAbsent;
                       // Made here: owned by the value, not borrowed.
                       out = Value::String(ContentListingDigest(s.files));
                       return FactPresence::kPresent;
                     }},
                });
  return kType;
}

const FactTable& FileFacts() {
  static const TableType<FileEntry> kType(
      "file", {
                  {"path", "string", "the file, relative to the manifest",
                   [](const FileEntry& f, Value& out) { return Str(f.path, out); }},
                  {"sha256", "string", "its SHA-256",
                   [](const FileEntry& f, Value& out) { return Str(f.sha256, out); }},
                  {"bytes", "uint", "its size",
                   [](const FileEntry& f, Value& out) { return Count(f.bytes, out); }},
              });
  return kType;
}

const FactTable& StageDataFacts() {
  static const TableType<Stage> kType(
      "stage", {
                   {"id", "string", "the stage's id",
                    [](const Stage& s, Value& out) { return Str(s.id, out); }},
                   {"sources", "list of string", "the ids of the sources the stage used",
                    [](const Stage& s, Value& out) {
                      std::vector<Value> ids;
                      for (const auto& id : s.sources) ids.push_back(Value::BorrowedString(id));
                      out = Value::List(std::move(ids));
                      return FactPresence::kPresent;
                    }},
                   {"checkpoint", "checkpoint", "the checkpoint released after the stage",
                    [](const Stage& s, Value& out) {
                      return Object(CheckpointFacts(), s.checkpoint ? &*s.checkpoint : nullptr,
                                    out);
                    },
                    &CheckpointFacts},
               });
  return kType;
}

const FactTable& LineageDataFacts() {
  static const TableType<LineageEntry> kType(
      "lineage entry",
      {
          {"relation", "string",
           "fine-tune, continued-pretraining, distillation, synthetic-data, merge, adapter, "
           "quantization, judge or reward-model",
           [](const LineageEntry& e, Value& out) { return Str(ToString(e.relation), out); }},
          {"model", "string", "the upstream model's id",
           [](const LineageEntry& e, Value& out) { return Str(e.model, out); }},
          {"manifest", "string", "the upstream model's manifest, relative to this one",
           [](const LineageEntry& e, Value& out) { return OptStr(e.manifest, out); }},
          {"attestation", "string", "the upstream model's signed report, relative to this one",
           [](const LineageEntry& e, Value& out) { return OptStr(e.attestation, out); }},
          {"ledger", "bool", "the upstream model is to be found in the ledger",
           [](const LineageEntry& e, Value& out) { return Bool(e.ledger, out); }},
          {"stage", "string", "the stage that used the upstream model",
           [](const LineageEntry& e, Value& out) { return OptStr(e.stage, out); }},
      });
  return kType;
}

}  // namespace provgate::detail
