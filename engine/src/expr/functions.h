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

// Applies `op` to already evaluated, non-error arguments. `cost` grows with the work done on
// strings and lists. `regex` is the precompiled pattern of a literal matches() argument.
Value ApplyOp(Op op, std::span<const Value> args, const re2::RE2* regex, std::uint64_t& cost);

// Field selection and presence test on maps and objects.
Value SelectField(const Value& operand, std::string_view field);
Value HasField(const Value& operand, std::string_view field);

}  // namespace provgate::expr

#endif  // PROVGATE_EXPR_FUNCTIONS_H_
