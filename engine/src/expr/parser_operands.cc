// The operands of rule expressions: literals, names, lists and maps, field selection, indexing,
// function and method calls, and the comprehension macros (all, exists, exists_one, filter,
// map), with the names and functions outside the subset rejected.
#include <re2/re2.h>

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "expr/parser.h"

namespace provgate::expr {
namespace {

constexpr std::size_t kUnknownArity = static_cast<std::size_t>(-1);
constexpr std::string_view kMethods =
    "': the rule language supports size, contains, startsWith, endsWith, matches, all, exists, "
    "exists_one, filter and map as methods";
constexpr std::string_view kFunctions =
    "': the rule language supports has, size, int, uint, double, string, bool, bytes, dyn and "
    "matches as functions";

const std::unordered_set<std::string_view>& ReservedWords() {
  static const std::unordered_set<std::string_view> kWords = {
      "as",  "break", "const",   "continue",  "else",   "for", "function", "if",   "import",
      "let", "loop",  "package", "namespace", "return", "var", "void",     "while"};
  return kWords;
}

}  // namespace

std::unique_ptr<Node> Parser::ParseLiteralNumber(bool negate, std::uint32_t offset) {
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

std::vector<std::unique_ptr<Node>> Parser::ParseArgs(TokenType close, std::string_view context) {
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

std::unique_ptr<Node> Parser::ParseMember() {
  auto operand = ParsePrimary();
  while (true) {
    if (Cur().type == TokenType::kDot) {
      Advance();
      // A field or method name may be a reserved word; the keywords (true, false, null, in)
      // are other tokens, and only a quoted name (`in`) selects a field of that name.
      const Token& name = Cur();
      if (name.type != TokenType::kIdent && name.type != TokenType::kQuotedIdent) {
        FailUnexpected(name, "expected a field or method name after '.', found ");
      }
      Advance();
      if (Cur().type == TokenType::kLParen) {
        if (name.type == TokenType::kQuotedIdent) {
          Fail(name, "a quoted name is a field name: it cannot be called");
        }
        Advance();
        operand = ParseMethod(std::move(operand), name);
      } else {
        auto n = MakeNode(Node::Type::kSelect, name.offset);
        n->name = name.text;
        n->qualified = name.type == TokenType::kIdent &&
                       (operand->type == Node::Type::kIdent ||
                        (operand->type == Node::Type::kSelect && operand->qualified));
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
std::unique_ptr<Node> Parser::ParseMethod(std::unique_ptr<Node> target, const Token& name) {
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
    return Unresolved(name, kUnknownArity, args.size(), kMethods);
  }
  if (args.size() != arity) return Unresolved(name, arity, args.size(), kMethods);
  auto n = MakeNode(Node::Type::kCall, name.offset);
  n->op = op;
  n->children.push_back(std::move(target));
  for (auto& a : args) n->children.push_back(std::move(a));
  n = Seal(std::move(n));
  if (op == Op::kMatches) PrecompileRegex(*n);
  return n;
}

void Parser::PrecompileRegex(Node& call) {
  const Node& pattern = *call.children[1];
  if (pattern.type != Node::Type::kLiteral || pattern.literal.kind() != Kind::kString) return;
  auto regex =
      std::make_shared<const re2::RE2>(std::string(pattern.literal.AsString()), re2::RE2::Quiet);
  if (!regex->ok()) {
    FailAt(pattern.offset, "invalid regular expression: ", regex->error());
  }
  call.regex = std::move(regex);
}

std::unique_ptr<Node> Parser::ParseMacro(std::unique_ptr<Node> range, const Token& name) {
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
  if (static_cast<int>(scopes_.size()) > max_slots_) max_slots_ = static_cast<int>(scopes_.size());
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

std::unique_ptr<Node> Parser::Unresolved(const Token& name, std::size_t arity, std::size_t got,
                                         std::string_view supported) {
  if (options_.reject_unknown_functions) {
    if (arity == kUnknownArity) Fail(name, "unsupported function '", name.text, supported);
    FailArity(name, arity, got);
  }
  auto n = MakeNode(Node::Type::kLiteral, name.offset);
  n->literal = Value::Error(arity == kUnknownArity
                                ? "unbound function '" + name.text + "'"
                                : "no matching overload: '" + name.text + "' takes " +
                                      std::to_string(arity) + " argument" +
                                      (arity == 1 ? "" : "s") + ", got " + std::to_string(got));
  return n;
}

void Parser::CheckNotReserved(const Token& t) {
  if (ReservedWords().count(t.text) != 0) {
    Fail(t, "'", t.text, "' is a reserved word and cannot be used as a name");
  }
}

std::unique_ptr<Node> Parser::ParsePrimary() {
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

std::unique_ptr<Node> Parser::ParseLiteral() {
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

std::unique_ptr<Node> Parser::ParseIdentOrCall() {
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
  // dyn() only tells CEL's type checker to check its argument at run time: it is the
  // argument.
  if (name.text == "dyn") {
    if (args.size() != 1) return Unresolved(name, 1, args.size(), kFunctions);
    return std::move(args[0]);
  }
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
  } else if (name.text == "bool") {
    op = Op::kToBool;
  } else if (name.text == "bytes") {
    op = Op::kToBytes;
  } else if (name.text == "matches") {
    op = Op::kMatches;
    arity = 2;
  } else {
    return Unresolved(name, kUnknownArity, args.size(), kFunctions);
  }
  if (args.size() != arity) return Unresolved(name, arity, args.size(), kFunctions);
  auto n = MakeNode(Node::Type::kCall, name.offset);
  n->op = op;
  for (auto& a : args) n->children.push_back(std::move(a));
  n = Seal(std::move(n));
  if (op == Op::kMatches) PrecompileRegex(*n);
  return n;
}

}  // namespace provgate::expr
