// Data-driven tests of the expression language: every line of cases.txt is one expression and
// its expected result, as proto3 JSON, an evaluation error or a parse error.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "expr/program.h"
#include "expr/proto_json.h"

namespace provgate::expr {
namespace {

struct Case {
  int line = 0;
  std::string expression;
  std::string expected;
  std::string bindings;
};

std::vector<Case> LoadCases() {
  std::ifstream in(std::string(PROVGATE_TEST_DATA) + "/unit/expr/cases.txt");
  std::vector<Case> cases;
  std::string text;
  std::string bindings = "{}";
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty() || text[0] == '#') continue;
    if (text.rfind("@bindings ", 0) == 0) {
      bindings = text.substr(10);
      continue;
    }
    std::size_t arrow = text.rfind(" ==> ");
    if (arrow == std::string::npos) {
      ADD_FAILURE() << "cases.txt:" << line << ": no ' ==> ' in line";
      continue;
    }
    cases.push_back({line, text.substr(0, arrow), text.substr(arrow + 5), bindings});
  }
  return cases;
}

void PrintTo(const Case& c, std::ostream* os) {
  *os << "cases.txt:" << c.line << ": " << c.expression;
}

class ExprCaseTest : public testing::TestWithParam<Case> {};

TEST_P(ExprCaseTest, Evaluates) {
  const Case& c = GetParam();
  SCOPED_TRACE("cases.txt:" + std::to_string(c.line) + ": " + c.expression);
  std::vector<ParseIssue> issues;
  auto program = Program::Compile(c.expression, issues);
  if (c.expected.rfind("parse error: ", 0) == 0) {
    ASSERT_EQ(program, nullptr) << "expected a parse error";
    ASSERT_FALSE(issues.empty());
    EXPECT_NE(issues[0].message.find(c.expected.substr(13)), std::string::npos)
        << "message: " << issues[0].message;
    return;
  }
  ASSERT_NE(program, nullptr) << (issues.empty() ? "" : issues[0].message);
  ListActivation activation;
  const nlohmann::json bindings = nlohmann::json::parse(c.bindings);
  for (const auto& [name, value] : bindings.items()) {
    Value v;
    std::string error, pointer;
    ASSERT_TRUE(FromProtoJson(value, v, error, pointer)) << error;
    activation.Set(name, v);
  }
  Value result = program->Evaluate(activation, {10000});
  if (c.expected.rfind("error: ", 0) == 0) {
    ASSERT_TRUE(result.is_error()) << "got " << ToProtoJson(result).dump();
    EXPECT_NE(result.ErrorMessage().find(c.expected.substr(7)), std::string::npos)
        << "message: " << result.ErrorMessage();
    return;
  }
  ASSERT_FALSE(result.is_error()) << result.ErrorMessage();
  EXPECT_EQ(nlohmann::json::parse(ToProtoJson(result).dump()), nlohmann::json::parse(c.expected));
}

INSTANTIATE_TEST_SUITE_P(Cases, ExprCaseTest, testing::ValuesIn(LoadCases()),
                         [](const testing::TestParamInfo<Case>& info) {
                           return "line" + std::to_string(info.param.line);
                         });

TEST(ExprProgram, CompilesOnceEvaluatesManyTimes) {
  std::vector<ParseIssue> issues;
  auto program = Program::Compile("x * 2 + 1", issues);
  ASSERT_NE(program, nullptr);
  for (int i = 0; i < 100; ++i) {
    ListActivation activation;
    activation.Set("x", Value::Int(i));
    Value v = program->Evaluate(activation);
    ASSERT_EQ(v.kind(), Kind::kInt);
    EXPECT_EQ(v.AsInt(), 2 * i + 1);
  }
}

TEST(ExprProgram, ReportsFreeVariables) {
  std::vector<ParseIssue> issues;
  auto program = Program::Compile("a.b + c[0] + [1].map(x, x + d)[0]", issues);
  ASSERT_NE(program, nullptr);
  EXPECT_EQ(program->variables(), (std::vector<std::string>{"a", "c", "d"}));
}

TEST(ExprProgram, ParseIssuePositionIsLineAndColumn) {
  std::vector<ParseIssue> issues;
  auto program = Program::Compile("1 +\n  (2 *", issues);
  ASSERT_EQ(program, nullptr);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].line, 2u);
  EXPECT_EQ(issues[0].column, 7u);
}

TEST(ExprProgram, CostLimitStopsRunawayEvaluation) {
  std::vector<ParseIssue> issues;
  auto program = Program::Compile(
      "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, "
      "[1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, "
      "[1,2,3,4,5,6,7,8,9,10].all(e, a + b + c + d + e > 0)))))",
      issues);
  ASSERT_NE(program, nullptr);
  ListActivation activation;
  Value limited = program->Evaluate(activation, {50000});
  ASSERT_TRUE(limited.is_error());
  EXPECT_NE(limited.ErrorMessage().find("cost limit"), std::string::npos);
  Value unlimited = program->Evaluate(activation, {100000000});
  ASSERT_EQ(unlimited.kind(), Kind::kBool);
  EXPECT_TRUE(unlimited.AsBool());
}

TEST(ExprProgram, CostLimitIsNotAbsorbedByOr) {
  std::vector<ParseIssue> issues;
  auto program = Program::Compile(
      "true || [1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, a * b)).size() > 0",
      issues);
  ASSERT_NE(program, nullptr);
  ListActivation activation;
  // Short circuit: the right side is never evaluated, so the cost stays small.
  EXPECT_FALSE(program->Evaluate(activation, {20}).is_error());
  auto program2 = Program::Compile(
      "[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, a * b)).size() > 0 || true",
      issues);
  ASSERT_NE(program2, nullptr);
  EXPECT_TRUE(program2->Evaluate(activation, {20}).is_error());
}

