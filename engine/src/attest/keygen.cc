// Key pairs written to new files: the private key 0600 and never overwritten.
#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "attest/dsse.h"
#include "provgate/attest.h"

namespace provgate {
namespace {

// Whether anything is at `path`: a file, a directory, or a symlink, dangling or not.
bool Exists(const std::string& path) {
  struct stat info {};
  return fstatat(AT_FDCWD, path.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT;
}

// Creates `path` exclusively with `mode` and writes `content`. O_EXCL never follows a symlink
// (O_NOFOLLOW says so again): a key is never written through one. On failure `exists` tells a
// path that something took in the meantime (nothing is overwritten) from one that cannot be
// written (a partial file is removed).
bool WriteExclusive(const std::string& path, const std::string& content, mode_t mode,
                    std::string& error, bool& exists) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) {
    exists = errno == EEXIST || errno == ELOOP;
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
  // Anything at either path, a dangling symlink included, is left alone.
  auto exists = [&](const std::string& path) {
    result.status = Status::InvalidArgument(path + " exists; keygen never overwrites a key");
    return result;
  };
  for (const std::string& path : {result.private_path, result.public_path}) {
    if (Exists(path)) return exists(path);
  }
  std::optional<detail::SigningKey> generated = detail::SigningKey::Generate(
      type == KeyType::kEd25519 ? detail::SigningKey::Type::kEd25519
                                : detail::SigningKey::Type::kEcdsaP256);
  if (!generated) {
    result.status = Status::Internal("OpenSSL cannot generate a key pair");
    return result;
  }
  const detail::SigningKey& key = *generated;
  std::string error;
  bool taken = false;
  std::string pem = key.PrivatePem();
  bool written = WriteExclusive(result.private_path, pem, 0600, error, taken);
  OPENSSL_cleanse(pem.data(), pem.size());
  if (!written) {
    if (taken) return exists(result.private_path);
    result.status = Status::IoError("cannot write the private key: " + error);
    return result;
  }
  if (!WriteExclusive(result.public_path, key.PublicPem(), 0644, error, taken)) {
    unlink(result.private_path.c_str());
    if (taken) return exists(result.public_path);
    result.status = Status::IoError("cannot write the public key: " + error);
    return result;
  }
  result.key_id = key.KeyId();
  return result;
}

}  // namespace provgate
