// ReadManifestText against ReadManifest: the same bytes read from memory and from a file give
// the same diagnostics, header, sources, digests and repeated ids, over every manifest of the
// golden cases, the examples and the schema corpus; and a JSONL side file beneath the
// directory the text stands for is read, and confined, as one beside a manifest file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "../test_files.h"
#include "provgate/manifest.h"

namespace provgate {
namespace {

namespace fs = std::filesystem;
using testing_support::ScratchDir;

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void Describe(std::ostream& out, const Location& l) {
  out << " @" << l.file << ":" << l.line << ":" << l.column << " " << l.pointer;
}

template <typename T>
void DescribeOptional(std::ostream& out, const char* name, const std::optional<T>& value) {
  out << " " << name << "=";
  if (value) {
    out << *value;
  } else {
    out << "-";
  }
}

// Every field of a header, as text.
std::string Describe(const ManifestHeader& h) {
  std::ostringstream out;
  const Model& m = h.model;
  out << "version=" << h.manifest_version << " model=" << m.id;
  DescribeOptional(out, "organization", m.organization);
  out << " weights=" << ToString(m.release.weights);
  DescribeOptional(out, "license", m.release.license);
  out << " deployment=" << ToString(m.release.deployment);
  DescribeOptional(out, "date", m.release.date);
  Describe(out, m.location);
  out << " stages_given=" << m.stages_given << "\n";
  for (const Stage& s : m.stages) {
    out << " stage " << s.id;
    Describe(out, s.location);
    for (std::size_t i = 0; i < s.sources.size(); ++i) {
      out << " " << s.sources[i];
      Describe(out, s.source_locations[i]);
    }
    if (s.checkpoint) {
      out << " checkpoint " << s.checkpoint->id << " " << ToString(s.checkpoint->weights);
      DescribeOptional(out, "license", s.checkpoint->license);
      DescribeOptional(out, "date", s.checkpoint->date);
    }
    out << "\n";
  }
  for (const LineageEntry& e : m.lineage) {
    out << " lineage " << ToString(e.relation) << " " << e.model;
    DescribeOptional(out, "manifest", e.manifest);
    DescribeOptional(out, "attestation", e.attestation);
    out << " ledger=" << e.ledger;
    DescribeOptional(out, "stage", e.stage);
    Describe(out, e.location);
    out << "\n";
  }
  DescribeOptional(out, "jsonl", h.sources_jsonl);
  Describe(out, h.sources_location);
  return out.str();
}

// Every field of a source, as text.
std::string Describe(const Source& s) {
  std::ostringstream out;
  out << s.index << " " << s.id << " " << ToString(s.kind);
  DescribeOptional(out, "title", s.title);
  DescribeOptional(out, "uri", s.uri);
  DescribeOptional(out, "license", s.license);
  const Permission& p = s.permission;
  out << " basis=" << ToString(p.basis);
  for (const Evidence& e : p.evidence) out << " evidence=" << e.uri << "#" << e.sha256;
  if (p.grants) {
    out << " grants=" << p.grants->training << p.grants->commercial << p.grants->closed_weights;
  }
  DescribeOptional(out, "valid_from", p.valid_from);
  DescribeOptional(out, "valid_until", p.valid_until);
  if (s.acquisition) {
    out << " acquisition="
        << (s.acquisition->method ? ToString(*s.acquisition->method) : std::string_view("-"));
    DescribeOptional(out, "opt_outs", s.acquisition->opt_outs_honored);
    DescribeOptional(out, "date", s.acquisition->date);
  }
  for (const GeneratedBy& g : s.generated_by) {
    out << " generated_by=" << g.model << g.program << "/" << g.terms_allow_training;
  }
  if (s.size) {
    DescribeOptional(out, "tokens", s.size->tokens);
    DescribeOptional(out, "bytes", s.size->bytes);
    DescribeOptional(out, "documents", s.size->documents);
  }
  DescribeOptional(out, "digest", s.digest_sha256);
  for (const FileEntry& f : s.files) {
    out << " file=" << f.path << "#" << f.sha256;
    DescribeOptional(out, "bytes", f.bytes);
  }
  Describe(out, s.location);
  return out.str();
}

// All that a read produced, as text.
class Recorder : public ManifestVisitor {
 public:
  void OnHeader(const ManifestHeader& header) override { text_ += Describe(header) + "\n"; }
  void OnSource(const Source& source) override { text_ += Describe(source) + "\n"; }

