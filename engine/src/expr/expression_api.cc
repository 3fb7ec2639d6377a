// `provgate expr`: one expression, optional bindings, a proto3 JSON result.
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/text_position.h"
#include "expr/program.h"
#include "expr/proto_json.h"
#include "provgate/expr.h"

namespace provgate {
namespace {

bool LoadBindings(const std::string& path, expr::ListActivation& activation,
                  ExpressionResult& result) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    result.diagnostics.push_back({Diagnostic::Severity::kError, "io-open",
                                  std::string("cannot open bindings file: ") + std::strerror(errno),
                                  path, 0, 0, "", 0});
    return false;
  }
  std::ostringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    detail::LineLocator locator(text);
    detail::LineColumn lc = locator.Locate(offset);
    std::string message = e.what();
    std::size_t cut = message.find("parse error");
    if (cut != std::string::npos) message = message.substr(cut);
    result.diagnostics.push_back({Diagnostic::Severity::kError, "json-syntax",
                                  "malformed JSON: " + message, path, lc.line, lc.column, "",
                                  offset});
    return false;
  }
  if (!json.is_object()) {
    result.diagnostics.push_back({Diagnostic::Severity::kError, "bindings",
                                  "expected a JSON object mapping variable names to values", path,
                                  1, 1, "", 0});
    return false;
  }
  for (const auto& [name, value] : json.items()) {
    expr::Value v;
    std::string error, pointer;
    if (!expr::FromProtoJson(value, v, error, pointer)) {
      result.diagnostics.push_back(
          {Diagnostic::Severity::kError, "bindings", error, path, 0, 0, "/" + name + pointer, 0});
      return false;
    }
    activation.Set(name, std::move(v));
  }
  return true;
}

}  // namespace

ExpressionResult EvaluateExpression(const std::string& expression,
                                    const ExpressionOptions& options) {
  ExpressionResult result;
  std::vector<expr::ParseIssue> issues;
  auto program = expr::Program::Compile(expression, issues);
  if (!program) {
    for (const auto& issue : issues) {
      result.diagnostics.push_back({Diagnostic::Severity::kError, "expr-parse", issue.message,
                                    "<expr>", issue.line, issue.column, "", issue.offset});
    }
    return result;
  }
  expr::ListActivation activation;
  if (!options.bindings_path.empty() && !LoadBindings(options.bindings_path, activation, result)) {
    return result;
  }
  expr::Value value = program->Evaluate(activation, {options.cost_limit});
  result.outcome = value.is_error() ? ExpressionResult::Outcome::kEvaluationError
                                    : ExpressionResult::Outcome::kValue;
  result.json = expr::ToProtoJson(value).dump(-1, ' ', false,
                                              nlohmann::ordered_json::error_handler_t::replace);
  return result;
}

}  // namespace provgate
