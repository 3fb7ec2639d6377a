// Checks on JSON text that do not need a parser: JSON Schema's string lengths (counted in
// characters), the grammar of a number, and user text cut short to be quoted in a message.
#ifndef PROVGATE_JSON_TEXT_CHECKS_H_
#define PROVGATE_JSON_TEXT_CHECKS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace provgate::detail {

// What is wrong with one value: a diagnostic's code and message, without a position.
struct ValueProblem {
  std::string_view code;
  std::string message;
};

// User text quoted in a message, cut after 80 bytes (at a character boundary): a message
// about a value of megabytes does not carry the value.
std::string Excerpt(std::string_view text);

// Characters (Unicode code points) of valid UTF-8 text, as JSON Schema's maxLength counts
// them: the bytes that do not continue a character.
std::size_t CharacterCount(std::string_view text);

// JSON Schema's maxLength: at most `max_length` characters. Bytes bound characters from
// above, so only a string of more bytes than that is counted.
std::optional<ValueProblem> CheckMaxLength(std::string_view text, std::size_t max_length);

// minLength 1, then maxLength.
std::optional<ValueProblem> CheckNonEmpty(std::string_view text, std::size_t max_length);

// True when `token` is a number by the grammar of RFC 8259:
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?  (a number too large for any C++ type is
// still one).
bool IsJsonNumber(std::string_view token);

// `token` without the JSON whitespace that follows it.
std::string_view TrimTrailingWhitespace(std::string_view token);

}  // namespace provgate::detail

#endif  // PROVGATE_JSON_TEXT_CHECKS_H_
