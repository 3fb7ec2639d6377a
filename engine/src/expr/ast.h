// The compiled form of an expression: a tree of nodes evaluated by program.cc.
#ifndef PROVGATE_EXPR_AST_H_
#define PROVGATE_EXPR_AST_H_

#include <memory>
#include <string>
#include <vector>

#include "expr/value.h"

namespace re2 {
class RE2;
}

namespace provgate::expr {

enum class Op {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kNeg,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kIn,
  kIndex,
  kSize,
  kContains,
  kStartsWith,
  kEndsWith,
  kMatches,
  kToInt,
  kToUint,
  kToDouble,
  kToString,
  kToBool,
  kToBytes
};

enum class Macro { kAll, kExists, kExistsOne, kFilter, kMap };

struct Node {
  enum class Type {
    kLiteral,
    kIdent,
    kLocal,
    kSelect,
    kHas,
    kCall,
    kAnd,
    kOr,
    kNot,
    kTernary,
    kList,
    kMap,
    kComprehension
  };
  Type type = Type::kLiteral;
  std::uint32_t offset = 0;  // Byte offset in the expression source.
  std::uint32_t height = 1;  // Levels of the subtree, at most kMaxNesting (set by the parser).
  Value literal;             // kLiteral
  std::string name;          // kIdent, kSelect/kHas (field name)
  // kSelect of a variable, or of such a selection, by plain names: the whole dotted name
  // ("a.b.c") may name a variable, and is looked up first when the activation has qualified
  // names.
  bool qualified = false;
  // Set by Program::Bind. kIdent: the number Activation::FindBound finds the name by, or -1.
  // kSelect/kHas: when the operand's value is an object of `field_type`, the field is read by
  // its position `field_index` instead of by name.
  int bound = -1;
  const ObjectType* field_type = nullptr;
  int field_index = -1;
  int slot = -1;              // kLocal; kComprehension: the iteration variable's slot
  Op op = Op::kAdd;           // kCall
  Macro macro = Macro::kAll;  // kComprehension
  // kSelect/kHas: [operand]; kCall: arguments (receiver first); kAnd/kOr: [lhs, rhs];
  // kNot: [operand]; kTernary: [cond, then, else]; kList: elements; kMap: key, value, ...;
  // kComprehension: [range, step] or, for map with a filter, [range, filter, transform].
  std::vector<std::unique_ptr<Node>> children;
  std::shared_ptr<const re2::RE2> regex;  // kCall kMatches with a literal pattern
};

}  // namespace provgate::expr

#endif  // PROVGATE_EXPR_AST_H_
