// provgate: training-data provenance and licensing policy checks.
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "flags.h"
#include "provgate/version.h"
#include "signals.h"

namespace {

constexpr char kUsage[] =
    "usage: provgate COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  check MANIFEST     validate a manifest, evaluate it against the policy, report\n"
    "  validate MANIFEST  schema and integrity checks only (no policy)\n"
    "  diff BASE HEAD     findings new, fixed and unchanged between two manifest versions\n"
    "  explain RULE       what a rule checks, why, and how to satisfy it\n"
    "  notice MANIFEST    write the attribution NOTICE text (P7)\n"
    "  graph MANIFEST     the lineage graph, in DOT or JSON\n"
    "  keygen --out P     write a key pair for signing reports\n"
    "  verify ENVELOPE    verify a signed report (and that it covers a manifest)\n"
    "  countersign KEY ENVELOPE --key PUB  verify a signed report, then add a signature\n"
    "  expr EXPRESSION    evaluate one rule expression (for policy authors)\n"
    "\n"
    "Run 'provgate COMMAND --help' for a command's options.\n"
    "Exit codes: 0 compliant, 1 non-compliant, 2 invalid input or usage, 3 operational "
    "failure.\n";

}  // namespace

int main(int argc, char** argv) {
  provgate::cli::InstallSignalCleanup();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string command = args.front();
  args.erase(args.begin());
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "--version" || command == "version") {
    std::printf("provgate %s\n", provgate::Version());
    return 0;
  }
  if (command == "check") return provgate::cli::RunCheck(args);
  if (command == "validate") return provgate::cli::RunValidate(args);
  if (command == "explain") return provgate::cli::RunExplain(args);
  if (command == "expr") return provgate::cli::RunExpr(args);
  if (command == "notice") return provgate::cli::RunNotice(args);
  if (command == "graph") return provgate::cli::RunGraph(args);
  if (command == "keygen") return provgate::cli::RunKeygen(args);
  if (command == "verify") return provgate::cli::RunVerify(args);
  if (command == "countersign") return provgate::cli::RunCountersign(args);
  if (command == "diff") return provgate::cli::RunDiff(args);
  return provgate::cli::UsageError("unknown command '" + command + "' (see provgate --help)");
}
