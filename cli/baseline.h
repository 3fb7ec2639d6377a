// The baseline flow that `check --baseline` and `diff` share: an earlier version of a manifest
// checked with the same pack and options, and the findings of the version under review
// compared with its findings by rule and subject.
#ifndef PROVGATE_CLI_BASELINE_H_
#define PROVGATE_CLI_BASELINE_H_

#include "exit_code.h"
#include "manifest_source.h"
#include "provgate/check.h"
#include "provgate/policy.h"

namespace provgate::cli {

// Checks the baseline version `base` with `pack` and `options`, without waivers (a waiver
// belongs to the version under review) and, for git:REV:PATH, with lineage confined to the
// revision's tree. When the baseline is invalid or cannot be read, prints "the baseline BASE
// cannot be checked:" and its problems. Returns its exit code (kInvalid or kOperational when
// it cannot be compared with).
ExitCode CheckBaseline(const ManifestSource& base, const RulePack& pack, CheckOptions options,
                       CheckResult& out);

// Marks every finding of `head` new or unchanged against the checked baseline `base` and lists
// the baseline's findings that are gone as fixed, with the baseline's files named as the user
// named them (REV:PATH for a version from git history).
void CompareWithCheckedBaseline(CheckResult& base, const ManifestSource& source, Report& head);

}  // namespace provgate::cli

#endif  // PROVGATE_CLI_BASELINE_H_
