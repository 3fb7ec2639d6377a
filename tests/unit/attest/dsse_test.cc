#include "attest/dsse.h"

#include <gtest/gtest.h>

#include "attest/envelope.h"
#include "common/base64.h"

namespace provgate::detail {
namespace {

TEST(Dsse, PreAuthEncodingFollowsTheSpecification) {
  // The example of the DSSE protocol specification.
  EXPECT_EQ(PreAuthEncoding("http://example.com/HelloWorld", "hello world"),
            "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  // Lengths count bytes, not characters.
  EXPECT_EQ(PreAuthEncoding("t", "\xc3\xa9"), "DSSEv1 1 t 2 \xc3\xa9");
}

TEST(Dsse, Base64AcceptsBothAlphabetsWithOrWithoutPadding) {
  std::string out;
  EXPECT_EQ(Base64Encode("\xff\xef\x01"), "/+8B");
  ASSERT_TRUE(Base64Decode("/+8B", out));
  EXPECT_EQ(out, "\xff\xef\x01");
  ASSERT_TRUE(Base64Decode("_-8B", out));
  EXPECT_EQ(out, "\xff\xef\x01");
  ASSERT_TRUE(Base64Decode("aGk", out));
  EXPECT_EQ(out, "hi");
  ASSERT_TRUE(Base64Decode("aGk=", out));
  EXPECT_EQ(out, "hi");
  EXPECT_FALSE(Base64Decode("a*b", out));
  EXPECT_FALSE(Base64Decode("aG=k", out));
}

class SigningKeyTest : public testing::TestWithParam<SigningKey::Type> {};

TEST_P(SigningKeyTest, SignsAndVerifiesThroughPem) {
  std::optional<SigningKey> made = SigningKey::Generate(GetParam());
  ASSERT_TRUE(made.has_value());
  const SigningKey& generated = *made;
  SigningKey priv;
  SigningKey pub;
  std::string error;
  ASSERT_TRUE(SigningKey::FromPem(generated.PrivatePem(), true, priv, error)) << error;
  ASSERT_TRUE(SigningKey::FromPem(generated.PublicPem(), false, pub, error)) << error;
  EXPECT_EQ(pub.type(), GetParam());
  EXPECT_FALSE(pub.has_private());
  EXPECT_EQ(pub.KeyId(), generated.KeyId());
  EXPECT_EQ(pub.KeyId().rfind("SHA256:", 0), 0u);
  EXPECT_EQ(pub.KeyId().size(), 7u + 43u);

  std::string message = PreAuthEncoding("application/vnd.in-toto+json", "{\"a\":1}");
  std::string signature = priv.Sign(message);
  EXPECT_TRUE(pub.Verify(message, signature));
  // Every single-byte change of the message or the signature fails.
  for (std::size_t i = 0; i < message.size(); ++i) {
    std::string changed = message;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    EXPECT_FALSE(pub.Verify(changed, signature)) << "message byte " << i;
  }
  for (std::size_t i = 0; i < signature.size(); ++i) {
    std::string changed = signature;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    EXPECT_FALSE(pub.Verify(message, changed)) << "signature byte " << i;
  }
  // Another key does not verify it.
  std::optional<SigningKey> other = SigningKey::Generate(GetParam());
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(other->Verify(message, signature));
}

INSTANTIATE_TEST_SUITE_P(Types, SigningKeyTest,
                         testing::Values(SigningKey::Type::kEcdsaP256, SigningKey::Type::kEd25519),
                         [](const testing::TestParamInfo<SigningKey::Type>& info) {
                           return info.param == SigningKey::Type::kEd25519 ? "Ed25519"
                                                                           : "EcdsaP256";
                         });

TEST(SigningKey, RejectsWhatIsNotAKeyOfASupportedType) {
  SigningKey key;
  std::string error;
  EXPECT_FALSE(SigningKey::FromPem("not a key", true, key, error));
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace provgate::detail
