// provgate notice MANIFEST: the attribution NOTICE text for a release.
#include <memory>

#include "commands.h"
#include "output.h"
#include "provgate/check.h"
#include "shared_options.h"

namespace provgate::cli {
namespace {

struct NoticeArgs {
  std::string manifest;
  PolicyArgs policy;
  std::string output;
};

ExitCode RunNotice(const NoticeArgs& args) {
  std::vector<std::string> inputs = {args.manifest};
  if (ExitCode refused = CheckOutputs({args.output}, inputs); refused != ExitCode::kCompliant) {
    return refused;
  }
  CheckResult result = Check(args.manifest, args.policy.ToCheckOptions());
  if (ExitCode code = ReportCheckProblems(result); Failed(code)) return code;
  AppendFilesRead(result, inputs);
  if (ExitCode refused = CheckOutputs({args.output}, inputs); refused != ExitCode::kCompliant) {
    return refused;
  }
  return WriteOutput(args.output, RenderNotice(result.report));
}

}  // namespace

Command AddNoticeCommand(CLI::App& root) {
  auto args = std::make_shared<NoticeArgs>();
  CLI::App* command = AddCommand(
      root, "notice",
      "Writes the attribution NOTICE text for a model. It names every source whose licence "
      "requires attribution (P7), with its title, origin and licence.",
      "Exit codes: 0 written, 2 invalid input or usage, 3 operational failure; the verdict "
      "does not matter here.");
  command->add_option("MANIFEST", args->manifest, "the training-data manifest (JSON)")->required();
  AddPolicyOptions(*command, args->policy, {.profile = true});
  AddOutputOption(*command, args->output, "the NOTICE text");
  return {command, [args] { return RunNotice(*args); }};
}

}  // namespace provgate::cli
