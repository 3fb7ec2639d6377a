// Recursive-descent parser for the CEL subset. Grammar (CEL specification, "Syntax"):
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
// Message construction, leading-dot names and functions outside the subset are rejected here,
// so an unsupported expression never evaluates to a wrong answer.
//
// Depth is bounded twice, both at kMaxNesting: the parser's own recursion (every nested
// bracket, parenthesis, argument list and conditional goes through ParseExpr), and the height
// of the tree it builds, which loops make without recursing (`a + b + c`, `a.b.c`, `!!a`),
// and which evaluation and destruction walk recursively. Chains of && and of || are built
// balanced, as CEL's parsers do: the operators are associative, so the result and the order
// of evaluation are those of the chain.
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <unordered_set>

#include "expr/ast.h"
#include "expr/lexer.h"
#include "expr/program.h"

namespace provgate::expr {
namespace {

const std::unordered_set<std::string_view>& ReservedWords() {
  static const std::unordered_set<std::string_view> kWords = {
      "as",  "break", "const",   "continue",  "else",   "for", "function", "if",   "import",
      "let", "loop",  "package", "namespace", "return", "var", "void",     "while"};
  return kWords;
}

struct ParseAbort {};

class Parser {
 public:
  Parser(std::string_view source, std::vector<ParseIssue>& issues)
      : source_(source), issues_(issues), tokens_(Tokenize(source)) {}

  std::unique_ptr<Node> Run() {
    try {
      auto node = ParseExpr();
      if (Cur().type != TokenType::kEnd) FailUnexpected(Cur());
      return node;
    } catch (const ParseAbort&) {
      return nullptr;
    }
  }

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
  [[noreturn, gnu::noinline, gnu::cold]] void Fail(const Token& at, std::string_view a,
                                                   std::string_view b = {},
                                                   std::string_view c = {}) {
    if (at.type == TokenType::kError) {
      Issue(at.offset, at.error);
    } else {
      Issue(at.offset, std::string(a) + std::string(b) + std::string(c));
    }
    throw ParseAbort();
  }
  [[noreturn, gnu::noinline, gnu::cold]] void FailAt(std::uint32_t offset, std::string_view a,
                                                     std::string_view b = {}) {
    Issue(offset, std::string(a) + std::string(b));
    throw ParseAbort();
  }
  // "unexpected identifier 'x'" and the like.
  [[noreturn, gnu::noinline, gnu::cold]] void FailUnexpected(
      const Token& at, std::string_view before = "unexpected ") {
    Fail(at, before, Describe(at));
  }
  [[noreturn, gnu::noinline, gnu::cold]] void FailTooDeep(std::uint32_t offset, bool chain) {
    FailAt(offset, "expression is nested more than " + std::to_string(kMaxNesting) + " levels deep",
           chain ? " (each operator, selection, index and call of a chain counts as a level)" : "");
  }
  [[noreturn, gnu::noinline, gnu::cold]] void FailArity(const Token& name, std::size_t arity,
                                                        std::size_t got) {
    Fail(name, "'" + name.text + "' takes " + std::to_string(arity) + " argument",
         arity == 1 ? "" : "s", ", got " + std::to_string(got));
  }
  [[noreturn, gnu::noinline, gnu::cold]] void FailExpected(TokenType type, std::string_view a,
                                                           std::string_view b, std::string_view c) {
    Fail(Cur(),
         "expected " + std::string(TokenName(type)) + " " + std::string(a) + std::string(b) +
             std::string(c),
         ", found ", Describe(Cur()));
  }
  void Issue(std::uint32_t offset, const std::string& message) {
    ParseIssue issue;
    issue.offset = offset;
    issue.message = message;
    for (std::uint32_t i = 0; i < offset && i < source_.size(); ++i) {
      if (source_[i] == '\n') {
        ++issue.line;
        issue.column = 1;
      } else if ((static_cast<unsigned char>(source_[i]) & 0xC0) != 0x80) {
        ++issue.column;
      }
    }
    issues_.push_back(std::move(issue));
  }

  std::string Describe(const Token& t) const {
    if (t.type == TokenType::kIdent) return "identifier '" + t.text + "'";
    if (t.type == TokenType::kInt || t.type == TokenType::kDouble || t.type == TokenType::kUint) {
      return "number " + std::string(source_.substr(t.offset, t.length));
    }
    return std::string(TokenName(t.type));
  }

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

