// Program::Bind resolves names and fields ahead of evaluation; what evaluation gives must not
// change. Every expression below is evaluated once unbound and once bound, against the same
// values, and the two results must be the same value or the same error message. Counters
// show that the bound evaluation took the numbered paths.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expr/program.h"
#include "expr/proto_json.h"

namespace provgate::expr {
namespace {

struct Inner {
  std::int64_t n = 7;
};
struct Record {
  bool flag = true;
  std::string name = "alpha";
  bool has_note = false;
  Inner inner;
};

// A type with three kinds of field: always present, present or absent, an object.
class InnerType : public ObjectType {
 public:
  std::string_view name() const override { return "inner"; }
  Field Get(const void* object, std::string_view field, Value& out) const override {
    if (field != "n") return Field::kUnknown;
    out = Value::Int(static_cast<const Inner*>(object)->n);
    return Field::kPresent;
  }
  std::vector<std::string_view> FieldNames(const void*) const override { return {"n"}; }
  int FieldIndex(std::string_view field) const override { return field == "n" ? 0 : -1; }
  Field GetAt(const void* object, int index, Value& out) const override {
    ++by_index;
    return index == 0 ? Get(object, "n", out) : Field::kUnknown;
  }
  mutable int by_index = 0;
};

class RecordType : public ObjectType {
 public:
  explicit RecordType(const InnerType& inner) : inner_(inner) {}
  std::string_view name() const override { return "record"; }
  Field Get(const void* object, std::string_view field, Value& out) const override {
    int index = FieldIndex(field);
    return index < 0 ? Field::kUnknown : Read(object, index, out);
  }
  std::vector<std::string_view> FieldNames(const void*) const override {
    return {"flag", "name", "note", "inner"};
  }
  int FieldIndex(std::string_view field) const override {
    static constexpr std::string_view kNames[] = {"flag", "name", "note", "inner"};
    for (int i = 0; i < 4; ++i) {
      if (kNames[i] == field) return i;
    }
    return -1;
  }
  Field GetAt(const void* object, int index, Value& out) const override {
    ++by_index;
    return Read(object, index, out);
  }
  const ObjectType* FieldType(int index) const override { return index == 3 ? &inner_ : nullptr; }
  mutable int by_index = 0;

 private:
  Field Read(const void* object, int index, Value& out) const {
    const auto& record = *static_cast<const Record*>(object);
    switch (index) {
      case 0:
        out = Value::Bool(record.flag);
        return Field::kPresent;
      case 1:
        out = Value::BorrowedString(record.name);
        return Field::kPresent;
      case 2:
        if (!record.has_note) return Field::kAbsent;
        out = Value::String("note");
        return Field::kPresent;
      case 3:
        out = Value::Object(&inner_, &record.inner);
        return Field::kPresent;
      default:
        return Field::kUnknown;
    }
  }
  const InnerType& inner_;
};

// `rec` is a record, `other` a map with the same field names, `num` an int. Bound names are
// numbered 0 to 2; FindBound and FindBoundValue count their calls.
class Names : public Activation {
 public:
  Names(const RecordType& type, const Record& record) {
    values_[0] = Value::Object(&type, &record);
    MapData map;
    map.entries.emplace_back(Value::String("flag"), Value::Bool(false));
    map.entries.emplace_back(Value::String("name"), Value::String("beta"));
    values_[1] = Value::Map(std::move(map));
    values_[2] = Value::Int(3);
  }
  bool Find(std::string_view name, Value& out) const override {
    for (int i = 0; i < 3; ++i) {
      if (name == kNames[i]) {
        out = values_[i];
        return true;
      }
    }
    return false;
  }
  bool FindBound(int index, std::string_view name, Value& out) const override {
    ++by_index;
    if (index >= 0 && index < 3) {
      out = values_[index];
      return true;
    }
    return Find(name, out);
  }
  // `rec` is held as it is: selections from it read it in place.
  const Value* FindBoundValue(int index) const override {
    ++in_place;
    return index == 0 ? &values_[0] : nullptr;
  }
  static constexpr std::string_view kNames[] = {"rec", "other", "num"};
  mutable int by_index = 0;
  mutable int in_place = 0;

