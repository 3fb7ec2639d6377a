#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "../test_files.h"
#include "provgate/manifest.h"

namespace provgate {
namespace {

using testing_support::ScratchDir;

constexpr char kDigest[] = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

std::string SourceJson(const std::string& id) {
  return R"({"id": ")" + id + R"(", "kind": "code", "permission": {"basis": "first-party"}})";
}

// A manifest of the closed model "m" whose "sources" value is the JSON text `sources`.
std::string ClosedModelManifest(const std::string& sources) {
  return R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"}}, "sources": )" +
         sources + "}";
}

TEST(ManifestReader, ReadsTypedStructures) {
  ScratchDir dir;
  std::string path = dir.Write("m.json", R"({
  "manifest_version": "1",
  "model": {"id": "acme/m", "organization": "Acme",
            "release": {"weights": "open", "license": "Apache-2.0", "deployment": "internal",
                        "date": "2026-09-01"},
            "stages": [{"id": "s1", "sources": ["a"],
                        "checkpoint": {"id": "acme/m-base", "weights": "closed"}}],
            "lineage": [{"relation": "distillation", "model": "t/teacher", "stage": "s1"}]},
  "sources": [{"id": "a", "title": "A", "kind": "licensed-corpus", "uri": "https://a.example/",
               "license": "CC-BY-4.0",
               "permission": {"basis": "contract",
                              "evidence": [{"uri": "c.pdf", "sha256": ")" +
                                             std::string(kDigest) + R"("}],
                              "grants": {"training": true, "closed_weights": true},
                              "valid_from": "2024-02-29", "valid_until": "2027-01-31"},
               "acquisition": {"method": "license-deal", "opt_outs_honored": true, "date": "2024-03"},
               "size": {"tokens": 18446744073709551615, "bytes": 1e3, "documents": 2.0},
               "digest": {"sha256": ")" + std::string(kDigest) +
                                             R"("},
               "files": [{"path": "data/a.bin", "sha256": ")" +
                                             std::string(kDigest) + R"(", "bytes": 5}],
               "x-internal": {"anything": [1, {"goes": null}]}}]
})");
  Manifest m;
  ReadResult result = LoadManifest(path, m);
  ASSERT_TRUE(result.ok()) << (result.diagnostics.empty()
                                   ? ""
                                   : FormatDiagnostic(result.diagnostics[0]));
  EXPECT_EQ(m.header.model.id, "acme/m");
  EXPECT_EQ(m.header.model.release.weights, Weights::kOpen);
  EXPECT_EQ(m.header.model.release.deployment, Deployment::kInternal);
  ASSERT_EQ(m.header.model.stages.size(), 1u);
  EXPECT_EQ(m.header.model.stages[0].checkpoint->id, "acme/m-base");
  EXPECT_EQ(m.header.model.stages[0].source_locations[0].line, 6u);
  ASSERT_EQ(m.header.model.lineage.size(), 1u);
  EXPECT_EQ(m.header.model.lineage[0].relation, Relation::kDistillation);
  ASSERT_EQ(m.sources.size(), 1u);
  const Source& s = m.sources[0];
  EXPECT_EQ(s.kind, SourceKind::kLicensedCorpus);
  EXPECT_EQ(s.permission.basis, Basis::kContract);
  EXPECT_TRUE(s.permission.grants->closed_weights);
  EXPECT_FALSE(s.permission.grants->commercial);
  EXPECT_EQ(s.acquisition->method, AcquisitionMethod::kLicenseDeal);
  EXPECT_EQ(*s.size->tokens, UINT64_MAX);
  EXPECT_EQ(*s.size->bytes, 1000u);
  EXPECT_EQ(*s.size->documents, 2u);
  EXPECT_EQ(s.files[0].path, "data/a.bin");
  EXPECT_EQ(s.location.pointer, "/sources/0");
  EXPECT_EQ(s.location.line, 9u);
  EXPECT_EQ(s.location.column, 15u);
  EXPECT_EQ(result.manifest_sha256.size(), 64u);
}

TEST(ManifestReader, ReportsEveryErrorSortedByPosition) {
  ScratchDir dir;
  std::string path = dir.Write(
      "m.json",
      "{\"sources\": [{\"id\": \"\", \"kind\": \"nope\", \"permission\": {\"basis\": 1}}],\n"
      " \"model\": {\"id\": \"m\", \"release\": {\"weights\": \"open\"}, \"color\": 1},\n"
      " \"manifest_version\": \"1\"}");
  Manifest m;
  ReadResult result = LoadManifest(path, m);
  ASSERT_FALSE(result.ok());
  std::vector<std::string> rendered;
  for (const auto& d : result.diagnostics) rendered.push_back(FormatDiagnostic(d));
  ASSERT_EQ(rendered.size(), 5u) << ::testing::PrintToString(rendered);
  EXPECT_NE(rendered[0].find("m.json:1:21: error: expected a non-empty string (at /sources/0/id)"),
            std::string::npos)
      << rendered[0];
  EXPECT_NE(rendered[1].find(":1:33: error: invalid kind 'nope'"), std::string::npos)
      << rendered[1];
  EXPECT_NE(rendered[2].find(":1:65: error: expected a string, got a number"), std::string::npos)
      << rendered[2];
  EXPECT_NE(rendered[3].find(":2:34: error: missing required field 'license'"), std::string::npos)
      << rendered[3];
  EXPECT_NE(rendered[4].find(":2:55: error: unknown field 'color'"), std::string::npos)
      << rendered[4];
}

class CountingVisitor : public ManifestVisitor {
 public:
  void OnHeader(const ManifestHeader& h) override { model = h.model.id; }
  void OnSource(const Source& s) override { ids.push_back(s.id); }
  std::string model;
  std::vector<std::string> ids;
};

TEST(ManifestReader, StreamsJsonlSideFile) {
  ScratchDir dir;
  std::string lines;
  for (int i = 0; i < 1000; ++i) lines += SourceJson("s" + std::to_string(i)) + "\n";
  lines += "\n   \n";           // Blank lines are skipped.
  lines += SourceJson("last");  // No final newline.
  dir.Write("data/sources.jsonl", lines);
  std::string path =
      dir.Write("m.json",
                R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"}},
          "sources": {"jsonl": "data/sources.jsonl"}})");
  CountingVisitor visitor;
  ReadResult result = ReadManifest(path, visitor);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(visitor.model, "m");
  ASSERT_EQ(visitor.ids.size(), 1001u);
  EXPECT_EQ(visitor.ids.back(), "last");
  EXPECT_EQ(result.source_count, 1001u);
  EXPECT_EQ(result.sources_sha256.size(), 64u);
}

