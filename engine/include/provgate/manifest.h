// Manifest v1: typed structures and the streaming loader.
#ifndef PROVGATE_MANIFEST_H_
#define PROVGATE_MANIFEST_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "provgate/diagnostic.h"
#include "provgate/export.h"
#include "provgate/status.h"

namespace provgate {

enum class Weights { kOpen, kClosed, kUnreleased };
enum class Deployment { kCommercial, kNonCommercial, kInternal };
enum class SourceKind {
  kWebCrawl,
  kBooks,
  kCode,
  kAcademic,
  kNews,
  kSocial,
  kEncyclopedic,
  kLicensedCorpus,
  kUserContent,
  kFirstParty,
  kSynthetic,
  kModelOutputs,
  kAnnotations,    ///< Human annotation by third parties (contractors, vendors, crowd work).
  kConversations,  ///< People's conversations with a model: human and model text mixed.
  kOther
};
enum class Basis {
  kLicense,
  kContract,
  kPublicDomain,
  kFirstParty,
  kConsent,
  kStatutoryException,
  kFairUse,  ///< A fair-use claim: recorded, never permission.
  kNone,
  kUnknown
};
enum class AcquisitionMethod {
  kCrawl,
  kDownload,
  kPurchase,
  kLicenseDeal,
  kApi,
  kDonation,
  kInternal,
  kGenerated,
  kPiracy,
  kUnknown
};
/// What a source's licence covers: its content, or only the dataset as a compilation of
/// content whose rights stay with others.
enum class LicenseScope { kContent, kCompilation };
/// A duty a contract imposes on the model's release.
enum class DutyKind { kAttribution, kLink, kDisplayNotice, kOther };
/// What an allegation about a source's acquisition claims.
enum class AllegationClaim { kPiracy };
enum class Relation {
  kFineTune,
  kContinuedPretraining,
  kDistillation,
  kSyntheticData,
  kMerge,
  kAdapter,
  kQuantization,
  kJudge,
  kRewardModel
};

/// The manifest spelling of each enum value (`"open"`, `"web-crawl"`, ...).
PROVGATE_API std::string_view ToString(Weights value);
PROVGATE_API std::string_view ToString(Deployment value);
PROVGATE_API std::string_view ToString(SourceKind value);
PROVGATE_API std::string_view ToString(Basis value);
PROVGATE_API std::string_view ToString(AcquisitionMethod value);
PROVGATE_API std::string_view ToString(Relation value);
PROVGATE_API std::string_view ToString(LicenseScope value);
PROVGATE_API std::string_view ToString(DutyKind value);
PROVGATE_API std::string_view ToString(AllegationClaim value);

/// Where an element of the manifest is: the file (the manifest or its JSONL side file), the
/// JSON pointer in the logical manifest, and the 1-based line and column of its first token.
struct Location {
  std::string file;
  std::string pointer;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

struct Release {
  Weights weights = Weights::kClosed;
  std::optional<std::string> license;
  Deployment deployment = Deployment::kCommercial;  ///< `commercial` when absent.
  std::optional<std::string> date;                  ///< YYYY-MM-DD
};

struct Checkpoint {
  std::string id;
  Weights weights = Weights::kClosed;
  std::optional<std::string> license;
  std::optional<std::string> date;
};

/// How much of a source a stage trained on, when the manifest says (`stages[].sources[]`
/// written as an object).
struct StageAmount {
  std::optional<std::uint64_t> tokens;
  std::optional<double> epochs;
};

struct Stage {
  std::string id;
  std::vector<std::string> sources;
  std::vector<Location> source_locations;  ///< Parallel to `sources`.
  /// Parallel to `sources` when some entry states an amount; empty otherwise.
  std::vector<StageAmount> source_amounts;
  std::optional<Checkpoint> checkpoint;
  std::optional<std::string> date;      ///< YYYY-MM-DD: when the stage's training ended.
  std::optional<std::uint64_t> tokens;  ///< Tokens trained on in the stage.
  Location location;
};

struct LineageEntry {
  Relation relation = Relation::kFineTune;
  std::string model;
  std::optional<std::string> manifest;
  std::optional<std::string> attestation;
  bool ledger = false;
  std::optional<std::string> stage;
  Location location;
};

struct Model {
  std::string id;
  std::optional<std::string> organization;
  Release release;
  /// False when the manifest has no `stages`: one implicit stage used every source.
  bool stages_given = false;
  std::vector<Stage> stages;
  std::vector<LineageEntry> lineage;
  Location location;
};

struct Evidence {
  std::string uri;
  std::string sha256;
};

struct Grants {
  bool training = false;
  bool commercial = false;
  bool closed_weights = false;
};

/// A duty a contract imposes (attribution, a link, a notice to display).
struct Duty {
  DutyKind kind = DutyKind::kOther;
  std::string text;
  std::optional<std::string> uri;
};

struct Permission {
  Basis basis = Basis::kUnknown;
  std::vector<Evidence> evidence;
  std::optional<Grants> grants;
  std::optional<std::string> valid_from;
  std::optional<std::string> valid_until;
  /// The theory relied on (a fair-use claim, a statutory exception), as written.
  std::optional<std::string> claim;
  /// Duties the contract imposes on the release.
  std::vector<Duty> obligations;
  /// Rights in a model trained during the contract's term survive its end: validity is then
  /// judged at the training date rather than the release date.
  bool survives_termination = false;
};

/// A claim, made elsewhere (a court filing, a credible report), about how data was acquired.
struct Allegation {
  AllegationClaim claim = AllegationClaim::kPiracy;
  std::string reference;
  std::optional<std::string> uri;
};

struct Acquisition {
  std::optional<AcquisitionMethod> method;
  std::optional<bool> opt_outs_honored;
  std::optional<std::string> date;  ///< YYYY-MM-DD or YYYY-MM
  std::vector<Allegation> allegations;
};

/// What generated (some of) a source's content: a model, or a program. Exactly one of
/// `model` and `program` is non-empty.
struct GeneratedBy {
  std::string model;
  std::string program;
  /// The manifest's claim that the model's terms allow training on its outputs.
  bool terms_allow_training = false;
  /// The stage of this manifest's own model whose checkpoint generated the data.
  std::optional<std::string> stage;
  /// The terms the outputs come under, as an SPDX expression.
  std::optional<std::string> license;
};

struct Size {
  std::optional<std::uint64_t> tokens;
  std::optional<std::uint64_t> bytes;
  std::optional<std::uint64_t> documents;
};

struct FileEntry {
  std::string path;
  std::string sha256;
  std::optional<std::uint64_t> bytes;
};

struct Source {
  std::string id;
  std::optional<std::string> title;
  SourceKind kind = SourceKind::kOther;
  std::optional<std::string> uri;
  std::optional<std::string> license;
  LicenseScope license_scope = LicenseScope::kContent;
  Permission permission;
  std::optional<Acquisition> acquisition;
  std::vector<GeneratedBy> generated_by;
  std::optional<Size> size;
  std::optional<std::string> digest_sha256;
  std::vector<FileEntry> files;
  Location location;
  /// 0-based position of the source in the manifest (or the JSONL side file).
  std::uint64_t index = 0;
};

/// Everything in a manifest except its sources.
struct ManifestHeader {
  std::string manifest_version;
  Model model;
  /// The JSONL side file as written in the manifest, when sources live there.
  std::optional<std::string> sources_jsonl;
  Location sources_location;
};

/// A manifest held entirely in memory.
struct Manifest {
  ManifestHeader header;
  std::vector<Source> sources;
};

/// Receives a manifest as it is read. `OnHeader` is called once, before any source.
///
/// The `Source` passed to `OnSource` is reused for the next source: copy what must outlive
/// the call.
class PROVGATE_API ManifestVisitor {
 public:
  virtual ~ManifestVisitor() = default;
  virtual void OnHeader(const ManifestHeader& header) = 0;
  virtual void OnSource(const Source& source) = 0;
};

/// Options for reading a manifest.
struct ReadOptions {
  /// Errors reported before the reader stops collecting more (a note says so).
  std::size_t max_diagnostics = 200;
  /// Deepest JSON nesting accepted; deeper input is rejected with a diagnostic.
  std::size_t max_depth = 64;
  /// Longest line of a JSONL side file, in bytes: one source. A longer line is an error at
  /// its first byte (reading stops there), so that a side file of one endless line cannot
  /// grow the reader's memory. The line buffer takes up to twice this.
  std::size_t max_jsonl_line_bytes = std::size_t{16} << 20;
  /// Calls the visitor's OnSource on a second thread, in document order and one call at a
  /// time, while the calling thread parses the sources that follow. OnHeader is still called
  /// on the calling thread, before any source, and every call has returned when ReadManifest
  /// returns. The visitor must not share unsynchronized state with other threads meanwhile.
  /// Manifests with fewer than 1024 sources are read on the calling thread alone.
  bool pipeline = false;
  /// Hashes the manifest on a second thread while the calling thread parses it; otherwise on
  /// the calling thread, before parsing.
  bool hash_on_thread = true;
  /// A part of a JSON Lines side file: the lines that start at byte offsets in [begin, end),
  /// the first of them line `first_line` of the file and holding source `first_index`
  /// (see PlanPartitions in provgate/shard.h).
  struct JsonlRange {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    std::uint64_t first_line = 1;
    std::uint64_t first_index = 0;
  };
  /// Reads only this part of the side file: the sources of one partition. Repeated ids are
  /// looked for within it only, and ReadResult::sources_sha256 stays empty. Ignored for
  /// sources in an array.
  std::optional<JsonlRange> jsonl_range;
  /// The side file's bytes, given in memory instead of the file the manifest names (a
  /// partition's lines that reached a worker without the file): that file is not opened,
  /// and its name still names the lines in diagnostics.
  std::shared_ptr<const std::string> jsonl_text;
};

/// What reading a manifest produced besides the visitor calls.
struct ReadResult {
  /// Operational failure (the file cannot be read at all). `NotFound` for a missing file.
  Status status;
  /// Invalid input, sorted by position. Any error means the manifest must not be evaluated.
  std::vector<Diagnostic> diagnostics;
  /// SHA-256 (lowercase hex) of the manifest file's bytes, and of the side file if any.
  std::string manifest_sha256;
  std::string sources_sha256;
  /// Ids that occur on more than one source, with every location where they occur.
  struct DuplicateId {
    std::string id;
    std::vector<Location> locations;
  };
  std::vector<DuplicateId> duplicate_source_ids;
  std::uint64_t source_count = 0;

