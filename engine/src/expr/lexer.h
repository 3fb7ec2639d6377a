// Tokens of the expression language, following the CEL lexical grammar.
#ifndef PROVGATE_EXPR_LEXER_H_
#define PROVGATE_EXPR_LEXER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace provgate::expr {

enum class TokenType {
  kEnd,
  kIdent,
  kQuotedIdent,  // `a-b`: a field name in back quotes (text: the name without them)
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kTrue,
  kFalse,
  kNull,
  kIn,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
  kDot,
  kComma,
  kColon,
  kQuestion,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kBang,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAnd,
  kOr,
  kError
};

struct Token {
  TokenType type = TokenType::kEnd;
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  std::string text;   // Identifier name, decoded string/bytes content, or number text.
  std::string error;  // For kError.
};

// Splits `source` into tokens. A lexical error yields a kError token and ends the list.
std::vector<Token> Tokenize(std::string_view source);

std::string_view TokenName(TokenType type);

}  // namespace provgate::expr

#endif  // PROVGATE_EXPR_LEXER_H_
