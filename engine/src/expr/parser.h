// The recursive-descent parser of the CEL subset: its state, and the steps its files share.
// Grammar (CEL specification, "Syntax"):
//   Expr           = ConditionalOr ["?" ConditionalOr ":" Expr]
//   ConditionalOr  = [ConditionalOr "||"] ConditionalAnd
//   ConditionalAnd = [ConditionalAnd "&&"] Relation
//   Relation       = [Relation Relop] Addition
//   Addition       = [Addition ("+" | "-")] Multiplication
//   Multiplication = [Multiplication ("*" | "/" | "%")] Unary
//   Unary          = Member | "!" {"!"} Member | "-" {"-"} Member
//   Member         = Primary | Member "." IDENT ["(" [ExprList] ")"] | Member "[" Expr "]"
//   Primary        = IDENT ["(" [ExprList] ")"] | "(" Expr ")" | "[" [ExprList] [","] "]"
//                  | "{" [MapInits] [","] "}" | LITERAL
// parser_operators.cc reads Expr down to Unary, parser_operands.cc reads Member and Primary
// (literals, names, calls, macros), and parser.cc runs the parser and words its errors.
// Message construction, leading-dot names and functions outside the subset are rejected, so
// an unsupported expression never evaluates to a wrong answer (unless CompileOptions defer
// unknown functions to evaluation, where they fail). After a '.', a field or method name may
// be a reserved word (`a.package`, `a.as()`), and a field name may be quoted (`a.`b-c``).
//
// Depth is bounded twice, both at kMaxNesting: the parser's own recursion (every nested
// bracket, parenthesis, argument list and conditional goes through ParseExpr), and the height
// of the tree it builds, which loops make without recursing (`a + b + c`, `a.b.c`, `!!a`),
// and which evaluation and destruction walk recursively. Chains of && and of || are built
// balanced, as CEL's parsers do: the operators are associative, so the result and the order
// of evaluation are those of the chain.
#ifndef PROVGATE_EXPR_PARSER_H_
#define PROVGATE_EXPR_PARSER_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "expr/ast.h"
#include "expr/lexer.h"
#include "expr/program.h"

namespace provgate::expr {

// Thrown by the Fail functions after recording the issue, caught by Parser::Run: the first
// error ends the parse.
struct ParseAbort {};

class Parser {
 public:
  Parser(std::string_view source, std::vector<ParseIssue>& issues, const CompileOptions& options)
      : source_(source), issues_(issues), options_(options), tokens_(Tokenize(source)) {}

  // The tree of the whole expression, or null after recording the first error in `issues`.
  std::unique_ptr<Node> Run();

  int local_slots() const { return max_slots_; }
  std::vector<std::string> TakeVariables() { return std::move(variables_); }