  bool ok() const { return status.ok() && !HasErrors(diagnostics); }
};

/// Reads and validates the manifest at `path`, streaming its sources to `visitor`.
///
/// Validation follows schemas/manifest.schema.json exactly; every schema violation becomes a
/// Diagnostic. Sources are streamed one at a time in document order (from the JSONL side
/// file when the manifest names one), so memory does not grow with their number. Visitor
/// calls may have been made before an error is found: callers discard their results when
/// `ReadResult::ok()` is false. Duplicate source ids are found with constant memory (a Bloom
/// filter, confirmed by a second pass over the ids only) and reported in the result, not as
/// diagnostics: they are a policy finding (P2), not a schema violation.
///
/// Example:
///   provgate::Manifest manifest;
///   provgate::ReadResult result = provgate::LoadManifest("model.json", manifest);
///   if (!result.ok()) { for (auto& d : result.diagnostics) puts(FormatDiagnostic(d).c_str()); }
PROVGATE_API ReadResult ReadManifest(const std::string& path, ManifestVisitor& visitor,
                                     const ReadOptions& options = {});

/// Reads the whole manifest into memory. Same errors as ReadManifest.
PROVGATE_API ReadResult LoadManifest(const std::string& path, Manifest& manifest,
                                     const ReadOptions& options = {});

/// Reads and validates a manifest held in memory exactly as ReadManifest reads a file holding
/// the same bytes at `base_dir`/`name`: the same visitor calls, diagnostics, digests and
/// repeated ids.
///
/// Diagnostics and locations name the manifest `name` (a path, or any text such as
/// `"<memory>"`), and a JSONL side file `name`'s directory joined with its relative path. The
/// side file is opened beneath the directory of `base_dir`/`name` (`base_dir` when `name` has
/// no directory; empty `base_dir`: the current directory), with the confinement of a file's
/// directory: no absolute path, no `..`, no symlink out of it, only a regular file. So
/// `ReadManifestText(bytes, path, "")` is `ReadManifest(path)` for the file holding `bytes`.
/// `text` is copied (simdjson reads past the end of its input): it needs no padding and need
/// not outlive the call.
///
/// Example:
///   provgate::Manifest manifest;
///   provgate::ReadResult result =
///       provgate::LoadManifestText(json, "manifest.json", "/data/run-17", manifest);
PROVGATE_API ReadResult ReadManifestText(std::string_view text, const std::string& name,
                                         const std::string& base_dir, ManifestVisitor& visitor,
                                         const ReadOptions& options = {});

/// Reads a whole manifest held in memory. Same errors as ReadManifestText.
PROVGATE_API ReadResult LoadManifestText(std::string_view text, const std::string& name,
                                         const std::string& base_dir, Manifest& manifest,
                                         const ReadOptions& options = {});

/// Validates a manifest header built in code against the rules a manifest file must follow,
/// and returns what breaks them: the same codes and messages that reading the equivalent JSON
/// gives, each with its JSON pointer (`/model/release`, ...) and no file, line or column.
///
/// Checked: every value on its own (ids and other required strings not empty, the longest
/// strings, calendar dates, SHA-256 digests, `manifest_version` "1", the JSONL side file's
/// path, valid UTF-8) and the rules that relate fields to each other (open weights need a
/// licence, a lineage entry names at most one of manifest, attestation and ledger). What only
/// JSON text can get wrong (syntax, types, unknown or repeated keys) cannot occur. The reader
/// applies the same rules as it reads, with positions.
///
/// Example:
///   provgate::ManifestHeader header;
///   header.manifest_version = "1";
///   header.model.id = "lab/model";
///   header.model.release.weights = provgate::Weights::kOpen;  // No licence: one diagnostic.
///   for (const auto& d : provgate::ValidateHeader(header)) puts(FormatDiagnostic(d).c_str());
[[nodiscard]] PROVGATE_API std::vector<Diagnostic> ValidateHeader(const ManifestHeader& header);

/// Validates one source built in code, as ValidateHeader does a header: its values, and the
/// rules that a contract needs evidence and grants and that synthetic sources and model
/// outputs need `generated_by`. Pointers start with `/sources/<source.index>`.
[[nodiscard]] PROVGATE_API std::vector<Diagnostic> ValidateSource(const Source& source);

/// Validates a whole manifest built in code: its header, and each source with the pointer of
/// its place in `manifest.sources` (whatever its `index`). Repeated source ids are not
/// diagnostics but a policy finding: FindDuplicateSourceIds finds them.
[[nodiscard]] PROVGATE_API std::vector<Diagnostic> ValidateManifest(const Manifest& manifest);

/// The source ids that occur more than once in `sources` (empty ids aside), sorted, each with
/// the location of every occurrence in order: the source's `location`, or only the pointer
/// `/sources/<i>` of its place in `sources` when it has none (a source built in code). For sources
/// loaded from a manifest this is ReadResult::duplicate_source_ids.
[[nodiscard]] PROVGATE_API std::vector<ReadResult::DuplicateId> FindDuplicateSourceIds(
    const std::vector<Source>& sources);

}  // namespace provgate

#endif  // PROVGATE_MANIFEST_H_