  std::unique_ptr<Node> ParseExpr() {
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

  std::unique_ptr<Node> ParseOr() {
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

  std::unique_ptr<Node> ParseAnd() {
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
  std::unique_ptr<Node> Balance(Node::Type type, std::vector<std::unique_ptr<Node>>& operands,
                                const std::vector<std::uint32_t>& offsets, std::size_t lo,
                                std::size_t hi) {
    if (lo == hi) return std::move(operands[lo]);
    std::size_t mid = lo + (hi - lo) / 2;
    auto n = MakeNode(type, offsets[mid]);
    n->children.push_back(Balance(type, operands, offsets, lo, mid));
    n->children.push_back(Balance(type, operands, offsets, mid + 1, hi));
    return Seal(std::move(n));
  }

  std::unique_ptr<Node> ParseRelation() {
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

  std::unique_ptr<Node> ParseAddition() {
    auto lhs = ParseMultiplication();
    while (Cur().type == TokenType::kPlus || Cur().type == TokenType::kMinus) {
      Op op = Cur().type == TokenType::kPlus ? Op::kAdd : Op::kSub;
      std::uint32_t offset = Cur().offset;
      Advance();
      lhs = MakeCall(op, offset, std::move(lhs), ParseMultiplication());
    }
    return lhs;
  }

  std::unique_ptr<Node> ParseMultiplication() {
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
  std::unique_ptr<Node> ParseUnary() {
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

  [[gnu::noinline]] std::unique_ptr<Node> ParseLiteralNumber(bool negate, std::uint32_t offset) {
    const Token& t = Cur();
    auto n = MakeNode(Node::Type::kLiteral, offset);
    if (t.type == TokenType::kDouble) {
      double d = std::strtod(t.text.c_str(), nullptr);
      n->literal = Value::Double(negate ? -d : d);
      Advance();
      return n;
    }
    bool hex = t.text.size() > 2 && (t.text[1] == 'x' || t.text[1] == 'X');
    std::string_view digits = hex ? std::string_view(t.text).substr(2) : std::string_view(t.text);
    std::uint64_t magnitude = 0;
    auto [ptr, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, hex ? 16 : 10);
    if (ec != std::errc() || ptr != digits.data() + digits.size()) {
      Fail(t, "integer literal ", t.text, " is out of range");
    }
    if (t.type == TokenType::kUint) {
      if (negate) Fail(t, "unsigned literal cannot be negated");
      n->literal = Value::Uint(magnitude);
    } else if (negate) {
      if (magnitude > std::uint64_t{1} << 63)
        Fail(t, "integer literal -", t.text, " is out of range");
      n->literal = Value::Int(
          magnitude == std::uint64_t{1} << 63 ? INT64_MIN : -static_cast<std::int64_t>(magnitude));
    } else {
      if (magnitude > static_cast<std::uint64_t>(INT64_MAX)) {
        Fail(t, "integer literal ", t.text, " is out of range");
      }
      n->literal = Value::Int(static_cast<std::int64_t>(magnitude));
    }
    Advance();
    return n;
  }

  std::vector<std::unique_ptr<Node>> ParseArgs(TokenType close, std::string_view context) {
    std::vector<std::unique_ptr<Node>> args;
    if (Cur().type == close) {
      Advance();
      return args;
    }
    while (true) {
      args.push_back(ParseExpr());
      if (Cur().type == TokenType::kComma) {
        Advance();
        if (Cur().type == close && close != TokenType::kRParen) break;  // Trailing comma.
        continue;
      }
      break;
    }
    Expect(close, context);
    return args;
  }

  std::unique_ptr<Node> ParseMember() {
    auto operand = ParsePrimary();
    while (true) {
      if (Cur().type == TokenType::kDot) {
        Advance();
        if (Cur().type != TokenType::kIdent) {
          FailUnexpected(Cur(), "expected a field or method name after '.', found ");
        }
        const Token& name = Cur();
        CheckNotReserved(name);
        Advance();
        if (Cur().type == TokenType::kLParen) {
          Advance();
          operand = ParseMethod(std::move(operand), name);
        } else {
          auto n = MakeNode(Node::Type::kSelect, name.offset);
          n->name = name.text;
          n->children.push_back(std::move(operand));
          operand = Seal(std::move(n));
        }
      } else if (Cur().type == TokenType::kLBracket) {
        std::uint32_t offset = Cur().offset;
        Advance();
        auto index = ParseExpr();
        Expect(TokenType::kRBracket, "to close the index");
        operand = MakeCall(Op::kIndex, offset, std::move(operand), std::move(index));
      } else if (Cur().type == TokenType::kLBrace) {
        Fail(Cur(), "message construction (Type{field: value}) is not supported");
      } else {
        return operand;
      }
    }
  }

  // `target.name(` has been read.
  [[gnu::noinline]] std::unique_ptr<Node> ParseMethod(std::unique_ptr<Node> target,
                                                      const Token& name) {
    static const std::unordered_set<std::string_view> kMacros = {"all", "exists", "exists_one",
                                                                 "filter", "map"};
    if (kMacros.count(name.text) != 0) return ParseMacro(std::move(target), name);
    auto args = ParseArgs(TokenType::kRParen, "to close the argument list");
    Op op;
    std::size_t arity = 1;
    if (name.text == "size") {
      op = Op::kSize;
      arity = 0;
    } else if (name.text == "contains") {
      op = Op::kContains;
    } else if (name.text == "startsWith") {
      op = Op::kStartsWith;
    } else if (name.text == "endsWith") {
      op = Op::kEndsWith;
    } else if (name.text == "matches") {
      op = Op::kMatches;
    } else {
      Fail(name, "unsupported function '", name.text,
           "': the rule language supports size, contains, startsWith, endsWith, matches, all, "
           "exists, exists_one, filter and map as methods");
    }
    if (args.size() != arity) FailArity(name, arity, args.size());
    auto n = MakeNode(Node::Type::kCall, name.offset);
    n->op = op;
    n->children.push_back(std::move(target));
    for (auto& a : args) n->children.push_back(std::move(a));
    n = Seal(std::move(n));
    if (op == Op::kMatches) PrecompileRegex(*n);
    return n;
  }

  [[gnu::noinline]] void PrecompileRegex(Node& call) {
    const Node& pattern = *call.children[1];
    if (pattern.type != Node::Type::kLiteral || pattern.literal.kind() != Kind::kString) return;
    auto regex =
        std::make_shared<const re2::RE2>(std::string(pattern.literal.AsString()), re2::RE2::Quiet);
    if (!regex->ok()) {
      FailAt(pattern.offset, "invalid regular expression: ", regex->error());
    }
    call.regex = std::move(regex);
  }

  [[gnu::noinline]] std::unique_ptr<Node> ParseMacro(std::unique_ptr<Node> range,
                                                     const Token& name) {
    if (Cur().type != TokenType::kIdent) {
      Fail(Cur(), "the first argument of ", name.text, "() must be a variable name");
    }
    const Token& var = Cur();
    CheckNotReserved(var);
    Advance();
    Expect(TokenType::kComma, "after the variable of ", name.text, "()");
    auto n = MakeNode(Node::Type::kComprehension, name.offset);
    if (name.text == "all")
      n->macro = Macro::kAll;
    else if (name.text == "exists")
      n->macro = Macro::kExists;
    else if (name.text == "exists_one")
      n->macro = Macro::kExistsOne;
    else if (name.text == "filter")
      n->macro = Macro::kFilter;
    else
      n->macro = Macro::kMap;
    n->slot = static_cast<int>(scopes_.size());
    scopes_.push_back(var.text);
    if (static_cast<int>(scopes_.size()) > max_slots_)
      max_slots_ = static_cast<int>(scopes_.size());
    n->children.push_back(std::move(range));
    n->children.push_back(ParseExpr());
    if (n->macro == Macro::kMap && Cur().type == TokenType::kComma) {
      Advance();
      n->children.push_back(ParseExpr());
    }
    scopes_.pop_back();
    Expect(TokenType::kRParen, "to close ", name.text, "()");
    return Seal(std::move(n));
  }

  void CheckNotReserved(const Token& t) {
    if (ReservedWords().count(t.text) != 0) {
      Fail(t, "'", t.text, "' is a reserved word and cannot be used as a name");
    }
  }

  std::unique_ptr<Node> ParsePrimary() {
    const Token& t = Cur();
    switch (t.type) {
      case TokenType::kInt:
      case TokenType::kUint:
      case TokenType::kDouble:
        return ParseLiteralNumber(false, t.offset);
      case TokenType::kString:
      case TokenType::kBytes:
      case TokenType::kTrue:
      case TokenType::kFalse:
      case TokenType::kNull:
        return ParseLiteral();
      case TokenType::kLParen: {
        Advance();
        auto inner = ParseExpr();
        Expect(TokenType::kRParen, "to close the parenthesis");
        return inner;
      }
      case TokenType::kLBracket: {
        auto n = MakeNode(Node::Type::kList, t.offset);
        Advance();
        n->children = ParseArgs(TokenType::kRBracket, "to close the list");
        return Seal(std::move(n));
      }
      case TokenType::kLBrace: {
        auto n = MakeNode(Node::Type::kMap, t.offset);
        Advance();
        while (Cur().type != TokenType::kRBrace) {
          n->children.push_back(ParseExpr());
          Expect(TokenType::kColon, "between a map key and its value");
          n->children.push_back(ParseExpr());
          if (Cur().type != TokenType::kComma) break;
          Advance();
        }
        Expect(TokenType::kRBrace, "to close the map");
        return Seal(std::move(n));
      }
      case TokenType::kIdent:
        return ParseIdentOrCall();
      case TokenType::kDot:
        Fail(t, "leading-dot names are not supported");
      default:
        FailUnexpected(t);
    }
  }

  [[gnu::noinline]] std::unique_ptr<Node> ParseLiteral() {
    const Token& t = Cur();
    auto n = MakeNode(Node::Type::kLiteral, t.offset);
    if (t.type == TokenType::kString) {
      n->literal = Value::String(t.text);
    } else if (t.type == TokenType::kBytes) {
      n->literal = Value::Bytes(t.text);
    } else if (t.type != TokenType::kNull) {
      n->literal = Value::Bool(t.type == TokenType::kTrue);
    }
    Advance();
    return n;
  }

  [[gnu::noinline]] std::unique_ptr<Node> ParseIdentOrCall() {
    const Token& name = Cur();
    CheckNotReserved(name);
    Advance();
    if (Cur().type != TokenType::kLParen) {
      for (int i = static_cast<int>(scopes_.size()) - 1; i >= 0; --i) {
        if (scopes_[static_cast<std::size_t>(i)] == name.text) {
          auto n = MakeNode(Node::Type::kLocal, name.offset);
          n->slot = i;
          n->name = name.text;
          return n;
        }
      }
      auto n = MakeNode(Node::Type::kIdent, name.offset);
      n->name = name.text;
      if (variable_set_.insert(name.text).second) variables_.push_back(name.text);
      return n;
    }
    Advance();
    if (name.text == "has") {
      auto args = ParseArgs(TokenType::kRParen, "to close has()");
      if (args.size() != 1 || args[0]->type != Node::Type::kSelect) {
        Fail(name, "has() takes one field selection, such as has(source.size)");
      }
      args[0]->type = Node::Type::kHas;
      return std::move(args[0]);
    }
    auto args = ParseArgs(TokenType::kRParen, "to close the argument list");
    Op op;
    std::size_t arity = 1;
    if (name.text == "size") {
      op = Op::kSize;
    } else if (name.text == "int") {
      op = Op::kToInt;
    } else if (name.text == "uint") {
      op = Op::kToUint;
    } else if (name.text == "double") {
      op = Op::kToDouble;
    } else if (name.text == "string") {
      op = Op::kToString;
    } else if (name.text == "matches") {
      op = Op::kMatches;
      arity = 2;
    } else {
      Fail(name, "unsupported function '", name.text,
           "': the rule language supports has, size, int, uint, double, string and matches as "
           "functions");
    }
    if (args.size() != arity) FailArity(name, arity, args.size());
    auto n = MakeNode(Node::Type::kCall, name.offset);
    n->op = op;
    for (auto& a : args) n->children.push_back(std::move(a));
    n = Seal(std::move(n));
    if (op == Op::kMatches) PrecompileRegex(*n);
    return n;
  }

  std::string_view source_;
  std::vector<ParseIssue>& issues_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::uint32_t depth_ = 0;
  std::vector<std::string> scopes_;
  int max_slots_ = 0;
  std::vector<std::string> variables_;  // In order of first use.
  std::unordered_set<std::string> variable_set_;
};

}  // namespace

std::unique_ptr<Program> Program::Compile(std::string_view source,
                                          std::vector<ParseIssue>& issues) {
  if (source.size() > 100000) {
    issues.push_back({1, 1, 0, "expression is longer than 100000 bytes"});
    return nullptr;
  }
  Parser parser(source, issues);
  auto root = parser.Run();
  if (!root) return nullptr;
  std::unique_ptr<Program> program(new Program());
  program->source_ = std::string(source);
  program->root_ = std::move(root);
  program->local_slots_ = parser.local_slots();
  program->variables_ = parser.TakeVariables();
  return program;
}

}  // namespace provgate::expr
