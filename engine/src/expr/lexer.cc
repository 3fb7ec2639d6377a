// Splits rule expressions into tokens: names, quoted names, numbers, strings and bytes with
// their escapes decoded, and operators, following CEL's lexical grammar.
#include "expr/lexer.h"

#include <cctype>

namespace provgate::expr {
namespace {

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view source) : s_(source) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    while (true) {
      Token token = Next();
      bool stop = token.type == TokenType::kEnd || token.type == TokenType::kError;
      tokens.push_back(std::move(token));
      if (stop) break;
    }
    return tokens;
  }

 private:
  Token Make(TokenType type, std::size_t start) {
    Token t;
    t.type = type;
    t.offset = static_cast<std::uint32_t>(start);
    t.length = static_cast<std::uint32_t>(pos_ - start);
    return t;
  }
  Token Error(std::size_t at, std::string message) {
    Token t;
    t.type = TokenType::kError;
    t.offset = static_cast<std::uint32_t>(at);
    t.length = 1;
    t.error = std::move(message);
    return t;
  }
  char Peek(std::size_t ahead = 0) const {
    return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0';
  }

  void SkipSpaceAndComments() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        ++pos_;
      } else if (c == '/' && Peek(1) == '/') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  Token Next() {
    SkipSpaceAndComments();
    std::size_t start = pos_;
    if (pos_ >= s_.size()) return Make(TokenType::kEnd, start);
    char c = s_[pos_];

    // String and bytes literals, with optional r/b prefixes.
    {
      std::size_t p = pos_;
      bool raw = false, bytes = false;
      for (int i = 0; i < 2 && p < s_.size(); ++i) {
        char q = s_[p];
        if ((q == 'r' || q == 'R') && !raw) {
          raw = true;
          ++p;
        } else if ((q == 'b' || q == 'B') && !bytes) {
          bytes = true;
          ++p;
        } else {
          break;
        }
      }
      if (p < s_.size() && (s_[p] == '"' || s_[p] == '\'')) {
        pos_ = p;
        return LexString(start, raw, bytes);
      }
    }

    if (IsIdentStart(c)) {
      while (pos_ < s_.size() && IsIdentChar(s_[pos_])) ++pos_;
      Token t = Make(TokenType::kIdent, start);
      t.text = std::string(s_.substr(start, pos_ - start));
      if (t.text == "true")
        t.type = TokenType::kTrue;
      else if (t.text == "false")
        t.type = TokenType::kFalse;
      else if (t.text == "null")
        t.type = TokenType::kNull;
      else if (t.text == "in")
        t.type = TokenType::kIn;
      return t;
    }
    // A number may start with its decimal point (FLOAT_LIT ::= DIGIT* . DIGIT+ EXPONENT?).
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) return LexNumber(start);
    if (c == '`') return LexQuotedIdent(start);

    ++pos_;
    switch (c) {
      case '(':
        return Make(TokenType::kLParen, start);
      case ')':
        return Make(TokenType::kRParen, start);
      case '[':
        return Make(TokenType::kLBracket, start);
      case ']':
        return Make(TokenType::kRBracket, start);
      case '{':
        return Make(TokenType::kLBrace, start);
      case '}':
        return Make(TokenType::kRBrace, start);
      case '.':
        return Make(TokenType::kDot, start);
      case ',':
        return Make(TokenType::kComma, start);
      case ':':
        return Make(TokenType::kColon, start);
      case '?':
        return Make(TokenType::kQuestion, start);
      case '+':
        return Make(TokenType::kPlus, start);
      case '-':
        return Make(TokenType::kMinus, start);
      case '*':
        return Make(TokenType::kStar, start);
      case '/':
        return Make(TokenType::kSlash, start);
      case '%':
        return Make(TokenType::kPercent, start);
      case '!':
        if (Peek() == '=') {
          ++pos_;
          return Make(TokenType::kNe, start);
        }
        return Make(TokenType::kBang, start);
      case '=':
        if (Peek() == '=') {
          ++pos_;
          return Make(TokenType::kEq, start);
        }
        return Error(start, "unexpected '=' (did you mean '=='?)");
      case '<':
        if (Peek() == '=') {
          ++pos_;
          return Make(TokenType::kLe, start);
        }
        return Make(TokenType::kLt, start);
      case '>':
        if (Peek() == '=') {
          ++pos_;
          return Make(TokenType::kGe, start);
        }
        return Make(TokenType::kGt, start);
      case '&':
        if (Peek() == '&') {
          ++pos_;
          return Make(TokenType::kAnd, start);
        }
        return Error(start, "unexpected '&' (did you mean '&&'?)");
      case '|':
        if (Peek() == '|') {
          ++pos_;
          return Make(TokenType::kOr, start);
        }
        return Error(start, "unexpected '|' (did you mean '||'?)");
      default:
        break;
    }
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x80) return Error(start, "unexpected non-ASCII character outside a string");
    return Error(start, std::string("unexpected character '") + c + "'");
  }

  Token LexNumber(std::size_t start) {
    if (s_[pos_] == '0' && (Peek(1) == 'x' || Peek(1) == 'X')) {
      pos_ += 2;
      std::size_t digits = pos_;
      while (pos_ < s_.size() && IsHex(s_[pos_])) ++pos_;
      if (pos_ == digits) return Error(start, "hexadecimal literal needs digits after 0x");
      std::string text(s_.substr(start, pos_ - start));
      TokenType type = TokenType::kInt;
      if (Peek() == 'u' || Peek() == 'U') {
        ++pos_;
        type = TokenType::kUint;
      }
      if (IsIdentChar(Peek())) return Error(pos_, "invalid character in number literal");
      Token t = Make(type, start);
      t.text = std::move(text);
      return t;
    }
    while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
    bool is_double = false;
    if (Peek() == '.' && IsDigit(Peek(1))) {
      is_double = true;
      ++pos_;
      while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      std::size_t p = pos_ + 1;
      if (p < s_.size() && (s_[p] == '+' || s_[p] == '-')) ++p;
      if (p < s_.size() && IsDigit(s_[p])) {
        is_double = true;
        pos_ = p;
        while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
      } else {
        return Error(pos_, "exponent needs digits");
      }
    }
    std::string text(s_.substr(start, pos_ - start));
    TokenType type = is_double ? TokenType::kDouble : TokenType::kInt;
    if (!is_double && (Peek() == 'u' || Peek() == 'U')) {
      ++pos_;
      type = TokenType::kUint;
    }
    if (IsIdentChar(Peek())) return Error(pos_, "invalid character in number literal");
    Token t = Make(type, start);
    t.text = std::move(text);
    return t;
  }

  // ESC_IDENTIFIER ::= '`' (LETTER | DIGIT | '_' | '.' | '-' | '/' | ' ')+ '`'
  Token LexQuotedIdent(std::size_t start) {
    ++pos_;
    while (pos_ < s_.size() && s_[pos_] != '`') {
      char c = s_[pos_];
      if (!IsIdentChar(c) && c != '.' && c != '-' && c != '/' && c != ' ') {
        return Error(pos_,
                     "a quoted name holds only letters, digits and the characters _ . - / and "
                     "space");
      }
      ++pos_;
    }
    if (pos_ >= s_.size()) return Error(start, "unterminated quoted name");
    ++pos_;
    if (pos_ - start == 2) return Error(start, "empty quoted name");
    Token t = Make(TokenType::kQuotedIdent, start);
    t.text = std::string(s_.substr(start + 1, pos_ - start - 2));
    return t;
  }

  Token LexString(std::size_t start, bool raw, bool bytes) {
    char quote = s_[pos_];
    bool triple = Peek(1) == quote && Peek(2) == quote;
    pos_ += triple ? 3 : 1;
    std::string out;
    while (true) {
      if (pos_ >= s_.size()) return Error(start, "unterminated string literal");
      char c = s_[pos_];
      if (triple) {
        if (c == quote && Peek(1) == quote && Peek(2) == quote) {
          pos_ += 3;
          break;
        }
      } else {
        if (c == quote) {
          ++pos_;
          break;
        }
        if (c == '\n' || c == '\r') return Error(pos_, "newline in string literal");
      }
      if (c == '\\' && !raw) {
        std::size_t escape_at = pos_;
        ++pos_;
        if (pos_ >= s_.size()) return Error(escape_at, "unterminated escape sequence");
        char e = s_[pos_++];
        switch (e) {
          case 'a':
            out += '\a';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'v':
            out += '\v';
            break;
          case '\\':
            out += '\\';
            break;
          case '\'':
            out += '\'';
            break;
          case '"':
            out += '"';
            break;
          case '`':
            out += '`';
            break;
          case '?':
            out += '?';
            break;
          case 'x':
          case 'X':
          case 'u':
          case 'U': {
            int n = (e == 'x' || e == 'X') ? 2 : (e == 'u' ? 4 : 8);
            if (bytes && (e == 'u' || e == 'U')) {
              return Error(escape_at, "\\u escapes are not allowed in bytes literals");
            }
            std::uint32_t cp = 0;
            for (int i = 0; i < n; ++i) {
              if (pos_ >= s_.size() || !IsHex(s_[pos_])) {
                return Error(escape_at, "invalid hexadecimal escape sequence");
              }
              cp = cp * 16 + static_cast<std::uint32_t>(HexValue(s_[pos_++]));
            }
            if (bytes) {
              out += static_cast<char>(cp);
            } else {
              if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return Error(escape_at, "escape sequence is not a valid Unicode code point");
              }
              AppendUtf8(out, cp);
            }
            break;
          }
          default:
            if (e >= '0' && e <= '3') {
              if (pos_ + 1 >= s_.size() || s_[pos_] < '0' || s_[pos_] > '7' || s_[pos_ + 1] < '0' ||
                  s_[pos_ + 1] > '7') {
                return Error(escape_at, "octal escapes need three digits");
              }
              std::uint32_t cp = static_cast<std::uint32_t>((e - '0') * 64 + (s_[pos_] - '0') * 8 +
                                                            (s_[pos_ + 1] - '0'));
              pos_ += 2;
              if (bytes) {
                out += static_cast<char>(cp);
              } else {
                AppendUtf8(out, cp);
              }
              break;
            }
            return Error(escape_at, std::string("invalid escape sequence '\\") + e + "'");
        }
        continue;
      }
      out += c;
      ++pos_;
    }
    Token t = Make(bytes ? TokenType::kBytes : TokenType::kString, start);
    t.text = std::move(out);
    return t;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

