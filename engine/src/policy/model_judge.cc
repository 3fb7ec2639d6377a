// Completes a check from the merged tally: the model's checks, stage references, unverified
// files and repeated ids, then findings, obligations and decisions in the report's order.
#include "policy/model_judge.h"

#include <algorithm>
#include <numeric>
#include <set>
#include <thread>
#include <tuple>

namespace provgate::detail {
namespace {

// Puts items made by sources in the order of their sources, keeping the order of the items
// of one source: the order a single pass over the manifest makes them in.
template <typename T>
void OrderBySource(ChunkedList<T>& items, std::vector<std::uint64_t>& sources) {
  if (std::is_sorted(sources.begin(), sources.end())) return;
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sources[a] < sources[b]; });
  ChunkedList<T> sorted;
  for (std::size_t i : order) sorted.push_back(std::move(items[i]));
  items = std::move(sorted);
  std::sort(sources.begin(), sources.end());
}

}  // namespace

std::vector<ReadResult::DuplicateId> FindRepeatedIds(std::vector<SourceTally::Id>& ids) {
  std::sort(ids.begin(), ids.end(), [](const SourceTally::Id& a, const SourceTally::Id& b) {
    return std::tie(a.id, a.index) < std::tie(b.id, b.index);
  });
  std::vector<ReadResult::DuplicateId> out;
  for (std::size_t i = 0; i < ids.size();) {
    std::size_t j = i + 1;
    while (j < ids.size() && ids[j].id == ids[i].id) ++j;
    if (j - i > 1) {
      ReadResult::DuplicateId duplicate;
      duplicate.id = ids[i].id;
      for (std::size_t k = i; k < j; ++k) duplicate.locations.push_back(ids[k].location);
      out.push_back(std::move(duplicate));
    }
    i = j;
  }
  return out;
}

