// Shards: each judges its slice of the sources into a tally that travels as bytes; the merge
// judges the model from the merged tallies.
#include "provgate/shard.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <optional>

#include "api/check_flow.h"
#include "common/safe_file.h"
#include "crypto/sha256.h"
#include "json/json_writer.h"
#include "manifest/jsonl_lines.h"
#include "provgate/version.h"

namespace provgate {
namespace {

constexpr std::string_view kMagic = "pgshard2";

Diagnostic ShardError(std::string message) {
  return {Diagnostic::Severity::kError, "shard", std::move(message), "provgate", 0, 0, "", 0};
}

// What must be equal for two evaluations to judge sources alike.
std::string Fingerprint(const ReadResult& read, const RulePack& pack, const detail::CheckPlan& plan,
                        const CheckOptions& options) {
  std::string text;
  detail::JsonWriter w(text, detail::JsonWriter::Canonical{});
  w.BeginObject();
  w.Member("tool", Version());
  w.Member("manifest", read.manifest_sha256);
  w.Member("sources", read.sources_sha256);
  w.Member("pack", pack.info.sha256);
  w.Member("profile", plan.profile);
  w.Key("params");
  w.BeginArray();
  for (const auto& [name, value] : options.params) {
    w.BeginArray();
    w.String(name);
    w.String(value);
    w.EndArray();
  }
  w.EndArray();
  w.Member("date", plan.evaluator.check_date);
  w.Member("integrity_only", options.integrity_only);
  w.Member("verify_files", options.verify_files);
  w.Member("collect_artifacts", options.collect_artifacts);
  w.Member("collect_decisions", options.collect_decisions);
  w.Member("cost_limit", options.cost_limit);
  // The same directory however it was named: a worker may see the manifest by another path
  // (absolute, or from another working directory) than the merge does.
  std::error_code error;
  std::filesystem::path root = std::filesystem::absolute(options.root, error);
  w.Member("root", options.root.empty() || error ? options.root : root.lexically_normal().string());
  w.Key("trusted_keys");
  w.BeginArray();
  for (const std::string& key : options.trusted_keys) w.String(key);
  for (const KeySource& key : options.trusted_key_sources) {
    w.String(key.name() + " " + detail::Sha256Hex(key.pem()));
  }
  w.EndArray();
  w.EndObject();
  return detail::Sha256Hex(text);
}

struct Partial {
  std::string fingerprint;
  // A modulo shard (spec: index and count), or a partition (spec.index: its first source,
  // spec.count: its sources).
  bool partition = false;
  ShardSpec spec;
  std::uint64_t source_count = 0;
  bool intermediate_known = false;
  std::int64_t intermediate_stage = -1;
  std::string tally;
};

void PutU64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

std::string Encode(const Partial& p) {
  std::string out(kMagic);
  PutU64(out, p.fingerprint.size());
  out += p.fingerprint;
  PutU64(out, p.partition ? 1 : 0);
  PutU64(out, p.spec.index);
  PutU64(out, p.spec.count);
  PutU64(out, p.source_count);
  PutU64(out, p.intermediate_known ? 1 : 0);
  PutU64(out, static_cast<std::uint64_t>(p.intermediate_stage));
  PutU64(out, p.tally.size());
  out += p.tally;
  // A digest of all of the above, so that bytes damaged on the way are refused whole.
  out += detail::Sha256Hex(out);
  return out;
}

// Reads what Encode wrote; nullopt for anything else (every length is checked against what
// is left, so corrupt bytes cannot make it allocate or read beyond the input).
std::optional<Partial> Decode(std::string_view bytes) {
  constexpr std::size_t kDigest = 64;
  if (bytes.size() < kMagic.size() + kDigest || bytes.substr(0, kMagic.size()) != kMagic ||
      detail::Sha256Hex(bytes.substr(0, bytes.size() - kDigest)) !=
          bytes.substr(bytes.size() - kDigest)) {
    return std::nullopt;
  }
  bytes.remove_suffix(kDigest);
  bytes.remove_prefix(kMagic.size());
  auto u64 = [&bytes](std::uint64_t& v) {
    if (bytes.size() < 8) return false;
    v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t{static_cast<unsigned char>(bytes[i])} << (8 * i);
    bytes.remove_prefix(8);
    return true;
  };
  auto text = [&](std::string& s) {
    std::uint64_t n = 0;
    if (!u64(n) || n > bytes.size()) return false;
    s.assign(bytes.substr(0, n));
    bytes.remove_prefix(n);
    return true;
  };
  Partial p;
  std::uint64_t known = 0;
  std::uint64_t stage = 0;
  std::uint64_t partition = 0;
  if (!text(p.fingerprint) || !u64(partition) || partition > 1 || !u64(p.spec.index) ||
      !u64(p.spec.count) || !u64(p.source_count) || !u64(known) || !u64(stage) || !text(p.tally) ||
      !bytes.empty() || known > 1) {
    return std::nullopt;
  }
  p.partition = partition == 1;
  p.intermediate_known = known == 1;
  p.intermediate_stage = static_cast<std::int64_t>(stage);
  if (p.intermediate_stage < -1 || p.intermediate_stage > INT32_MAX) return std::nullopt;
  return p;
}

// Keeps the header the reader produced.
class HeaderOnly : public ManifestVisitor {
 public:
  void OnHeader(const ManifestHeader& header) override { header_ = header; }
  void OnSource(const Source&) override {}
  const ManifestHeader& header() const { return header_; }

