#include "expr/value.h"

#include <gtest/gtest.h>

#include "expr/program.h"
#include "expr/proto_json.h"

namespace provgate::expr {
namespace {

TEST(Value, BorrowedStringsDoNotCopy) {
  std::string text = "source-id";
  Value v = Value::BorrowedString(text);
  EXPECT_EQ(v.AsString().data(), text.data());
}

TEST(Value, OwnedValuesShareTheirPayload) {
  Value list = Value::List({Value::Int(1), Value::String("x")});
  Value copy = list;
  EXPECT_EQ(&list.AsList(), &copy.AsList());
  Budget budget(100);
  EXPECT_TRUE(Equal(list, copy, budget));
}

TEST(Value, HeterogeneousNumericEquality) {
  Budget budget(100);
  EXPECT_TRUE(Equal(Value::Int(3), Value::Uint(3), budget));
  EXPECT_TRUE(Equal(Value::Uint(3), Value::Double(3.0), budget));
  EXPECT_FALSE(Equal(Value::Int(-1), Value::Uint(UINT64_MAX), budget));
  EXPECT_FALSE(Equal(Value::Int(1), Value::String("1"), budget));
}

TEST(FormatDouble, MatchesCelStringConversion) {
  EXPECT_EQ(FormatDouble(0.5), "0.5");
  EXPECT_EQ(FormatDouble(-2.0), "-2");
  EXPECT_EQ(FormatDouble(123456789.0), "123456789");
  EXPECT_EQ(FormatDouble(1e21), "1e+21");
  EXPECT_EQ(FormatDouble(0.0001), "0.0001");
  EXPECT_EQ(FormatDouble(0.00001), "1e-05");
}

TEST(ProtoJson, RoundTripsEveryKind) {
  const char* kInputs[] = {
      R"({"nullValue":null})",
      R"({"boolValue":true})",
      R"({"int64Value":"-5"})",
      R"({"uint64Value":"18446744073709551615"})",
      R"({"doubleValue":2.5})",
      R"({"stringValue":"é"})",
      R"({"bytesValue":"AAEC"})",
      R"({"listValue":{"values":[{"int64Value":"1"}]}})",
      R"({"mapValue":{"entries":[{"key":{"stringValue":"k"},"value":{"boolValue":false}}]}})"};
  for (const char* input : kInputs) {
    Value v;
    std::string error, pointer;
    ASSERT_TRUE(FromProtoJson(nlohmann::json::parse(input), v, error, pointer)) << error;
    EXPECT_EQ(ToProtoJson(v).dump(), input);
  }
}

TEST(ProtoJson, AcceptsUrlSafeUnpaddedBase64AndNumbers) {
  Value v;
  std::string error, pointer;
  ASSERT_TRUE(FromProtoJson(nlohmann::json::parse(R"({"bytesValue":"_-8"})"), v, error, pointer));
  EXPECT_EQ(v.AsString(), std::string("\xff\xef", 2));
  ASSERT_TRUE(FromProtoJson(nlohmann::json::parse(R"({"int64Value":7})"), v, error, pointer));
  EXPECT_EQ(v.AsInt(), 7);
}

TEST(ProtoJson, RejectsMalformedValuesWithAPointer) {
  Value v;
  std::string error, pointer;
  EXPECT_FALSE(
      FromProtoJson(nlohmann::json::parse(R"({"listValue":{"values":[{"int64Value":"x"}]}})"), v,
                    error, pointer));
  EXPECT_EQ(pointer, "/listValue/values/0/int64Value");
  EXPECT_FALSE(FromProtoJson(nlohmann::json::parse(R"({"int32Value":"1"})"), v, error, pointer));
  EXPECT_NE(error.find("unknown value kind"), std::string::npos);
  EXPECT_FALSE(FromProtoJson(nlohmann::json::parse(R"({"int64Value":"1","boolValue":true})"), v,
                             error, pointer));
}

}  // namespace
}  // namespace provgate::expr