TEST(ManifestReader, JsonlErrorsNameTheSideFileAndLine) {
  ScratchDir dir;
  dir.Write("s.jsonl",
            SourceJson("a") +
                "\n\n{\"id\": \"b\", \"kind\": 3, \"permission\": {\"basis\": \"none\"}}\n{oops\n");
  std::string path =
      dir.Write("m.json",
                R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"}},
          "sources": {"jsonl": "s.jsonl"}})");
  CountingVisitor visitor;
  ReadResult result = ReadManifest(path, visitor);
  ASSERT_EQ(result.diagnostics.size(), 2u);
  EXPECT_EQ(result.diagnostics[0].line, 3u);
  EXPECT_EQ(result.diagnostics[0].column, 21u);
  EXPECT_EQ(result.diagnostics[0].pointer, "/sources/1/kind");
  EXPECT_NE(result.diagnostics[0].file.find("s.jsonl"), std::string::npos);
  EXPECT_EQ(result.diagnostics[1].line, 4u);
  EXPECT_EQ(result.diagnostics[1].code, "json-syntax");
}

TEST(ManifestReader, JsonlPathMustStayInsideTheManifestDirectory) {
  ScratchDir dir;
  std::string path =
      dir.Write("m.json",
                R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"}},
          "sources": {"jsonl": "../elsewhere.jsonl"}})");
  CountingVisitor visitor;
  ReadResult result = ReadManifest(path, visitor);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.diagnostics[0].code, "path-escape");
}