 private:
  Value values_[3];
};

std::string Show(const Value& value) {
  if (value.is_error()) return "error: " + std::string(value.ErrorMessage());
  return ToProtoJson(value).dump();
}

TEST(ExprBind, BoundEvaluationGivesWhatUnboundEvaluationGives) {
  InnerType inner;
  RecordType type(inner);
  Record record;
  Names names(type, record);
  const std::vector<NameBinding> bindings = {
      {"rec", 0, &type}, {"other", 1, nullptr}, {"num", 2, nullptr}};
  const char* const kExpressions[] = {
      "rec.flag",
      "!rec.flag && num > 2",
      "rec.name + '!'",
      "has(rec.note)",
      "rec.note",                            // absent: the error names the field and says has()
      "rec.missing",                         // not a field of the type
      "has(rec.missing)",                    // the same, through has()
      "rec.inner.n + num",                   // a nested object, typed through FieldType
      "has(rec.inner.n)",                    // has() of a nested field
      "rec.inner.missing",                   // unknown nested field
      "other.flag || other.name == 'beta'",  // a map: selected by key, never by position
      "has(other.name) && !has(other.flag2)",
      "num.flag",                   // selection from an int
      "undeclared.flag",            // a name that no binding lists
      "[rec, rec].all(r, r.flag)",  // a local of the same type: selected by name
      "rec.flag ? rec.inner : other",
  };
  for (const char* text : kExpressions) {
    std::vector<ParseIssue> issues;
    auto unbound = Program::Compile(text, issues);
    auto bound = Program::Compile(text, issues);
    ASSERT_NE(unbound, nullptr) << text;
    ASSERT_NE(bound, nullptr) << text;
    bound->Bind(bindings);
    for (bool flag : {true, false}) {
      record.flag = flag;
      record.has_note = !flag;
      EXPECT_EQ(Show(bound->Evaluate(names)), Show(unbound->Evaluate(names)))
          << text << " with flag " << flag;
    }
  }
  EXPECT_GT(names.by_index, 0);
  EXPECT_GT(names.in_place, 0);
  EXPECT_GT(type.by_index, 0);
  EXPECT_GT(inner.by_index, 0);
}

TEST(ExprBind, BoundProgramsChargeTheSameCost) {
  InnerType inner;
  RecordType type(inner);
  Record record;
  Names names(type, record);
  const std::vector<NameBinding> bindings = {{"rec", 0, &type}};
  const std::string text = "rec.flag && rec.inner.n == 7 && has(rec.name) && rec.name != 'x'";
  std::vector<ParseIssue> issues;
  auto unbound = Program::Compile(text, issues);
  auto bound = Program::Compile(text, issues);
  ASSERT_NE(bound, nullptr);
  bound->Bind(bindings);
  // The smallest limit that suffices is the same for both.
  std::uint64_t unbound_need = 0;
  std::uint64_t bound_need = 0;
  for (std::uint64_t limit = 1; limit < 100 && (unbound_need == 0 || bound_need == 0); ++limit) {
    if (unbound_need == 0 && !unbound->Evaluate(names, {.cost_limit = limit}).is_error()) {
      unbound_need = limit;
    }
    if (bound_need == 0 && !bound->Evaluate(names, {.cost_limit = limit}).is_error()) {
      bound_need = limit;
    }
  }
  EXPECT_GT(unbound_need, 1u);
  EXPECT_EQ(bound_need, unbound_need);
}

// ReadBoundField gives what Evaluate gives, and charges what it charges, whenever it answers;
// and it answers for a field of a bound name that is present.
TEST(ExprBind, ReadingABoundFieldIsEvaluatingIt) {
  InnerType inner;
  RecordType type(inner);
  Record record;
  record.has_note = true;
  Names names(type, record);
  const std::vector<NameBinding> bindings = {
      {"rec", 0, &type}, {"other", 1, nullptr}, {"num", 2, nullptr}};
  struct Case {
    const char* text;
    bool answers;
  };
  const Case kCases[] = {
      {"rec.flag", true},    {"rec.name", true},       {"rec.note", true},
      {"rec.inner", true},   {"rec.missing", false},   {"rec.inner.n", false},
      {"other.flag", false}, {"has(rec.note)", false}, {"num", false},
      {"!rec.flag", false},
  };
  for (const Case& c : kCases) {
    std::vector<ParseIssue> issues;
    auto program = Program::Compile(c.text, issues);
    ASSERT_NE(program, nullptr) << c.text;
    program->Bind(bindings);
    for (std::uint64_t limit : {1, 2, 3, 100}) {
      Budget read_budget(limit);
      Budget eval_budget(limit);
      Value read;
      bool answered = program->ReadBoundField(names, read_budget, read);
      Value evaluated = program->Evaluate(names, eval_budget);
      EXPECT_EQ(answered, c.answers && limit >= 2) << c.text << " with limit " << limit;
      if (answered) {
        EXPECT_EQ(Show(read), Show(evaluated)) << c.text;
        EXPECT_EQ(read_budget.exhausted(), eval_budget.exhausted()) << c.text;
        EXPECT_TRUE(read_budget.Charge(limit - 2)) << c.text;
        EXPECT_FALSE(read_budget.Charge(1)) << c.text;
      } else {
        EXPECT_FALSE(read_budget.exhausted()) << c.text;  // Nothing charged.
        EXPECT_TRUE(read_budget.Charge(limit)) << c.text;
      }
    }
  }
}

}  // namespace
}  // namespace provgate::expr
