// The built-in operators and functions of the rule language, with CEL's semantics.
#ifndef PROVGATE_EXPR_FUNCTIONS_H_
#define PROVGATE_EXPR_FUNCTIONS_H_

#include <cstdint>
#include <span>
#include <vector>

#include "expr/ast.h"
#include "expr/value.h"

namespace re2 {
class RE2;
}

namespace provgate::expr {

// Applies `op` to already evaluated, non-error arguments, charging `budget` for the work done
// on strings, lists and maps. When the budget runs out the result is meaningless and the
// budget is exhausted. `regex` is the precompiled pattern of a literal matches() argument.
Value ApplyOp(Op op, std::span<const Value> args, const re2::RE2* regex, Budget& budget);

// Field selection and presence test on maps and objects.
Value SelectField(const Value& operand, std::string_view field, Budget& budget);
Value HasField(const Value& operand, std::string_view field, Budget& budget);

// The error of a value that would exceed `budget.max_value_size()`.
Value ValueTooLarge(const Budget& budget);

}  // namespace provgate::expr

#endif  // PROVGATE_EXPR_FUNCTIONS_H_
