// The operator grammar of rule expressions, from the conditional down to the prefix operators:
// precedence, left-associative chains, and && and || chains built balanced.
#include <cstdint>
#include <memory>
#include <vector>

#include "expr/parser.h"

namespace provgate::expr {

std::unique_ptr<Node> Parser::ParseExpr() {
  DepthGuard guard(*this);
  auto cond = ParseOr();
  if (Cur().type != TokenType::kQuestion) return cond;
  std::uint32_t offset = Cur().offset;
  Advance();
  auto then_branch = ParseOr();
  Expect(TokenType::kColon, "in conditional expression");
  auto else_branch = ParseExpr();
  auto n = MakeNode(Node::Type::kTernary, offset);
  n->children.push_back(std::move(cond));
  n->children.push_back(std::move(then_branch));
  n->children.push_back(std::move(else_branch));
  return Seal(std::move(n));
}

std::unique_ptr<Node> Parser::ParseOr() {
  auto first = ParseAnd();
  if (Cur().type != TokenType::kOr) return first;
  std::vector<std::unique_ptr<Node>> operands;
  std::vector<std::uint32_t> offsets;
  operands.push_back(std::move(first));
  while (Cur().type == TokenType::kOr) {
    offsets.push_back(Cur().offset);
    Advance();
    operands.push_back(ParseAnd());
  }
  return Balance(Node::Type::kOr, operands, offsets, 0, operands.size() - 1);
}

std::unique_ptr<Node> Parser::ParseAnd() {
  auto first = ParseRelation();
  if (Cur().type != TokenType::kAnd) return first;
  std::vector<std::unique_ptr<Node>> operands;
  std::vector<std::uint32_t> offsets;
  operands.push_back(std::move(first));
  while (Cur().type == TokenType::kAnd) {
    offsets.push_back(Cur().offset);
    Advance();
    operands.push_back(ParseRelation());
  }
  return Balance(Node::Type::kAnd, operands, offsets, 0, operands.size() - 1);
}

// Joins operands[lo..hi] with the operator of `type`; offsets[i] is the position of the
// operator between operands i and i + 1.
std::unique_ptr<Node> Parser::Balance(Node::Type type, std::vector<std::unique_ptr<Node>>& operands,
                                      const std::vector<std::uint32_t>& offsets, std::size_t lo,
                                      std::size_t hi) {
  if (lo == hi) return std::move(operands[lo]);
  std::size_t mid = lo + (hi - lo) / 2;
  auto n = MakeNode(type, offsets[mid]);
  n->children.push_back(Balance(type, operands, offsets, lo, mid));
  n->children.push_back(Balance(type, operands, offsets, mid + 1, hi));
  return Seal(std::move(n));
}

std::unique_ptr<Node> Parser::ParseRelation() {
  auto lhs = ParseAddition();
  while (true) {
    Op op;
    switch (Cur().type) {
      case TokenType::kEq:
        op = Op::kEq;
        break;
      case TokenType::kNe:
        op = Op::kNe;
        break;
      case TokenType::kLt:
        op = Op::kLt;
        break;
      case TokenType::kLe:
        op = Op::kLe;
        break;
      case TokenType::kGt:
        op = Op::kGt;
        break;
      case TokenType::kGe:
        op = Op::kGe;
        break;
      case TokenType::kIn:
        op = Op::kIn;
        break;
      default:
        return lhs;
    }
    std::uint32_t offset = Cur().offset;
    Advance();
    lhs = MakeCall(op, offset, std::move(lhs), ParseAddition());
  }
}

std::unique_ptr<Node> Parser::ParseAddition() {
  auto lhs = ParseMultiplication();
  while (Cur().type == TokenType::kPlus || Cur().type == TokenType::kMinus) {
    Op op = Cur().type == TokenType::kPlus ? Op::kAdd : Op::kSub;
    std::uint32_t offset = Cur().offset;
    Advance();
    lhs = MakeCall(op, offset, std::move(lhs), ParseMultiplication());
  }
  return lhs;
}

std::unique_ptr<Node> Parser::ParseMultiplication() {
  auto lhs = ParseUnary();
  while (Cur().type == TokenType::kStar || Cur().type == TokenType::kSlash ||
         Cur().type == TokenType::kPercent) {
    Op op = Cur().type == TokenType::kStar    ? Op::kMul
            : Cur().type == TokenType::kSlash ? Op::kDiv
                                              : Op::kMod;
    std::uint32_t offset = Cur().offset;
    Advance();
    lhs = MakeCall(op, offset, std::move(lhs), ParseUnary());
  }
  return lhs;
}

// Prefix operators are read in a loop and applied innermost first.
std::unique_ptr<Node> Parser::ParseUnary() {
  std::vector<const Token*> prefixes;
  while (Cur().type == TokenType::kBang || Cur().type == TokenType::kMinus) {
    // A negated number literal is folded, so that -9223372036854775808 is representable.
    if (Cur().type == TokenType::kMinus &&
        (Peek().type == TokenType::kInt || Peek().type == TokenType::kDouble) &&
        Peek(2).type != TokenType::kDot && Peek(2).type != TokenType::kLBracket) {
      break;
    }
    prefixes.push_back(&Cur());
    Advance();
  }
  std::unique_ptr<Node> operand;
  if (Cur().type == TokenType::kMinus) {
    std::uint32_t offset = Cur().offset;
    Advance();
    operand = ParseLiteralNumber(/*negate=*/true, offset);
  } else {
    operand = ParseMember();
  }
  for (auto it = prefixes.rbegin(); it != prefixes.rend(); ++it) {
    if ((*it)->type == TokenType::kMinus) {
      operand = MakeCall(Op::kNeg, (*it)->offset, std::move(operand));
    } else {
      auto n = MakeNode(Node::Type::kNot, (*it)->offset);
      n->children.push_back(std::move(operand));
      operand = Seal(std::move(n));
    }
  }
  return operand;
}

}  // namespace provgate::expr
