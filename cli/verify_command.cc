// provgate verify ENVELOPE and provgate countersign KEY ENVELOPE: signed reports.
#include <cstdio>
#include <memory>
#include <sstream>

#include "commands.h"
#include "output.h"
#include "provgate/attest.h"
#include "provgate/report.h"
#include "shared_options.h"

namespace provgate::cli {
namespace {

// Prints why a signed report did not verify, with each rejected signature, to stderr.
void PrintVerifyFailure(const char* what, const std::string& path, const VerifyResult& result,
                        bool all_rejected) {
  std::fprintf(stderr, "provgate: %s: %s: %s\n", what, EscapeTerminalText(path).c_str(),
               EscapeTerminalText(result.cause).c_str());
  if (!all_rejected) return;
  for (std::size_t i = 1; i < result.rejected.size(); ++i) {
    std::fprintf(stderr, "  %s\n", EscapeTerminalText(result.rejected[i]).c_str());
  }
}

std::string Short(const std::string& sha256) { return sha256.substr(0, 16); }

struct VerifyArgs {
  std::string envelope;
  SignerArgs signers;
  std::string format = "text";
};

struct CountersignArgs {
  std::string key;
  std::string envelope;
  SignerArgs signers;
  std::string output;
  const CLI::Option* output_option = nullptr;  // Not given: ENVELOPE is written back.
};

ExitCode RunVerify(const VerifyArgs& args) {
  VerifyOptions options = args.signers.ToVerifyOptions();
  const std::string& path = args.envelope;
  VerifyResult result = VerifyEnvelopeFile(path, options);
  if (args.format == "json") {
    // The outcome goes to standard output as data; the cause to standard error as well.
    std::fputs(RenderVerifyJson(result).c_str(), stdout);
    if (result.outcome != VerifyResult::Outcome::kVerified) {
      PrintVerifyFailure(
          result.outcome == VerifyResult::Outcome::kFailed ? "verification failed" : "error", path,
          result, false);
    }
    return FromEngineCode(result.ExitCode());
  }
  if (result.outcome != VerifyResult::Outcome::kVerified) {
    PrintVerifyFailure(
        result.outcome == VerifyResult::Outcome::kFailed ? "verification failed" : "error", path,
        result, true);
    return FromEngineCode(result.ExitCode());
  }
  // Everything the statement says is the signer's input, and the paths are the caller's: all
  // of it is escaped for the terminal or CI log (`safe`).
  auto safe = [](const std::string& text) { return EscapeTerminalText(text); };
  std::ostringstream out;
  out << "VERIFIED signed compliance report " << safe(path)
      << (result.is_bundle ? " (Sigstore bundle)" : "") << "\n";
  out << "  model      " << safe(result.model_id) << " (weights " << safe(result.weights)
      << ", effective " << safe(result.effective_weights) << ")\n";
  out << "  verdict    " << safe(result.verdict) << ", " << result.findings << " finding"
      << (result.findings == 1 ? "" : "s") << (result.tainted ? ", tainted" : ", not tainted")
      << "\n";
  if (!result.taint_chain.empty()) out << "  taint      " << safe(result.taint_chain) << "\n";
  out << "  manifest   " << safe(result.manifest_name) << " sha256 "
      << safe(result.manifest_sha256);
  if (!options.manifest_path.empty()) out << " (matches " << safe(options.manifest_path) << ")";
  out << "\n";
  out << "  policy     " << safe(result.policy_name) << " " << safe(result.policy_version)
      << ", profile " << safe(result.policy_profile) << ", sha256 "
      << safe(Short(result.policy_sha256)) << "...\n";
  out << "  tool       provgate " << safe(result.tool_version) << "\n";
  out << "  statement  sha256 " << result.payload_sha256 << ", " << result.subjects << " subject"
      << (result.subjects == 1 ? "" : "s") << "\n";
  for (std::size_t i = 0; i < result.signers.size(); ++i) {
    out << (i == 0 ? "  signed by  " : "             ") << result.signers[i].key_id << " ("
        << safe(result.signers[i].key_path) << ")\n";
  }
  for (const std::string& rejected : result.rejected) {
    out << "  ignored    " << safe(rejected) << "\n";
  }
  return WriteOutput("", out.str());
}

ExitCode RunCountersign(const CountersignArgs& args) {
  const std::string& key = args.key;
  const std::string& path = args.envelope;
  CountersignResult result = CountersignFile(path, key, args.signers.ToVerifyOptions());
  if (result.existing.outcome != VerifyResult::Outcome::kVerified) {
    PrintVerifyFailure(
        result.existing.outcome == VerifyResult::Outcome::kFailed ? "not countersigned" : "error",
        path, result.existing, true);
    return FromEngineCode(result.ExitCode());
  }
  if (!result.status.ok()) {
    PrintError(path + ": " + result.status.message());
    return FromEngineCode(result.ExitCode());
  }
  const std::string& output = args.output_option->count() > 0 ? args.output : path;
  if (ExitCode written = WriteOutput(output, result.envelope); written != ExitCode::kCompliant) {
    return written;
  }
  std::fprintf(stderr, "provgate: signed %s with key %s\n", EscapeTerminalText(output).c_str(),
               result.key_id.c_str());
  return ExitCode::kCompliant;
}

constexpr CommandText kVerifyText = {
    .name = "verify",
    .description =
        "Verifies a signed compliance report. ENVELOPE is a DSSE envelope (or a Sigstore bundle "
        "carrying one) whose payload is an in-toto statement of a provgate report; the verdict, "
        "the model and the signers are printed.",
    .footer =
        "Exit codes: 0 verified, 1 not verified (bad signature, unknown key, tampered payload, "
        "wrong payload type, not a compliance report, duplicate key, manifest mismatch, "
        "threshold not met), 2 invalid input or usage (malformed envelope, a threshold larger "
        "than the keys given), 3 operational failure (key file, I/O).",
};

void DeclareVerify(CLI::App& command, VerifyArgs& args) {
  command.add_option("ENVELOPE", args.envelope, "the signed report")->required();
  AddSignerOptions(command, args.signers);
  AddFormatOption(command, args.format, {"text", "json"},
                  "text (default), or json on standard output whatever the outcome (verified, "
                  "cause, signers, model, verdict, manifest, policy)");
}

constexpr CommandText kCountersignText = {
    .name = "countersign",
    .description =
        "Verifies a signed report, then adds a signature. The signature by the private key KEY "
        "is added to ENVELOPE, leaving its payload and earlier signatures as they are. The "
        "report is verified first, as provgate verify does with the same options, and signed "
        "only if it verifies: a countersignature vouches for the signatures before it.",
    .footer =
        "Exit codes: 0 signed, 1 not signed because the report does not verify (bad signature, "
        "unknown key, tampered payload, not a compliance report, duplicate key, manifest "
        "mismatch, threshold not met), 2 invalid input or usage (malformed envelope, no --key, "
        "a Sigstore bundle, already signed by this key), 3 operational failure (key file, I/O).",
};

void DeclareCountersign(CLI::App& command, CountersignArgs& args) {
  command.add_option("KEY", args.key, "the private key (PEM) to sign with")->required();
  command
      .add_option("ENVELOPE", args.envelope,
                  "the signed report, written back (atomically) unless --output is given")
      ->required();
  AddSignerOptions(command, args.signers);
  args.output_option =
      AddOutputOption(command, args.output, "the countersigned envelope", "back to ENVELOPE");
}

}  // namespace

Command AddVerifyCommand(CLI::App& root) {
  return AddCommand(root, kVerifyText, DeclareVerify, RunVerify);
}

Command AddCountersignCommand(CLI::App& root) {
  return AddCommand(root, kCountersignText, DeclareCountersign, RunCountersign);
}

}  // namespace provgate::cli
