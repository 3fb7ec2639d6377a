// Compiling and evaluating rule expressions (the CEL subset).
#ifndef PROVGATE_EXPR_PROGRAM_H_
#define PROVGATE_EXPR_PROGRAM_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "expr/value.h"

namespace provgate::expr {

struct Node;

// A problem found while parsing, positioned inside the expression text (1-based).
struct ParseIssue {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  std::uint32_t offset = 0;
  std::string message;
};

// The variables an expression can see.
class Activation {
 public:
  virtual ~Activation() = default;
  virtual bool Find(std::string_view name, Value& out) const = 0;
};

// An activation backed by a small list of names.
class ListActivation : public Activation {
 public:
  void Set(std::string name, Value value);
  bool Find(std::string_view name, Value& out) const override;

 private:
  std::vector<std::pair<std::string, Value>> variables_;
};

struct EvalOptions {
  // Upper bound on evaluation steps (nodes visited, comprehension iterations, and string and
  // list work in units of 16 elements). Exceeding it is an evaluation error, so no expression
  // can hang a check.
  std::uint64_t cost_limit = 1'000'000;
};

// A compiled expression. Compile once, evaluate many times; Evaluate is const and may be
// called from several threads at once.
class Program {
 public:
  // Parses `source`. Returns nullptr and fills `issues` when the text is not in the subset.
  static std::unique_ptr<Program> Compile(std::string_view source, std::vector<ParseIssue>& issues);
  ~Program();

  Value Evaluate(const Activation& activation, const EvalOptions& options = {}) const;

  // Names of the variables the expression reads from its activation.
  const std::vector<std::string>& variables() const { return variables_; }
  const std::string& source() const { return source_; }

 private:
  Program() = default;
  std::string source_;
  std::unique_ptr<Node> root_;
  int local_slots_ = 0;
  std::vector<std::string> variables_;
};

// Formats a double the way CEL's string() conversion does.
std::string FormatDouble(double d);

}  // namespace provgate::expr

#endif  // PROVGATE_EXPR_PROGRAM_H_
