// Message templates: text with `{{ expression }}` placeholders, compiled once.
#ifndef PROVGATE_POLICY_TEMPLATE_H_
#define PROVGATE_POLICY_TEMPLATE_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/text_arena.h"
#include "expr/program.h"
#include "provgate/shared_text.h"

namespace provgate::detail {

class MessageTemplate {
 public:
  // Compiles `text`; on failure fills `issues` (offsets relative to `text`) and returns false.
  bool Compile(std::string_view text, std::vector<expr::ParseIssue>& issues);
  // Renders with `activation`; an expression that fails renders as `<error: message>`. The
  // placeholders, and the text of their values, share one budget of `cost_limit`.
  std::string Render(const expr::Activation& activation, std::uint64_t cost_limit) const;
  // The same text, written into `arena`; a template without placeholders gives its one text,
  // shared by every rendering. With `trim_newlines`, line feeds that end the text are left
  // out.
  SharedText Render(const expr::Activation& activation, std::uint64_t cost_limit, TextArena& arena,
                    bool trim_newlines = false) const;
  bool empty() const { return parts_.empty(); }
  // Every variable the placeholders read.
  std::vector<std::string> Variables() const;
  // Binds the placeholders' programs to `names` (expr::Program::Bind).
  void Bind(std::span<const expr::NameBinding> names);

 private:
  struct Part {
    std::string literal;
    std::shared_ptr<expr::Program> expression;
  };
  std::vector<Part> parts_;
  // The text of a template without placeholders, as Render gives it, trimmed or not.
  SharedText constant_;
  SharedText constant_trimmed_;
};

// Renders a value for a message: strings as they are, numbers in CEL's string() form,
// lists as [a, b]. Charges `budget` for every value and for the bytes of strings; when it runs
// out, returns `<error: evaluation cost limit exceeded>` with the budget exhausted.
std::string ValueToText(const expr::Value& value, expr::Budget& budget);

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_TEMPLATE_H_
