// The reader against manifests written to hurt: repeated keys where a first-wins reader and a
// last-wins reader disagree, strings of any length, numbers beyond a double, byte order marks,
// side files that are symlinks, FIFOs or one endless line.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "../test_files.h"
#include "provgate/manifest.h"

namespace provgate {
namespace {

using testing_support::ScratchDir;

constexpr char kHeader[] =
    R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"}}, )";

std::string SourceJson(const std::string& id, const std::string& extra = "") {
  return R"({"id": ")" + id + R"(", "kind": "code", "permission": {"basis": "first-party"})" +
         extra + "}";
}

std::string WithSources(const std::string& sources, const std::string& rest = "") {
  return kHeader + std::string(R"("sources": )") + sources + rest + "}";
}

std::string Rendered(const ReadResult& result) {
  std::string out;
  for (const auto& d : result.diagnostics) out += FormatDiagnostic(d) + "\n";
  return out;
}

ReadResult Read(const std::string& path, const ReadOptions& options = {}) {
  Manifest manifest;
  return LoadManifest(path, manifest, options);
}

// 1-based column of the first occurrence of `needle` at or after `from` in one-line `text`.
std::uint32_t ColumnOf(const std::string& text, const std::string& needle, std::size_t from = 0) {
  std::size_t at = text.find(needle, from);
  EXPECT_NE(at, std::string::npos) << needle;
  return static_cast<std::uint32_t>(at + 1);
}

TEST(HostileManifest, RepeatedKeysInsideExtensionsAreRefusedWhereTheyRepeat) {
  ScratchDir dir;
  std::string text =
      WithSources("[]", R"(, "x-a": {"k": 1, "n": [{"k": 1, "k": 2}], "k": 3, "m": {"k": {}}})");
  std::string path = dir.Write("m.json", text);
  ReadResult result = Read(path);
  ASSERT_EQ(result.diagnostics.size(), 2u) << Rendered(result);
  EXPECT_EQ(result.diagnostics[0].code, "json-duplicate-key");
  EXPECT_EQ(result.diagnostics[0].pointer, "/x-a/n/0/k");
  EXPECT_EQ(result.diagnostics[0].column, ColumnOf(text, R"("k": 2)"));
  EXPECT_EQ(result.diagnostics[1].pointer, "/x-a/k");
  EXPECT_EQ(result.diagnostics[1].column, ColumnOf(text, R"("k": 3)"));
  EXPECT_EQ(result.diagnostics[1].message, "duplicate key 'k'");
}

TEST(HostileManifest, RepeatedKeysAreFoundAmongManyKeys) {
  ScratchDir dir;
  // More keys than the small array holds: the set that takes over keeps the earlier keys.
  std::string many;
  for (int i = 0; i < 100; ++i)
    many += "\"x-" + std::to_string(i) + "\": " + std::to_string(i) + ", ";
  std::string extension = "{" + many + R"("x-0": "again"})";
  std::string source = SourceJson("a", ", " + many + R"("id": "b")");
  std::string text = WithSources("[" + source + "]", ", \"x-e\": " + extension);
  std::string path = dir.Write("m.json", text);
  ReadResult result = Read(path);
  ASSERT_EQ(result.diagnostics.size(), 2u) << Rendered(result);
  EXPECT_EQ(result.diagnostics[0].pointer, "/sources/0/id");
  EXPECT_EQ(result.diagnostics[0].column, ColumnOf(text, R"("id": "b")"));
  EXPECT_EQ(result.diagnostics[1].pointer, "/x-e/x-0");
  EXPECT_EQ(result.diagnostics[1].column, ColumnOf(text, R"("x-0": "again")"));
}

TEST(HostileManifest, RepeatedKeysInJsonlLinesAreRefused) {
  ScratchDir dir;
  dir.Write("s.jsonl", SourceJson("a") + "\n" +
                           SourceJson("b", R"(, "x-t": {"deep": [{"v": 1, "v": 2}]})") + "\n");
  std::string path = dir.Write("m.json", WithSources(R"({"jsonl": "s.jsonl"})"));
  ReadResult result = Read(path);
  ASSERT_EQ(result.diagnostics.size(), 1u) << Rendered(result);
  EXPECT_EQ(result.diagnostics[0].code, "json-duplicate-key");
  EXPECT_EQ(result.diagnostics[0].line, 2u);
  EXPECT_EQ(result.diagnostics[0].pointer, "/sources/1/x-t/deep/0/v");
}

TEST(HostileManifest, StringsLongerThanTheSchemaAllowsAreRefused) {
  ScratchDir dir;
  std::string e_acute = "\xc3\xa9";
  std::string accepted_id;
  for (int i = 0; i < 512; ++i) accepted_id += e_acute;  // 1024 bytes, 512 characters.
  std::string path = dir.Write(
      "ok.json",
      WithSources("[" + SourceJson(accepted_id, R"(, "title": ")" + std::string(2048, 't') + "\"") +
                  "]"));
  EXPECT_TRUE(Read(path).ok()) << Rendered(Read(path));

