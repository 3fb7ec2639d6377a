#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "attest/dsse.h"
#include "provgate/attest.h"

namespace provgate {
namespace {

// Creates `path` exclusively with `mode` and writes `content`; false with `error` set when the
// file exists or cannot be written (a partial file is removed).
bool WriteExclusive(const std::string& path, const std::string& content, mode_t mode,
                    std::string& error) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  bool ok = fchmod(fd, mode) == 0;
  std::size_t written = 0;
  while (ok && written < content.size()) {
    ssize_t n = write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  ok = ok && fsync(fd) == 0;
  if (close(fd) != 0) ok = false;
  if (!ok) {
    error = path + ": " + std::strerror(errno);
    unlink(path.c_str());
  }
  return ok;
}

}  // namespace

KeygenResult GenerateKeyFiles(const std::string& prefix, KeyType type) {
  KeygenResult result;
  result.private_path = prefix + ".key";
  result.public_path = prefix + ".pub";
  for (const std::string& path : {result.private_path, result.public_path}) {
    if (access(path.c_str(), F_OK) == 0) {
      result.status = Status::InvalidArgument(path + " exists; keygen never overwrites a key");
      return result;
    }
  }
  detail::SigningKey key = detail::SigningKey::Generate(type == KeyType::kEd25519
                                                            ? detail::SigningKey::Type::kEd25519
                                                            : detail::SigningKey::Type::kEcdsaP256);
  std::string error;
  if (!WriteExclusive(result.private_path, key.PrivatePem(), 0600, error)) {
    result.status = Status::IoError("cannot write the private key: " + error);
    return result;
  }
  if (!WriteExclusive(result.public_path, key.PublicPem(), 0644, error)) {
    unlink(result.private_path.c_str());
    result.status = Status::IoError("cannot write the public key: " + error);
    return result;
  }
  result.key_id = key.KeyId();
  return result;
}

}  // namespace provgate