TEST(ManifestReader, FindsDuplicateIdsInBothLayouts) {
  ScratchDir dir;
  std::string array = "[";
  std::string lines;
  for (int i = 0; i < 20000; ++i) {
    std::string id = i == 15000 ? "s7" : "s" + std::to_string(i);
    array += (i ? "," : "") + SourceJson(id);
    lines += SourceJson(id) + "\n";
  }
  array += "]";
  dir.Write("s.jsonl", lines);
  for (const std::string& path :
       {dir.Write("a.json", ClosedModelManifest(array)),
        dir.Write("j.json", ClosedModelManifest(R"({"jsonl": "s.jsonl"})"))}) {
    CountingVisitor visitor;
    ReadResult result = ReadManifest(path, visitor);
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result.duplicate_source_ids.size(), 1u) << path;
    EXPECT_EQ(result.duplicate_source_ids[0].id, "s7");
    ASSERT_EQ(result.duplicate_source_ids[0].locations.size(), 2u);
    EXPECT_EQ(result.duplicate_source_ids[0].locations[0].pointer, "/sources/7");
    EXPECT_EQ(result.duplicate_source_ids[0].locations[1].pointer, "/sources/15000");
  }
}

// The sources are read where they are when the header comes before them, and in a second
// pass when a header field follows them: both give the visitor the same calls, in the same
// order (the header first), and find the same repeated ids.
TEST(ManifestReader, ReadsTheSourcesBeforeOrAfterTheHeaderAlike) {
  class Recorder : public ManifestVisitor {
   public:
    void OnHeader(const ManifestHeader& h) override { calls.push_back("header " + h.model.id); }
    void OnSource(const Source& s) override { calls.push_back(s.id + " at " + s.location.pointer); }
    std::vector<std::string> calls;
  };
  const std::string version = R"("manifest_version": "1")";
  const std::string model = R"("model": {"id": "m", "release": {"weights": "closed"}})";
  const std::string sources =
      R"("sources": [)" + SourceJson("a") + "," + SourceJson("b") + "," + SourceJson("a") + "]";
  const std::vector<std::string> expected = {"header m", "a at /sources/0", "b at /sources/1",
                                             "a at /sources/2"};
  for (const std::string& text :
       {"{" + version + "," + model + "," + sources + R"(, "x-after": true})",
        "{" + sources + "," + version + "," + model + "}",
        "{" + version + "," + sources + "," + model + "}"}) {
    Recorder visitor;
    ReadResult result = ReadManifestText(text, "m.json", "", visitor);
    ASSERT_TRUE(result.ok()) << text;
    EXPECT_EQ(visitor.calls, expected) << text;
    ASSERT_EQ(result.duplicate_source_ids.size(), 1u) << text;
    EXPECT_EQ(result.duplicate_source_ids[0].id, "a");
    ASSERT_EQ(result.duplicate_source_ids[0].locations.size(), 2u);
    EXPECT_EQ(result.duplicate_source_ids[0].locations[1].pointer, "/sources/2");
    EXPECT_EQ(result.source_count, 3u);
  }
}

// A root key repeated on both sides of the sources is found although the sources' objects,
// read in between, keep keys of their own (extensions here).
TEST(ManifestReader, RepeatedRootKeyAroundTheSourcesIsFound) {
  std::string source = R"({"id": "a", "kind": "code", "permission": {"basis": "first-party"},
                           "x-a": 1, "x-b": 2})";
  std::string text = R"({"manifest_version": "1", "x-a": 1,
    "model": {"id": "m", "release": {"weights": "closed"}},
    "sources": [)" + source +
                     "," + source + R"(], "x-a": 2})";
  CountingVisitor visitor;
  ReadResult result = ReadManifestText(text, "m.json", "", visitor);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].code, "json-duplicate-key");
  EXPECT_EQ(result.diagnostics[0].pointer, "/x-a");
  EXPECT_FALSE(result.ok());
}