// By default a call of an unknown function is refused when compiling (a rule pack with a
// misspelt function does not load); without the check, as in CEL without a type checker, it
// fails when evaluated, and && and || absorb the error like any other.
TEST(ExprProgram, UnknownFunctionsAreRefusedOrFailWhenEvaluated) {
  const char* texts[] = {"f_unknown(17) || true", "[1].as() || true", "'a'.size(1) || true",
                         "size() || true"};
  CompileOptions deferred;
  deferred.reject_unknown_functions = false;
  for (const char* text : texts) {
    SCOPED_TRACE(text);
    std::vector<ParseIssue> issues;
    EXPECT_EQ(Program::Compile(text, issues), nullptr);
    ASSERT_EQ(issues.size(), 1u);
    issues.clear();
    auto program = Program::Compile(text, issues, deferred);
    ASSERT_NE(program, nullptr) << (issues.empty() ? "" : issues[0].message);
    Value v = program->Evaluate(ListActivation());
    ASSERT_EQ(v.kind(), Kind::kBool) << ToProtoJson(v).dump();
    EXPECT_TRUE(v.AsBool());
  }
  struct Failing {
    const char* text;
    const char* message;
  } failing[] = {{"f_unknown(17)", "unbound function 'f_unknown'"},
                 {"false || f(1)", "unbound function 'f'"},
                 {"true && [1].as()", "unbound function 'as'"},
                 {"int(1, 2)", "no matching overload: 'int' takes 1 argument, got 2"}};
  for (const auto& f : failing) {
    SCOPED_TRACE(f.text);
    std::vector<ParseIssue> issues;
    auto program = Program::Compile(f.text, issues, deferred);
    ASSERT_NE(program, nullptr);
    Value v = program->Evaluate(ListActivation());
    ASSERT_TRUE(v.is_error());
    EXPECT_EQ(v.ErrorMessage(), f.message);
  }
  // Reserved words stay refused as names of variables and global functions.
  std::vector<ParseIssue> issues;
  EXPECT_EQ(Program::Compile("as(1) || true", issues, deferred), nullptr);
}

// CEL resolves `a.b.c` as the longest name bound in the activation: the variable `a.b.c`,
// else the field `c` of the variable `a.b`, else the fields of `a`.
TEST(ExprProgram, QualifiedNamesResolveLongestFirst) {
  MapData ab;
  ab.entries.emplace_back(Value::String("c"), Value::String("field c of a.b"));
  ab.entries.emplace_back(Value::String("d"), Value::String("field d of a.b"));
  MapData b;
  b.entries.emplace_back(Value::String("e"), Value::String("field e of a.b of a"));
  MapData a;
  a.entries.emplace_back(Value::String("b"), Value::Map(std::move(b)));
  ListActivation activation;
  activation.Set("a.b.c", Value::String("variable a.b.c"));
  activation.Set("a.b", Value::Map(std::move(ab)));
  activation.Set("a", Value::Map(std::move(a)));
  struct Expected {
    const char* text;
    const char* value;
  } cases[] = {{"a.b.c", "variable a.b.c"},
               {"a.b.d", "field d of a.b"},
               {"a.b.e", ""},  // a.b is bound, and has no field e
               {"a.`b`.e", "field e of a.b of a"},
               {"[{'b': {'c': 'local'}}].map(a, a.b.c)[0]", "local"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::vector<ParseIssue> issues;
    auto program = Program::Compile(c.text, issues);
    ASSERT_NE(program, nullptr) << (issues.empty() ? "" : issues[0].message);
    Value v = program->Evaluate(activation);
    if (*c.value == '\0') {
      EXPECT_TRUE(v.is_error()) << ToProtoJson(v).dump();
      continue;
    }
    ASSERT_EQ(v.kind(), Kind::kString) << ToProtoJson(v).dump();
    EXPECT_EQ(v.AsString(), c.value);
  }
  // Without a qualified name among the variables, a selection is only a selection.
  ListActivation plain;
  MapData only_a;
  only_a.entries.emplace_back(Value::String("b"), Value::String("field b of a"));
  plain.Set("a", Value::Map(std::move(only_a)));
  EXPECT_FALSE(plain.HasQualifiedNames());
  EXPECT_TRUE(activation.HasQualifiedNames());
  std::vector<ParseIssue> issues;
  auto program = Program::Compile("a.b", issues);
  ASSERT_NE(program, nullptr);
  Value v = program->Evaluate(plain);
  ASSERT_EQ(v.kind(), Kind::kString);
  EXPECT_EQ(v.AsString(), "field b of a");
}

TEST(ExprProgram, DeepNestingIsAParseErrorNotACrash) {
  std::string deep(5000, '(');
  deep += "1";
  deep += std::string(5000, ')');
  std::vector<ParseIssue> issues;
  EXPECT_EQ(Program::Compile(deep, issues), nullptr);
  ASSERT_FALSE(issues.empty());
  EXPECT_NE(issues[0].message.find("nested"), std::string::npos);
  std::string bangs(100000, '!');
  issues.clear();
  EXPECT_EQ(Program::Compile(bangs + "true", issues), nullptr);
}

}  // namespace
}  // namespace provgate::expr
