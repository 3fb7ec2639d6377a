// Fuzz target: arbitrary bytes as a manifest. The reader must return (diagnostics or a
// manifest), never crash or hang, and reading the bytes from memory must give what reading the
// file gives. Built with libFuzzer when PROVGATE_FUZZ is on; always built as a replay test over
// the committed corpus.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "provgate/check.h"
#include "provgate/manifest.h"

namespace {

// Records what a read produced: the sources' ids and positions.
class Recorder : public provgate::ManifestVisitor {
 public:
  void OnHeader(const provgate::ManifestHeader& header) override { text += header.model.id; }
  void OnSource(const provgate::Source& source) override {
    text += '\n' + source.id + ':' + std::to_string(source.location.line) + ':' +
            std::to_string(source.location.column);
  }
  std::string text;
};

std::string Describe(const provgate::ReadResult& result, const Recorder& recorder) {
  std::string out = recorder.text + '\n' + result.manifest_sha256 + result.status.message();
  for (const provgate::Diagnostic& d : result.diagnostics) {
    out += '\n' + provgate::FormatDiagnostic(d);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path =
      "/tmp/provgate-fuzz-manifest-" + std::to_string(getpid()) + ".json";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return 0;
  std::fwrite(data, 1, size, file);
  std::fclose(file);
  Recorder from_file;
  Recorder from_text;
  std::string read_file = Describe(provgate::ReadManifest(path, from_file), from_file);
  std::string read_text = Describe(
      provgate::ReadManifestText(std::string_view(reinterpret_cast<const char*>(data), size), path,
                                 "", from_text),
      from_text);
  if (read_file != read_text) __builtin_trap();
  static const provgate::PackLoadResult pack = provgate::LoadRulePack("");
  provgate::CheckResult result = provgate::Check(path, *pack.pack, provgate::CheckOptions{});
  if (result.ExitCode() < 0 || result.ExitCode() > 3) __builtin_trap();
  return 0;
}
