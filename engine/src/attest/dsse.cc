// ECDSA P-256 and Ed25519 keys through OpenSSL's EVP interface: PEM in and out, key ids,
// signatures.
#include "attest/dsse.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <cstdlib>

#include "common/base64.h"

namespace provgate::detail {

struct SigningKey::Handle {
  EVP_PKEY* key = nullptr;
  ~Handle() { EVP_PKEY_free(key); }
};

SigningKey::SigningKey() = default;
SigningKey::~SigningKey() = default;
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;

namespace {

[[noreturn]] void Fatal(const char* what) {
  std::fprintf(stderr, "provgate: OpenSSL failed: %s\n", what);
  std::abort();
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

void AppendSshString(std::string& out, std::string_view bytes) {
  std::uint32_t n = static_cast<std::uint32_t>(bytes.size());
  out += static_cast<char>(n >> 24);
  out += static_cast<char>((n >> 16) & 0xFF);
  out += static_cast<char>((n >> 8) & 0xFF);
  out += static_cast<char>(n & 0xFF);
  out.append(bytes);
}

}  // namespace

std::optional<SigningKey> SigningKey::Generate(Type type) {
  SigningKey key;
  key.handle_ = std::make_unique<Handle>();
  key.type_ = type;
  key.has_private_ = true;
  key.handle_->key = type == Type::kEd25519 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                                            : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (key.handle_->key == nullptr) {
    ERR_clear_error();
    return std::nullopt;
  }
  return key;
}

bool SigningKey::FromPem(std::string_view pem, bool is_private, SigningKey& out,
                         std::string& error) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  // No passphrase callback may prompt on the terminal: an encrypted key simply fails.
  auto no_passphrase = [](char*, int, int, void*) { return 0; };
  EVP_PKEY* key = is_private ? PEM_read_bio_PrivateKey(bio, nullptr, no_passphrase, nullptr)
                             : PEM_read_bio_PUBKEY(bio, nullptr, no_passphrase, nullptr);
  BIO_free(bio);
  if (key == nullptr) {
    ERR_clear_error();
    error = is_private ? "not a PEM private key (passphrase-protected keys are not supported)"
                       : "not a PEM public key";
    return false;
  }
  SigningKey result;
  result.handle_ = std::make_unique<Handle>();
  result.handle_->key = key;
  result.has_private_ = is_private;
  if (EVP_PKEY_is_a(key, "ED25519")) {
    result.type_ = Type::kEd25519;
  } else if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {0};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                       &length) != 1 ||
        std::string_view(group) != "prime256v1") {
      error = "an EC key must be on P-256";
      return false;
    }
    result.type_ = Type::kEcdsaP256;
  } else {
    error = "unsupported key type: use ECDSA P-256 or Ed25519";
    return false;  // `result` frees the key.
  }
  out = std::move(result);
  return true;
}

std::string SigningKey::PrivatePem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  if (PEM_write_bio_PrivateKey(bio, handle_->key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    Fatal("writing a private key");
  }
  std::string pem = BioContents(bio);
  BIO_free(bio);
  return pem;
}

std::string SigningKey::PublicPem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  if (PEM_write_bio_PUBKEY(bio, handle_->key) != 1) Fatal("writing a public key");
  std::string pem = BioContents(bio);
  BIO_free(bio);
  return pem;
}

std::string SigningKey::KeyId() const {
  std::string blob;
  if (type_ == Type::kEd25519) {
    unsigned char raw[32];
    std::size_t length = sizeof(raw);
    if (EVP_PKEY_get_raw_public_key(handle_->key, raw, &length) != 1) Fatal("reading a key");
    AppendSshString(blob, "ssh-ed25519");
    AppendSshString(blob, std::string_view(reinterpret_cast<char*>(raw), length));
  } else {
    unsigned char point[65];
    std::size_t length = 0;
    if (EVP_PKEY_get_octet_string_param(handle_->key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
                                        sizeof(point), &length) != 1) {
      Fatal("reading a key");
    }
    AppendSshString(blob, "ecdsa-sha2-nistp256");
    AppendSshString(blob, "nistp256");
    AppendSshString(blob, std::string_view(reinterpret_cast<char*>(point), length));
  }
  std::string b64 = Base64Encode(Sha256Digest(blob));
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  return "SHA256:" + b64;
}

std::string SigningKey::Sign(std::string_view message) const {
  if (!handle_ || !has_private_) return "";
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const EVP_MD* md = type_ == Type::kEd25519 ? nullptr : EVP_sha256();
  const auto* data = reinterpret_cast<const unsigned char*>(message.data());
  std::size_t length = 0;
  std::string signature;
  if (ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, md, nullptr, handle_->key) == 1 &&
      EVP_DigestSign(ctx, nullptr, &length, data, message.size()) == 1) {
    signature.resize(length);
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                       message.size()) == 1) {
      signature.resize(length);
    } else {
      signature.clear();
    }
  }
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  return signature;
}

bool SigningKey::Verify(std::string_view message, std::string_view signature) const {
  if (!handle_) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const EVP_MD* md = type_ == Type::kEd25519 ? nullptr : EVP_sha256();
  bool ok = ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, handle_->key) == 1 &&
            EVP_DigestVerify(
                ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();  // A failed verification leaves errors queued; they are not needed.
  return ok;
}

std::string SigningKey::SignDigest(std::string_view sha256) const {
  if (!handle_ || !has_private_ || type_ != Type::kEcdsaP256 || sha256.size() != 32) return "";
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, handle_->key, nullptr);
  const auto* digest = reinterpret_cast<const unsigned char*>(sha256.data());
  std::size_t length = 0;
  std::string signature;
  if (ctx != nullptr && EVP_PKEY_sign_init(ctx) == 1 &&
      EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
      EVP_PKEY_sign(ctx, nullptr, &length, digest, sha256.size()) == 1) {
    signature.resize(length);
    if (EVP_PKEY_sign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length, digest,
                      sha256.size()) == 1) {
      signature.resize(length);
    } else {
      signature.clear();
    }
  }
  EVP_PKEY_CTX_free(ctx);
  ERR_clear_error();
  return signature;
}

bool SigningKey::VerifyDigest(std::string_view sha256, std::string_view signature) const {
  if (!handle_ || type_ != Type::kEcdsaP256 || sha256.size() != 32) return false;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, handle_->key, nullptr);
  bool ok = ctx != nullptr && EVP_PKEY_verify_init(ctx) == 1 &&
            EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
            EVP_PKEY_verify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(), reinterpret_cast<const unsigned char*>(sha256.data()),
                            sha256.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

std::string Sha256Digest(std::string_view bytes) {
  unsigned char digest[32];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1 ||
      length != sizeof(digest)) {
    Fatal("hashing");
  }
  return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace provgate::detail
