#include <cstdio>

#include "commands.h"
#include "flags.h"
#include "output.h"
#include "provgate/expr.h"

namespace provgate::cli {

int RunExpr(const std::vector<std::string>& args) {
  Flags flags({"--bindings"}, {"--help", "-h"});
  std::string error;
  if (!flags.Parse(args, error)) return UsageError(error);
  if (flags.Has("--help") || flags.Has("-h")) {
    std::fputs(
        "usage: provgate expr EXPRESSION [--bindings FILE.json]\n"
        "\n"
        "Evaluates one rule expression and prints the result as a CEL value in proto3 JSON,\n"
        "e.g. {\"int64Value\": \"1\"}. The bindings file maps variable names to values in the\n"
        "same form: {\"x\": {\"int64Value\": \"123\"}}.\n"
        "Exit codes: 0 a value, 1 an evaluation error ({\"error\": ...}), 2 a parse error or\n"
        "invalid bindings.\n",
        stdout);
    return 0;
  }
  if (flags.positionals().size() != 1) {
    return UsageError("expr takes exactly one EXPRESSION (quote it for the shell)");
  }
  ExpressionOptions options;
  options.bindings_path = flags.Get("--bindings").value_or("");
  ExpressionResult result = EvaluateExpression(flags.positionals().front(), options);
  PrintDiagnostics(result.diagnostics);
  if (result.outcome == ExpressionResult::Outcome::kInvalid) return 2;
  WriteOutput("", result.json + "\n");
  return result.outcome == ExpressionResult::Outcome::kValue ? 0 : 1;
}

}  // namespace provgate::cli
