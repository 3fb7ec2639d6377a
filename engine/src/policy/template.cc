// Message templates: placeholders compiled once, rendered into strings or into a TextArena.
#include "policy/template.h"

#include <cstring>

namespace provgate::detail {

bool MessageTemplate::Compile(std::string_view text, std::vector<expr::ParseIssue>& issues) {
  parts_.clear();
  constant_ = SharedText();
  constant_trimmed_ = SharedText();
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
  if (parts_.size() == 1 && !parts_[0].expression) {
    std::string_view text = parts_[0].literal;
    constant_ = SharedText(text);
    while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    constant_trimmed_ = SharedText(text);
  }
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

namespace {

// The values of a template's placeholders, evaluated before any text is written so that the
// text is written once, at its size: strings, the common case, as they are; anything else
// rendered as text. All placeholders share one budget.
class PlaceholderValues {
 public:
  template <typename Parts>
  PlaceholderValues(const Parts& parts, const expr::Activation& activation,
                    std::uint64_t cost_limit) {
    if (parts.size() > kInline) {
      more_.resize(parts.size());
      values_ = more_.data();
    }
    expr::Budget budget(cost_limit);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      size_ += parts[i].literal.size();
      if (!parts[i].expression) continue;
      if (!parts[i].expression->ReadBoundField(activation, budget, values_[i])) {
        values_[i] = parts[i].expression->Evaluate(activation, budget);
      }
      if (values_[i].kind() != expr::Kind::kString) {
        values_[i] = expr::Value::String(ValueToText(values_[i], budget));
      }
      size_ += values_[i].AsString().size();
    }
  }
  // The text of placeholder `i`.
  std::string_view operator[](std::size_t i) const { return values_[i].AsString(); }
  // The size of the whole text, literals included.
  std::size_t size() const { return size_; }

 private:
  static constexpr std::size_t kInline = 4;  // Parts: text and one placeholder each.
  expr::Value inline_[kInline];
  std::vector<expr::Value> more_;
  expr::Value* values_ = inline_;
  std::size_t size_ = 0;
};

}  // namespace

SharedText MessageTemplate::Render(const expr::Activation& activation, std::uint64_t cost_limit,
                                   TextArena& arena, bool trim_newlines) const {
  if (parts_.size() == 1 && !parts_[0].expression) {
    return trim_newlines ? constant_trimmed_ : constant_;
  }
  PlaceholderValues values(parts_, activation, cost_limit);
  std::size_t size = values.size();
  char* out = arena.Room(size);
  char* p = out;
  auto append = [&](std::string_view text) {
    if (text.empty()) return;
    std::memcpy(p, text.data(), text.size());
    p += text.size();
  };
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    append(parts_[i].literal);
    if (parts_[i].expression) append(values[i]);
  }
  if (trim_newlines) {
    while (size > 0 && out[size - 1] == '\n') --size;
  }
  return arena.Keep(size);
}

std::string MessageTemplate::Render(const expr::Activation& activation,
                                    std::uint64_t cost_limit) const {
  PlaceholderValues values(parts_, activation, cost_limit);
  std::string out;
  out.reserve(values.size());
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    out += parts_[i].literal;
    if (parts_[i].expression) out += values[i];
  }
  return out;
}

void MessageTemplate::Bind(std::span<const expr::NameBinding> names) {
  for (auto& part : parts_) {
    if (part.expression) part.expression->Bind(names);
  }
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