  std::string Finish(const ReadResult& result) {
    std::ostringstream out;
    out << text_ << "status=" << result.status.ok() << " " << result.status.message() << "\n";
    for (const Diagnostic& d : result.diagnostics) {
      out << FormatDiagnostic(d) << " [" << d.code << " @" << d.offset << "]\n";
    }
    out << "sha256=" << result.manifest_sha256 << " sources_sha256=" << result.sources_sha256
        << " count=" << result.source_count << "\n";
    for (const auto& duplicate : result.duplicate_source_ids) {
      out << "duplicate " << duplicate.id;
      for (const Location& l : duplicate.locations) Describe(out, l);
      out << "\n";
    }
    return out.str();
  }

 private:
  std::string text_;
};

std::string ReadFromFile(const std::string& path, const ReadOptions& options = {}) {
  Recorder recorder;
  ReadResult result = ReadManifest(path, recorder, options);
  return recorder.Finish(result);
}

std::string ReadFromText(std::string_view text, const std::string& name,
                         const std::string& base_dir, const ReadOptions& options = {}) {
  Recorder recorder;
  ReadResult result = ReadManifestText(text, name, base_dir, recorder, options);
  return recorder.Finish(result);
}

// The JSON files of the golden cases (manifests, upstream manifests, and a few that are not
// manifests at all), the examples and the schema corpus, relative to the source tree.
std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  const fs::path root = PROVGATE_SOURCE_DIR;
  for (const char* dir : {"tests/golden/cases", "examples", "tests/schema/corpus"}) {
    for (auto it = fs::recursive_directory_iterator(root / dir);
         it != fs::recursive_directory_iterator(); ++it) {
      if (it.depth() > 1 || !it->is_regular_file() || it->path().extension() != ".json" ||
          it->path().filename() == "case.json") {
        continue;
      }
      files.push_back(fs::relative(it->path(), root).string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class TextAndFile : public testing::TestWithParam<std::string> {};

// Read from the source tree's root, so that names in diagnostics are the same relative paths.
TEST_P(TextAndFile, GiveTheSameResults) {
  struct Cwd {
    fs::path saved = fs::current_path();
    Cwd() { fs::current_path(PROVGATE_SOURCE_DIR); }
    ~Cwd() { fs::current_path(saved); }
  } cwd;
  const std::string path = GetParam();
  const std::string text = ReadBytes(path);
  EXPECT_EQ(ReadFromText(text, path, ""), ReadFromFile(path));
  ReadOptions options;
  options.pipeline = true;
  options.hash_on_thread = false;
  options.max_diagnostics = 3;
  EXPECT_EQ(ReadFromText(text, path, "", options), ReadFromFile(path, options));
  // Named by its file name, from its directory: as the file read from there.
  const fs::path dir = fs::path(path).parent_path();
  const std::string name = fs::path(path).filename().string();
  std::string from_text = ReadFromText(text, name, dir.string());
  fs::current_path(dir);
  EXPECT_EQ(from_text, ReadFromFile(name));
}

std::string CaseName(const testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, TextAndFile, testing::ValuesIn(CorpusFiles()), CaseName);

TEST(TextAndFile, CorpusIsFound) {
  // Valid and invalid manifests both, and the two with JSONL side files.
  std::vector<std::string> files = CorpusFiles();
  EXPECT_GT(files.size(), 100u);
  EXPECT_NE(std::find(files.begin(), files.end(), "examples/jsonl-sources/manifest.json"),
            files.end());
  EXPECT_NE(std::find(files.begin(), files.end(),
                      "tests/golden/cases/invalid-schema-many-errors/manifest.json"),
            files.end());
}

constexpr char kJsonlManifest[] =
    R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"}},
 "sources": {"jsonl": "data/sources.jsonl"}})";

std::string SourceLine(const std::string& id) {
  return R"({"id": ")" + id + R"(", "kind": "code", "permission": {"basis": "first-party"}})";
}

TEST(ManifestText, ReadsItsJsonlSideFileBeneathTheBaseDirectory) {
  ScratchDir dir;
  dir.Write("run/data/sources.jsonl", SourceLine("a") + "\n" + SourceLine("b") +
                                          "\n{\"id\": \"c\", \"kind\": 7, \"permission\": 8}\n");
  const std::string base = dir.path() + "/run";
  Manifest manifest;
  ReadResult result = LoadManifestText(kJsonlManifest, "<pipeline>", base, manifest);
  ASSERT_EQ(result.diagnostics.size(), 2u);
  // Opened beneath the base directory, and named as the manifest's name would name it.
  EXPECT_EQ(FormatDiagnostic(result.diagnostics[0]),
            "data/sources.jsonl:3:21: error: expected a string, got a number (at "
            "/sources/2/kind)");
  EXPECT_EQ(FormatDiagnostic(result.diagnostics[1]),
            "data/sources.jsonl:3:38: error: expected an object for permission, got a number (at "
            "/sources/2/permission)");
  EXPECT_EQ(result.source_count, 3u);
  EXPECT_EQ(result.sources_sha256.size(), 64u);

  // Without the broken line: both sources, located in the side file.
  dir.Write("run/data/sources.jsonl", SourceLine("a") + "\n\n" + SourceLine("b") + "\n");
  Manifest valid;
  result = LoadManifestText(kJsonlManifest, "<pipeline>", base, valid);
  ASSERT_TRUE(result.ok()) << FormatDiagnostic(result.diagnostics.at(0));
  ASSERT_EQ(valid.sources.size(), 2u);
  EXPECT_EQ(valid.sources[1].id, "b");
  EXPECT_EQ(valid.sources[1].index, 1u);
  EXPECT_EQ(valid.sources[1].location.file, "data/sources.jsonl");
  EXPECT_EQ(valid.sources[1].location.line, 3u);
  EXPECT_EQ(valid.header.model.location.file, "<pipeline>");

  // A name with a directory: the side file is beneath that directory of the base directory.
  Manifest nested;
  result = LoadManifestText(kJsonlManifest, "run/m.json", dir.path(), nested);
  ASSERT_TRUE(result.ok()) << FormatDiagnostic(result.diagnostics.at(0));
  ASSERT_EQ(nested.sources.size(), 2u);
  EXPECT_EQ(nested.sources[0].location.file, "run/data/sources.jsonl");

  // The same bytes as a file there read the same.
  std::string path = dir.Write("run/m.json", kJsonlManifest);
  EXPECT_EQ(ReadFromText(kJsonlManifest, path, ""), ReadFromFile(path));
  EXPECT_EQ(ReadFromText(kJsonlManifest, path, "/"), ReadFromFile(path));
}

TEST(ManifestText, RelativeBaseDirectoryResolvesFromTheWorkingDirectory) {
  ScratchDir dir;
  dir.Write("data/sources.jsonl", SourceLine("a") + "\n");
  struct Cwd {
    fs::path saved = fs::current_path();
    explicit Cwd(const std::string& to) { fs::current_path(to); }
    ~Cwd() { fs::current_path(saved); }
  } cwd(dir.path());
  Manifest manifest;
  ReadResult result = LoadManifestText(kJsonlManifest, "m", "", manifest);
  ASSERT_TRUE(result.ok()) << FormatDiagnostic(result.diagnostics.at(0));
  ASSERT_EQ(manifest.sources.size(), 1u);
  EXPECT_EQ(manifest.sources[0].location.file, "data/sources.jsonl");
}

TEST(ManifestText, SideFileIsConfinedToTheBaseDirectory) {
  ScratchDir dir;
  dir.Write("outside.jsonl", SourceLine("secret") + "\n");
  fs::create_directories(dir.path() + "/run/data");
  // A symlink that leads out of the base directory is refused, as beside a manifest file.
  fs::create_symlink(dir.path() + "/outside.jsonl", dir.path() + "/run/data/sources.jsonl");
  Manifest manifest;
  ReadResult result = LoadManifestText(kJsonlManifest, "<pipeline>", dir.path() + "/run", manifest);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].code, "io-open");
  EXPECT_NE(result.diagnostics[0].message.find("leaves the directory"), std::string::npos)
      << result.diagnostics[0].message;
  EXPECT_TRUE(manifest.sources.empty());

  // A path with `..` is refused before anything is opened.
  std::string escaping = kJsonlManifest;
  escaping.replace(escaping.find("data/sources.jsonl"), 18, "../outside.jsonl");
  result = LoadManifestText(escaping, "<pipeline>", dir.path() + "/run", manifest);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(FormatDiagnostic(result.diagnostics[0]),
            "<pipeline>:2:23: error: the JSONL side file '../outside.jsonl' must be a relative "
            "path inside the manifest's directory (at /sources/jsonl)");
}

TEST(ManifestText, ErrorsNameTheDisplayName) {
  Manifest manifest;
  ReadResult result = LoadManifestText("", "<empty>", "", manifest);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(FormatDiagnostic(result.diagnostics[0]),
            "<empty>:1:1: error: the file is empty: expected a JSON object");
  // Text that is not NUL-terminated where it ends: only `json_text` is read.
  std::string padded = std::string(kJsonlManifest).substr(0, 40) + "garbage";
  result = LoadManifestText(std::string_view(padded).substr(0, 40), "<cut>", "", manifest);
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics[0].code, "json-syntax");
  EXPECT_EQ(result.diagnostics[0].file, "<cut>");
}

}  // namespace
}  // namespace provgate
