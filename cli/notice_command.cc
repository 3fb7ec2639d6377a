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
  CheckOptions options = args.policy.ToCheckOptions();
  // Which sources are used with permission decides where the NOTICE lists them.
  options.collect_decisions = true;
  return CheckAndWrite(args.manifest, options, args.output,
                       [](const CheckResult& result) { return RenderNotice(result.report); });
}

constexpr CommandText kNoticeText = {
    .name = "notice",
    .description =
        "Writes the NOTICE text for a model: the notices, naming and use restrictions that "
        "licences and agreements impose, the credits of the sources used with permission "
        "(title, origin, licence), and, apart, every source used without permission, with "
        "the reason.",
    .footer =
        "Exit codes: 0 written, 2 invalid input or usage, 3 operational failure; the verdict "
        "does not matter here.",
};

void DeclareNotice(CLI::App& command, NoticeArgs& args) {
  AddManifestArgument(command, args.manifest);
  AddPolicyOptions(command, args.policy, {.profile = true});
  AddOutputOption(command, args.output, "the NOTICE text");
}

}  // namespace

Command AddNoticeCommand(CLI::App& root) {
  return AddCommand(root, kNoticeText, DeclareNotice, RunNotice);
}

}  // namespace provgate::cli
