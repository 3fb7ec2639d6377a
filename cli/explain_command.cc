#include <cstdio>

#include "commands.h"
#include "flags.h"
#include "output.h"
#include "provgate/policy.h"
#include "provgate/report.h"

namespace provgate::cli {

int RunExplain(const std::vector<std::string>& args) {
  Flags flags({"--policy", "--reason"}, {"--help", "-h", "--list", "--facts"});
  std::string error;
  if (!flags.Parse(args, error)) return UsageError(error);
  if (flags.Has("--help") || flags.Has("-h")) {
    std::fputs(
        "usage: provgate explain RULE [--policy PATH]\n"
        "       provgate explain --reason CODE [--policy PATH]\n"
        "       provgate explain --list | --facts\n"
        "\n"
        "Prints what a rule checks, why, and how to satisfy it; what a reason code means;\n"
        "the pack's rules; or the facts that rule expressions can read.\n",
        stdout);
    return 0;
  }
  // The pack's texts (and a custom pack may come with the pull request) are escaped for the
  // terminal or CI log they are printed to; a description keeps its lines.
  if (flags.Has("--facts")) return WriteOutput("", EscapeTerminalLines(ExplainFacts()));
  PackLoadResult loaded = LoadRulePack(flags.Get("--policy").value_or(""));
  PrintDiagnostics(loaded.diagnostics);
  if (!loaded.status.ok()) {
    std::fprintf(stderr, "provgate: error: %s\n",
                 EscapeTerminalText(loaded.status.message()).c_str());
    return 3;
  }
  if (!loaded.ok()) return 2;
  const PackInfo& info = DescribePack(*loaded.pack);
  if (flags.Has("--list")) {
    std::string out = EscapeTerminalText(info.name) + " " + EscapeTerminalText(info.version) + "\n";
    for (const auto& rule : info.rules) {
      out += "  " + EscapeTerminalText(rule.id) + "  " + std::string(ToString(rule.severity)) +
             "  " + EscapeTerminalText(rule.title) + "\n";
    }
    out += "Profiles:";
    for (const auto& p : info.profiles) out += " " + EscapeTerminalText(p.name);
    out += "\nReason codes:";
    for (const auto& r : info.reasons) out += " " + EscapeTerminalText(r.code);
    return WriteOutput("", out + "\n");
  }
  if (auto reason = flags.Get("--reason")) {
    std::string text = ExplainReason(*loaded.pack, *reason);
    if (text.empty()) {
      return UsageError("unknown reason code '" + EscapeTerminalText(*reason) +
                        "' (see provgate explain --list)");
    }
    return WriteOutput("", EscapeTerminalLines(text));
  }
  if (flags.positionals().size() != 1) {
    return UsageError("explain takes one RULE id, --reason CODE, --list or --facts");
  }
  std::string text = ExplainRule(*loaded.pack, flags.positionals().front());
  if (text.empty()) {
    return UsageError("unknown rule '" + EscapeTerminalText(flags.positionals().front()) +
                      "' (see provgate explain --list)");
  }
  return WriteOutput("", EscapeTerminalLines(text));
}

}  // namespace provgate::cli
