// SHA-256 through OpenSSL's EVP interface. The only place that includes OpenSSL for hashing.
#ifndef PROVGATE_CRYPTO_SHA256_H_
#define PROVGATE_CRYPTO_SHA256_H_

#include <memory>
#include <string>
#include <string_view>

namespace provgate::detail {

// Incremental SHA-256. Not thread-safe; one instance per stream.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view bytes);
  // Lowercase hex digest. The hasher must not be updated afterwards.
  std::string HexDigest();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

std::string Sha256Hex(std::string_view bytes);

}  // namespace provgate::detail

#endif  // PROVGATE_CRYPTO_SHA256_H_
