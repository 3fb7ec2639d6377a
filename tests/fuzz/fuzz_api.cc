// Fuzz target: the public API driven with random options, parameters and inputs. The first
// bytes choose the options and the way in (file, text, session, shards); the rest is the
// manifest text. Invalid input is fine (diagnostics); a crash, an exception, a hang or a
// report that claims "compliant" for a check that failed is not.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "provgate/provgate.h"

namespace {

class Bytes {
 public:
  Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t Byte() { return at_ < size_ ? data_[at_++] : 0; }
  // A short string from the input: a length byte, then up to that many bytes.
  std::string Text() {
    std::size_t n = Byte() % 24;
    std::string out;
    while (n-- > 0 && at_ < size_) out += static_cast<char>(data_[at_++]);
    return out;
  }
  std::string Rest() {
    std::string out(reinterpret_cast<const char*>(data_ + at_), size_ - at_);
    at_ = size_;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

const provgate::RulePack& Pack() {
  static const provgate::PackLoadResult loaded = provgate::LoadRulePack("");
  if (!loaded.ok()) __builtin_trap();
  return *loaded.pack;
}

// A failed check never reads as compliant; a finished one has a verdict.
void CheckInvariants(const provgate::CheckResult& result) {
  const int code = result.ExitCode();
  if (code >= 2 && result.report.compliant()) __builtin_trap();
  if (code < 2 && result.report.verdict == provgate::Verdict::kUnknown) __builtin_trap();
  if (code == 0 && !result.report.compliant()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in(data, size);
  const std::uint8_t way = in.Byte();
  const std::uint8_t flags = in.Byte();
  provgate::CheckOptions options;
  const char* profiles[] = {"", "thread", "intermediate", "eu", "no-such"};
  options.profile = profiles[in.Byte() % 5];
  options.date = (flags & 1) ? in.Text() : "2026-06-01";
  options.integrity_only = (flags & 2) != 0;
  options.max_threads = in.Byte() % 4;
  options.cost_limit = 1 + in.Byte() * 4096u;
  const std::size_t params = in.Byte() % 3;
  for (std::size_t i = 0; i < params; ++i) {
    std::string name = (flags & 4) ? in.Text() : "judge_propagates_taint";
    options.params.emplace_back(std::move(name), in.Text());
  }
  // Relative paths resolve in a directory of the fuzzer's own, which holds nothing.
  static const std::string dir = [] {
    std::string pattern = "/tmp/provgate-fuzz-api-XXXXXX";
    return std::string(mkdtemp(pattern.data()));
  }();
  const std::string text = in.Rest();

  switch (way % 5) {
    case 0:
      CheckInvariants(
          provgate::Check(provgate::ManifestInput::Text(text, "m.json", dir), Pack(), options));
      break;
    case 1: {
      // The text's sources through a session opened with its header.
      provgate::Manifest manifest;
      struct Collect : provgate::ManifestVisitor {
        provgate::Manifest& m;
        explicit Collect(provgate::Manifest& m) : m(m) {}
        void OnHeader(const provgate::ManifestHeader& h) override { m.header = h; }
        void OnSource(const provgate::Source& s) override { m.sources.push_back(s); }
      } collect(manifest);
      (void)provgate::ReadManifestText(text, "m.json", dir, collect);
      provgate::CheckSession session(Pack(), options, manifest.header, "m.json", dir);
      for (const provgate::Source& source : manifest.sources) session.Add(source);
      CheckInvariants(session.Finish());
      break;
    }
    case 2: {
      // Shards, with one partial damaged when the flags say so.
      const provgate::ManifestInput input = provgate::ManifestInput::Text(text, "m.json", dir);
      const std::uint64_t count = 1 + (flags >> 4) % 4;
      std::vector<std::string> partials;
      for (std::uint64_t i = 0; i < count; ++i) {
        provgate::ShardResult shard = provgate::EvaluateShard(input, {i, count}, Pack(), options);
        if (!shard.ok()) {
          if (!shard.partial.empty()) __builtin_trap();
          return 0;
        }
        partials.push_back(std::move(shard.partial));
      }
      if ((flags & 8) != 0 && !partials.back().empty()) {
        std::string& p = partials.back();
        p[p.size() * 7 / 11] ^= static_cast<char>(1 + flags);
        p.resize(p.size() - flags % 3);
      }
      CheckInvariants(provgate::MergeShards(input, partials, Pack(), options));
      break;
    }
    case 3: {
      // The text as the lines of a side file, cut at newlines into up to four partitions that
      // are judged from memory and merged; with wrong counts when the flags say so.
      static const std::string header =
          R"({"manifest_version": "1", "model": {"id": "f/z", "release": {"weights": "closed"},
          "stages": [{"id": "s", "sources": ["a"]}, {"id": "t", "sources": ["b"]}]},
          "sources": {"jsonl": "s.jsonl"}})";
      const provgate::ManifestInput input = provgate::ManifestInput::Text(header, "m.json", dir);
      const std::size_t pieces = 1 + (flags >> 4) % 4;
      std::vector<std::string> partials;
      provgate::PartitionedSources sources;
      std::size_t begin = 0;
      std::uint64_t line = 1;
      std::optional<std::int64_t> stage;
      if ((flags & 16) != 0) stage = static_cast<std::int64_t>(flags % 5) - 2;
      for (std::size_t i = 0; i < pieces && begin <= text.size(); ++i) {
        std::size_t end =
            i + 1 == pieces ? text.size() : text.find('\n', begin + text.size() / pieces);
        end = end == std::string::npos ? text.size() : std::min(text.size(), end + 1);
        const std::string lines = text.substr(begin, end - begin);
        provgate::Partition partition;
        partition.first_line = line;
        partition.first_index = sources.source_count;
        for (char c : lines) partition.sources += c == '\n' ? 1 : 0;
        if ((flags & 8) != 0) partition.sources += i;
        line += partition.sources;
        sources.source_count += partition.sources;
        (void)provgate::PartitionFacts(input, partition, Pack(), options, &lines);
        provgate::ShardResult shard =
            provgate::EvaluatePartitionText(input, lines, partition, Pack(), options, stage);
        if (!shard.ok() && !shard.partial.empty()) __builtin_trap();
        if (shard.ok()) partials.push_back(std::move(shard.partial));
        begin = end + (end == text.size() ? 1 : 0);
      }
      CheckInvariants(provgate::MergePartitions(input, partials, sources, Pack(), options));
      break;
    }
    default:
      // Arbitrary bytes as a partial.
      CheckInvariants(provgate::MergeShards(provgate::ManifestInput::Text("{}", "m.json", dir),
                                            {text}, Pack(), options));
      break;
  }
  return 0;
}
