// Fuzz target: arbitrary bytes as a rule expression, compiled and evaluated with a small cost
// limit. Parse errors and evaluation errors are fine; crashes, hangs and unbounded memory are
// not.
#include <cstdint>
#include <string>

#include "provgate/expr.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string expression(reinterpret_cast<const char*>(data), size);
  provgate::ExpressionOptions options;
  options.cost_limit = 20000;
  provgate::ExpressionResult result = provgate::EvaluateExpression(expression, options);
  if (result.outcome != provgate::ExpressionResult::Outcome::kInvalid && result.json.empty()) {
    __builtin_trap();
  }
  return 0;
}
