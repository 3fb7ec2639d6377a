#include "license/expression.h"

#include <cctype>

namespace provgate::detail {
namespace {

bool IsIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

struct Token {
  enum class Type { kWord, kLParen, kRParen, kPlus, kEnd } type = Type::kEnd;
  std::string_view text;
  std::uint32_t column = 1;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  bool Run(LicenseExpression& out, LicenseParseError& error) {
    if (!Tokenize(error)) return false;
    if (tokens_.size() == 1) return Fail(error, tokens_[0], "empty licence expression");
    if (tokens_.size() == 2 && tokens_[0].type == Token::Type::kWord) {
      if (EqualsIgnoreCase(tokens_[0].text, "NONE")) {
        out = {};
        out.kind = LicenseExpression::Kind::kNone;
        return true;
      }
      if (EqualsIgnoreCase(tokens_[0].text, "NOASSERTION")) {
        out = {};
        out.kind = LicenseExpression::Kind::kNoAssertion;
        return true;
      }
    }
    if (!ParseOr(out, error, 0)) return false;
    if (Cur().type != Token::Type::kEnd) {
      return Fail(error, Cur(),
                  Cur().type == Token::Type::kRParen
                      ? "unbalanced ')'"
                      : "expected AND, OR or WITH before '" + std::string(Cur().text) + "'");
    }
    return true;
  }

 private:
  const Token& Cur() const { return tokens_[pos_]; }
  bool IsOperator(const Token& t, std::string_view op) const {
    return t.type == Token::Type::kWord && EqualsIgnoreCase(t.text, op);
  }
  static bool Fail(LicenseParseError& error, const Token& at, std::string message) {
    error.column = at.column;
    error.message = std::move(message);
    return false;
  }

  bool Tokenize(LicenseParseError& error) {
    std::size_t i = 0;
    std::uint32_t column = 1;
    while (i < text_.size()) {
      char c = text_[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i;
        ++column;
        continue;
      }
      Token t;
      t.column = column;
      if (c == '(' || c == ')' || c == '+') {
        t.type = c == '('   ? Token::Type::kLParen
                 : c == ')' ? Token::Type::kRParen
                            : Token::Type::kPlus;
        t.text = text_.substr(i, 1);
        tokens_.push_back(t);
        ++i;
        ++column;
        continue;
      }
      if (!IsIdChar(c) && c != ':') {
        error.column = column;
        error.message = std::string("unexpected character '") + c +
                        "': licence ids use letters, digits, '-' and '.'";
        return false;
      }
      std::size_t start = i;
      while (i < text_.size() && (IsIdChar(text_[i]) || text_[i] == ':')) ++i;
      t.type = Token::Type::kWord;
      t.text = text_.substr(start, i - start);
      tokens_.push_back(t);
      column += static_cast<std::uint32_t>(i - start);
    }
    Token end;
    end.type = Token::Type::kEnd;
    end.column = column;
    tokens_.push_back(end);
    return true;
  }

  bool ParseOr(LicenseExpression& out, LicenseParseError& error, int depth) {
    LicenseExpression first;
    if (!ParseAnd(first, error, depth)) return false;
    if (!IsOperator(Cur(), "OR")) {
      out = std::move(first);
      return true;
    }
    out = {};
    out.kind = LicenseExpression::Kind::kOr;
    out.children.push_back(std::move(first));
    while (IsOperator(Cur(), "OR")) {
      ++pos_;
      LicenseExpression next;
      if (!ParseAnd(next, error, depth)) return false;
      out.children.push_back(std::move(next));
    }
    return true;
  }

  bool ParseAnd(LicenseExpression& out, LicenseParseError& error, int depth) {
    LicenseExpression first;
    if (!ParseWith(first, error, depth)) return false;
    if (!IsOperator(Cur(), "AND")) {
      out = std::move(first);
      return true;
    }
    out = {};
    out.kind = LicenseExpression::Kind::kAnd;
    out.children.push_back(std::move(first));
    while (IsOperator(Cur(), "AND")) {
      ++pos_;
      LicenseExpression next;
      if (!ParseWith(next, error, depth)) return false;
      out.children.push_back(std::move(next));
    }
    return true;
  }

