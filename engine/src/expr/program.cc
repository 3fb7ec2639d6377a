// Tree-walking evaluation with CEL's error semantics: errors are values that propagate through
// functions, while && and || absorb them when the other side decides the result.
#include "expr/program.h"

#include <re2/re2.h>

#include "expr/ast.h"
#include "expr/functions.h"

namespace provgate::expr {

void ListActivation::Set(std::string name, Value value) {
  if (name.find('.') != std::string::npos) qualified_names_ = true;
  variables_.insert_or_assign(std::move(name), std::move(value));
}

bool ListActivation::Find(std::string_view name, Value& out) const {
  auto it = variables_.find(name);
  if (it == variables_.end()) return false;
  out = it->second;
  return true;
}

namespace {

// Levels of expression tree being evaluated on this thread. An activation may evaluate other
// programs while it is asked for a variable (a rule's variables use each other), and all of
// those evaluations are on the stack at once, so their heights add up.
thread_local std::uint32_t tls_evaluation_levels = 0;

struct EvalContext {
  const Activation& activation;
  std::vector<Value> locals;
  Budget& budget;
  bool qualified_names;  // activation.HasQualifiedNames()
};

// Errors are made out of line: evaluation recurses once per level of the tree, and whatever
// Eval and its helpers inline is on the stack at every level.
[[gnu::noinline, gnu::cold]] Value CostExceeded() {
  return Value::Error("evaluation cost limit exceeded");
}
[[gnu::noinline, gnu::cold]] Value ErrorMessage(std::string_view a, std::string_view b,
                                                std::string_view c = {}, std::string_view d = {}) {
  std::string message;
  message.reserve(a.size() + b.size() + c.size() + d.size());
  message.append(a).append(b).append(c).append(d);
  return Value::Error(std::move(message));
}

Value Eval(const Node& node, EvalContext& ctx);

// Looks up the dotted name of a selection by plain names (`a.b.c`) as one variable.
[[gnu::noinline]] bool FindQualified(const Node& select, EvalContext& ctx, Value& out) {
  std::vector<const Node*> chain;
  const Node* n = &select;
  std::size_t length = 0;
  for (; n->type == Node::Type::kSelect; n = n->children[0].get()) {
    chain.push_back(n);
    length += n->name.size() + 1;
  }
  length += n->name.size();
  if (!ctx.budget.Charge(chain.size() + length / 16)) return false;
  std::string name;
  name.reserve(length);
  name = n->name;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) name.append(".").append((*it)->name);
  return ctx.activation.Find(name, out);
}

// A selection of a field of a bound name (`source.permitted`), or has() of one
// (`has(source.digest)`), read in place: when the field is there and the budget covers the two
// steps Eval charges (the node and its operand), sets `out` to what Eval gives, charges the
// same, and returns true; otherwise charges nothing and returns false, for Eval to do.
// `qualified_names`: the activation has dotted names, which Eval looks a selection up as first.
bool ReadInPlace(const Node& node, const Activation& activation, Budget& budget,
                 bool qualified_names, Value& out) {
  if ((node.type != Node::Type::kSelect && node.type != Node::Type::kHas) ||
      node.field_type == nullptr) {
    return false;
  }
  const Node& child = *node.children[0];
  if (child.type != Node::Type::kIdent || child.bound < 0) return false;
  if (node.type == Node::Type::kSelect && qualified_names && node.qualified) return false;
  constexpr std::uint64_t kSteps = 2;
  if (!budget.Covers(kSteps)) return false;
  const Value* held = activation.FindBoundValue(child.bound);
  if (held == nullptr || held->kind() != Kind::kObject || held->object_type() != node.field_type) {
    return false;
  }
  ObjectType::Field field = node.field_type->GetAt(held->object(), node.field_index, out);
  if (node.type == Node::Type::kHas) {
    if (field == ObjectType::Field::kUnknown) return false;
    out = Value::Bool(field == ObjectType::Field::kPresent);
  } else if (field != ObjectType::Field::kPresent) {
    return false;
  }
  budget.Charge(kSteps);
  return true;
}

// Evaluates a boolean operand; anything else becomes an error.
Value EvalBool(const Node& node, EvalContext& ctx, std::string_view what) {
  Value v;
  // The most common operand of && and ||, read without an evaluation frame.
  if (!ReadInPlace(node, ctx.activation, ctx.budget, ctx.qualified_names, v)) v = Eval(node, ctx);
  if (v.is_error() || v.kind() == Kind::kBool) return v;
  return ErrorMessage("no matching overload for ", what, " with ", KindName(v.kind()));
}

[[gnu::noinline]] Value EvalComprehension(const Node& node, EvalContext& ctx) {
  Value range = Eval(*node.children[0], ctx);
  if (range.is_error()) return range;
  // Lists are iterated by element and maps by key, in place.
  const std::vector<Value>* list = nullptr;
  const MapData* map = nullptr;
  std::size_t count;
  if (range.kind() == Kind::kList) {
    list = &range.AsList();
    count = list->size();
  } else if (range.kind() == Kind::kMap) {
    map = &range.AsMap();
    count = map->entries.size();
  } else {
    return ErrorMessage("comprehension over ", KindName(range.kind()),
                        " is not supported: expected a list or a map");
  }
  auto item_at = [&](std::size_t i) -> const Value& {
    return list != nullptr ? (*list)[i] : map->entries[i].first;
  };
  Value& slot = ctx.locals[static_cast<std::size_t>(node.slot)];
  Value saved = slot;
  Value result;
  switch (node.macro) {
    case Macro::kAll:
    case Macro::kExists: {
      // Fold with && (all) or || (exists), absorbing errors as those operators do.
      bool decisive = node.macro == Macro::kExists;
      Value error;
      bool decided = false;
      for (std::size_t i = 0; i < count; ++i) {
        if (!ctx.budget.Charge(1)) break;
        slot = item_at(i);
        Value v = EvalBool(*node.children[1], ctx, node.macro == Macro::kAll ? "all" : "exists");
        if (v.is_error()) {
          if (!error.is_error()) error = v;
        } else if (v.AsBool() == decisive) {
          decided = true;
          break;
        }
      }
      if (ctx.budget.exhausted()) {
        result = CostExceeded();
      } else if (decided) {
        result = Value::Bool(decisive);
      } else if (error.is_error()) {
        result = error;
      } else {
        result = Value::Bool(!decisive);
      }
      break;
    }
    case Macro::kExistsOne: {
      std::int64_t count_true = 0;
      for (std::size_t i = 0; i < count; ++i) {
        if (!ctx.budget.Charge(1)) {
          result = CostExceeded();
          break;
        }
        slot = item_at(i);
        Value v = EvalBool(*node.children[1], ctx, "exists_one");
        if (v.is_error()) {
          result = v;
          break;
        }
        if (v.AsBool()) ++count_true;
      }
      if (result.kind() != Kind::kError) result = Value::Bool(count_true == 1);
      break;
    }
    case Macro::kFilter:
    case Macro::kMap: {
      std::vector<Value> out;
      std::uint64_t size = 1;  // Value::Size() of the result, checked as it grows.
      bool failed = false;
      for (std::size_t i = 0; i < count; ++i) {
        if (!ctx.budget.Charge(1)) {
          result = CostExceeded();
          failed = true;
          break;
        }
        const Value& item = item_at(i);
        slot = item;
        Value element;
        if (node.macro == Macro::kFilter) {
          Value keep = EvalBool(*node.children[1], ctx, "filter");
          if (keep.is_error()) {
            result = keep;
            failed = true;
            break;
          }
          if (!keep.AsBool()) continue;
          element = item;
        } else {
          if (node.children.size() == 3) {
            Value keep = EvalBool(*node.children[1], ctx, "map filter");
            if (keep.is_error()) {
              result = keep;
              failed = true;
              break;
            }
            if (!keep.AsBool()) continue;
          }
          element = Eval(*node.children.back(), ctx);
          if (element.is_error()) {
            result = element;
            failed = true;
            break;
          }
        }
        size += element.Size();
        if (size > ctx.budget.max_value_size()) {
          result = ValueTooLarge(ctx.budget);
          failed = true;
          break;
        }
        out.push_back(std::move(element));
      }
      if (!failed) result = Value::List(std::move(out));
      break;
    }
  }
  slot = saved;
  return result;
}

// The operand of a selection or has(): a bound name the activation holds is read in place,
// charged the step its evaluation would cost; anything else is evaluated into `evaluated`.
// Returns nullptr when the operand is an error, which is then in `evaluated`.
inline const Value* Operand(const Node& node, EvalContext& ctx, Value& evaluated) {
  const Node& child = *node.children[0];
  if (child.bound >= 0 && child.type == Node::Type::kIdent) {
    if (const Value* held = ctx.activation.FindBoundValue(child.bound)) {
      if (ctx.budget.Charge(1)) return held;
      evaluated = CostExceeded();
      return nullptr;
    }
  }
  evaluated = Eval(child, ctx);
  return evaluated.is_error() ? nullptr : &evaluated;
}

// The field a selection or has() names, read by the position Program::Bind gave it when the
// operand is an object of the type it was bound for; kUnknown otherwise (then by name).
inline ObjectType::Field BoundField(const Node& node, const Value& operand, Value& out) {
  if (node.field_type == nullptr || operand.kind() != Kind::kObject ||
      operand.object_type() != node.field_type) {
    return ObjectType::Field::kUnknown;
  }
  return node.field_type->GetAt(operand.object(), node.field_index, out);
}

Value Eval(const Node& node, EvalContext& ctx) {
  // Recursion is bounded by the height of the tree (kMaxNesting), checked by the parser.
  if (!ctx.budget.Charge(1)) return CostExceeded();
  switch (node.type) {
    case Node::Type::kLiteral:
      return node.literal;
    case Node::Type::kIdent: {
      Value v;
      bool found = node.bound >= 0 ? ctx.activation.FindBound(node.bound, node.name, v)
                                   : ctx.activation.Find(node.name, v);
      if (!found) {
        return ErrorMessage("undeclared reference to '", node.name, "'");
      }
      return v;
    }
    case Node::Type::kLocal:
      return ctx.locals[static_cast<std::size_t>(node.slot)];
    case Node::Type::kSelect: {
      if (ctx.qualified_names && node.qualified) {
        Value v;
        if (FindQualified(node, ctx, v)) return v;
      }
      Value evaluated;
      const Value* operand = Operand(node, ctx, evaluated);
      if (operand == nullptr) return evaluated;
      Value out;
      if (BoundField(node, *operand, out) == ObjectType::Field::kPresent) return out;
      return SelectField(*operand, node.name, ctx.budget);  // And the errors' messages.
    }
    case Node::Type::kHas: {
      Value evaluated;
      const Value* operand = Operand(node, ctx, evaluated);
      if (operand == nullptr) return evaluated;
      Value out;
      ObjectType::Field field = BoundField(node, *operand, out);
      if (field != ObjectType::Field::kUnknown) {
        return Value::Bool(field == ObjectType::Field::kPresent);
      }
      return HasField(*operand, node.name, ctx.budget);
    }
    case Node::Type::kAnd:
    case Node::Type::kOr: {
      bool is_and = node.type == Node::Type::kAnd;
      std::string_view name = is_and ? "_&&_" : "_||_";
      Value lhs = EvalBool(*node.children[0], ctx, name);
      if (!lhs.is_error() && lhs.AsBool() != is_and) return lhs;  // Short circuit.
      Value rhs = EvalBool(*node.children[1], ctx, name);
      if (!rhs.is_error() && rhs.AsBool() != is_and) return rhs;  // Absorbs an error on the left.
      if (lhs.is_error()) return lhs;
      return rhs;
    }
    case Node::Type::kNot: {
      Value v = EvalBool(*node.children[0], ctx, "!_");
      if (v.is_error()) return v;
      return Value::Bool(!v.AsBool());
    }
    case Node::Type::kTernary: {
      Value cond = EvalBool(*node.children[0], ctx, "_?_:_");
      if (cond.is_error()) return cond;
      return Eval(*node.children[cond.AsBool() ? 1 : 2], ctx);
    }
    case Node::Type::kList: {
      std::vector<Value> elements;
      elements.reserve(node.children.size());
      for (const auto& child : node.children) {
        Value v = Eval(*child, ctx);
        if (v.is_error()) return v;
        elements.push_back(std::move(v));
      }
      Value list = Value::List(std::move(elements));
      if (list.Size() > ctx.budget.max_value_size()) return ValueTooLarge(ctx.budget);
      return list;
    }
    case Node::Type::kMap: {
      MapData map;
      for (std::size_t i = 0; i < node.children.size(); i += 2) {
        Value key = Eval(*node.children[i], ctx);
        if (key.is_error()) return key;
        Kind k = key.kind();
        if (k != Kind::kString && k != Kind::kInt && k != Kind::kUint && k != Kind::kBool) {
          return ErrorMessage("unsupported key type: ", KindName(k));
        }
        Value value = Eval(*node.children[i + 1], ctx);
        if (value.is_error()) return value;
        if (MapFind(map, key, ctx.budget) != nullptr) {
          return ErrorMessage("Failed with repeated key", "");
        }
        if (ctx.budget.exhausted()) return CostExceeded();
        map.entries.emplace_back(std::move(key), std::move(value));
      }
      Value result = Value::Map(std::move(map));
      if (result.Size() > ctx.budget.max_value_size()) return ValueTooLarge(ctx.budget);
      return result;
    }
    case Node::Type::kComprehension:
      return EvalComprehension(node, ctx);
    case Node::Type::kCall: {
      // Calls take at most three arguments; keeping them on the stack avoids an allocation.
      Value args[3];
      std::size_t count = node.children.size();
      for (std::size_t i = 0; i < count; ++i) {
        args[i] = Eval(*node.children[i], ctx);
        if (args[i].is_error()) return args[i];
      }
      Value result =
          ApplyOp(node.op, std::span<const Value>(args, count), node.regex.get(), ctx.budget);
      if (ctx.budget.exhausted()) return CostExceeded();
      return result;
    }
  }
  return ErrorMessage("unknown expression node", "");
}

// Binds `node` and its operands to `names`; returns the type of the object `node` evaluates
// to, when it is known. Recursion is bounded by the height of the tree (kMaxNesting).
const ObjectType* BindNode(Node& node, std::span<const NameBinding> names) {
  const ObjectType* operand_type = nullptr;
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    const ObjectType* type = BindNode(*node.children[i], names);
    if (i == 0) operand_type = type;
  }
  switch (node.type) {
    case Node::Type::kIdent:
      for (const NameBinding& binding : names) {
        if (binding.name == node.name) {
          node.bound = binding.index;
          return binding.type;
        }
      }
      return nullptr;
    case Node::Type::kSelect:
    case Node::Type::kHas: {
      if (operand_type == nullptr) return nullptr;
      int index = operand_type->FieldIndex(node.name);
      if (index < 0) return nullptr;
      node.field_type = operand_type;
      node.field_index = index;
      return node.type == Node::Type::kSelect ? operand_type->FieldType(index) : nullptr;
    }
    default:
      return nullptr;
  }
}

}  // namespace

