// Key files and key text: bounded reads, the private key's mode, wiping, and messages that
// never quote a key.
#include "attest/keys.h"

#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/safe_file.h"

namespace provgate {
namespace detail {
namespace {

// Key files are small; anything larger is not one. PEM text is bounded the same way.
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

bool HoldsOnlyPublicKey(std::string_view pem) {
  return pem.find("PUBLIC KEY-----") != std::string_view::npos &&
         pem.find("PRIVATE KEY-----") == std::string_view::npos;
}

// Parses the private key `pem`, which messages call `name`.
Status ParsePrivateKey(std::string_view pem, const std::string& name, SigningKey& out) {
  if (HoldsOnlyPublicKey(pem)) {
    return Status::IoError(name + " holds a public key; signing needs the private key");
  }
  std::string error;
  if (!SigningKey::FromPem(pem, true, out, error)) return Status::IoError(name + ": " + error);
  return Status::Ok();
}

// Parses the public key `pem`, which messages call `name`; `which_one` tells where the public
// key of a private key given by mistake is found.
Status ParsePublicKey(std::string_view pem, const std::string& name, const std::string& which_one,
                      SigningKey& out) {
  std::string error;
  if (SigningKey::FromPem(pem, false, out, error)) return Status::Ok();
  if (pem.find("PRIVATE KEY-----") != std::string_view::npos) {
    return Status::IoError(name + " holds a private key; verification takes the public key" +
                           which_one);
  }
  return Status::IoError(name + ": " + error);
}

Status CheckTextSize(const KeySource& key) {
  if (key.pem().size() <= kMaxKeyFile) return Status::Ok();
  return Status::IoError(key.name() + " is not a key: larger than 64 KiB");
}

}  // namespace

Status LoadPrivateKeyFile(const std::string& path, SigningKey& out) {
  std::string pem;
  mode_t mode = 0;
  Status status = ReadKeyFile(path, pem, mode);
  if (!status.ok()) return status;
  if ((mode & 077) != 0 && !HoldsOnlyPublicKey(pem)) {
    char text[8];
    std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
    status = Status::IoError("the private key " + path + " is accessible to other users (mode " +
                             text + "); restrict it with: chmod 600 " + path);
  } else {
    status = ParsePrivateKey(pem, path, out);
  }
  // The PEM text is a secret: wipe the copy before the buffer is released.
  OPENSSL_cleanse(pem.data(), pem.size());
  return status;
}

Status LoadPublicKeyFile(const std::string& path, SigningKey& out) {
  std::string pem;
  mode_t mode = 0;
  Status status = ReadKeyFile(path, pem, mode);
  if (!status.ok()) return status;
  return ParsePublicKey(pem, path, " (the .pub file)", out);
}

Status LoadPrivateKey(const KeySource& key, SigningKey& out) {
  if (key.is_file()) return LoadPrivateKeyFile(key.name(), out);
  Status size = CheckTextSize(key);
  return size.ok() ? ParsePrivateKey(key.pem(), key.name(), out) : size;
}

Status LoadPublicKey(const KeySource& key, SigningKey& out) {
  if (key.is_file()) return LoadPublicKeyFile(key.name(), out);
  Status size = CheckTextSize(key);
  return size.ok() ? ParsePublicKey(key.pem(), key.name(), "", out) : size;
}

}  // namespace detail

Status CheckPublicKey(const KeySource& key) {
  detail::SigningKey loaded;
  return detail::LoadPublicKey(key, loaded);
}

}  // namespace provgate