  std::string text = WithSources(
      "[" + SourceJson(accepted_id + "x", R"(, "uri": ")" + std::string(4097, 'u') + "\"") + "]");
  path = dir.Write("long.json", text);
  ReadResult result = Read(path);
  ASSERT_EQ(result.diagnostics.size(), 2u) << Rendered(result);
  EXPECT_EQ(result.diagnostics[0].code, "schema-max-length");
  EXPECT_EQ(result.diagnostics[0].pointer, "/sources/0/id");
  EXPECT_EQ(result.diagnostics[0].message, "expected at most 512 characters, got 513");
  EXPECT_EQ(result.diagnostics[1].pointer, "/sources/0/uri");
  EXPECT_EQ(result.diagnostics[1].message, "expected at most 4096 characters, got 4097");
}

TEST(HostileManifest, AHugeIdCostsOneShortMessage) {
  ScratchDir dir;
  std::string path =
      dir.Write("m.json", WithSources("[" + SourceJson(std::string(4 << 20, 'i')) + "]"));
  ReadResult result = Read(path);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_LT(FormatDiagnostic(result.diagnostics[0]).size(), 200u);
}

TEST(HostileManifest, NumbersBeyondADoubleAreOutOfRangeNotMalformed) {
  ScratchDir dir;
  std::string text =
      WithSources("[" + SourceJson("a", R"(, "size": {"tokens": 1e400, "bytes": -1e400})") + "]",
                  R"(, "x-n": [1, 1e400, -2E+999], "bogus": 1)");
  std::string path = dir.Write("m.json", text);
  ReadResult result = Read(path);
  std::string rendered = Rendered(result);
  EXPECT_EQ(rendered.find("malformed"), std::string::npos) << rendered;
  ASSERT_EQ(result.diagnostics.size(), 5u) << rendered;
  EXPECT_EQ(result.diagnostics[0].code, "schema-range");
  EXPECT_EQ(result.diagnostics[0].message, "integer 1e400 is larger than 2^64-1");
  EXPECT_EQ(result.diagnostics[1].code, "schema-minimum");
  EXPECT_EQ(result.diagnostics[2].code, "json-number-range");
  EXPECT_EQ(result.diagnostics[2].pointer, "/x-n/1");
  EXPECT_NE(result.diagnostics[2].message.find("1e400 is out of range"), std::string::npos);
  EXPECT_EQ(result.diagnostics[3].pointer, "/x-n/2");
  // Reading went on after them.
  EXPECT_EQ(result.diagnostics[4].code, "schema-unknown-field");
}

TEST(HostileManifest, AByteOrderMarkIsRefusedClearly) {
  ScratchDir dir;
  std::string path = dir.Write("m.json", "\xef\xbb\xbf" + WithSources("[]"));
  ReadResult result = Read(path);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].code, "json-bom");
  EXPECT_EQ(result.diagnostics[0].line, 1u);
  EXPECT_EQ(result.diagnostics[0].column, 1u);
  EXPECT_NE(result.diagnostics[0].message.find("byte order mark"), std::string::npos);

  dir.Write("s.jsonl", "\xef\xbb\xbf" + SourceJson("a") + "\n" + SourceJson("b") + "\n");
  path = dir.Write("j.json", WithSources(R"({"jsonl": "s.jsonl"})"));
  result = Read(path);
  ASSERT_EQ(result.diagnostics.size(), 1u) << Rendered(result);
  EXPECT_EQ(result.diagnostics[0].code, "json-bom");
  EXPECT_EQ(result.diagnostics[0].pointer, "/sources/0");
}

TEST(HostileManifest, ASideFileSymlinkedOutOfTheManifestDirectoryIsRefused) {
  ScratchDir dir;
  dir.Write("outside.jsonl", SourceJson("secret") + "\n");
  std::string path = dir.Write("m/m.json", WithSources(R"({"jsonl": "s.jsonl"})"));
  for (const std::string& target :
       {dir.path() + "/outside.jsonl", std::string("../outside.jsonl"), std::string("/dev/zero")}) {
    std::filesystem::remove(dir.path() + "/m/s.jsonl");
    std::filesystem::create_symlink(target, dir.path() + "/m/s.jsonl");
    ReadResult result = Read(path);
    ASSERT_EQ(result.diagnostics.size(), 1u) << target << "\n" << Rendered(result);
    EXPECT_EQ(result.diagnostics[0].code, "io-open");
    EXPECT_NE(result.diagnostics[0].message.find("leaves the directory"), std::string::npos)
        << result.diagnostics[0].message;
  }
  // A symlink that stays inside is followed.
  dir.Write("m/real.jsonl", SourceJson("inside") + "\n");
  std::filesystem::remove(dir.path() + "/m/s.jsonl");
  std::filesystem::create_symlink("real.jsonl", dir.path() + "/m/s.jsonl");
  ReadResult result = Read(path);
  EXPECT_TRUE(result.ok()) << Rendered(result);
  EXPECT_EQ(result.source_count, 1u);
}

