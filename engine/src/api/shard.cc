// Shards: each judges its slice of the sources into a tally that travels as bytes; the merge
// judges the model from the merged tallies.
#include "provgate/shard.h"

#include <cstring>
#include <optional>

#include "api/check_flow.h"
#include "crypto/sha256.h"
#include "json/json_writer.h"
#include "provgate/version.h"

namespace provgate {
namespace {

constexpr std::string_view kMagic = "pgshard1";

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
  w.Member("root", options.root);
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
  if (!text(p.fingerprint) || !u64(p.spec.index) || !u64(p.spec.count) || !u64(p.source_count) ||
      !u64(known) || !u64(stage) || !text(p.tally) || !bytes.empty() || known > 1) {
    return std::nullopt;
  }
  p.intermediate_known = known == 1;
  p.intermediate_stage = static_cast<std::int64_t>(stage);
  if (p.intermediate_stage < -1 || p.intermediate_stage > INT32_MAX) return std::nullopt;
  return p;
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
  CheckOptions options = given_options;
  std::vector<std::shared_ptr<const Waiver>> no_waivers;
  options.waivers_path.clear();
  if (!detail::PlanCheck(pack, options, result.diagnostics)) return result;
  if (auto failed = detail::Prepare(input, pack, options, no_waivers)) {
    result.status = failed->status;
    result.diagnostics = std::move(failed->diagnostics);
    return result;
  }
  detail::LineageWalk lineage(detail::ResolvingPath(input));
  detail::CheckContext context{pack, options, lineage};
  std::optional<detail::CheckPlan> plan = detail::PlanFor(input, context, 0, result.diagnostics);
  if (!plan) return result;
  if (!detail::FirstPass(input, pack, options, *plan)) plan->two_pass = false;
  plan->evaluator.shard_index = spec.index;
  plan->evaluator.shard_count = spec.count;
  detail::PolicyEvaluator evaluator(pack, plan->evaluator);
  ReadResult read;
  if (!detail::ReadForEvaluation(input, evaluator, options, read, result.status,
                                 result.diagnostics)) {
    return result;
  }
  Partial partial;
  partial.fingerprint = Fingerprint(read, pack, *plan, options);
  partial.spec = spec;
  partial.source_count = read.source_count;
  partial.intermediate_known = plan->evaluator.intermediate_known;
  partial.intermediate_stage = plan->evaluator.intermediate_stage;
  partial.tally = evaluator.FinishTally().Serialize();
  result.partial = Encode(partial);
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
    if (!p) {
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

  detail::LineageWalk lineage(detail::ResolvingPath(input));
  detail::CheckContext context{pack, options, lineage};
  std::optional<detail::CheckPlan> plan = detail::PlanFor(input, context, 0, result.diagnostics);
  if (!plan) return result;
  plan->evaluator.judge_sources = false;
  plan->evaluator.intermediate_known = decoded.front().intermediate_known;
  plan->evaluator.intermediate_stage = static_cast<int>(decoded.front().intermediate_stage);
  detail::PolicyEvaluator evaluator(pack, plan->evaluator);
  ReadResult read;
  if (!detail::ReadForEvaluation(input, evaluator, options, read, result.status,
                                 result.diagnostics)) {
    return result;
  }

  const std::string fingerprint = Fingerprint(read, pack, *plan, options);
  detail::SourceTally merged;
  for (Partial& p : decoded) {
    if (p.fingerprint != fingerprint || p.source_count != read.source_count ||
        p.intermediate_known != decoded.front().intermediate_known ||
        p.intermediate_stage != decoded.front().intermediate_stage) {
      result.diagnostics.push_back(ShardError(
          "shard " + std::to_string(p.spec.index) +
          " was evaluated from another manifest, pack, profile, parameters, date or options"));
      return result;
    }
    detail::SourceTally tally;
    std::string error;
    if (!detail::SourceTally::Deserialize(p.tally, tally, error) ||
        !tally.Fits(evaluator.scope().stage_slots(), evaluator.scope().reference_count(),
                    read.source_count, error)) {
      result.diagnostics.push_back(
          ShardError("shard " + std::to_string(p.spec.index) + " is corrupt: " + error));
      return result;
    }
    merged.Merge(std::move(tally));
  }
  detail::Evaluation evaluation = evaluator.FinishWith(std::move(merged), read);
  detail::Conclude(input, context, *plan, std::move(evaluation), evaluator.header(), read, result);
  detail::Finalize(result, options, waivers, lineage);
  return result;
}

}  // namespace provgate
