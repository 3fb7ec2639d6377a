// provgate explain: what a rule checks, what a reason code means, the pack's rules, the facts.
#include <memory>

#include "commands.h"
#include "output.h"
#include "provgate/policy.h"
#include "provgate/report.h"
#include "shared_options.h"

namespace provgate::cli {
namespace {

struct ExplainArgs {
  std::string rule;
  PolicyArgs policy;
  std::string reason;
  bool list = false;
  bool facts = false;
  const CLI::Option* rule_option = nullptr;
  const CLI::Option* reason_option = nullptr;
};

std::string ListPack(const PackInfo& info) {
  std::string out = EscapeTerminalText(info.name) + " " + EscapeTerminalText(info.version) + "\n";
  for (const auto& rule : info.rules) {
    out += "  " + EscapeTerminalText(rule.id) + "  " + std::string(ToString(rule.severity)) + "  " +
           EscapeTerminalText(rule.title) + "\n";
  }
  out += "Profiles:";
  for (const auto& p : info.profiles) out += " " + EscapeTerminalText(p.name);
  out += "\nReason codes:";
  for (const auto& r : info.reasons) out += " " + EscapeTerminalText(r.code);
  return out + "\n";
}

ExitCode RunExplain(const ExplainArgs& args) {
  // The pack's texts (and a custom pack may come with the pull request) are escaped for the
  // terminal or CI log they are printed to; a description keeps its lines.
  if (args.facts) return WriteOutput("", EscapeTerminalLines(ExplainFacts()));
  PackLoadResult loaded = LoadRulePack(args.policy.policy_dir);
  PrintDiagnostics(loaded.diagnostics);
  if (!loaded.status.ok()) {
    PrintError(loaded.status.message());
    return ExitCode::kOperational;
  }
  if (!loaded.ok()) return ExitCode::kInvalid;
  if (args.list) return WriteOutput("", ListPack(DescribePack(*loaded.pack)));
  if (args.reason_option->count() > 0) {
    std::string text = ExplainReason(*loaded.pack, args.reason);
    if (text.empty()) {
      return UsageError("unknown reason code '" + args.reason + "' (see provgate explain --list)");
    }
    return WriteOutput("", EscapeTerminalLines(text));
  }
  if (args.rule_option->count() == 0) {
    return UsageError("explain takes one RULE id, --reason CODE, --list or --facts");
  }
  std::string text = ExplainRule(*loaded.pack, args.rule);
  if (text.empty()) {
    return UsageError("unknown rule '" + args.rule + "' (see provgate explain --list)");
  }
  return WriteOutput("", EscapeTerminalLines(text));
}

constexpr CommandText kExplainText = {
    .name = "explain",
    .description =
        "Explains a rule, a reason code, the rule pack or the facts. Prints what a rule checks, "
        "why, and how to satisfy it; what a reason code means; the pack's rules, profiles and "
        "reason codes; or the facts that rule expressions can read.",
    .footer =
        "Give one of RULE, --reason CODE, --list or --facts.\n"
        "Exit codes: 0 explained, 2 an unknown rule or reason code, invalid input or usage, "
        "3 operational failure.",
};

void DeclareExplain(CLI::App& command, ExplainArgs& args) {
  // Not required(): --reason, --list and --facts stand in for it.
  args.rule_option = command.add_option("RULE", args.rule, "a rule id of the pack, e.g. P1");
  AddPolicyOptions(command, args.policy, {});
  args.reason_option =
      command
          .add_option("--reason", args.reason,
                      "what a reason code of a finding means and how to resolve it")
          ->type_name("CODE");
  command.add_flag("--list", args.list, "the pack's rules, profiles and reason codes");
  command.add_flag("--facts", args.facts, "the facts that rule expressions can read");
}

}  // namespace

Command AddExplainCommand(CLI::App& root) {
  return AddCommand(root, kExplainText, DeclareExplain, RunExplain);
}

}  // namespace provgate::cli
