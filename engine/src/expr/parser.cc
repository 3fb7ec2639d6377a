// Running the expression parser: Program::Compile, the parse of a whole expression, and the
// parser's error messages with their line and column (the grammar is in parser.h).
#include "expr/parser.h"

#include <string>

namespace provgate::expr {

std::unique_ptr<Node> Parser::Run() {
  try {
    auto node = ParseExpr();
    if (Cur().type != TokenType::kEnd) FailUnexpected(Cur());
    return node;
  } catch (const ParseAbort&) {
    return nullptr;
  }
}

void Parser::Fail(const Token& at, std::string_view a, std::string_view b, std::string_view c) {
  if (at.type == TokenType::kError) {
    Issue(at.offset, at.error);
  } else {
    Issue(at.offset, std::string(a) + std::string(b) + std::string(c));
  }
  throw ParseAbort();
}

void Parser::FailAt(std::uint32_t offset, std::string_view a, std::string_view b) {
  Issue(offset, std::string(a) + std::string(b));
  throw ParseAbort();
}

void Parser::FailUnexpected(const Token& at, std::string_view before) {
  Fail(at, before, Describe(at));
}

void Parser::FailTooDeep(std::uint32_t offset, bool chain) {
  FailAt(offset, "expression is nested more than " + std::to_string(kMaxNesting) + " levels deep",
         chain ? " (each operator, selection, index and call of a chain counts as a level)" : "");
}

void Parser::FailArity(const Token& name, std::size_t arity, std::size_t got) {
  Fail(name, "'" + name.text + "' takes " + std::to_string(arity) + " argument",
       arity == 1 ? "" : "s", ", got " + std::to_string(got));
}

void Parser::FailExpected(TokenType type, std::string_view a, std::string_view b,
                          std::string_view c) {
  Fail(Cur(),
       "expected " + std::string(TokenName(type)) + " " + std::string(a) + std::string(b) +
           std::string(c),
       ", found ", Describe(Cur()));
}

void Parser::Issue(std::uint32_t offset, const std::string& message) {
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

std::string Parser::Describe(const Token& t) const {
  if (t.type == TokenType::kIdent) return "identifier '" + t.text + "'";
  if (t.type == TokenType::kQuotedIdent) return "quoted name `" + t.text + "`";
  if (t.type == TokenType::kInt || t.type == TokenType::kDouble || t.type == TokenType::kUint) {
    return "number " + std::string(source_.substr(t.offset, t.length));
  }
  return std::string(TokenName(t.type));
}

std::unique_ptr<Program> Program::Compile(std::string_view source, std::vector<ParseIssue>& issues,
                                          const CompileOptions& options) {
  if (source.size() > 100000) {
    issues.push_back({1, 1, 0, "expression is longer than 100000 bytes"});
    return nullptr;
  }
  Parser parser(source, issues, options);
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
