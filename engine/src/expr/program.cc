// Tree-walking evaluation with CEL's error semantics: errors are values that propagate through
// functions, while && and || absorb them when the other side decides the result.
#include "expr/program.h"

#include <re2/re2.h>

#include "expr/ast.h"
#include "expr/functions.h"

namespace provgate::expr {

void ListActivation::Set(std::string name, Value value) {
  for (auto& entry : variables_) {
    if (entry.first == name) {
      entry.second = std::move(value);
      return;
    }
  }
  variables_.emplace_back(std::move(name), std::move(value));
}

bool ListActivation::Find(std::string_view name, Value& out) const {
  for (const auto& entry : variables_) {
    if (entry.first == name) {
      out = entry.second;
      return true;
    }
  }
  return false;
}

namespace {

struct EvalContext {
  const Activation& activation;
  std::vector<Value> locals;
  std::uint64_t cost = 0;
  std::uint64_t limit = 0;
  bool exhausted = false;
};

Value CostExceeded() { return Value::Error("evaluation cost limit exceeded"); }

Value Eval(const Node& node, EvalContext& ctx);

// Evaluates a boolean operand; anything else becomes an error.
Value EvalBool(const Node& node, EvalContext& ctx, std::string_view what) {
  Value v = Eval(node, ctx);
  if (v.is_error() || v.kind() == Kind::kBool) return v;
  return Value::Error("no matching overload for " + std::string(what) + " with " +
                      std::string(KindName(v.kind())));
}

Value EvalComprehension(const Node& node, EvalContext& ctx) {
  Value range = Eval(*node.children[0], ctx);
  if (range.is_error()) return range;
  std::vector<Value> keys;
  const std::vector<Value>* items;
  if (range.kind() == Kind::kList) {
    items = &range.AsList();
  } else if (range.kind() == Kind::kMap) {
    for (const auto& entry : range.AsMap().entries) keys.push_back(entry.first);
    items = &keys;
  } else {
    return Value::Error("comprehension over " + std::string(KindName(range.kind())) +
                        " is not supported: expected a list or a map");
  }
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
      for (const Value& item : *items) {
        if (++ctx.cost > ctx.limit) {
          ctx.exhausted = true;
          break;
        }
        slot = item;
        Value v = EvalBool(*node.children[1], ctx, node.macro == Macro::kAll ? "all" : "exists");
        if (v.is_error()) {
          if (!error.is_error()) error = v;
        } else if (v.AsBool() == decisive) {
          decided = true;
          break;
        }
      }
      if (ctx.exhausted) {
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
      std::int64_t count = 0;
      for (const Value& item : *items) {
        if (++ctx.cost > ctx.limit) {
          ctx.exhausted = true;
          result = CostExceeded();
          break;
        }
        slot = item;
        Value v = EvalBool(*node.children[1], ctx, "exists_one");
        if (v.is_error()) {
          result = v;
          break;
        }
        if (v.AsBool()) ++count;
      }
      if (result.kind() != Kind::kError) result = Value::Bool(count == 1);
      break;
    }
    case Macro::kFilter:
    case Macro::kMap: {
      std::vector<Value> out;
      bool failed = false;
      for (const Value& item : *items) {
        if (++ctx.cost > ctx.limit) {
          ctx.exhausted = true;
          result = CostExceeded();
          failed = true;
          break;
        }
        slot = item;
        if (node.macro == Macro::kFilter) {
          Value keep = EvalBool(*node.children[1], ctx, "filter");
          if (keep.is_error()) {
            result = keep;
            failed = true;
            break;
          }
          if (keep.AsBool()) out.push_back(item);
          continue;
        }
        if (node.children.size() == 3) {
          Value keep = EvalBool(*node.children[1], ctx, "map filter");
          if (keep.is_error()) {
            result = keep;
            failed = true;
            break;
          }
          if (!keep.AsBool()) continue;
        }
        Value mapped = Eval(*node.children.back(), ctx);
        if (mapped.is_error()) {
          result = mapped;
          failed = true;
          break;
        }
        out.push_back(std::move(mapped));
      }
      if (!failed) result = Value::List(std::move(out));
      break;
    }
  }
  slot = saved;
  return result;
}

Value Eval(const Node& node, EvalContext& ctx) {
  if (++ctx.cost > ctx.limit) {
    ctx.exhausted = true;
    return CostExceeded();
  }
  switch (node.type) {
    case Node::Type::kLiteral:
      return node.literal;
    case Node::Type::kIdent: {
      Value v;
      if (!ctx.activation.Find(node.name, v)) {
        return Value::Error("undeclared reference to '" + node.name + "'");
      }
      return v;
    }
    case Node::Type::kLocal:
      return ctx.locals[static_cast<std::size_t>(node.slot)];
    case Node::Type::kSelect: {
      Value operand = Eval(*node.children[0], ctx);
      if (operand.is_error()) return operand;
      return SelectField(operand, node.name);
    }
    case Node::Type::kHas: {
      Value operand = Eval(*node.children[0], ctx);
      if (operand.is_error()) return operand;
      return HasField(operand, node.name);
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
      return Value::List(std::move(elements));
    }
    case Node::Type::kMap: {
      MapData map;
      for (std::size_t i = 0; i < node.children.size(); i += 2) {
        Value key = Eval(*node.children[i], ctx);
        if (key.is_error()) return key;
        Kind k = key.kind();
        if (k != Kind::kString && k != Kind::kInt && k != Kind::kUint && k != Kind::kBool) {
          return Value::Error("unsupported key type: " + std::string(KindName(k)));
        }
        Value value = Eval(*node.children[i + 1], ctx);
        if (value.is_error()) return value;
        if (MapFind(map, key) != nullptr) return Value::Error("Failed with repeated key");
        map.entries.emplace_back(std::move(key), std::move(value));
      }
      return Value::Map(std::move(map));
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
      return ApplyOp(node.op, std::span<const Value>(args, count), node.regex.get(), ctx.cost);
    }
  }
  return Value::Error("unknown expression node");
}

}  // namespace

Program::~Program() = default;

Value Program::Evaluate(const Activation& activation, const EvalOptions& options) const {
  EvalContext ctx{activation, std::vector<Value>(static_cast<std::size_t>(local_slots_)), 0,
                  options.cost_limit, false};
  Value result = Eval(*root_, ctx);
  if (ctx.exhausted || ctx.cost > ctx.limit) return CostExceeded();
  return result;
}

}  // namespace provgate::expr