  bool ParseWith(LicenseExpression& out, LicenseParseError& error, int depth) {
    if (Cur().type == Token::Type::kLParen) {
      if (depth >= 64) return Fail(error, Cur(), "parentheses nested more than 64 deep");
      ++pos_;
      if (!ParseOr(out, error, depth + 1)) return false;
      if (Cur().type != Token::Type::kRParen) {
        return Fail(error, Cur(), "expected ')' to close the '('");
      }
      ++pos_;
      if (IsOperator(Cur(), "WITH")) {
        return Fail(error, Cur(),
                    "WITH applies to a single licence, not a parenthesised expression");
      }
      return true;
    }
    LicenseExpression simple;
    if (!ParseSimple(simple, error)) return false;
    if (!IsOperator(Cur(), "WITH")) {
      out = std::move(simple);
      return true;
    }
    const Token& with = Cur();
    ++pos_;
    if (simple.kind != LicenseExpression::Kind::kLicense) {
      return Fail(error, with, "WITH needs a licence id before it, not a LicenseRef");
    }
    if (Cur().type != Token::Type::kWord || IsKeyword(Cur())) {
      return Fail(error, Cur(), "expected an exception id after WITH");
    }
    out = {};
    out.kind = LicenseExpression::Kind::kWith;
    out.exception = std::string(Cur().text);
    out.children.push_back(std::move(simple));
    ++pos_;
    return true;
  }

  bool IsKeyword(const Token& t) const {
    return IsOperator(t, "AND") || IsOperator(t, "OR") || IsOperator(t, "WITH");
  }

  bool ParseSimple(LicenseExpression& out, LicenseParseError& error) {
    const Token& t = Cur();
    if (t.type == Token::Type::kEnd)
      return Fail(error, t, "expression ends where a licence id was expected");
    if (t.type != Token::Type::kWord || IsKeyword(t)) {
      return Fail(error, t, "expected a licence id, found '" + std::string(t.text) + "'");
    }
    if (EqualsIgnoreCase(t.text, "NONE") || EqualsIgnoreCase(t.text, "NOASSERTION")) {
      return Fail(error, t, std::string(t.text) + " must stand alone, not inside an expression");
    }
    out = {};
    std::string_view word = t.text;
    std::size_t colon = word.find(':');
    if (StartsWithIgnoreCase(word, "DocumentRef-")) {
      if (colon == std::string_view::npos || colon == 12 ||
          !StartsWithIgnoreCase(word.substr(colon + 1), "LicenseRef-") ||
          word.size() == colon + 1 + 11) {
        return Fail(error, t, "expected DocumentRef-ID:LicenseRef-ID");
      }
      out.kind = LicenseExpression::Kind::kRef;
    } else if (StartsWithIgnoreCase(word, "LicenseRef-")) {
      if (colon != std::string_view::npos || word.size() == 11) {
        return Fail(error, t, "expected LicenseRef- followed by letters, digits, '-' or '.'");
      }
      out.kind = LicenseExpression::Kind::kRef;
    } else {
      if (colon != std::string_view::npos) {
        return Fail(error, t, "':' is allowed only in DocumentRef-ID:LicenseRef-ID");
      }
      out.kind = LicenseExpression::Kind::kLicense;
    }
    out.id = std::string(word);
    ++pos_;
    if (Cur().type == Token::Type::kPlus) {
      if (out.kind != LicenseExpression::Kind::kLicense) {
        return Fail(error, Cur(), "'+' applies to licence ids, not LicenseRefs");
      }
      if (Cur().column != t.column + t.text.size()) {
        return Fail(error, Cur(), "'+' must follow the licence id without a space");
      }
      out.or_later = true;
      ++pos_;
    }
    return true;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
};

void Write(const LicenseExpression& e, std::string& out, LicenseExpression::Kind parent) {
  using Kind = LicenseExpression::Kind;
  switch (e.kind) {
    case Kind::kNone:
      out += "NONE";
      return;
    case Kind::kNoAssertion:
      out += "NOASSERTION";
      return;
    case Kind::kLicense:
      out += e.id;
      if (e.or_later) out += '+';
      return;
    case Kind::kRef:
      out += e.id;
      return;
    case Kind::kWith:
      Write(e.children[0], out, Kind::kWith);
      out += " WITH " + e.exception;
      return;
    case Kind::kAnd:
    case Kind::kOr: {
      // A compound expression inside another one is parenthesised, so the grouping is
      // explicit whatever the reader knows of precedence: MIT OR (Apache-2.0 AND BSD-3-Clause).
      bool parens = (parent == Kind::kAnd || parent == Kind::kOr) && parent != e.kind;
      if (parens) out += '(';
      for (std::size_t i = 0; i < e.children.size(); ++i) {
        if (i > 0) out += e.kind == Kind::kAnd ? " AND " : " OR ";
        Write(e.children[i], out, e.kind);
      }
      if (parens) out += ')';
      return;
    }
  }
}

}  // namespace

bool ParseLicenseExpression(std::string_view text, LicenseExpression& out,
                            LicenseParseError& error) {
  return Parser(text).Run(out, error);
}

std::string LicenseExpression::ToString() const {
  std::string out;
  Write(*this, out, Kind::kNone);
  return out;
}

}  // namespace provgate::detail
