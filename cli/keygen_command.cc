#include <cstdio>

#include "commands.h"
#include "flags.h"
#include "provgate/attest.h"
#include "provgate/report.h"

namespace provgate::cli {

int RunKeygen(const std::vector<std::string>& args) {
  Flags flags({"--out", "--type"}, {"--help", "-h"});
  std::string error;
  if (!flags.Parse(args, error)) return UsageError(error);
  if (flags.Has("--help") || flags.Has("-h")) {
    std::fputs(
        "usage: provgate keygen --out PREFIX [--type ecdsa-p256|ed25519]\n"
        "\n"
        "Writes a key pair for signing reports: PREFIX.key (private, PEM, mode 0600) and\n"
        "PREFIX.pub (public, PEM). Existing files are never overwritten, and no file is\n"
        "written through a symlink. Prints the key id.\n"
        "Exit codes: 0 written, 2 usage or a file (or symlink) exists, 3 the files cannot be\n"
        "written.\n",
        stdout);
    return 0;
  }
  if (!flags.positionals().empty()) return UsageError("keygen takes no positional arguments");
  auto prefix = flags.Get("--out");
  if (!prefix || prefix->empty()) return UsageError("keygen needs --out PREFIX");
  std::string type = flags.Get("--type").value_or("ecdsa-p256");
  if (type != "ecdsa-p256" && type != "ed25519") {
    return UsageError("unknown key type '" + EscapeTerminalText(type) +
                      "': expected ecdsa-p256 or ed25519");
  }
  KeygenResult result =
      GenerateKeyFiles(*prefix, type == "ed25519" ? KeyType::kEd25519 : KeyType::kEcdsaP256);
  if (!result.status.ok()) {
    std::fprintf(stderr, "provgate: error: %s\n",
                 EscapeTerminalText(result.status.message()).c_str());
    return result.status.code() == Status::Code::kInvalidArgument ? 2 : 3;
  }
  std::printf("wrote %s (private, mode 0600) and %s\nkey id %s\n",
              EscapeTerminalText(result.private_path).c_str(),
              EscapeTerminalText(result.public_path).c_str(), result.key_id.c_str());
  return 0;
}

}  // namespace provgate::cli