 private:
  const Token& Cur() const { return tokens_[pos_]; }
  const Token& Peek(std::size_t ahead = 1) const {
    std::size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  void Advance() {
    if (tokens_[pos_].type != TokenType::kEnd && tokens_[pos_].type != TokenType::kError) ++pos_;
  }

  // Failing is out of line, and messages are put together there: the parser recurses once
  // per level of nesting, and what its functions inline stays on the stack at every level.
  // Each records one issue and throws ParseAbort.
  [[noreturn, gnu::noinline, gnu::cold]] void Fail(const Token& at, std::string_view a,
                                                   std::string_view b = {},
                                                   std::string_view c = {});
  [[noreturn, gnu::noinline, gnu::cold]] void FailAt(std::uint32_t offset, std::string_view a,
                                                     std::string_view b = {});
  // "unexpected identifier 'x'" and the like.
  [[noreturn, gnu::noinline, gnu::cold]] void FailUnexpected(
      const Token& at, std::string_view before = "unexpected ");
  [[noreturn, gnu::noinline, gnu::cold]] void FailTooDeep(std::uint32_t offset, bool chain);
  [[noreturn, gnu::noinline, gnu::cold]] void FailArity(const Token& name, std::size_t arity,
                                                        std::size_t got);
  [[noreturn, gnu::noinline, gnu::cold]] void FailExpected(TokenType type, std::string_view a,
                                                           std::string_view b, std::string_view c);
  void Issue(std::uint32_t offset, const std::string& message);
  std::string Describe(const Token& t) const;

  // Consumes a token of `type`; the context (the concatenation of a, b and c) says where.
  void Expect(TokenType type, std::string_view a, std::string_view b = {},
              std::string_view c = {}) {
    if (Cur().type != type) FailExpected(type, a, b, c);
    Advance();
  }

  struct DepthGuard {
    explicit DepthGuard(Parser& p) : parser(p) {
      if (++parser.depth_ > kMaxNesting) parser.FailTooDeep(parser.Cur().offset, false);
    }
    ~DepthGuard() { --parser.depth_; }
    Parser& parser;
  };

  static std::unique_ptr<Node> MakeNode(Node::Type type, std::uint32_t offset) {
    auto n = std::make_unique<Node>();
    n->type = type;
    n->offset = offset;
    return n;
  }
  // Completes a node whose children are complete: sets its height, and fails before the tree
  // grows taller than kMaxNesting (so that not even a partial tree is).
  std::unique_ptr<Node> Seal(std::unique_ptr<Node> n) {
    std::uint32_t height = 0;
    for (const auto& child : n->children) height = std::max(height, child->height);
    n->height = height + 1;
    if (n->height > kMaxNesting) FailTooDeep(n->offset, true);
    return n;
  }
  std::unique_ptr<Node> MakeCall(Op op, std::uint32_t offset, std::unique_ptr<Node> a,
                                 std::unique_ptr<Node> b = nullptr) {
    auto n = MakeNode(Node::Type::kCall, offset);
    n->op = op;
    n->children.push_back(std::move(a));
    if (b) n->children.push_back(std::move(b));
    return Seal(std::move(n));
  }

  // Operators (parser_operators.cc).
  std::unique_ptr<Node> ParseExpr();
  std::unique_ptr<Node> ParseOr();
  std::unique_ptr<Node> ParseAnd();
  std::unique_ptr<Node> Balance(Node::Type type, std::vector<std::unique_ptr<Node>>& operands,
                                const std::vector<std::uint32_t>& offsets, std::size_t lo,
                                std::size_t hi);
  std::unique_ptr<Node> ParseRelation();
  std::unique_ptr<Node> ParseAddition();
  std::unique_ptr<Node> ParseMultiplication();
  std::unique_ptr<Node> ParseUnary();

  // Operands (parser_operands.cc).
  [[gnu::noinline]] std::unique_ptr<Node> ParseLiteralNumber(bool negate, std::uint32_t offset);
  std::vector<std::unique_ptr<Node>> ParseArgs(TokenType close, std::string_view context);
  std::unique_ptr<Node> ParseMember();
  [[gnu::noinline]] std::unique_ptr<Node> ParseMethod(std::unique_ptr<Node> target,
                                                      const Token& name);
  [[gnu::noinline]] void PrecompileRegex(Node& call);
  [[gnu::noinline]] std::unique_ptr<Node> ParseMacro(std::unique_ptr<Node> range,
                                                     const Token& name);
  void CheckNotReserved(const Token& t);
  // A call of a function the language does not have, or with the wrong number of arguments:
  // a parse error, or, when the options defer it, a node that fails when evaluated.
  [[gnu::noinline]] std::unique_ptr<Node> Unresolved(const Token& name, std::size_t arity,
                                                     std::size_t got, std::string_view supported);
  // Inlined into ParseMember, its only caller (both in parser_operands.cc): the two are on the
  // stack at every level of nesting, in one frame rather than two.
  [[gnu::always_inline]] inline std::unique_ptr<Node> ParsePrimary();
  [[gnu::noinline]] std::unique_ptr<Node> ParseLiteral();
  [[gnu::noinline]] std::unique_ptr<Node> ParseIdentOrCall();

  std::string_view source_;
  std::vector<ParseIssue>& issues_;
  const CompileOptions& options_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::uint32_t depth_ = 0;
  std::vector<std::string> scopes_;
  int max_slots_ = 0;
  std::vector<std::string> variables_;  // In order of first use.
  std::unordered_set<std::string> variable_set_;
};

}  // namespace provgate::expr

#endif  // PROVGATE_EXPR_PARSER_H_
