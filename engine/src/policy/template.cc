#include "policy/template.h"

namespace provgate::detail {

bool MessageTemplate::Compile(std::string_view text, std::vector<expr::ParseIssue>& issues) {
  parts_.clear();
  std::size_t pos = 0;
  std::string literal;
  while (pos < text.size()) {
    std::size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      literal.append(text.substr(pos));
      break;
    }
    literal.append(text.substr(pos, open - pos));
    std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      issues.push_back(
          {1, 1, static_cast<std::uint32_t>(open), "unclosed '{{' in message template"});
      return false;
    }
    std::string_view source = text.substr(open + 2, close - open - 2);
    std::vector<expr::ParseIssue> inner;
    auto program = expr::Program::Compile(source, inner);
    if (!program) {
      for (auto& issue : inner) {
        issue.offset += static_cast<std::uint32_t>(open + 2);
        issues.push_back(issue);
      }
      return false;
    }
    parts_.push_back({std::move(literal), std::move(program)});
    literal.clear();
    pos = close + 2;
  }
  if (!literal.empty()) parts_.push_back({std::move(literal), nullptr});
  return true;
}

namespace {

// Appends the text of `value` to `out`; false when the budget runs out. Recursion is bounded
// by expr::kMaxValueDepth (objects are not entered).
bool AppendText(const expr::Value& value, expr::Budget& budget, std::string& out) {
  using expr::Kind;
  if (!budget.Charge(1)) return false;
  switch (value.kind()) {
    case Kind::kNull:
      out += "null";
      return true;
    case Kind::kBool:
      out += value.AsBool() ? "true" : "false";
      return true;
    case Kind::kInt:
      out += std::to_string(value.AsInt());
      return true;
    case Kind::kUint:
      out += std::to_string(value.AsUint());
      return true;
    case Kind::kDouble:
      out += expr::FormatDouble(value.AsDouble());
      return true;
    case Kind::kString:
    case Kind::kBytes:
      if (!budget.Charge(value.AsString().size() / 16)) return false;
      out += value.AsString();
      return true;
    case Kind::kList: {
      out += '[';
      bool first = true;
      for (const auto& element : value.AsList()) {
        if (!first) out += ", ";
        first = false;
        if (!AppendText(element, budget, out)) return false;
      }
      out += ']';
      return true;
    }
    case Kind::kMap: {
      out += '{';
      bool first = true;
      for (const auto& [k, v] : value.AsMap().entries) {
        if (!first) out += ", ";
        first = false;
        if (!AppendText(k, budget, out)) return false;
        out += ": ";
        if (!AppendText(v, budget, out)) return false;
      }
      out += '}';
      return true;
    }
    case Kind::kObject:
      out += '<';
      out += value.object_type()->name();
      out += '>';
      return true;
    case Kind::kError:
      if (!budget.Charge(value.ErrorMessage().size() / 16)) return false;
      out += "<error: ";
      out += value.ErrorMessage();
      out += '>';
      return true;
  }
  return true;
}

}  // namespace

std::string ValueToText(const expr::Value& value, expr::Budget& budget) {
  std::string out;
  if (!AppendText(value, budget, out)) return "<error: evaluation cost limit exceeded>";
  return out;
}

std::string MessageTemplate::Render(const expr::Activation& activation,
                                    std::uint64_t cost_limit) const {
  expr::Budget budget(cost_limit);
  // The placeholders are evaluated first, so that the text is allocated once, at its size.
  constexpr std::size_t kInline = 8;
  expr::Value inline_values[kInline];
  std::vector<expr::Value> more_values;
  expr::Value* values = inline_values;
  if (parts_.size() > kInline) {
    more_values.resize(parts_.size());
    values = more_values.data();
  }
  std::size_t size = 0;
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    const Part& part = parts_[i];
    size += part.literal.size();
    if (!part.expression) continue;
    values[i] = part.expression->Evaluate(activation, budget);
    // Strings, the common case, are used as they are; anything else is rendered as text.
    if (values[i].kind() != expr::Kind::kString) {
      values[i] = expr::Value::String(ValueToText(values[i], budget));
    }
    size += values[i].AsString().size();
  }
  std::string out;
  out.reserve(size);
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    out += parts_[i].literal;
    if (parts_[i].expression) out += values[i].AsString();
  }
  return out;
}

std::vector<std::string> MessageTemplate::Variables() const {
  std::vector<std::string> names;
  for (const auto& part : parts_) {
    if (part.expression) {
      for (const auto& name : part.expression->variables()) names.push_back(name);
    }
  }
  return names;
}

}  // namespace provgate::detail
