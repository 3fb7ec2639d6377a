// Checks on JSON text that do not need a parser (see text_checks.h).
#include "json/text_checks.h"

namespace provgate::detail {

std::string Excerpt(std::string_view text) {
  constexpr std::size_t kMax = 80;
  if (text.size() <= kMax) return std::string(text);
  std::size_t end = kMax;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "...";
}

std::size_t CharacterCount(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

std::optional<ValueProblem> CheckMaxLength(std::string_view text, std::size_t max_length) {
  if (text.size() <= max_length) return std::nullopt;
  std::size_t characters = CharacterCount(text);
  if (characters <= max_length) return std::nullopt;
  return ValueProblem{"schema-max-length", "expected at most " + std::to_string(max_length) +
                                               " characters, got " + std::to_string(characters)};
}

std::optional<ValueProblem> CheckNonEmpty(std::string_view text, std::size_t max_length) {
  if (text.empty()) return ValueProblem{"schema-min-length", "expected a non-empty string"};
  return CheckMaxLength(text, max_length);
}

bool IsJsonNumber(std::string_view token) {
  std::size_t i = 0, n = token.size();
  auto digit = [&](std::size_t k) { return k < n && token[k] >= '0' && token[k] <= '9'; };
  if (i < n && token[i] == '-') ++i;
  if (!digit(i)) return false;
  if (token[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < n && token[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < n && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < n && (token[i] == '+' || token[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == n;
}

std::string_view TrimTrailingWhitespace(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                            token.back() == '\r')) {
    token.remove_suffix(1);
  }
  return token;
}

}  // namespace provgate::detail
