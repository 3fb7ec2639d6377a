// A program outside the provgate tree that uses the installed engine: it checks a manifest,
// and, given a public key, has the engine sign the report with a Signer of its own.
#include <provgate/provgate.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>

namespace {

// A signer that holds its key elsewhere and refuses to sign. The engine reaches it through
// its virtual functions, and must pass its status on to the caller (docs/library.md).
class RefusingSigner : public provgate::Signer {
 public:
  explicit RefusingSigner(std::string public_pem) : public_pem_(std::move(public_pem)) {}
  std::string PublicKeyPem() const override { return public_pem_; }
  provgate::SignatureResult Sign(const provgate::SignatureRequest&) override {
    provgate::SignatureResult result;
    result.status = provgate::Status::IoError("the consumer's signer refuses");
    return result;
  }

 private:
  std::string public_pem_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) return 2;
  provgate::CheckResult result = provgate::Check(argv[1], provgate::CheckOptions{});
  for (const auto& d : result.diagnostics) std::cerr << provgate::FormatDiagnostic(d) << "\n";
  std::cout << "provgate " << provgate::Version() << " verdict "
            << provgate::ToString(result.report.verdict) << "\n";
  if (argc == 3) {
    std::ifstream key(argv[2]);
    std::stringstream pem;
    pem << key.rdbuf();
    RefusingSigner signer(pem.str());
    provgate::SignResult signed_report =
        provgate::SignStatement(provgate::RenderStatement(result.report), signer);
    std::cout << "signing: "
              << (signed_report.status.ok() ? "signed" : signed_report.status.message()) << "\n";
  }
  return result.ExitCode();
}