// Keys spelled with escapes name the same members as plain ones, in every pass: the sources
// of "\u0073ources" are read whether they come before or after the header, and a repeated id
// under "\u0069d" is found by the pass that confirms repeats.
TEST(ManifestReader, EscapedKeysNameTheSameMembersInEveryPass) {
  const std::string header =
      R"("manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"}})";
  const std::string a = R"({"\u0069d": "a", "kind": "code", "permission": {"basis": "none"}})";
  const std::string b = R"({"id": "a", "kind": "code", "permission": {"basis": "first-party"}})";
  const std::string sources = R"("\u0073ources": [)" + a + "," + b + "]";
  for (const std::string& text :
       {"{" + header + "," + sources + "}", "{" + sources + "," + header + "}"}) {
    CountingVisitor visitor;
    ReadResult result = ReadManifestText(text, "m.json", "", visitor);
    ASSERT_TRUE(result.ok()) << text;
    EXPECT_EQ(result.source_count, 2u) << text;
    EXPECT_EQ(visitor.ids, (std::vector<std::string>{"a", "a"})) << text;
    ASSERT_EQ(result.duplicate_source_ids.size(), 1u) << text;
    ASSERT_EQ(result.duplicate_source_ids[0].locations.size(), 2u) << text;
    EXPECT_EQ(result.duplicate_source_ids[0].locations[0].pointer, "/sources/0");
  }
}

// The nesting limit counts a source's values alike whether the sources come before or after
// the header.
TEST(ManifestReader, NestingLimitDoesNotDependOnTheOrderOfKeys) {
  const std::string header =
      R"("manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"}})";
  for (int levels = 58; levels <= 66; ++levels) {
    std::string deep;
    for (int i = 0; i < levels; ++i) deep += R"({"x": )";
    deep += "1";
    for (int i = 0; i < levels; ++i) deep += "}";
    std::string sources =
        R"("sources": [{"id": "a", "kind": "code", "permission": {"basis": "first-party"},
                        "x-deep": )" +
        deep + "}]";
    CountingVisitor first;
    CountingVisitor last;
    ReadResult sources_first =
        ReadManifestText("{" + sources + "," + header + "}", "m.json", "", first);
    ReadResult sources_last =
        ReadManifestText("{" + header + "," + sources + "}", "m.json", "", last);
    EXPECT_EQ(sources_first.ok(), sources_last.ok()) << levels << " levels";
    EXPECT_EQ(sources_first.diagnostics.size(), sources_last.diagnostics.size()) << levels;
    if (!sources_first.diagnostics.empty() && !sources_last.diagnostics.empty()) {
      EXPECT_EQ(sources_first.diagnostics[0].code, sources_last.diagnostics[0].code) << levels;
      EXPECT_EQ(sources_first.diagnostics[0].pointer, sources_last.diagnostics[0].pointer);
    }
  }
}

// An invalid header before the sources: they are checked, and none reaches the visitor.
TEST(ManifestReader, SourcesAfterAnInvalidHeaderAreNotStreamed) {
  std::string text = R"({"manifest_version": "1", "bogus": 1,
    "model": {"id": "m", "release": {"weights": "closed"}},
    "sources": [)" + SourceJson("a") +
                     R"(, {"id": "b"}]})";
  CountingVisitor visitor;
  ReadResult result = ReadManifestText(text, "m.json", "", visitor);
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(visitor.ids.empty());
  std::set<std::string> codes;
  for (const Diagnostic& d : result.diagnostics) codes.insert(d.code);
  EXPECT_EQ(codes.size(), 2u);  // The unknown field, and the source without a kind.
}

