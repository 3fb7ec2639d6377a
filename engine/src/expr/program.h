// Compiling and evaluating rule expressions (the CEL subset).
#ifndef PROVGATE_EXPR_PROGRAM_H_
#define PROVGATE_EXPR_PROGRAM_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "expr/value.h"

namespace provgate::expr {

struct Node;

// Limits of the rule language (rules/README.md, "Limits"). They keep every recursive walk
// shallow enough for a thread with 1 MiB of stack.
//
// Levels of nesting in an expression, the whole expression being the first: brackets,
// parentheses, calls and macros nest at most this deep, and so does the tree, where each
// operator, selection, index, call, list, map and macro is a level above its operands
// (`a + b + c` is three levels). Chains of && and of || are balanced, so n operands take
// about log2(n) + 1 levels. Deeper text is a parse error.
inline constexpr std::uint32_t kMaxNesting = 250;
// Levels of expression evaluated at once on one thread, when evaluating a variable evaluates
// the expressions of other variables: the heights of their trees, plus one for each
// evaluation. Deeper is an evaluation error.
inline constexpr std::uint32_t kMaxEvaluationLevels = 400;

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
  // Whether some variable has a qualified name (`a.b.c`). Then, as CEL resolves names, a
  // selection from a variable (`a.b.c`) is first looked up as one name, the longest first
  // (`a.b.c`, then `a.b` and its field `c`, then `a`). Asked once per evaluation.
  virtual bool HasQualifiedNames() const { return false; }
  // Finds a name that Program::Bind numbered `index`. Must give the same answer as
  // Find(name, out); an activation that does not number its names keeps this default.
  virtual bool FindBound(int /*index*/, std::string_view name, Value& out) const {
    return Find(name, out);
  }
  // The value FindBound would give for `index`, when the activation holds it as it is (no
  // evaluation, no copy); nullptr otherwise, and then FindBound is asked.
  virtual const Value* FindBoundValue(int /*index*/) const { return nullptr; }
};

// A name an activation can find by number (Activation::FindBound), and, when its value is an
// object, the type of that object.
struct NameBinding {
  std::string_view name;
  int index = -1;
  const ObjectType* type = nullptr;
};

// An activation backed by a map of names (a bindings file may hold many).
class ListActivation : public Activation {
 public:
  void Set(std::string name, Value value);
  bool Find(std::string_view name, Value& out) const override;
  bool HasQualifiedNames() const override { return qualified_names_; }

 private:
  std::map<std::string, Value, std::less<>> variables_;
  bool qualified_names_ = false;
};

struct CompileOptions {
  // Calls of functions the language does not have, and calls with the wrong number of
  // arguments, are refused when compiling, as CEL's type checker refuses them (rule packs
  // compile this way, so a misspelt function is found when the pack loads). When false, such
  // a call compiles to one that fails when evaluated, as in CEL without a type checker, where
  // && and || may absorb the error (`f(1) || true` is true).
  bool reject_unknown_functions = true;
};

struct EvalOptions {
  // Upper bound on evaluation steps (nodes visited, comprehension iterations, elements
  // compared, copied or printed, and string work in units of 16 bytes). Exceeding it is an
  // evaluation error, so no expression can hang a check.
  std::uint64_t cost_limit = 1'000'000;
  // Upper bound on the Value::Size() of every list, map and string the evaluation builds
  // (elements and bytes, a shared part counted as often as it is reachable). Exceeding it is
  // an evaluation error, checked before the value is allocated where it can be.
  std::uint64_t max_value_size = kDefaultMaxValueSize;
};

// A compiled expression. Compile once, evaluate many times; Evaluate is const and may be
// called from several threads at once.
class Program {
 public:
  // Parses `source`. Returns nullptr and fills `issues` when the text is not in the subset.
  static std::unique_ptr<Program> Compile(std::string_view source, std::vector<ParseIssue>& issues,
                                          const CompileOptions& options = {});
  ~Program();

  Value Evaluate(const Activation& activation, const EvalOptions& options = {}) const;
  // Evaluates charging `budget`, which several evaluations, and the printing of their results,
  // may share. Returns the cost error once the budget is exhausted.
  Value Evaluate(const Activation& activation, Budget& budget) const;
  // For a program that only selects a field of a bound name (`source.id`, after Bind), the
  // shortest way to what Evaluate gives when the field is present: sets `out` to the field's
  // value, charges `budget` what Evaluate would, and returns true. False, with nothing
  // charged, in every other case (another program, an absent field, a budget that does not
  // cover it, a name the activation does not hold in place): the caller then evaluates.
  bool ReadBoundField(const Activation& activation, Budget& budget, Value& out) const {
    return bound_field_ && ReadBoundFieldOf(activation, budget, out);
  }

  // Resolves names ahead of evaluation, before the program is shared: each identifier among
  // `names` is then found with Activation::FindBound, and a field selected from an object of
  // a type known here is read by its position. What evaluation gives does not change; the
  // lookups by name are left out. Names not listed are found by name, as before.
  void Bind(std::span<const NameBinding> names);

  // Names of the variables the expression reads from its activation.
  const std::vector<std::string>& variables() const { return variables_; }
  const std::string& source() const { return source_; }

 private:
  Program() = default;
  bool ReadBoundFieldOf(const Activation& activation, Budget& budget, Value& out) const;
  std::string source_;
  // Set by Bind: the program only selects a field of a bound name, by its position.
  bool bound_field_ = false;
  std::unique_ptr<Node> root_;
  int local_slots_ = 0;
  std::vector<std::string> variables_;
};

// Formats a double the way CEL's string() conversion does.
std::string FormatDouble(double d);

}  // namespace provgate::expr

#endif  // PROVGATE_EXPR_PROGRAM_H_
