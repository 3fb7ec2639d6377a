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
        "Evaluation is bounded (rules/README.md, \"Limits\"): at most 1,000,000 steps, printing\n"
        "the result included, and values of at most 1,000,000 elements and bytes.\n"
        "Exit codes: 0 a value, 1 an evaluation error ({\"error\": ...}), 2 a parse error or\n"
        "invalid bindings (malformed JSON, a key given twice, values nested too deeply).\n",
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
  const std::string& expression = flags.positionals().front();
  for (const auto& d : result.diagnostics) {
    if (d.file != "<expr>" || d.line == 0) continue;
    // Show the offending line with a caret under the column.
    std::size_t start = 0;
    for (std::uint32_t line = 1; line < d.line; ++line) {
      start = expression.find('\n', start);
      if (start == std::string::npos) break;
      ++start;
    }
    if (start == std::string::npos) continue;
    std::string text = expression.substr(start, expression.find('\n', start) - start);
    std::fprintf(stderr, "  %s\n  %s^\n", text.c_str(),
                 std::string(d.column > 0 ? d.column - 1 : 0, ' ').c_str());
  }
  if (result.outcome == ExpressionResult::Outcome::kInvalid) return 2;
  WriteOutput("", result.json + "\n");
  return result.outcome == ExpressionResult::Outcome::kValue ? 0 : 1;
}

}  // namespace provgate::cli