TEST(ManifestReader, MissingFileIsInvalidInputNotACrash) {
  Manifest m;
  ReadResult result = LoadManifest("/nonexistent/provgate/m.json", m);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.diagnostics[0].code, "io-open");
}

TEST(ManifestReader, InvalidSourcesAreNotStreamed) {
  ScratchDir dir;
  std::string path =
      dir.Write("m.json",
                R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"}},
          "sources": [)" +
                    SourceJson("a") + R"(, {"id": "b"}, )" + SourceJson("c") + "]}");
  CountingVisitor visitor;
  ReadResult result = ReadManifest(path, visitor);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(visitor.ids, std::vector<std::string>{"a"});
}

TEST(ManifestReader, StopsCollectingAfterTheLimit) {
  ScratchDir dir;
  std::string sources = "[";
  for (int i = 0; i < 500; ++i) sources += std::string(i ? "," : "") + R"({"id": 1})";
  std::string path = dir.Write("m.json", ClosedModelManifest(sources + "]"));
  Manifest m;
  ReadOptions options;
  options.max_diagnostics = 10;
  ReadResult result = LoadManifest(path, m, options);
  ASSERT_EQ(result.diagnostics.size(), 11u);
  EXPECT_EQ(result.diagnostics.back().code, "too-many-errors");
}

// Large manifests release the pages of sources already read; every source must still arrive
// intact, with its position, and the digest must cover the whole file.
TEST(ManifestReader, ReleasingReadPagesKeepsEverySource) {
  ScratchDir dir;
  std::string text =
      R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"}},)"
      "\n\"sources\": [\n";
  constexpr int kSources = 30000;
  for (int i = 0; i < kSources; ++i) {
    text += std::string(i == 0 ? "" : ",\n") + R"({"id": "s-)" + std::to_string(i) +
            R"(", "kind": "code", "permission": {"basis": "first-party"}, "title": ")" +
            std::string(100, 'x') + "\"}";
  }
  text += "\n]}\n";
  ASSERT_GT(text.size(), 4u << 20);
  std::string path = dir.Write("big.json", text);
  struct Visitor : ManifestVisitor {
    void OnHeader(const ManifestHeader&) override {}
    void OnSource(const Source& s) override {
      ok = ok && s.id == "s-" + std::to_string(count) && s.location.line == count + 3 && s.title &&
           s.title->size() == 100;
      ++count;
    }
    std::uint32_t count = 0;
    bool ok = true;
  } visitor;
  ReadResult result = ReadManifest(path, visitor, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(visitor.count, static_cast<std::uint32_t>(kSources));
  EXPECT_TRUE(visitor.ok);
  EXPECT_EQ(result.manifest_sha256.size(), 64u);
}

// What a visitor saw: every source's id, position and title, the thread of each call, and
// whether the header came first.
struct RecordingVisitor : ManifestVisitor {
  void OnHeader(const ManifestHeader& header) override {
    header_thread = std::this_thread::get_id();
    model = header.model.id;
    header_before_sources = sources.empty();
  }
  void OnSource(const Source& s) override {
    threads.insert(std::this_thread::get_id());
    sources.push_back(s.id + "@" + std::to_string(s.index) + ":" + std::to_string(s.location.line) +
                      ":" + s.title.value_or("-") + ":" + s.location.pointer);
  }
  std::thread::id header_thread;
  std::string model;
  bool header_before_sources = false;
  std::set<std::thread::id> threads;
  std::vector<std::string> sources;
};

