// provgate keygen --out PREFIX: a key pair for signing reports.
#include <cstdio>
#include <memory>

#include "commands.h"
#include "output.h"
#include "provgate/attest.h"
#include "provgate/report.h"
#include "shared_options.h"

namespace provgate::cli {
namespace {

struct KeygenArgs {
  std::string prefix;
  std::string type = "ecdsa-p256";
};

ExitCode RunKeygen(const KeygenArgs& args) {
  if (args.prefix.empty()) return UsageError("keygen needs --out PREFIX");
  KeygenResult result = GenerateKeyFiles(
      args.prefix, args.type == "ed25519" ? KeyType::kEd25519 : KeyType::kEcdsaP256);
  if (!result.status.ok()) {
    PrintError(result.status.message());
    return result.status.code() == Status::Code::kInvalidArgument ? ExitCode::kInvalid
                                                                  : ExitCode::kOperational;
  }
  std::printf("wrote %s (private, mode 0600) and %s\nkey id %s\n",
              EscapeTerminalText(result.private_path).c_str(),
              EscapeTerminalText(result.public_path).c_str(), result.key_id.c_str());
  return ExitCode::kCompliant;
}

constexpr CommandText kKeygenText = {
    .name = "keygen",
    .description =
        "Writes a key pair for signing reports and prints its key id. PREFIX.key is the private "
        "key (PKCS#8 PEM, mode 0600), PREFIX.pub the public key (PEM). Existing files are never "
        "overwritten, a symlink (dangling or not) included, and no file is written through a "
        "symlink.",
    .footer =
        "Exit codes: 0 written, 2 usage or a file (or symlink) exists, 3 the files cannot be "
        "written.",
};

void DeclareKeygen(CLI::App& command, KeygenArgs& args) {
  command.add_option("--out", args.prefix, "where to write: PREFIX.key and PREFIX.pub")
      ->required()
      ->type_name("PREFIX");
  WithChoices(command.add_option("--type", args.type,
                                 "the key type: ECDSA P-256 with SHA-256 (default) or Ed25519"),
              {"ecdsa-p256", "ed25519"});
}

}  // namespace

Command AddKeygenCommand(CLI::App& root) {
  return AddCommand(root, kKeygenText, DeclareKeygen, RunKeygen);
}

}  // namespace provgate::cli