TEST(HostileManifest, ASideFileThatIsAFifoIsRefusedWithoutBlocking) {
  // The writer below may find the reader gone: EPIPE, not a signal that ends the tests.
  struct IgnoreSigpipe {
    IgnoreSigpipe() : previous(signal(SIGPIPE, SIG_IGN)) {}
    ~IgnoreSigpipe() { signal(SIGPIPE, previous); }
    void (*previous)(int);
  } ignore_sigpipe;
  ScratchDir dir;
  std::string fifo = dir.path() + "/s.jsonl";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // A writer waits for a reader: a reader that opens the FIFO and reads it finds one source.
  std::thread writer([&] {
    int fd = open(fifo.c_str(), O_WRONLY);
    if (fd < 0) return;
    std::string line = SourceJson("from-a-fifo") + "\n";
    (void)!write(fd, line.data(), line.size());
    close(fd);
  });
  std::string path = dir.Write("m.json", WithSources(R"({"jsonl": "s.jsonl"})"));
  ReadResult result = Read(path);
  // Release the writer if the reader never opened the FIFO.
  int release = open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  writer.join();
  if (release >= 0) close(release);
  ASSERT_EQ(result.diagnostics.size(), 1u) << Rendered(result);
  EXPECT_EQ(result.diagnostics[0].code, "io-open");
  EXPECT_NE(result.diagnostics[0].message.find("a FIFO"), std::string::npos);
}

TEST(HostileManifest, ALineLongerThanTheLimitEndsTheSideFile) {
  ScratchDir dir;
  ReadOptions options;
  options.max_jsonl_line_bytes = 1000;
  std::string at_limit = SourceJson("a", R"(, "title": ")");
  at_limit += std::string(1000 - at_limit.size() - 2, 't') + "\"}";
  ASSERT_EQ(at_limit.size(), 1000u);
  std::string too_long = SourceJson("b", R"(, "title": ")" + std::string(5000, 't') + "\"");
  dir.Write("s.jsonl", at_limit + "\n\n" + too_long + "\n" + SourceJson("c") + "\n");
  std::string path = dir.Write("m.json", WithSources(R"({"jsonl": "s.jsonl"})"));
  ReadResult result = Read(path, options);
  ASSERT_EQ(result.diagnostics.size(), 1u) << Rendered(result);
  EXPECT_EQ(result.diagnostics[0].code, "jsonl-line-length");
  EXPECT_EQ(result.diagnostics[0].line, 3u);
  EXPECT_EQ(result.diagnostics[0].column, 1u);
  EXPECT_EQ(result.diagnostics[0].pointer, "/sources/1");
  EXPECT_NE(result.diagnostics[0].message.find("longer than 1000 bytes"), std::string::npos);

  // One endless line, without a newline.
  dir.Write("s.jsonl", std::string(1 << 20, ' ') + "x");
  result = Read(path, options);
  ASSERT_EQ(result.diagnostics.size(), 1u) << Rendered(result);
  EXPECT_EQ(result.diagnostics[0].code, "jsonl-line-length");
  EXPECT_EQ(result.diagnostics[0].line, 1u);
}

TEST(HostileManifest, LinesThatAreNoJsonCountAgainstTheDiagnosticLimit) {
  ScratchDir dir;
  std::string lines;
  for (int i = 0; i < 5000; ++i) lines += "\xff\n";
  dir.Write("s.jsonl", lines);
  std::string path = dir.Write("m.json", WithSources(R"({"jsonl": "s.jsonl"})"));
  ReadOptions options;
  options.max_diagnostics = 10;
  ReadResult result = Read(path, options);
  EXPECT_LE(result.diagnostics.size(), 11u);
  EXPECT_GE(result.diagnostics.size(), 10u);
  EXPECT_EQ(result.diagnostics[0].code, "json-utf8");
}

TEST(HostileManifest, AHugeKeyIsCutInPointersAndMessages) {
  ScratchDir dir;
  std::string key = "x-" + std::string(1 << 20, 'k');
  std::string unknown(1 << 20, 'u');
  std::string text =
      WithSources("[]", ", \"" + key + R"(": {"d": 1, "d": 2}, ")" + unknown + "\": 1");
  std::string path = dir.Write("m.json", text);
  ReadResult result = Read(path);
  ASSERT_EQ(result.diagnostics.size(), 2u);
  EXPECT_EQ(result.diagnostics[0].code, "json-duplicate-key");
  EXPECT_LT(result.diagnostics[0].pointer.size(), 300u);
  EXPECT_EQ(result.diagnostics[0].pointer.substr(result.diagnostics[0].pointer.size() - 5),
            ".../d");
  EXPECT_EQ(result.diagnostics[1].code, "schema-unknown-field");
  EXPECT_LT(result.diagnostics[1].message.size(), 200u);
}

}  // namespace
}  // namespace provgate