// With `pipeline`, sources reach the visitor on a second thread in batches; the visitor must
// see exactly what it sees without: every source, in order, with its position, for counts
// below one batch, at batch boundaries, and across many batches, in both layouts.
TEST(ManifestReader, PipelinedVisitorSeesWhatTheSerialOneSees) {
  ScratchDir dir;
  std::string header =
      R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"}},)"
      "\n\"sources\": ";
  for (int count : {0, 1, 1023, 1024, 1025, 2048, 9000}) {
    std::string array = "[\n";
    std::string lines;
    for (int i = 0; i < count; ++i) {
      // Titles on every third source only: a recycled slot must not keep an earlier title.
      std::string source = R"({"id": "s-)" + std::to_string(i) +
                           R"(", "kind": "code", "permission": {"basis": "first-party"})" +
                           (i % 3 == 0 ? R"(, "title": "t)" + std::to_string(i) + "\"" : "") + "}";
      array += (i ? ",\n" : "") + source;
      lines += source + "\n";
    }
    array += "\n]";
    std::string name = std::to_string(count);
    dir.Write(name + ".jsonl", lines);
    for (const std::string& path :
         {dir.Write(name + "-array.json", header + array + "}"),
          dir.Write(name + "-jsonl.json", header + R"({"jsonl": ")" + name + ".jsonl\"}}")}) {
      RecordingVisitor serial, pipelined;
      ReadOptions options;
      ReadResult serial_result = ReadManifest(path, serial, options);
      options.pipeline = true;
      ReadResult pipelined_result = ReadManifest(path, pipelined, options);
      ASSERT_TRUE(serial_result.ok()) << path;
      ASSERT_TRUE(pipelined_result.ok()) << path;
      EXPECT_EQ(serial.sources.size(), static_cast<std::size_t>(count)) << path;
      EXPECT_EQ(pipelined.sources, serial.sources) << path;
      EXPECT_EQ(pipelined.model, "m");
      EXPECT_TRUE(pipelined.header_before_sources);
      EXPECT_EQ(pipelined.header_thread, std::this_thread::get_id());
      EXPECT_EQ(pipelined_result.manifest_sha256, serial_result.manifest_sha256);
      EXPECT_EQ(pipelined_result.source_count, static_cast<std::uint64_t>(count));
      // A thread starts only once a batch is full; then every call is made on it alone.
      if (count >= 1024) {
        ASSERT_EQ(pipelined.threads.size(), 1u) << path;
        EXPECT_NE(*pipelined.threads.begin(), std::this_thread::get_id()) << path;
      } else if (count > 0) {
        EXPECT_EQ(pipelined.threads, std::set<std::thread::id>{std::this_thread::get_id()});
      }
    }
  }
}

// An invalid source stops the stream: the sources before it have been seen, none after, as
// without the pipeline.
TEST(ManifestReader, PipelinedReadStopsAtTheFirstInvalidSource) {
  ScratchDir dir;
  std::string array = "[";
  for (int i = 0; i < 6000; ++i) {
    array += std::string(i ? "," : "") +
             (i == 3000 ? R"({"id": "broken"})" : SourceJson("s" + std::to_string(i)));
  }
  array += "]";
  std::string path = dir.Write("m.json", ClosedModelManifest(array));
  RecordingVisitor visitor;
  ReadOptions options;
  options.pipeline = true;
  ReadResult result = ReadManifest(path, visitor, options);
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(visitor.sources.size(), 3000u);
  EXPECT_EQ(visitor.sources.back().substr(0, 10), "s2999@2999");
}

