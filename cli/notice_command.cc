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
  return CheckAndWrite(args.manifest, args.policy.ToCheckOptions(), args.output,
                       [](const CheckResult& result) { return RenderNotice(result.report); });
}

constexpr CommandText kNoticeText = {
    .name = "notice",
    .description =
        "Writes the attribution NOTICE text for a model. It names every source whose licence "
        "requires attribution (P7), with its title, origin and licence.",
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
