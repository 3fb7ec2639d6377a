// The rule language is bounded in depth, time and memory (rules/README.md, "Limits"): every
// input below ends quickly with a parse diagnostic or an evaluation error, never with a crash
// or with work that grows faster than the budget allows. Small cost limits keep the tests fast;
// nothing here measures time.
#include <gtest/gtest.h>
#include <pthread.h>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../test_files.h"
#include "expr/program.h"
#include "expr/proto_json.h"
#include "policy/template.h"
#include "provgate/expr.h"

namespace provgate::expr {
namespace {

std::string Repeat(std::string_view text, std::size_t times) {
  std::string out;
  out.reserve(text.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += text;
  return out;
}

// `[1]` mapped `times` times to a list of itself twice: the list holds 2^times leaves but
// takes O(times) steps to build, because the two elements share one list.
std::string Doubling(std::size_t times) { return "[1]" + Repeat(".map(a, [a, a])", times); }

std::unique_ptr<Program> MustCompile(const std::string& text) {
  std::vector<ParseIssue> issues;
  auto program = Program::Compile(text, issues);
  EXPECT_NE(program, nullptr) << (issues.empty() ? "" : issues[0].message);
  return program;
}

// Evaluates `text`, which must compile.
Value EvalText(const std::string& text, const Activation& activation, EvalOptions options = {}) {
  auto program = MustCompile(text);
  if (program == nullptr) return Value::Error("did not compile");
  return program->Evaluate(activation, options);
}
Value EvalText(const std::string& text, EvalOptions options = {}) {
  return EvalText(text, ListActivation(), options);
}

void ExpectError(const Value& value, std::string_view part) {
  ASSERT_TRUE(value.is_error()) << "not an error: " << ToProtoJson(value).dump().substr(0, 200);
  EXPECT_NE(value.ErrorMessage().find(part), std::string_view::npos) << value.ErrorMessage();
}

void ExpectParseError(const std::string& text, std::string_view part) {
  std::vector<ParseIssue> issues;
  EXPECT_EQ(Program::Compile(text, issues), nullptr) << text.substr(0, 60);
  ASSERT_FALSE(issues.empty()) << text.substr(0, 60);
  EXPECT_NE(issues[0].message.find(part), std::string::npos) << issues[0].message;
}

// --- Depth of the expression tree ---

TEST(ExprLimits, LongOperatorChainIsAParseErrorAtTheOperatorThatExceedsTheLimit) {
  // 25,000 terms: a left-deep tree that evaluation and destruction would walk recursively.
  std::string text = "1" + Repeat("+1", 24999);
  std::vector<ParseIssue> issues;
  EXPECT_EQ(Program::Compile(text, issues), nullptr);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_NE(issues[0].message.find("nested more than 250 levels"), std::string::npos);
  // The 250th '+' makes the 251st level: offset 499, column 500.
  EXPECT_EQ(issues[0].line, 1u);
  EXPECT_EQ(issues[0].column, 500u);
  // On a later line, the line and column are of that line.
  issues.clear();
  EXPECT_EQ(Program::Compile("true &&\n" + text, issues), nullptr);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].line, 2u);
  EXPECT_EQ(issues[0].column, 500u);
}

TEST(ExprLimits, TheDepthLimitIsExact) {
  std::string at_limit = "1" + Repeat("+1", kMaxNesting - 1);
  Value v = EvalText(at_limit);
  ASSERT_EQ(v.kind(), Kind::kInt);
  EXPECT_EQ(v.AsInt(), static_cast<std::int64_t>(kMaxNesting));
  ExpectParseError(at_limit + "+1", "nested more than");
  // The whole expression is the first level, each parenthesis one more.
  std::string parens = Repeat("(", kMaxNesting - 1) + "1" + Repeat(")", kMaxNesting - 1);
  EXPECT_EQ(EvalText(parens).AsInt(), 1);
  ExpectParseError("(" + parens + ")", "nested more than");
}

TEST(ExprLimits, EveryKindOfChainIsBounded) {
  const std::pair<std::string, std::string> kCases[] = {
      {"selection", "x" + Repeat(".y", 40000)},
      {"method", "[1]" + Repeat(".map(a, a)", 9000)},
      {"index", "x" + Repeat("[0]", 30000)},
      {"not", Repeat("!", 90000) + "true"},
      {"negation", Repeat("-", 50000) + "1"},
      {"negation of a selection", Repeat("-", 50000) + "x.y"},
      {"multiplication", "2" + Repeat("*1", 30000)},
      {"relation", "1" + Repeat("<2", 30000)},
      {"conditional", Repeat("true ? 1 : ", 9000) + "2"},
      {"parentheses", Repeat("(", 30000) + "1" + Repeat(")", 30000)},
      {"lists", Repeat("[", 30000) + Repeat("]", 30000)},
      {"maps", Repeat("{1:", 20000) + "1" + Repeat("}", 20000)},
      {"calls", Repeat("size(", 15000) + "1" + Repeat(")", 15000)},
      {"macro bodies", Repeat("[1].all(a, ", 8000) + "true" + Repeat(")", 8000)},
      {"has", "has(x" + Repeat(".y", 40000) + ")"},
  };
  for (const auto& [name, text] : kCases) {
    SCOPED_TRACE(name);
    ASSERT_LE(text.size(), 100000u);
    ExpectParseError(text, "nested more than 250 levels");
  }
}

TEST(ExprLimits, ChainsOfAndAndOrAreBalanced) {
  // 12,000 operands would be 12,000 levels as a chain; balanced they are 14.
  std::string conjunction = "true" + Repeat(" && true", 11999);
  Value v = EvalText(conjunction);
  ASSERT_EQ(v.kind(), Kind::kBool);
  EXPECT_TRUE(v.AsBool());
  std::string disjunction = "false" + Repeat(" || false", 9999) + " || x == 3";
  ListActivation activation;
  activation.Set("x", Value::Int(3));
  v = EvalText(disjunction, activation);
  ASSERT_EQ(v.kind(), Kind::kBool);
  EXPECT_TRUE(v.AsBool());
  // Short circuit still stops at the first deciding operand, whatever the shape.
  v = EvalText("false" + Repeat(" && 1 / 0 == 1", 6000), {.cost_limit = 100});
  ASSERT_EQ(v.kind(), Kind::kBool);
  EXPECT_FALSE(v.AsBool());
  // Errors are absorbed as by the chain: the first error unless a false decides.
  ExpectError(EvalText("1 / 0 == 1 && true && x.y && true", activation), "division by zero");
  v = EvalText("1 / 0 == 1 && true && false && 1 % 0 == 1");
  ASSERT_EQ(v.kind(), Kind::kBool);
  EXPECT_FALSE(v.AsBool());
}

TEST(ExprLimits, VariablesThatUseVariablesAreBoundedInDepth) {
  // A rule's variables are evaluated when first used, inside the evaluation that uses them:
  // a chain of 30,000 variables nests 30,000 evaluations.
  class ChainActivation : public Activation {
   public:
    explicit ChainActivation(std::size_t length) {
      std::vector<ParseIssue> issues;
      programs_.push_back(Program::Compile("true", issues));
      for (std::size_t i = 1; i < length; ++i) {
        programs_.push_back(Program::Compile("v" + std::to_string(i - 1), issues));
      }
    }
    bool Find(std::string_view name, Value& out) const override {
      std::size_t index = std::stoul(std::string(name.substr(1)));
      out = programs_[index]->Evaluate(*this, {.cost_limit = 1000});
      return true;
    }

   private:
    std::vector<std::unique_ptr<Program>> programs_;
  };
  ChainActivation short_chain(100);
  Value v = EvalText("v99", short_chain);
  ASSERT_EQ(v.kind(), Kind::kBool) << (v.is_error() ? v.ErrorMessage() : "");
  ChainActivation long_chain(30000);
  ExpectError(EvalText("v29999", long_chain), "nested too deeply");
  // The count is per thread and returns to zero: a shallow evaluation works afterwards.
  EXPECT_EQ(EvalText("v99", long_chain).kind(), Kind::kBool);
}

// --- Depth and size of values ---

TEST(ExprLimits, ValuesNestAtMostTheValueDepth) {
  std::string at_limit = Repeat("[", kMaxValueDepth) + Repeat("]", kMaxValueDepth);
  EXPECT_EQ(EvalText(at_limit).Depth(), kMaxValueDepth);
  std::string deeper = Repeat("[", kMaxValueDepth + 1) + Repeat("]", kMaxValueDepth + 1);
  ExpectError(EvalText(deeper), "nested more than 100 levels");
  // Built by a chain of macros rather than literally.
  ExpectError(EvalText("[1]" + Repeat(".map(a, [a])", 150)), "nested more than 100 levels");
  ExpectError(EvalText("{1: 2}" + Repeat(".map(k, {1: k})", 150)), "nested more than 100 levels");
  // Whoever builds the value, and whatever it holds.
  Value list = Value::List({});
  for (std::uint32_t i = 1; i < kMaxValueDepth; ++i) list = Value::List({list});
  ASSERT_EQ(list.Depth(), kMaxValueDepth);
  ExpectError(Value::List({list}), "nested more than");
  MapData map;
  map.entries.emplace_back(Value::Int(1), list);
  ExpectError(Value::Map(std::move(map)), "nested more than");
}

TEST(ExprLimits, SharedListsCountAsOftenAsTheyAreReachable) {
  // Two copies of a list of 2^19 leaves: too large, though built in a few dozen steps.
  ExpectError(EvalText(Doubling(40)), "value size limit exceeded");
  ExpectError(EvalText(Doubling(40) + " == " + Doubling(40)), "value size limit exceeded");
  Value v = EvalText(Doubling(10));
  ASSERT_EQ(v.kind(), Kind::kList);
  EXPECT_EQ(v.Size(), 2048u);  // 1024 leaves, 1023 lists above them, and the outer list.
  ExpectError(EvalText(Doubling(10), {.max_value_size = 2000}), "value size limit exceeded");
  // List and map literals are held to the limit too.
  ListActivation activation;
  activation.Set("big", v);
  EXPECT_FALSE(EvalText("[big, big]", activation).is_error());
  ExpectError(EvalText("[big, big]", activation, {.max_value_size = 4000}),
              "value size limit exceeded");
  ExpectError(EvalText("{1: big, 2: big}", activation, {.max_value_size = 4000}),
              "value size limit exceeded");
}

TEST(ExprLimits, MacroResultsAreSizeLimitedAsTheyGrow) {
  ListActivation activation;
  activation.Set("big", EvalText(Doubling(10)));
  EXPECT_FALSE(EvalText("[1, 2].map(x, big)", activation).is_error());
  ExpectError(EvalText("[1, 2].map(x, big)", activation, {.max_value_size = 4000}),
              "value size limit exceeded");
  ExpectError(EvalText("[1, 2].filter(x, true).map(x, [big]).filter(x, true)", activation,
                       {.max_value_size = 4000}),
              "value size limit exceeded");
}

TEST(ExprLimits, ConcatenationIsSizeLimitedBeforeAllocating) {
  ListActivation activation;
  activation.Set("s", Value::String(std::string(600000, 'a')));
  ExpectError(EvalText("s + s", activation, {.cost_limit = 10'000'000}),
              "value size limit exceeded");
  EXPECT_EQ(EvalText("s + 'b'", activation).AsString().size(), 600001u);
  activation.Set("l", EvalText(Doubling(16)));  // 2^16 leaves.
  ExpectError(EvalText("l + l + l + l + l + l + l + l", activation), "value size limit exceeded");
}

// --- Work is charged where it is done ---

TEST(ExprLimits, EqualityIsChargedPerElement) {
  std::string doubled = Doubling(12);  // 4096 leaves, a few dozen steps to build.
  Value v = EvalText(doubled + " == " + doubled, {.cost_limit = 100'000});
  ASSERT_EQ(v.kind(), Kind::kBool);
  EXPECT_TRUE(v.AsBool());
  ExpectError(EvalText(doubled + " == " + doubled, {.cost_limit = 2000}), "cost limit");
  ExpectError(EvalText(doubled + " != " + doubled, {.cost_limit = 2000}), "cost limit");
  // The exhausted budget is not absorbed by || or by exists().
  ExpectError(EvalText("(" + doubled + " == " + doubled + ") || true", {.cost_limit = 2000}),
              "cost limit");
  ExpectError(
      EvalText("[1].exists(x, " + doubled + " == " + doubled + " || true)", {.cost_limit = 2000}),
      "cost limit");
}

TEST(ExprLimits, MembershipIsChargedPerElement) {
  std::string doubled = Doubling(12);
  EXPECT_TRUE(EvalText(doubled + " in [1, " + doubled + "]", {.cost_limit = 100'000}).AsBool());
  ExpectError(EvalText(doubled + " in [1, " + doubled + "]", {.cost_limit = 2000}), "cost limit");
  ListActivation activation;
  std::vector<Value> many(100000, Value::Int(0));
  activation.Set("many", Value::List(std::move(many)));
  ExpectError(EvalText("1 in many", activation, {.cost_limit = 1000}), "cost limit");
}

TEST(ExprLimits, MapLookupsAreChargedPerKeyCompared) {
  MapData map;
  for (int i = 0; i < 20000; ++i) map.entries.emplace_back(Value::Int(i), Value::Int(i));
  ListActivation activation;
  activation.Set("m", Value::Map(std::move(map)));
  EXPECT_EQ(EvalText("m[5]", activation, {.cost_limit = 1000}).AsInt(), 5);
  ExpectError(EvalText("m[19999]", activation, {.cost_limit = 1000}), "cost limit");
  ExpectError(EvalText("19999 in m", activation, {.cost_limit = 1000}), "cost limit");
  ExpectError(EvalText("m == m", activation, {.cost_limit = 1000}), "cost limit");
}

TEST(ExprLimits, StringWorkIsChargedPerSixteenBytes) {
  ListActivation activation;
  activation.Set("s", Value::String(std::string(1 << 20, '1')));
  activation.Set("b", Value::Bytes(std::string(1 << 20, 'a')));
  EXPECT_FALSE(EvalText("s < s", activation).is_error());
  ExpectError(EvalText("s < s", activation, {.cost_limit = 1000}), "cost limit");
  ExpectError(EvalText("s == s", activation, {.cost_limit = 1000}), "cost limit");
  ExpectError(EvalText("string(b)", activation, {.cost_limit = 1000}), "cost limit");
  ExpectError(EvalText("int(s)", activation, {.cost_limit = 1000}), "cost limit");
  ExpectError(EvalText("uint(s)", activation, {.cost_limit = 1000}), "cost limit");
  ExpectError(EvalText("double(s)", activation, {.cost_limit = 1000}), "cost limit");
  ExpectError(EvalText("s.startsWith(s)", activation, {.cost_limit = 1000}), "cost limit");
  // An error quotes at most the start of a long string.
  activation.Set("t", Value::String(std::string(1000, '1')));
  Value error = EvalText("int(t)", activation);
  ASSERT_TRUE(error.is_error());
  EXPECT_LT(error.ErrorMessage().size(), 200u);
}

TEST(ExprLimits, SubstringSearchIsChargedForItsWorstCase) {
  // A naive search compares up to |needle| bytes at each position of the haystack.
  ListActivation activation;
  activation.Set("hay", Value::String(std::string(65536, 'a')));
  activation.Set("needle", Value::String(std::string(32768, 'a') + "b"));
  EXPECT_TRUE(EvalText("hay.contains('aab') || true", activation, {.cost_limit = 10000}).AsBool());
  ExpectError(EvalText("hay.contains(needle)", activation, {.cost_limit = 1'000'000}),
              "cost limit");
}

TEST(ExprLimits, RegularExpressionsAreChargedByTextAndPatternSize) {
  ListActivation activation;
  activation.Set("text", Value::String(std::string(65536, 'a')));
  activation.Set("pattern", Value::String("(a|aa|aaa|b)(a|aa|aaa|b)(a|aa|aaa|b)(a|aa)*c"));
  // A short pattern with a large program (3,000 instructions): the text is charged many times.
  std::string big_pattern = "'((a|b)c){500}z'";
  EXPECT_FALSE(EvalText("text.matches('a+')", activation, {.cost_limit = 10000}).is_error());
  ExpectError(EvalText("text.matches(" + big_pattern + ")", activation, {.cost_limit = 100000}),
              "cost limit");
  ExpectError(
      EvalText("text.matches(pattern + " + big_pattern + ")", activation, {.cost_limit = 100000}),
      "cost limit");
}

TEST(ExprLimits, ListConcatenationIsChargedPerElement) {
  ListActivation activation;
  std::vector<Value> many(100000, Value::Int(0));
  activation.Set("l", Value::List(std::move(many)));
  EXPECT_EQ((EvalText("l + l", activation, {.cost_limit = 300'000}).AsList().size()), 200000u);
  ExpectError(EvalText("l + l", activation, {.cost_limit = 20000}), "cost limit");
}

TEST(ExprLimits, PrintingIsCharged) {
  Value doubled = EvalText(Doubling(12));
  ASSERT_EQ(doubled.kind(), Kind::kList);
  Budget enough(100'000);
  EXPECT_EQ(ToProtoJson(doubled, enough).dump().find("error"), std::string::npos);
  Budget small(1000);
  EXPECT_EQ(ToProtoJson(doubled, small).dump(), R"({"error":"evaluation cost limit exceeded"})");
  EXPECT_TRUE(small.exhausted());
  // provgate expr prints on the evaluation's budget.
  ExpressionOptions options;
  options.cost_limit = 2000;
  ExpressionResult result = EvaluateExpression(Doubling(12), options);
  EXPECT_EQ(result.outcome, ExpressionResult::Outcome::kEvaluationError);
  EXPECT_EQ(result.json, R"({"error":"evaluation cost limit exceeded"})");
  options.cost_limit = 100'000;
  EXPECT_EQ(EvaluateExpression(Doubling(12), options).outcome, ExpressionResult::Outcome::kValue);
}

TEST(ExprLimits, MessageTemplatesAreChargedForTheirText) {
  detail::MessageTemplate message;
  std::vector<ParseIssue> issues;
  ASSERT_TRUE(message.Compile("value: {{" + Doubling(12) + "}}, then {{1 + 1}}", issues));
  ListActivation activation;
  std::string rendered = message.Render(activation, 100'000);
  EXPECT_EQ(rendered.substr(0, 13), "value: [[[[[[");
  EXPECT_EQ(rendered.substr(rendered.size() - 10), "]], then 2");
  // The placeholders share one budget: once it is spent, the rest are errors too.
  EXPECT_EQ(message.Render(activation, 2000),
            "value: <error: evaluation cost limit exceeded>, then <error: evaluation cost limit "
            "exceeded>");
  Budget small(10);
  EXPECT_EQ(detail::ValueToText(EvalText(Doubling(12)), small),
            "<error: evaluation cost limit exceeded>");
}

// --- Bindings in proto3 JSON ---

// {"listValue": {"values": [ ... ]}} nested `depth` times around an int.
std::string NestedListJson(std::size_t depth) {
  return Repeat(R"({"listValue":{"values":[)", depth) + R"({"int64Value":"1"})" +
         Repeat("]}}", depth);
}

TEST(ExprLimits, DeepBindingsAreRefusedNotRecursed) {
  Value v;
  std::string error, pointer;
  ASSERT_TRUE(
      FromProtoJson(nlohmann::json::parse(NestedListJson(kMaxValueDepth)), v, error, pointer))
      << error;
  EXPECT_EQ(v.Depth(), kMaxValueDepth);
  EXPECT_FALSE(
      FromProtoJson(nlohmann::json::parse(NestedListJson(kMaxValueDepth + 1)), v, error, pointer));
  EXPECT_NE(error.find("nested more than 100 levels"), std::string::npos) << error;
  EXPECT_EQ(pointer.substr(0, 26), "/listValue/values/0/listVa");
  // 30,000 levels: nlohmann's reader and destructor do not recurse; ours stops at the limit.
  EXPECT_FALSE(FromProtoJson(nlohmann::json::parse(NestedListJson(30000)), v, error, pointer));
}

TEST(ExprLimits, BindingsFilesRefuseDuplicateKeysAndDeepNesting) {
  testing_support::ScratchDir dir;
  struct Case {
    std::string name;
    std::string text;
    std::string code;
    std::string message_part;
    std::uint32_t line, column;
    std::string pointer;
  };
  const Case kCases[] = {
      {"top", "{\"x\": {\"int64Value\": \"1\"},\n \"x\": {\"int64Value\": \"2\"}}",
       "json-duplicate-key", "duplicate key 'x'", 2, 2, "/x"},
      {"inner", R"({"x": {"int64Value": "1", "int64Value": "2"}})", "json-duplicate-key",
       "duplicate key 'int64Value'", 1, 27, "/x/int64Value"},
      {"in a list",
       R"({"l": {"listValue": {"values": [{"nullValue": null}, {"boolValue": true, )"
       R"("boolValue": false}]}}})",
       "json-duplicate-key", "duplicate key 'boolValue'", 1, 74, "/l/listValue/values/1/boolValue"},
      {"escaped", R"({"a\"b": {"nullValue": null}, "a\"b": {"nullValue": null}})",
       "json-duplicate-key", "duplicate key 'a\"b'", 1, 31, "/a\"b"},
      {"deep", "{\"x\": " + NestedListJson(30000) + "}", "json-depth", "nesting is deeper than", 1,
       0, ""},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    ExpressionOptions options;
    options.bindings_path = dir.Write(c.name + ".json", c.text);
    ExpressionResult result = EvaluateExpression("1", options);
    EXPECT_EQ(result.outcome, ExpressionResult::Outcome::kInvalid);
    ASSERT_EQ(result.diagnostics.size(), 1u);
    const Diagnostic& d = result.diagnostics[0];
    EXPECT_EQ(d.code, c.code);
    EXPECT_NE(d.message.find(c.message_part), std::string::npos) << d.message;
    EXPECT_EQ(d.line, c.line);
    if (c.column != 0) {
      EXPECT_EQ(d.column, c.column);
    }
    if (!c.pointer.empty()) {
      EXPECT_EQ(d.pointer, c.pointer);
    }
  }
  // Values nested to the limit are accepted.
  ExpressionOptions options;
  options.bindings_path = dir.Write("ok.json", "{\"x\": " + NestedListJson(kMaxValueDepth) + "}");
  ExpressionResult result = EvaluateExpression("size(x)", options);
  EXPECT_EQ(result.outcome, ExpressionResult::Outcome::kValue)
      << (result.diagnostics.empty() ? result.json : result.diagnostics[0].message);
}

// --- Stack ---

// The limits are chosen for 1 MiB of stack in an optimized build; without optimization, or
// with AddressSanitizer's red zones, frames are several times larger.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PROVGATE_TEST_LARGE_FRAMES 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || !defined(__OPTIMIZE__)
#define PROVGATE_TEST_LARGE_FRAMES 1
#endif
#ifdef PROVGATE_TEST_LARGE_FRAMES
constexpr std::size_t kTestStack = 4 << 20;
#else
constexpr std::size_t kTestStack = 1 << 20;
#endif

// Runs `body` on a thread with `stack_bytes` of stack, as a host's worker thread may have.
void RunOnStack(std::size_t stack_bytes, const std::function<void()>& body) {
  pthread_attr_t attributes;
  ASSERT_EQ(pthread_attr_init(&attributes), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attributes, stack_bytes), 0);
  pthread_t thread;
  auto start = [](void* argument) -> void* {
    (*static_cast<const std::function<void()>*>(argument))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attributes, start, const_cast<std::function<void()>*>(&body)),
            0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attributes);
}

TEST(ExprLimits, TheDeepestAcceptedInputsFitInOneMebibyteOfStack) {
  RunOnStack(kTestStack, [] {
    const std::uint32_t n = kMaxNesting;
    // Parser recursion: brackets, calls and macro bodies nested to the limit.
    Value v = EvalText(Repeat("[", n - 2) + "size('x')" + Repeat("]", n - 2));
    ExpectError(v, "nested more than 100 levels");  // The value is deeper than lists may be.
    v = EvalText(Repeat("[1].all(a, ", n - 2) + "true" + Repeat(")", n - 2));
    EXPECT_TRUE(v.AsBool());
    v = EvalText(Repeat("[1].exists(a, !", n / 2 - 1) + "false" + Repeat(")", n / 2 - 1));
    EXPECT_EQ(v.kind(), Kind::kBool);
    // Evaluation of a chain of comprehensions to the limit, and of a value to its depth.
    v = EvalText("[1]" + Repeat(".map(a, a)", n - 2));
    EXPECT_EQ(v.kind(), Kind::kList);
    std::string deep = Repeat("[", kMaxValueDepth) + Repeat("]", kMaxValueDepth);
    v = EvalText(deep + " == " + deep + " && '' + (" + deep + " == " + deep +
                 " ? 'x' : 'y') == 'x'");
    EXPECT_TRUE(v.AsBool());
    Budget budget(1'000'000);
    EXPECT_EQ(ToProtoJson(EvalText(deep), budget).dump().find("error"), std::string::npos);
    Budget text_budget(1'000'000);
    EXPECT_EQ(detail::ValueToText(EvalText(deep), text_budget).size(), 2u * kMaxValueDepth);
  });
}

TEST(ExprLimits, NestedEvaluationsToTheLimitFitInOneMebibyteOfStack) {
  // Variables that use each other, up to kMaxEvaluationLevels in all: each of height 9 and
  // its evaluation, 10 levels; the first, `[1].all(a, true)`, 4.
  class ChainActivation : public Activation {
   public:
    ChainActivation() {
      std::vector<ParseIssue> issues;
      programs_.push_back(Program::Compile("[1].all(a, true)", issues));
      for (std::size_t i = 1; i < 200; ++i) {
        programs_.push_back(
            Program::Compile("!!!!!!!!" + std::string("v") + std::to_string(i - 1), issues));
      }
    }
    bool Find(std::string_view name, Value& out) const override {
      std::size_t index = std::stoul(std::string(name.substr(1)));
      out = programs_[index]->Evaluate(*this, {.cost_limit = 100000});
      return true;
    }

   private:
    std::vector<std::unique_ptr<Program>> programs_;
  };
  RunOnStack(kTestStack, [] {
    ChainActivation activation;
    // The expression `v39` and its evaluation (2 levels), 39 variables of 10, the last of 4:
    // 396 levels. One more variable is too many.
    static_assert(kMaxEvaluationLevels == 400);
    Value v = EvalText("v39", activation);
    EXPECT_EQ(v.kind(), Kind::kBool) << (v.is_error() ? v.ErrorMessage() : "");
    ExpectError(EvalText("v40", activation), "nested too deeply");
  });
}

}  // namespace
}  // namespace provgate::expr
