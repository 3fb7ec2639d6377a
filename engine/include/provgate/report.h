// The compliance report: findings, obligations, summary, verdict; and its renderings.
#ifndef PROVGATE_REPORT_H_
#define PROVGATE_REPORT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "provgate/export.h"
#include "provgate/lineage.h"
#include "provgate/manifest.h"
#include "provgate/shared_text.h"

namespace provgate {

/// An accepted exception: a finding of `rule` about `subject` that a named approver has
/// accepted until `expires`. It keeps the finding in the report but stops it failing the gate.
struct Waiver {
  std::string rule;
  std::string subject;
  std::string reason;    ///< Why it is acceptable.
  std::string approver;  ///< Who accepted it.
  std::string created;   ///< YYYY-MM-DD
  std::string expires;   ///< YYYY-MM-DD; from the day after, the waiver is an error.
  std::string ticket;    ///< Optional link to the discussion.
  Location location;     ///< Where in the waivers file.
};

/// How a finding compares with the baseline's findings (check --baseline): by rule and
/// subject, not by position.
enum class BaselineStatus { kNone, kNew, kUnchanged };

/// Which findings fail the gate.
enum class FailOn { kError, kWarning };

/// What fails the gate: findings of severity error (and warning with FailOn::kWarning), unless
/// waived, or (with `new_only`) already in the baseline.
struct GateOptions {
  FailOn fail_on = FailOn::kError;
  bool new_only = false;
};

/// One rule outcome about one subject (a source, a stage, a lineage edge, the model). The
/// message and remedy are SharedText: findings share their text's storage, and copying a
/// finding copies none of it.
struct Finding {
  std::string rule;  ///< Rule id, e.g. "P2".
  Severity severity = Severity::kError;
  std::string subject;  ///< Id of what the finding is about.
  std::string reason;   ///< Reason code, e.g. "unused-source"; empty when the rule has none.
  SharedText message;   ///< What is wrong, in plain words.
  SharedText remedy;    ///< What would fix it.
  Location location;    ///< Where in the manifest.
  bool waived = false;
  std::shared_ptr<const Waiver> waiver;  ///< The waiver that applies, when waived.
  BaselineStatus baseline = BaselineStatus::kNone;
};

/// Whether `finding` fails the gate under `gate`: the one place where that is decided.
PROVGATE_API bool FailsGate(const Finding& finding, const GateOptions& gate);

/// Something the release must do: `attribution` (credit the source: licence and URI, enough
/// for a NOTICE file), `share-alike` (its terms bind the release), `non-commercial-only`,
/// `open-weight-release` (an unreleased model with unpermitted data must be released
/// open-weight if it is released at all), `name-prefix`, `display-notice` and
/// `use-restrictions` (conditions of a licence the model is built with: `text` says the prefix
/// or the notice, `uri` the restrictions), `contract-obligation` (a duty an agreement sets, in
/// `text`). Its licence, URI, title and text are SharedText, as a finding's message is.
struct Obligation {
  std::string kind;
  std::string rule;     ///< The rule that recorded it, e.g. "P7".
  std::string subject;  ///< Source id, or model id.
  SharedText license;
  SharedText uri;
  SharedText title;  ///< The source's title, when it has one.
  /// What to do, in the words of the licence or agreement: the name prefix, the notice to
  /// display, the duty a contract sets; empty for obligations that need no words.
  SharedText text;
};

/// One source's permission decision, as an auditor reads it: a row of the decision table
/// (CheckOptions::collect_decisions). Texts that many sources share (reason, basis, licences,
/// class, explanation) share their storage.
struct SourceDecision {
  SharedText id;
  SharedText title;  ///< Empty when the source has none.
  bool permitted = false;
  SharedText reason;             ///< The reason code of docs/policy.md; empty when permitted.
  SharedText detail;             ///< One sentence saying why it is permitted or not.
  SharedText basis;              ///< permission.basis as the manifest spells it.
  SharedText license;            ///< The licence expression as written; empty without one.
  SharedText license_canonical;  ///< Its canonical spelling; empty when it does not parse.
  /// The class of the licence alternative that counts ("permissive", "share-alike", …);
  /// "none" for a source without a licence.
  SharedText license_class;
  std::optional<std::uint64_t> tokens;  ///< size.tokens, when stated.
  std::optional<std::uint64_t> bytes;   ///< size.bytes, when stated.
  /// The ids of the stages that use the source, in stage order (shared between sources used
  /// by the same stages); empty when no stage names it. Never null in a report.
  std::shared_ptr<const std::vector<std::string>> stages;
};

/// A file the manifest covers (a files[] entry, contract evidence): a subject of the signed
/// report. `name` is as the manifest writes it, relative to the manifest's directory.
struct Artifact {
  std::string name;
  std::string sha256;
};

/// A report's verdict: compliant when no unwaived finding is an error.
enum class Verdict { kUnknown, kCompliant, kNonCompliant };

/// "compliant", "non-compliant" or "unknown".
PROVGATE_API std::string_view ToString(Verdict verdict);

struct Report {
  std::string tool_version;
  std::string manifest_path;
  std::string manifest_sha256;
  std::optional<std::string> sources_path;  ///< The JSONL side file, when used.
  std::optional<std::string> sources_sha256;
  std::string policy_name;
  std::string policy_version;
  std::string policy_profile;
  std::string policy_sha256;
  std::string model_id;
  Weights weights = Weights::kClosed;
  std::string effective_weights;
  /// Some source is used without permission (for this model's own release), or a model in its
  /// lineage is tainted or cannot be established.
  bool tainted = false;
  /// Why the model is tainted, e.g. `lab/closed ← distillation ← lab/open: used web without
  /// permission (no-basis)`; empty when it is not.
  std::string taint_chain;
  /// Every cause of the taint, heaviest first (tokens, then sources), up to 50; the number
  /// left out is `taint_causes_omitted`.
  std::vector<TaintCause> taint_causes;
  std::uint64_t taint_causes_omitted = 0;
  /// The date contracts were checked against when the manifest has no release date, and a
  /// contract's validity depended on it; otherwise empty.
  std::string check_date;
  /// The verdict. It stays kUnknown in a report that no check completed (invalid input, a
  /// failed read), so that such a report never reads "compliant".
  Verdict verdict = Verdict::kUnknown;
  bool compliant() const { return verdict == Verdict::kCompliant; }
  std::vector<Finding> findings;  ///< Sorted by rule, subject, then position.
  /// With a baseline: its path, and the findings it had that this manifest no longer has.
  std::string baseline_path;
  std::vector<Finding> fixed;
  std::vector<Obligation> obligations;
  /// Files and contract evidence the manifest lists, in manifest order without repeats; only
  /// filled when CheckOptions::collect_artifacts is set. Not part of the JSON report.
  std::vector<Artifact> artifacts;
  /// Every source's decision in manifest order, when CheckOptions::collect_decisions is set
  /// (the `decisions` section of the JSON report); absent otherwise.
  std::optional<std::vector<SourceDecision>> decisions;
  struct Summary {
    std::uint64_t sources = 0;
    std::uint64_t stages = 0;
    std::uint64_t lineage = 0;
    bool files_checked = false;  ///< --verify-files ran.
    std::uint64_t files_verified = 0;
    std::uint64_t files_failed = 0;
    std::uint64_t files_bytes = 0;
    std::uint64_t tokens = 0;     ///< Sum of size.tokens over sources that state it.
    std::uint64_t bytes = 0;      ///< Sum of size.bytes over sources that state it.
    std::uint64_t permitted = 0;  ///< Sources used with permission.
    std::uint64_t unpermitted = 0;
    std::uint64_t tokens_permitted = 0;
    std::uint64_t tokens_unpermitted = 0;
    /// Sources and tokens per licence class ("none" for sources without a licence).
    struct ClassCount {
      std::string license_class;
      std::uint64_t sources = 0;
      std::uint64_t tokens = 0;
    };
    std::vector<ClassCount> by_license_class;  ///< Sorted by class name.
    std::uint64_t errors = 0;  ///< Findings by severity; waived ones are counted in `waived`.
    std::uint64_t warnings = 0;
    std::uint64_t infos = 0;
    std::uint64_t waived = 0;
  } summary;
};

/// The JSON report of docs/cli.md: deterministic, byte-identical for identical inputs.
PROVGATE_API std::string RenderJsonReport(const Report& report);

/// The same report, handed to `sink` in pieces of about 1 MiB as it is written, so that a
/// report of hundreds of megabytes never sits in memory whole.
PROVGATE_API void WriteJsonReport(const Report& report,
                                  const std::function<void(std::string_view)>& sink);

/// The NOTICE text of a release (docs/cli.md, "The NOTICE"): the notices that licences and
/// contracts require to be shown (`display-notice`), naming and use restrictions, the credits
/// of the sources used with permission (attribution, with title, origin and licence), and,
/// apart and said plainly, the sources used without permission. The split needs the
/// report's `decisions` (CheckOptions::collect_decisions); without them the credits are
/// listed without any statement about permission.
PROVGATE_API std::string RenderNotice(const Report& report);

/// Options for the terminal rendering.
struct TextOptions {
  bool color = false;  ///< ANSI colours for severities and the verdict.
  /// For `validate`: heads the report WELL-FORMED / INTEGRITY ERRORS instead of COMPLIANT /
  /// NON-COMPLIANT, and leaves out what only the policy decides (permission, taint).
  bool validation = false;
  /// Findings of one rule, reason and severity (and waiver and baseline state) are listed one
  /// by one up to this many; more are shown as one group with their count and the first
  /// five subjects (obligations of one rule, kind, licence and text likewise). 0 never groups.
  std::size_t group_above = 5;
};

/// The human report: verdict first, then findings by severity (errors first) with location,
/// message and remedy, many of one rule and reason grouped (TextOptions::group_above), then
/// obligations.
PROVGATE_API std::string RenderTextReport(const Report& report, const TextOptions& options = {});

/// The decision table as CSV (RFC 4180, docs/cli.md "The decision table"): a header line, then
/// one line per source of `report.decisions`, in manifest order; CRLF line ends, every text
/// cell quoted, a cell that a spreadsheet would read as a formula prefixed with `'`. Handed to
/// `sink` in pieces of about 1 MiB. A report without decisions gives the header line only.
PROVGATE_API void WriteDecisionsCsv(const Report& report,
                                    const std::function<void(std::string_view)>& sink);

/// The same, as one string.
PROVGATE_API std::string RenderDecisionsCsv(const Report& report);

/// Text from the input (an id, a file name, a message that quotes them) as it may be printed
/// on one line of a terminal or a CI log, the way every rendering above prints it. Control
/// characters (C0 with tab and line breaks, DEL, C1), the separators U+2028 and U+2029, Unicode
/// format characters (bidi embeddings, overrides and isolates, zero-width characters) and
/// U+FFFE, U+FFFF are shown as `\xHH`, `\uHHHH` or `\UHHHHHHHH`, and so is every byte that is
/// not well-formed UTF-8. CI runners' commands are broken: a `::` that begins the text (after
/// spaces) is written `\x3A:`, and the `##[` and `##vso[` of legacy commands `#\x23[`. Other
/// text is returned unchanged, so escaping twice changes nothing more.
///
///     EscapeTerminalText("a\x1b[2Jb") == "a\\x1B[2Jb"
PROVGATE_API std::string EscapeTerminalText(std::string_view text);

/// The same for text of several lines: line feeds are kept, and every line is escaped as
/// EscapeTerminalText escapes one.
PROVGATE_API std::string EscapeTerminalLines(std::string_view text);

}  // namespace provgate

#endif  // PROVGATE_REPORT_H_
