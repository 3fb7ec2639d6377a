// Evaluating one rule expression, for policy authors and conformance testing.
#ifndef PROVGATE_EXPR_H_
#define PROVGATE_EXPR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "provgate/diagnostic.h"
#include "provgate/export.h"
#include "provgate/status.h"

namespace provgate {

struct ExpressionOptions {
  /// JSON file mapping variable names to proto3 JSON values; empty for none.
  std::string bindings_path;
  /// Evaluation steps allowed, printing the result included (rules/README.md, "Limits").
  std::uint64_t cost_limit = 1'000'000;
  /// Largest list, map or string the evaluation may build, in elements and bytes.
  std::uint64_t max_value_size = 1'000'000;
};

struct ExpressionResult {
  enum class Outcome { kValue, kEvaluationError, kInvalid };
  Outcome outcome = Outcome::kInvalid;
  /// For kValue: the value in proto3 JSON (`{"int64Value": "1"}`); for kEvaluationError:
  /// `{"error": "message"}`. One line, no trailing newline.
  std::string json;
  /// For kInvalid: parse errors in the expression (file `<expr>`) or problems in the bindings
  /// (malformed JSON, duplicate keys, nesting deeper than a value can be).
  std::vector<Diagnostic> diagnostics;
  Status status;
};

/// Compiles and evaluates `expression` with the variables of `options.bindings_path`.
PROVGATE_API ExpressionResult EvaluateExpression(const std::string& expression,
                                                 const ExpressionOptions& options = {});

}  // namespace provgate

#endif  // PROVGATE_EXPR_H_
