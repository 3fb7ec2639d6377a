#include "baseline.h"

#include "output.h"
#include "provgate/formats.h"

namespace provgate::cli {

ExitCode CheckBaseline(const ManifestSource& base, const RulePack& pack, CheckOptions options,
                       CheckResult& out) {
  options.waivers_path.clear();
  options.collect_artifacts = false;
  if (!base.root().empty()) options.root = base.root();
  out = Check(base.path(), pack, options);
  ExitCode code = FromEngineCode(out.ExitCode());
  if (Failed(code)) {
    PrintError("the baseline " + base.display() + " cannot be checked:");
    ReportCheckProblems(out);
  }
  return code;
}

void CompareWithCheckedBaseline(CheckResult& base, const ManifestSource& source, Report& head) {
  for (Finding& finding : base.report.findings) {
    finding.location.file = source.Display(finding.location.file);
  }
  CompareWithBaseline(head, base.report, source.display());
}

}  // namespace provgate::cli
