// Reading the YAML files of rule packs and waivers, which a pull request may control: one
// document of plain trees. yaml-cpp accepts what YAML allows; this refuses what would make a
// file mean different things to different readers, or cost more than its size.
#ifndef PROVGATE_POLICY_YAML_READER_H_
#define PROVGATE_POLICY_YAML_READER_H_

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace provgate::detail {

struct YamlLimits {
  // Nodes (scalars, sequences, mappings) in the document; 0: no limit.
  std::size_t max_nodes = 0;
  // Deepest nesting of sequences and mappings.
  std::size_t max_depth = 64;
  // YAML indicator characters ([]{},:?-"'&*!|>) yaml-cpp may read past the last event: its
  // scanner keeps what it reads while a key is unresolved, so this bounds its memory.
  std::size_t max_lookahead = 16384;
};

// The first problem of a YAML document, which ends its reading.
struct YamlProblem {
  YAML::Mark mark = YAML::Mark::null_mark();
  std::string pointer;  // JSON pointer of the node, e.g. /waivers/3/rule.
  std::string message;
};

// Thrown by an event handler given to ReadYamlEvents to stop reading with a problem of its
// own; ReadYamlEvents returns it.
struct YamlStop {
  YamlProblem problem;
};

// Reads the one YAML document in `text` with yaml-cpp's event parser, passing each event to
// `handler` (may be null) after checking it, and refuses at the first of these, which yaml-cpp
// accepts:
// - an alias (`*name`): an alias repeats a node wherever it is used, so a small file could
//   stand for a huge tree (a billion laughs); anchors alone are harmless and accepted;
// - a key repeated in its mapping (yaml-cpp keeps the first value, other readers the last);
//   keys are compared as text, so `1` and `"1"` are the same key;
// - a mapping key that is a sequence or a mapping;
// - a second document (yaml-cpp's Load reads the first one only);
// - more nodes or deeper nesting than `limits`;
// - more than `limits.max_lookahead` indicators read ahead of the events (`[a, [a, [a, ...`
//   makes yaml-cpp read the whole file, holding every token, before its first event).
// Returns false with `problem` set on any of these, on invalid YAML, or when the handler
// throws YamlStop; no event reaches the handler after the problem. Other exceptions the
// handler throws pass through to the caller; nothing else is thrown.
bool ReadYamlEvents(std::string_view text, const YamlLimits& limits, YAML::EventHandler* handler,
                    YamlProblem& problem);

// Characters (Unicode code points) of UTF-8 text, as JSON Schema's maxLength counts them.
std::size_t Utf8Length(std::string_view text);

// User text quoted in a message, cut after 80 bytes (at a character boundary).
std::string QuoteExcerpt(std::string_view text);

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_YAML_READER_H_
