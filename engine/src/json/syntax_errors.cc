// Malformed JSON as located diagnostics (see syntax_errors.h).
#include "json/syntax_errors.h"

#include "common/text_position.h"

namespace provgate::detail {
namespace {

// Where a string goes wrong in JSON text that simdjson rejected as a whole: the first control
// character inside a string, or the opening quote of a string that is never closed.
struct StringProblems {
  std::size_t control = std::string_view::npos;
  std::size_t unclosed = std::string_view::npos;
};

StringProblems FindStringProblems(std::string_view text) {
  StringProblems found;
  bool in_string = false;
  std::size_t open = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (!in_string) {
      if (c == '"') {
        in_string = true;
        open = i;
      }
    } else if (c == '\\') {
      ++i;
    } else if (c == '"') {
      in_string = false;
    } else if (static_cast<unsigned char>(c) < 0x20 && found.control == std::string_view::npos) {
      found.control = i;
    }
  }
  if (in_string) found.unclosed = open;
  return found;
}

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

}  // namespace

std::string SyntaxMessage(simdjson::error_code error) {
  switch (error) {
    case simdjson::DEPTH_ERROR:
      return "JSON nesting is too deep";
    case simdjson::STRING_ERROR:
      return "malformed JSON: invalid string (bad escape or control character)";
    case simdjson::NUMBER_ERROR:
      return "malformed JSON: invalid number";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return "malformed JSON: invalid literal (expected true, false or null)";
    default:
      return std::string("malformed JSON: ") + simdjson::error_message(error);
  }
}

void ReportDocumentError(simdjson::error_code error, std::string_view text, const std::string& file,
                         std::uint32_t first_line, std::string pointer, DiagnosticSink& sink) {
  if (!sink.Accepts()) return;
  Diagnostic d;
  d.file = file;
  d.pointer = std::move(pointer);
  std::size_t offset = 0;
  switch (error) {
    case simdjson::EMPTY:
      d.code = "json-empty";
      d.message = "the file is empty: expected a JSON object";
      break;
    case simdjson::UTF8_ERROR: {
      d.code = "json-utf8";
      d.message = "invalid UTF-8";
      offset = FindInvalidUtf8(text);
      if (offset == std::string_view::npos) offset = 0;
      break;
    }
    case simdjson::DEPTH_ERROR:
      d.code = "json-depth";
      d.message = "JSON nesting is too deep";
      break;
    case simdjson::UNCLOSED_STRING: {
      d.code = "json-syntax";
      d.message = "malformed JSON: unclosed string";
      offset = FindStringProblems(text).unclosed;
      if (offset == std::string_view::npos) offset = 0;
      break;
    }
    case simdjson::UNESCAPED_CHARS: {
      d.code = "json-syntax";
      offset = FindStringProblems(text).control;
      if (offset == std::string_view::npos) {
        d.message = std::string("malformed JSON: ") + simdjson::error_message(error);
        offset = 0;
      } else {
        static constexpr char kHex[] = "0123456789ABCDEF";
        unsigned char c = static_cast<unsigned char>(text[offset]);
        d.message = std::string("malformed JSON: control character U+00") + kHex[c >> 4] +
                    kHex[c & 15] + " inside a string (write it as an escape, e.g. \\n or \\u00" +
                    kHex[c >> 4] + kHex[c & 15] + ")";
      }
      break;
    }
    default:
      d.code = "json-syntax";
      d.message = std::string("malformed JSON: ") + simdjson::error_message(error);
  }
  LineLocator locator(text);
  LineColumn lc = locator.Locate(offset);
  d.line = lc.line + first_line - 1;
  d.column = lc.column;
  d.offset = offset;
  sink.Add(std::move(d));
}

bool StartsWithByteOrderMark(std::string_view text) {
  return text.substr(0, kByteOrderMark.size()) == kByteOrderMark;
}

void ReportByteOrderMark(const std::string& file, std::uint32_t line, std::string pointer,
                         DiagnosticSink& sink) {
  sink.Add({Diagnostic::Severity::kError, "json-bom",
            "the JSON text starts with a UTF-8 byte order mark (U+FEFF): expected '{'; save the "
            "file as UTF-8 without a byte order mark",
            file, line, 1, std::move(pointer), 0});
}

const char* TrailingContent(simdjson::ondemand::document& doc) {
  const char* p = nullptr;
  if (doc.current_location().get(p) != simdjson::SUCCESS) return nullptr;
  return p;
}

}  // namespace provgate::detail
