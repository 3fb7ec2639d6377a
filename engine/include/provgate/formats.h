// Report renderings for CI systems: SARIF, JUnit XML, GitHub workflow commands, Markdown; and
// the comparison of two reports (baseline, diff).
#ifndef PROVGATE_FORMATS_H_
#define PROVGATE_FORMATS_H_

#include <string>
#include <vector>

#include "provgate/export.h"
#include "provgate/lineage.h"
#include "provgate/policy.h"
#include "provgate/report.h"

namespace provgate {

struct FormatOptions {
  /// Paths in SARIF, annotations and Markdown are made relative to this directory (the
  /// repository root); empty means the current directory. Paths outside it stay as given.
  std::string source_root;
  /// Markdown: links to lines are `link_base + path + "#L" + line` (for example
  /// `https://github.com/org/repo/blob/<sha>/`); empty means plain `path:line:column` text.
  std::string link_base;
  /// Which findings fail the gate: JUnit reports them as failures.
  FailOn fail_on = FailOn::kError;
  /// With a baseline, only new findings fail the gate (check --new-only).
  bool new_only = false;
};

/// SARIF 2.1.0 as GitHub code scanning accepts it: the pack's rules in the tool driver, one
/// result per finding with a physical location (repository-relative URI, start line and
/// column), stable `partialFingerprints` (rule, subject, reason), and waived findings as
/// accepted external suppressions.
PROVGATE_API std::string RenderSarifReport(const Report& report, const PackInfo& pack,
                                           const FormatOptions& options = {});

/// JUnit XML: a test suite per rule, a test case per rule and subject; findings that fail the
/// gate are failures, waived ones are skipped, other findings are in system-out. A rule with
/// no finding is one passing test case.
PROVGATE_API std::string RenderJunitReport(const Report& report, const PackInfo& pack,
                                           const FormatOptions& options = {});

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message` for each
/// finding (warning, notice for the other severities and for waived findings), then a summary.
PROVGATE_API std::string RenderGithubAnnotations(const Report& report,
                                                 const FormatOptions& options = {});

/// A short Markdown summary for a pull-request comment: verdict, counts, the errors with
/// links to their lines, warnings and obligations folded.
PROVGATE_API std::string RenderMarkdownReport(const Report& report,
                                              const FormatOptions& options = {});

/// Marks every finding of `head` as new or unchanged against `base`, and lists in
/// `head.fixed` the findings of `base` that `head` no longer has. Findings are compared by rule
/// and subject, not by position: a finding is unchanged when the base had one of the same rule
/// and subject with the same or a higher severity.
PROVGATE_API void CompareWithBaseline(Report& head, const Report& base,
                                      const std::string& base_path);

}  // namespace provgate

#endif  // PROVGATE_FORMATS_H_
