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

std::string ValueToText(const expr::Value& value) {
  using expr::Kind;
  switch (value.kind()) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return value.AsBool() ? "true" : "false";
    case Kind::kInt:
      return std::to_string(value.AsInt());
    case Kind::kUint:
      return std::to_string(value.AsUint());
    case Kind::kDouble:
      return expr::FormatDouble(value.AsDouble());
    case Kind::kString:
    case Kind::kBytes:
      return std::string(value.AsString());
    case Kind::kList: {
      std::string out = "[";
      bool first = true;
      for (const auto& element : value.AsList()) {
        if (!first) out += ", ";
        first = false;
        out += ValueToText(element);
      }
      return out + "]";
    }
    case Kind::kMap: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : value.AsMap().entries) {
        if (!first) out += ", ";
        first = false;
        out += ValueToText(k) + ": " + ValueToText(v);
      }
      return out + "}";
    }
    case Kind::kObject:
      return "<" + std::string(value.object_type()->name()) + ">";
    case Kind::kError:
      return "<error: " + std::string(value.ErrorMessage()) + ">";
  }
  return "";
}

std::string MessageTemplate::Render(const expr::Activation& activation,
                                    std::uint64_t cost_limit) const {
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
    values[i] = part.expression->Evaluate(activation, {cost_limit});
    // Strings, the common case, are used as they are; anything else is rendered as text.
    if (values[i].kind() != expr::Kind::kString) {
      values[i] = expr::Value::String(ValueToText(values[i]));
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
