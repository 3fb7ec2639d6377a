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
