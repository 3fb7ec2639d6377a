// provgate expr EXPRESSION: evaluate one rule expression (for policy authors).
#include <cstdio>
#include <memory>

#include "commands.h"
#include "output.h"
#include "provgate/expr.h"
#include "provgate/report.h"

namespace provgate::cli {
namespace {

struct ExprArgs {
  // A string, not a vector: CLI11 would read "[1, 2]" given to a vector as a list of values.
  std::string expression;
  const CLI::Option* expression_option = nullptr;
  std::string bindings;
  const CLI::App* command = nullptr;
};

std::size_t CodePoints(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

// Prints the line of `expression` that `diagnostic` points into, escaped for the terminal,
// with a caret under its column (a count of code points).
void PrintCaret(const std::string& expression, const Diagnostic& diagnostic) {
  std::size_t start = 0;
  for (std::uint32_t line = 1; line < diagnostic.line; ++line) {
    start = expression.find('\n', start);
    if (start == std::string::npos) return;
    ++start;
  }
  std::string_view text = std::string_view(expression).substr(start);
  text = text.substr(0, text.find('\n'));
  std::size_t before = 0;  // Bytes of the code points before the column.
  for (std::uint32_t column = 1; column < diagnostic.column && before < text.size(); ++column) {
    do {
      ++before;
    } while (before < text.size() && (static_cast<unsigned char>(text[before]) & 0xC0) == 0x80);
  }
  std::size_t indent = CodePoints(EscapeTerminalText(text.substr(0, before)));
  std::fprintf(stderr, "  %s\n  %s^\n", EscapeTerminalText(text).c_str(),
               std::string(indent, ' ').c_str());
}

ExitCode RunExpr(const ExprArgs& args) {
  std::vector<std::string> expressions;
  if (args.expression_option->count() > 0) expressions.push_back(args.expression);
  if (ExitCode code = TakeArgumentsNotOptions(*args.command, expressions);
      code != ExitCode::kCompliant) {
    return code;
  }
  if (expressions.size() != 1) {
    return UsageError("expr takes exactly one EXPRESSION (quote it for the shell)");
  }
  const std::string& expression = expressions.front();
  ExpressionOptions options;
  options.bindings_path = args.bindings;
  ExpressionResult result = EvaluateExpression(expression, options);
  PrintDiagnostics(result.diagnostics);
  for (const Diagnostic& diagnostic : result.diagnostics) {
    if (diagnostic.file == "<expr>" && diagnostic.line > 0) PrintCaret(expression, diagnostic);
  }
  if (result.outcome == ExpressionResult::Outcome::kInvalid) return ExitCode::kInvalid;
  ExitCode written = WriteOutput("", result.json + "\n");
  return AfterWrite(written, result.outcome == ExpressionResult::Outcome::kValue
                                 ? ExitCode::kCompliant
                                 : ExitCode::kNonCompliant);
}

constexpr CommandText kExprText = {
    .name = "expr",
    .description =
        "Evaluates one rule expression (for policy authors). The result is printed as a CEL "
        "value in proto3 JSON, e.g. {\"int64Value\": \"1\"}.",
    .footer =
        "Evaluation is bounded (rules/README.md, \"Limits\"): at most 1,000,000 steps, printing "
        "the result included, and values of at most 1,000,000 elements and bytes.\n"
        "Exit codes: 0 a value, 1 an evaluation error ({\"error\": ...}), 2 a parse error or "
        "invalid bindings (malformed JSON, a key given twice, values nested too deeply), or "
        "usage.",
};

void DeclareExpr(CLI::App& command, ExprArgs& args) {
  // An expression may begin with '-': "-1" is an argument to CLI11, and "--1", which CLI11
  // takes for an unknown option, is taken back from what it left unparsed. Whether there is
  // exactly one is checked once both are known.
  command.allow_extras();
  args.expression_option =
      command.add_option("EXPRESSION", args.expression,
                         "the expression; quote it for the shell, and put it after -- when it "
                         "begins with a '-' and a letter (-- -x)");
  command
      .add_option("--bindings", args.bindings,
                  "a JSON file mapping variable names to values in the same form: "
                  "{\"x\": {\"int64Value\": \"123\"}}")
      ->type_name("FILE");
  args.command = &command;
}

}  // namespace

Command AddExprCommand(CLI::App& root) { return AddCommand(root, kExprText, DeclareExpr, RunExpr); }

}  // namespace provgate::cli