 private:
  ManifestHeader header_;
};

Diagnostic PartitionError(std::string message, const std::string& file) {
  return {Diagnostic::Severity::kError, "partition", std::move(message), file, 0, 0, "", 0};
}

// `options` reading only `partition` of the side file (the manifest checked, not the upstream
// manifests its lineage names: those are read with the options the caller gave).
CheckOptions Ranged(const CheckOptions& options, const Partition& partition,
                    std::shared_ptr<const std::string> text = nullptr) {
  CheckOptions ranged = options;
  ranged.read.jsonl_text = std::move(text);
  ReadOptions::JsonlRange range;
  range.begin = partition.begin;
  range.end = partition.end;
  range.first_line = partition.first_line;
  range.first_index = partition.first_index;
  ranged.read.jsonl_range = range;
  return ranged;
}

// The steps every shard and partition evaluation takes before it reads: the waivers left to
// the merge (which applies them once), the options prepared, and the plan made with the
// resolvers of upstream models; then `evaluate(options, plan)`. A step that fails leaves its
// status and diagnostics in `status` and `diagnostics`.
template <typename Evaluate>
void WithPlan(const ManifestInput& input, const RulePack& pack, const CheckOptions& given_options,
              Status& status, std::vector<Diagnostic>& diagnostics, Evaluate&& evaluate) {
  CheckOptions options = given_options;
  options.waivers_path.clear();
  options.waivers_text.clear();
  std::vector<std::shared_ptr<const Waiver>> no_waivers;
  if (!detail::PlanCheck(pack, options, diagnostics)) return;
  if (auto failed = detail::Prepare(input, pack, options, no_waivers)) {
    status = failed->status;
    diagnostics = std::move(failed->diagnostics);
    return;
  }
  detail::LineageWalk lineage(detail::ResolvingPath(input));
  detail::CheckContext context{pack, options, lineage};
  std::optional<detail::CheckPlan> plan = detail::PlanFor(input, context, 0, diagnostics);
  if (plan) evaluate(static_cast<const CheckOptions&>(options), *plan);
}

// How a merge names a partial in its messages.
std::string NameOf(const Partial& p) {
  return (p.partition ? "the partition at source " : "shard ") + std::to_string(p.spec.index);
}

// What modulo shards and partitions share once their partials are decoded and known to make
// one whole: reads the manifest without judging its sources (for partitions, the header
// alone: `side_file` gives the side file's count and digest, and an empty side file stands
// in for it), checks that every partial was made from it with these options, merges the
// tallies and judges the model.
void MergeTallies(const ManifestInput& input, std::vector<Partial>& decoded,
                  const PartitionedSources* side_file, const RulePack& pack,
                  const CheckOptions& options,
                  const std::vector<std::shared_ptr<const Waiver>>& waivers, CheckResult& result) {
  detail::LineageWalk lineage(detail::ResolvingPath(input));
  detail::CheckContext context{pack, options, lineage};
  std::optional<detail::CheckPlan> plan = detail::PlanFor(input, context, 0, result.diagnostics);
  if (!plan) return;
  const Partial& first = decoded.front();
  plan->evaluator.judge_sources = false;
  plan->evaluator.collect_ids = side_file != nullptr;
  plan->evaluator.intermediate_known = first.intermediate_known;
  plan->evaluator.intermediate_stage = static_cast<int>(first.intermediate_stage);
  detail::PolicyEvaluator evaluator(pack, plan->evaluator);
  ReadResult read;
  const CheckOptions read_options =
      side_file ? Ranged(options, Partition{}, std::make_shared<const std::string>()) : options;
  if (!detail::ReadForEvaluation(input, evaluator, read_options, read, result.status,
                                 result.diagnostics)) {
    return;
  }
  const std::string fingerprint = Fingerprint(read, pack, *plan, options);
  const std::uint64_t source_count = side_file ? side_file->source_count : read.source_count;
  detail::SourceTally merged;
  for (Partial& p : decoded) {
    if (p.fingerprint != fingerprint || (!p.partition && p.source_count != source_count) ||
        p.intermediate_known != first.intermediate_known ||
        p.intermediate_stage != first.intermediate_stage) {
      result.diagnostics.push_back(ShardError(
          NameOf(p) +
          " was evaluated from another manifest, pack, profile, parameters, date or options"));
      return;
    }
    detail::SourceTally tally;
    std::string error;
    if (!detail::SourceTally::Deserialize(p.tally, tally, error) ||
        !tally.Fits(evaluator.scope().stage_slots(), evaluator.scope().reference_count(),
                    source_count, error)) {
      result.diagnostics.push_back(ShardError(NameOf(p) + " is corrupt: " + error));
      return;
    }
    p.tally.clear();
    p.tally.shrink_to_fit();
    merged.Merge(std::move(tally));
  }
  if (side_file) {
    read.source_count = side_file->source_count;
    read.sources_sha256 = side_file->sha256;
  }
  detail::Evaluation evaluation = evaluator.FinishWith(std::move(merged), read);
  detail::Conclude(input, context, *plan, std::move(evaluation), evaluator.header(), read, result);
  detail::Finalize(result, options, waivers, lineage);
}

}  // namespace

ShardResult EvaluateShard(const ManifestInput& input, ShardSpec spec, const RulePack& pack,
                          const CheckOptions& given_options) {
  ShardResult result;
  if (spec.count == 0 || spec.index >= spec.count) {
    result.status = Status::InvalidArgument("shard " + std::to_string(spec.index) + " of " +
                                            std::to_string(spec.count) + " does not exist");
    return result;
  }
  WithPlan(input, pack, given_options, result.status, result.diagnostics,
           [&](const CheckOptions& options, detail::CheckPlan& plan) {
             if (!detail::FirstPass(input, pack, options, plan)) plan.two_pass = false;
             plan.evaluator.shard_index = spec.index;
             plan.evaluator.shard_count = spec.count;
             detail::PolicyEvaluator evaluator(pack, plan.evaluator);
             ReadResult read;
             if (!detail::ReadForEvaluation(input, evaluator, options, read, result.status,
                                            result.diagnostics)) {
               return;
             }
             Partial partial;
             partial.fingerprint = Fingerprint(read, pack, plan, options);
             partial.spec = spec;
             partial.source_count = read.source_count;
             partial.intermediate_known = plan.evaluator.intermediate_known;
             partial.intermediate_stage = plan.evaluator.intermediate_stage;
             partial.tally = evaluator.FinishTally().Serialize();
             result.partial = Encode(partial);
           });
  return result;
}

CheckResult MergeShards(const ManifestInput& input, const std::vector<std::string>& partials,
                        const RulePack& pack, const CheckOptions& given_options) {
  CheckResult result;
  CheckOptions options = given_options;
  if (!detail::PlanCheck(pack, options, result.diagnostics)) return result;
  std::vector<std::shared_ptr<const Waiver>> waivers;
  if (auto failed = detail::Prepare(input, pack, options, waivers)) return std::move(*failed);

  // The partials: one of each shard of one split, agreeing on what the first pass found.
  std::vector<Partial> decoded;
  std::vector<bool> seen;
  for (std::size_t i = 0; i < partials.size(); ++i) {
    std::optional<Partial> p = Decode(partials[i]);
    if (!p || p->partition) {
      result.diagnostics.push_back(ShardError("partial " + std::to_string(i) +
                                              " is not a provgate shard result of this version"));
      return result;
    }
    if (!decoded.empty() && p->spec.count != decoded.front().spec.count) {
      result.diagnostics.push_back(ShardError("partial " + std::to_string(i) + " is shard " +
                                              std::to_string(p->spec.index) + " of " +
                                              std::to_string(p->spec.count) + ", the first of " +
                                              std::to_string(decoded.front().spec.count)));
      return result;
    }
    if (p->spec.count == 0 || p->spec.index >= p->spec.count || p->spec.count > partials.size()) {
      result.diagnostics.push_back(ShardError("partial " + std::to_string(i) + " is shard " +
                                              std::to_string(p->spec.index) + " of " +
                                              std::to_string(p->spec.count) + ", but " +
                                              std::to_string(partials.size()) + " were given"));
      return result;
    }
    seen.resize(p->spec.count);
    if (seen[p->spec.index]) {
      result.diagnostics.push_back(
          ShardError("shard " + std::to_string(p->spec.index) + " is given twice"));
      return result;
    }
    seen[p->spec.index] = true;
    decoded.push_back(std::move(*p));
  }
  if (decoded.empty() || decoded.size() != decoded.front().spec.count) {
    result.diagnostics.push_back(ShardError(
        "the partials of every shard are needed: " + std::to_string(decoded.size()) + " of " +
        std::to_string(decoded.empty() ? 1 : decoded.front().spec.count) + " given"));
    return result;
  }
  MergeTallies(input, decoded, nullptr, pack, options, waivers, result);
  return result;
}

PartitionPlan PlanPartitions(const ManifestInput& input, std::uint64_t partition_bytes,
                             const RulePack& pack, const CheckOptions& options) {
  PartitionPlan plan;
  std::optional<detail::CheckPlan> check_plan = detail::PlanCheck(pack, options, plan.diagnostics);
  if (!check_plan) return plan;
  plan.two_pass = check_plan->two_pass;
  // The header alone: the side file is opened (and must exist) but none of it is read.
  HeaderOnly header;
  ReadOptions read = Ranged(options, Partition{}).read;
  read.pipeline = false;
  ReadResult result = detail::ReadInput(input, header, read);
  plan.status = result.status;
  plan.diagnostics = std::move(result.diagnostics);
  if (!plan.ok()) return plan;
  if (!header.header().sources_jsonl) {
    plan.diagnostics.push_back(PartitionError(
        "the sources are in an array, not in a JSON Lines side file: there is no file to "
        "partition (evaluate shards of it instead)",
        input.name()));
    return plan;
  }
  const std::string& relative = *header.header().sources_jsonl;
  const std::filesystem::path resolving(detail::ResolvingPath(input));
  const std::string display =
      (std::filesystem::path(input.name()).parent_path() / relative).lexically_normal().string();
  detail::OpenedFile file =
      detail::OpenRegularFileBeneath(resolving.parent_path().string(), relative);
  if (!file.ok()) {
    plan.diagnostics.push_back({Diagnostic::Severity::kError, "io-open",
                                "cannot open the JSONL side file: " + file.error, display, 0, 0, "",
                                0});
    return plan;
  }
  detail::Sha256 hasher;
  detail::JsonlLines lines(file.fd.get(), options.read.max_jsonl_line_bytes, &hasher);
  if (!lines.Rewind()) {
    plan.status = Status::IoError("error while reading " + display + ": " + lines.error());
    return plan;
  }
  const std::uint64_t size = std::max<std::uint64_t>(partition_bytes, 1);
  Partition current;
  detail::JsonlLines::Line line;
  while (true) {
    detail::JsonlLines::Result next = lines.Next(line);
    if (next == detail::JsonlLines::Result::kEnd) break;
    if (next == detail::JsonlLines::Result::kReadError) {
      plan.status = Status::IoError("error while reading " + display + ": " + lines.error());
      return plan;
    }
    if (next == detail::JsonlLines::Result::kTooLong) {
      plan.diagnostics.push_back(
          {Diagnostic::Severity::kError, "jsonl-line-length",
           "the line is longer than " + std::to_string(lines.max_line_bytes()) +
               " bytes: expected one source per line",
           display, line.number, 1, "/sources/" + std::to_string(line.index), 0});
      return plan;
    }
    if (current.sources > 0 && line.offset - current.begin >= size) {
      current.end = line.offset;
      plan.partitions.push_back(current);
      current = Partition{};
      current.begin = line.offset;
      current.first_line = line.number;
      current.first_index = line.index;
    }
    ++current.sources;
    ++plan.sources.source_count;
  }
  current.end = std::max<std::uint64_t>(file.size, current.begin);
  plan.partitions.push_back(current);
  plan.sources.sha256 = hasher.HexDigest();
  return plan;
}

PartitionFactsResult PartitionFacts(const ManifestInput& input, const Partition& partition,
                                    const RulePack& pack, const CheckOptions& given_options,
                                    const std::string* lines) {
  PartitionFactsResult result;
  WithPlan(input, pack, given_options, result.status, result.diagnostics,
           [&](const CheckOptions& options, detail::CheckPlan& plan) {
             if (!plan.two_pass) return;
             detail::EvaluatorOptions first = plan.evaluator;
             first.facts_only = true;
             first.collect_decisions = false;
             first.collect_artifacts = false;
             detail::PolicyEvaluator facts(pack, first);
             Partition local = partition;
             std::shared_ptr<const std::string> text;
             if (lines != nullptr) {
               local.begin = 0;
               local.end = lines->size();
               text = std::make_shared<const std::string>(*lines);
             }
             ReadResult read;
             if (detail::ReadForEvaluation(input, facts, Ranged(options, local, std::move(text)),
                                           read, result.status, result.diagnostics)) {
               result.last_unpermitted_stage = facts.Finish(read).last_unpermitted_stage;
             }
           });
  return result;
}

namespace {

// EvaluatePartition, with the partition's lines in `text` when it is given.
ShardResult EvaluatePartitionFrom(const ManifestInput& input, const Partition& partition,
                                  std::shared_ptr<const std::string> text, const RulePack& pack,
                                  const CheckOptions& given_options,
                                  std::optional<std::int64_t> last_unpermitted_stage) {
  ShardResult result;
  if (partition.end < partition.begin) {
    result.status = Status::InvalidArgument("the partition ends before it begins");
    return result;
  }
  WithPlan(input, pack, given_options, result.status, result.diagnostics,
           [&](const CheckOptions& options, detail::CheckPlan& plan) {
             if (plan.two_pass) {
               if (!last_unpermitted_stage || *last_unpermitted_stage < -1 ||
                   *last_unpermitted_stage > INT32_MAX) {
                 result.status = Status::InvalidArgument(
                     "profile '" + plan.profile +
                     "' reads every source twice: give the last stage that used unpermitted "
                     "data, from every partition's facts (PartitionFacts)");
                 return;
               }
               plan.evaluator.intermediate_known = true;
               plan.evaluator.intermediate_stage = static_cast<int>(*last_unpermitted_stage);
             }
             plan.evaluator.collect_ids = true;
             detail::PolicyEvaluator evaluator(pack, plan.evaluator);
             ReadResult read;
             if (!detail::ReadForEvaluation(input, evaluator,
                                            Ranged(options, partition, std::move(text)), read,
                                            result.status, result.diagnostics)) {
               return;
             }
             if (read.source_count != partition.sources) {
               result.diagnostics.push_back(PartitionError(
                   "the partition holds " + std::to_string(read.source_count) + " sources where " +
                       std::to_string(partition.sources) + " were planned: the side file changed",
                   input.name()));
               return;
             }
             Partial partial;
             partial.fingerprint = Fingerprint(read, pack, plan, options);
             partial.partition = true;
             partial.spec.index = partition.first_index;
             partial.spec.count = partition.sources;
             partial.source_count = partition.sources;
             partial.intermediate_known = plan.evaluator.intermediate_known;
             partial.intermediate_stage = plan.evaluator.intermediate_stage;
             partial.tally = evaluator.FinishTally().Serialize();
             result.partial = Encode(partial);
           });
  return result;
}

}  // namespace

ShardResult EvaluatePartition(const ManifestInput& input, const Partition& partition,
                              const RulePack& pack, const CheckOptions& options,
                              std::optional<std::int64_t> last_unpermitted_stage) {
  return EvaluatePartitionFrom(input, partition, nullptr, pack, options, last_unpermitted_stage);
}

ShardResult EvaluatePartitionText(const ManifestInput& input, std::string lines,
                                  const Partition& partition, const RulePack& pack,
                                  const CheckOptions& options,
                                  std::optional<std::int64_t> last_unpermitted_stage) {
  // The lines are the whole of the text the reader sees: the partition's offsets within it.
  Partition local = partition;
  local.begin = 0;
  local.end = lines.size();
  return EvaluatePartitionFrom(input, local, std::make_shared<const std::string>(std::move(lines)),
                               pack, options, last_unpermitted_stage);
}

CheckResult MergePartitions(const ManifestInput& input, const std::vector<std::string>& partials,
                            const PartitionedSources& sources, const RulePack& pack,
                            const CheckOptions& given_options) {
  CheckResult result;
  CheckOptions options = given_options;
  if (!detail::PlanCheck(pack, options, result.diagnostics)) return result;
  std::vector<std::shared_ptr<const Waiver>> waivers;
  if (auto failed = detail::Prepare(input, pack, options, waivers)) return std::move(*failed);

  std::vector<Partial> decoded;
  for (std::size_t i = 0; i < partials.size(); ++i) {
    std::optional<Partial> p = Decode(partials[i]);
    if (!p || !p->partition) {
      result.diagnostics.push_back(ShardError(
          "partial " + std::to_string(i) + " is not a provgate partition result of this version"));
      return result;
    }
    decoded.push_back(std::move(*p));
  }
  if (decoded.empty()) {
    result.diagnostics.push_back(ShardError("no partial was given"));
    return result;
  }
  // Together, the partitions hold every source once: sorted by their first source, each
  // starts where the one before ends, and the last ends at the side file's end.
  std::sort(decoded.begin(), decoded.end(),
            [](const Partial& a, const Partial& b) { return a.spec.index < b.spec.index; });
  std::uint64_t next = 0;
  for (const Partial& p : decoded) {
    if (p.spec.index != next || p.spec.count > sources.source_count - next) {
      result.diagnostics.push_back(ShardError(
          p.spec.index < next   ? "partitions overlap at source " + std::to_string(p.spec.index)
          : p.spec.index > next ? "no partition holds source " + std::to_string(next)
                                : "the partition at source " + std::to_string(p.spec.index) +
                                      " goes beyond the side file's " +
                                      std::to_string(sources.source_count) + " sources"));
      return result;
    }
    next += p.spec.count;
  }
  if (next != sources.source_count) {
    result.diagnostics.push_back(ShardError("no partition holds source " + std::to_string(next) +
                                            " (the side file has " +
                                            std::to_string(sources.source_count) + ")"));
    return result;
  }
  MergeTallies(input, decoded, &sources, pack, options, waivers, result);
  return result;
}

}  // namespace provgate
