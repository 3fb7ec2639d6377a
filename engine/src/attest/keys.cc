#include "attest/keys.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace provgate::detail {
namespace {

constexpr off_t kMaxKeyFile = 64 * 1024;

// Reads a key file whole through `fd`, which it closes. Key files are small; anything larger
// than 64 KiB is not one.
Status ReadKeyFile(int fd, const std::string& path, std::string& out) {
  out.clear();
  char buffer[4096];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int saved = errno;
      close(fd);
      return Status::IoError("cannot read the key file " + path + ": " + std::strerror(saved));
    }
    if (n == 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
    if (static_cast<off_t>(out.size()) > kMaxKeyFile) {
      close(fd);
      return Status::IoError(path + " is not a key file (larger than 64 KiB)");
    }
  }
  close(fd);
  return Status::Ok();
}

Status OpenKeyFile(const std::string& path, std::string& pem, mode_t& mode) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return Status::IoError("cannot open the key file " + path + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return Status::IoError(path + " is not a key file (not a regular file)");
  }
  mode = st.st_mode;
  return ReadKeyFile(fd, path, pem);
}

}  // namespace

Status LoadPrivateKeyFile(const std::string& path, SigningKey& out) {
  std::string pem;
  mode_t mode = 0;
  Status status = OpenKeyFile(path, pem, mode);
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
  Status status = OpenKeyFile(path, pem, mode);
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