std::vector<Token> Tokenize(std::string_view source) { return Lexer(source).Run(); }

std::string_view TokenName(TokenType type) {
  switch (type) {
    case TokenType::kEnd:
      return "end of expression";
    case TokenType::kIdent:
      return "identifier";
    case TokenType::kQuotedIdent:
      return "quoted name";
    case TokenType::kInt:
      return "integer";
    case TokenType::kUint:
      return "unsigned integer";
    case TokenType::kDouble:
      return "double";
    case TokenType::kString:
      return "string";
    case TokenType::kBytes:
      return "bytes";
    case TokenType::kTrue:
      return "'true'";
    case TokenType::kFalse:
      return "'false'";
    case TokenType::kNull:
      return "'null'";
    case TokenType::kIn:
      return "'in'";
    case TokenType::kLParen:
      return "'('";
    case TokenType::kRParen:
      return "')'";
    case TokenType::kLBracket:
      return "'['";
    case TokenType::kRBracket:
      return "']'";
    case TokenType::kLBrace:
      return "'{'";
    case TokenType::kRBrace:
      return "'}'";
    case TokenType::kDot:
      return "'.'";
    case TokenType::kComma:
      return "','";
    case TokenType::kColon:
      return "':'";
    case TokenType::kQuestion:
      return "'?'";
    case TokenType::kPlus:
      return "'+'";
    case TokenType::kMinus:
      return "'-'";
    case TokenType::kStar:
      return "'*'";
    case TokenType::kSlash:
      return "'/'";
    case TokenType::kPercent:
      return "'%'";
    case TokenType::kBang:
      return "'!'";
    case TokenType::kEq:
      return "'=='";
    case TokenType::kNe:
      return "'!='";
    case TokenType::kLt:
      return "'<'";
    case TokenType::kLe:
      return "'<='";
    case TokenType::kGt:
      return "'>'";
    case TokenType::kGe:
      return "'>='";
    case TokenType::kAnd:
      return "'&&'";
    case TokenType::kOr:
      return "'||'";
    case TokenType::kError:
      return "invalid token";
  }
  return "token";
}

}  // namespace provgate::expr
