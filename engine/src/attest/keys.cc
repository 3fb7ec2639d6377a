#include "attest/keys.h"

#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/safe_file.h"

namespace provgate::detail {
namespace {

// Key files are small; anything larger is not one.
constexpr std::uint64_t kMaxKeyFile = 64 * 1024;

// Reads a key file whole into `pem`. The file is opened without blocking (a FIFO or a device
// is refused, never waited on) and must be a regular file of at most 64 KiB. The text is read
// straight into `pem`, sized once, so that no other copy of a private key is left in memory.
Status ReadKeyFile(const std::string& path, std::string& pem, mode_t& mode) {
  OpenedFile file = OpenRegularFile(path, kMaxKeyFile);
  if (!file.ok()) {
    if (file.problem == OpenProblem::kNotRegular || file.problem == OpenProblem::kTooLarge) {
      return Status::IoError(path + " is not a key file: " + file.error);
    }
    return Status::IoError("cannot open the key file " + path + ": " + file.error);
  }
  struct stat info {};
  if (fstat(file.fd.get(), &info) != 0) {
    return Status::IoError("cannot read the key file " + path + ": " + std::strerror(errno));
  }
  mode = info.st_mode;
  // One byte more than the bound, to see a file that grew past it after fstat.
  pem.assign(static_cast<std::size_t>(kMaxKeyFile) + 1, '\0');
  std::size_t length = 0;
  while (length < pem.size()) {
    ssize_t n = read(file.fd.get(), pem.data() + length, pem.size() - length);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int saved = errno;
      OPENSSL_cleanse(pem.data(), pem.size());
      pem.clear();
      return Status::IoError("cannot read the key file " + path + ": " + std::strerror(saved));
    }
    if (n == 0) break;
    length += static_cast<std::size_t>(n);
  }
  if (length > kMaxKeyFile) {
    OPENSSL_cleanse(pem.data(), pem.size());
    pem.clear();
    return Status::IoError(path + " is not a key file: larger than 64 KiB");
  }
  pem.resize(length);  // Shrinking keeps the buffer: nothing is copied.
  return Status::Ok();
}

}  // namespace

Status LoadPrivateKeyFile(const std::string& path, SigningKey& out) {
  std::string pem;
  mode_t mode = 0;
  Status status = ReadKeyFile(path, pem, mode);
  if (!status.ok()) return status;
  bool is_public = pem.find("PUBLIC KEY-----") != std::string::npos &&
                   pem.find("PRIVATE KEY-----") == std::string::npos;
  std::string error;
  bool ok = !is_public && (mode & 077) == 0 && SigningKey::FromPem(pem, true, out, error);
  // The PEM text is a secret: wipe the copy before the buffer is released.
  OPENSSL_cleanse(pem.data(), pem.size());
  if (is_public)
    return Status::IoError(path + " holds a public key; signing needs the private key");
  if ((mode & 077) != 0) {
    char text[8];
    std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
    return Status::IoError("the private key " + path + " is accessible to other users (mode " +
                           text + "); restrict it with: chmod 600 " + path);
  }
  if (!ok) return Status::IoError(path + ": " + error);
  return Status::Ok();
}

Status LoadPublicKeyFile(const std::string& path, SigningKey& out) {
  std::string pem;
  mode_t mode = 0;
  Status status = ReadKeyFile(path, pem, mode);
  if (!status.ok()) return status;
  std::string error;
  if (!SigningKey::FromPem(pem, false, out, error)) {
    if (pem.find("PRIVATE KEY-----") != std::string::npos) {
      return Status::IoError(path + " holds a private key; verification takes the public key " +
                             "(the .pub file)");
    }
    return Status::IoError(path + ": " + error);
  }
  return Status::Ok();
}

}  // namespace provgate::detail
