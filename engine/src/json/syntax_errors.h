// Malformed JSON as diagnostics: why simdjson refused a document, said in words, and where the
// problem is (the control character or unclosed quote of a string, a byte order mark, content
// after the root value), so that a syntax error points at its cause.
#ifndef PROVGATE_JSON_SYNTAX_ERRORS_H_
#define PROVGATE_JSON_SYNTAX_ERRORS_H_

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "json/diagnostic_sink.h"

namespace provgate::detail {

// The message of a `json-syntax` diagnostic for a failure met while reading a value.
std::string SyntaxMessage(simdjson::error_code error);

// Reports a document that simdjson refuses before any value is read (empty, invalid UTF-8,
// an unclosed string, a control character in a string, ...). `text` is the document, whose
// first line is line `first_line` of `file`; `pointer` is the document root's.
void ReportDocumentError(simdjson::error_code error, std::string_view text, const std::string& file,
                         std::uint32_t first_line, std::string pointer, DiagnosticSink& sink);

// True when `text` starts with the UTF-8 encoding of U+FEFF, the byte order mark.
bool StartsWithByteOrderMark(std::string_view text);

// A byte order mark before the JSON text. RFC 8259 (section 8.1) forbids writing one and lets
// parsers refuse it; provgate refuses it, as Python's json module does, rather than read a
// file that other tools read differently.
void ReportByteOrderMark(const std::string& file, std::uint32_t line, std::string pointer,
                         DiagnosticSink& sink);

// Where content follows the root value, or nullptr when the document ends there.
const char* TrailingContent(simdjson::ondemand::document& doc);

}  // namespace provgate::detail

#endif  // PROVGATE_JSON_SYNTAX_ERRORS_H_