// Strings are read in place, eight bytes at a time, until a quote, a backslash or a control
// character: each of those must be found at every position within and across the words.
TEST(ManifestReader, FindsEscapesAndControlCharactersAtEveryPosition) {
  ScratchDir dir;
  auto manifest_with_title = [&](const std::string& title_json) {
    return dir.Write("m.json",
                     R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": )"
                     R"("closed"}}, "sources": [{"id": "s", "kind": "code", "permission": )"
                     R"({"basis": "first-party"}, "title": ")" +
                         title_json + "\"}]}");
  };
  for (std::size_t before = 0; before < 20; ++before) {
    for (std::size_t after : {0, 1, 7, 8, 9, 30}) {
      std::string a(before, 'a'), b(after, 'b');
      // An escape is unescaped.
      for (const auto& [escaped, plain] : std::vector<std::pair<std::string, std::string>>{
               {"\\n", "\n"}, {"\\\"", "\""}, {"\\\\", "\\"}, {"\\u00e9", "\xc3\xa9"}}) {
        Manifest m;
        ReadResult result = LoadManifest(manifest_with_title(a + escaped + b), m);
        ASSERT_TRUE(result.ok()) << before << " " << after << " " << escaped;
        ASSERT_EQ(m.sources.size(), 1u);
        EXPECT_EQ(m.sources[0].title.value_or("?"), a + plain + b) << before << " " << after;
      }
      // UTF-8 above 0x7f is plain text.
      {
        Manifest m;
        ReadResult result = LoadManifest(manifest_with_title(a + "\xc3\xa9\xe2\x82\xac" + b), m);
        ASSERT_TRUE(result.ok());
        EXPECT_EQ(m.sources[0].title.value_or("?"), a + "\xc3\xa9\xe2\x82\xac" + b);
      }
      // A raw control character is invalid JSON, reported where it is.
      for (char control : {'\x01', '\x1f', '\t'}) {
        Manifest m;
        std::string path = manifest_with_title(a + control + b);
        ReadResult result = LoadManifest(path, m);
        ASSERT_FALSE(result.ok()) << before << " " << after << " " << int(control);
        EXPECT_TRUE(m.sources.empty());
        std::ifstream in(path);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        ASSERT_EQ(result.diagnostics.size(), 1u);
        EXPECT_EQ(result.diagnostics[0].line, 1u);
        EXPECT_EQ(result.diagnostics[0].column, text.find(control) + 1);
        EXPECT_NE(result.diagnostics[0].message.find("control character"), std::string::npos);
      }
    }
  }
}

// A string left open is reported at its opening quote, not at the start of the file.
TEST(ManifestReader, UnclosedStringIsReportedWhereItOpens) {
  ScratchDir dir;
  std::string path =
      dir.Write("m.json", "{\"manifest_version\": \"1\",\n  \"model\": {\"id\": \"lab/m\n}\n");
  Manifest m;
  ReadResult result = LoadManifest(path, m);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].message, "malformed JSON: unclosed string");
  EXPECT_EQ(result.diagnostics[0].line, 2u);
  EXPECT_EQ(result.diagnostics[0].column, 19u);
}

// A malformed literal or number where another type is expected is malformed JSON at the value,
// not a value of the wrong type; a well-formed one of the wrong type is a schema error.
TEST(ManifestReader, MalformedScalarsAreSyntaxErrorsNotTypeErrors) {
  ScratchDir dir;
  const std::string prefix = R"({"manifest_version": "1", "model": {"id": )";
  for (const char* bad : {"tru", "nul", "falsey", "01", "-", "1.", "1e", "-01.5", "1e+"}) {
    Manifest m;
    ReadResult result =
        LoadManifest(dir.Write("m.json", prefix + bad + R"(, "release": {"weights": "closed"}},
                                 "sources": []})"),
                     m);
    ASSERT_EQ(result.diagnostics.size(), 1u) << bad;
    EXPECT_EQ(result.diagnostics[0].code, "json-syntax") << bad;
    EXPECT_EQ(result.diagnostics[0].column, prefix.size() + 1) << bad;
    EXPECT_EQ(result.diagnostics[0].pointer, "/model/id") << bad;
  }
  for (const char* wrong_type :
       {"true", "false", "null", "0", "-0.5e-3", "1.5E+7", "123456789012345678901234567890"}) {
    Manifest m;
    ReadResult result = LoadManifest(
        dir.Write("m.json", prefix + wrong_type + R"(, "release": {"weights": "closed"}},
                                 "sources": []})"),
        m);
    ASSERT_EQ(result.diagnostics.size(), 1u) << wrong_type;
    EXPECT_EQ(result.diagnostics[0].code, "schema-type") << wrong_type;
    EXPECT_EQ(result.diagnostics[0].column, prefix.size() + 1) << wrong_type;
  }
}

}  // namespace
}  // namespace provgate