Program::~Program() = default;

void Program::Bind(std::span<const NameBinding> names) {
  BindNode(*root_, names);
  const Node& node = *root_;
  bound_field_ = node.type == Node::Type::kSelect && node.field_type != nullptr &&
                 node.children[0]->type == Node::Type::kIdent && node.children[0]->bound >= 0;
}

Value Program::Evaluate(const Activation& activation, const EvalOptions& options) const {
  Budget budget(options.cost_limit, options.max_value_size);
  return Evaluate(activation, budget);
}

Value Program::Evaluate(const Activation& activation, Budget& budget) const {
  // The evaluation's own frames count as one more level.
  std::uint32_t levels = root_->height + 1;
  if (levels > kMaxEvaluationLevels - tls_evaluation_levels) {
    return Value::Error(
        "evaluation is nested too deeply: variables that use variables add up "
        "to more than " +
        std::to_string(kMaxEvaluationLevels) + " levels of expression");
  }
  struct LevelsGuard {
    explicit LevelsGuard(std::uint32_t n) : levels(n) { tls_evaluation_levels += levels; }
    ~LevelsGuard() { tls_evaluation_levels -= levels; }
    std::uint32_t levels;
  } guard(levels);
  EvalContext ctx{activation, std::vector<Value>(static_cast<std::size_t>(local_slots_)), budget,
                  activation.HasQualifiedNames()};
  Value result = Eval(*root_, ctx);
  if (budget.exhausted()) return CostExceeded();
  return result;
}

bool Program::ReadBoundFieldOf(const Activation& activation, Budget& budget, Value& out) const {
  // What Evaluate checks first.
  if (root_->height + 1 > kMaxEvaluationLevels - tls_evaluation_levels) return false;
  return ReadInPlace(*root_, activation, budget, root_->qualified && activation.HasQualifiedNames(),
                     out);
}

}  // namespace provgate::expr