Evaluation JudgeModel(CheckScope& scope, SourceTally tally,
                      std::vector<ReadResult::DuplicateId> duplicates) {
  Evaluation out;
  const Model& model = scope.header().model;
  // The stages' and lineage's findings first (the scope's), then the sources' in the order of
  // a single pass, then those made here: the order that sorting keeps among equal findings.
  // Each list stays where it was made until the sort moves its items into the report.
  OrderBySource(tally.findings, tally.finding_sources);
  OrderBySource(tally.obligations, tally.obligation_sources);
  ChunkedList<Finding> findings;
  ChunkedList<Obligation> obligations;

  RuleRunner runner(scope.rules(), scope.options().cost_limit);
  for (int g = 0; g < kGlobalCount; ++g) {
    runner.SetGlobal(static_cast<Global>(g), scope.global(static_cast<Global>(g)));
  }
  // The model's checks see what is known now.
  ModelView view = scope.model_view();
  view.tainted = tally.unpermitted > 0;
  runner.SetGlobal(Global::kModel, ModelValue(view));

  bool lineage_tainted = scope.lineage_tainted();
  int taint_stage = scope.lineage_taint_stage();
  out.taint_chain = lineage_tainted           ? scope.lineage_taint_chain()
                    : tally.first_unpermitted ? tally.first_unpermitted->chain
                                              : std::string();
  out.graph_edges = scope.graph_edges();
  // Models that generated sources are upstream models too (relation synthetic-data); one
  // that no lineage entry names cannot be established.
  std::vector<LineageEntry> synthetic_edges;
  synthetic_edges.reserve(tally.generators.size());
  for (const auto& [generator, first] : tally.generators) {
    LineageEntry entry;
    entry.relation = Relation::kSyntheticData;
    entry.model = generator;
    entry.location = first.location;
    synthetic_edges.push_back(std::move(entry));
  }
  std::size_t i = 0;
  for (const auto& [generator, first] : tally.generators) {
    UpstreamStatus status;
    status.detail =
        "it generated source '" + first.source + "', and no lineage entry names its manifest";
    CheckScope::EdgeOutcome edge = scope.JudgeEdge(synthetic_edges[i++], std::move(status), runner,
                                                   findings, obligations, out.graph_edges);
    if (edge.carries_taint) {
      taint_stage = std::max(taint_stage, edge.stage);
      if (!lineage_tainted) {
        lineage_tainted = true;
        out.taint_chain = std::move(edge.chain);
      }
    }
  }
  view.tainted = view.tainted || lineage_tainted;
  view.permitted_sources = tally.permitted;
  view.unpermitted_sources = tally.unpermitted;
  out.tainted = view.tainted;

  Report::Summary& summary = out.summary;
  summary.sources = tally.sources;
  summary.stages = model.stages.size();
  summary.lineage = model.lineage.size();
  summary.files_checked = scope.options().verify_files;
  summary.files_verified = tally.files_verified;
  summary.files_failed = tally.files_failed;
  summary.files_bytes = tally.files_bytes;
  summary.tokens = tally.tokens;
  summary.bytes = tally.bytes;
  summary.permitted = tally.permitted;
  summary.unpermitted = tally.unpermitted;
  summary.tokens_permitted = tally.tokens_permitted;
  summary.tokens_unpermitted = tally.tokens_unpermitted;
  for (auto& [name, count] : tally.by_class) summary.by_license_class.push_back(count);

  runner.Run(Subject::kModel, ModelValue(view), model.id, model.location, nullptr, findings,
             obligations);
  // Stage references, in manifest order.
  for (const auto& stage : model.stages) {
    for (std::size_t k = 0; k < stage.sources.size(); ++k) {
      StageReferenceView reference;
      reference.stage = stage.id;
      reference.source = stage.sources[k];
      const CheckScope::Reference* found = scope.FindReference(stage.sources[k]);
      reference.exists = found != nullptr && found->slot < tally.referenced_seen.size() &&
                         tally.referenced_seen[found->slot];
      runner.Run(Subject::kStageReference, StageReferenceValue(reference), reference.source,
                 stage.source_locations[k], nullptr, findings, obligations);
    }
  }
  if (scope.options().verify_files) {
    std::sort(tally.unverified_files.begin(), tally.unverified_files.end(),
              [](const SourceTally::File& a, const SourceTally::File& b) {
                return std::tie(a.location.file, a.location.line, a.location.pointer, a.index) <
                       std::tie(b.location.file, b.location.line, b.location.pointer, b.index);
              });
    for (const SourceTally::File& file : tally.unverified_files) {
      runner.Run(Subject::kUnverifiedFile, UnverifiedFileValue(file.view), file.view.path,
                 file.location, nullptr, findings, obligations);
    }
  }
  if (scope.options().collect_ids) duplicates = FindRepeatedIds(tally.ids);
  for (const auto& duplicate : duplicates) {
    DuplicateIdView repeated;
    repeated.id = duplicate.id;
    repeated.count = static_cast<std::int64_t>(duplicate.locations.size());
    runner.Run(Subject::kDuplicateId, DuplicateIdValue(repeated), duplicate.id,
               duplicate.locations.size() > 1 ? duplicate.locations[1] : duplicate.locations[0],
               nullptr, findings, obligations);
  }

  // Many obligations are sorted on a second thread while the findings are.
  auto sort_findings = [&] {
    out.findings = SortFindings({&scope.findings(), &tally.findings, &findings});
  };
  auto sort_obligations = [&] {
    out.obligations = SortObligations({&scope.obligations(), &tally.obligations, &obligations});
  };
  if (scope.obligations().size() + tally.obligations.size() + obligations.size() >= 4096 &&
      scope.options().sort_on_thread) {
    std::thread sorter(sort_obligations);
    sort_findings();
    sorter.join();
  } else {
    sort_findings();
    sort_obligations();
  }

  if (scope.options().collect_artifacts) {
    std::stable_sort(tally.artifacts.begin(), tally.artifacts.end(),
                     [](const SourceTally::ListedArtifact& a,
                        const SourceTally::ListedArtifact& b) { return a.index < b.index; });
    std::set<std::pair<std::string, std::string>> seen;
    for (auto& listed : tally.artifacts) {
      if (seen.emplace(listed.artifact.name, listed.artifact.sha256).second) {
        out.artifacts.push_back(std::move(listed.artifact));
      }
    }
  }
  if (scope.options().collect_decisions) {
    std::vector<SourceDecision>& decisions = out.decisions.emplace();
    decisions = std::move(tally.decisions);
    if (!std::is_sorted(tally.decision_sources.begin(), tally.decision_sources.end())) {
      std::vector<std::size_t> order(decisions.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return tally.decision_sources[a] < tally.decision_sources[b];
      });
      std::vector<SourceDecision> sorted;
      sorted.reserve(decisions.size());
      for (std::size_t i : order) sorted.push_back(std::move(decisions[i]));
      decisions = std::move(sorted);
    }
  }
  out.effective_weights = std::string(scope.model_view().effective_weights);
  out.check_date_used = tally.check_date_used ? scope.use().date : std::string();
  int last = taint_stage;
  for (std::size_t s = 0; s < scope.stage_slots(); ++s) {
    LineageGraph::Stage stage;
    stage.id = scope.stage_id(s);
    if (s < tally.stages.size()) {
      stage.permitted = tally.stages[s].permitted;
      stage.unpermitted = tally.stages[s].unpermitted;
      for (auto& [index, id] : tally.stages[s].examples) {
        stage.unpermitted_examples.push_back(std::move(id));
      }
    }
    if (stage.unpermitted > 0) last = std::max(last, static_cast<int>(s));
    out.graph_stages.push_back(std::move(stage));
  }
  out.last_unpermitted_stage = last;
  return out;
}

}  // namespace provgate::detail
