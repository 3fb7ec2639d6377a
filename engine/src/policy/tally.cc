// A source tally: merged with another slice's and checked against its scope (its bytes form is
// tally_bytes.cc).
#include "policy/tally.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>

namespace provgate::detail {
namespace {

std::uint64_t SaturatingAdd(std::uint64_t a, std::uint64_t b) {
  return a + b < a ? UINT64_MAX : a + b;
}

// Keeps the first `keep` examples by position.
void KeepFirstExamples(std::vector<std::pair<std::uint64_t, std::string>>& examples,
                       std::size_t keep) {
  std::sort(examples.begin(), examples.end());
  if (examples.size() > keep) examples.resize(keep);
}

}  // namespace

void SourceTally::KeepHeaviest(std::vector<Example>& examples) {
  std::sort(examples.begin(), examples.end(), [](const Example& a, const Example& b) {
    return a.tokens != b.tokens ? a.tokens > b.tokens : a.index < b.index;
  });
  if (examples.size() > 3) examples.resize(3);
}

void SourceTally::AddCondition(std::uint64_t index, const std::string& source, ConditionView view) {
  std::string key = view.kind + '\0' + view.text + '\0' + view.uri + '\0' + view.license;
  if (view.contract) key += '\0' + source;
  auto [it, inserted] = conditions.try_emplace(std::move(key));
  Condition& entry = it->second;
  if (inserted || index < entry.index) {
    std::uint64_t count = entry.view.count;
    entry.index = index;
    entry.view = std::move(view);
    entry.view.origin = source;
    entry.view.count = count;
  }
  ++entry.view.count;
}

void SourceTally::Reset(std::size_t stage_slots, std::size_t references) {
  *this = SourceTally();
  stages.resize(stage_slots);
  referenced_seen.assign(references, false);
}

bool SourceTally::Fits(std::size_t stage_slots, std::size_t references, std::uint64_t source_count,
                       std::string& why) const {
  auto in_range = [&](std::uint64_t index) { return index < source_count; };
  if (stages.size() != stage_slots || referenced_seen.size() != references) {
    why = "its stages or stage references do not match the manifest's";
  } else if (finding_sources.size() != findings.size() ||
             obligation_sources.size() != obligations.size() ||
             decision_sources.size() != decisions.size()) {
    why = "its findings, obligations or decisions do not match their sources";
  } else if (!std::all_of(finding_sources.begin(), finding_sources.end(), in_range) ||
             !std::all_of(obligation_sources.begin(), obligation_sources.end(), in_range) ||
             !std::all_of(decision_sources.begin(), decision_sources.end(), in_range) ||
             (first_unpermitted && !in_range(first_unpermitted->index)) ||
             !std::all_of(ids.begin(), ids.end(),
                          [&](const Id& id) { return in_range(id.index); }) ||
             !std::all_of(unverified_files.begin(), unverified_files.end(),
                          [&](const File& f) { return in_range(f.index); }) ||
             !std::all_of(artifacts.begin(), artifacts.end(),
                          [&](const ListedArtifact& a) { return in_range(a.index); }) ||
             !std::all_of(generators.begin(), generators.end(),
                          [&](const auto& g) {
                            return in_range(g.second.index) &&
                                   g.second.last_stage < static_cast<int>(stage_slots);
                          }) ||
             !std::all_of(conditions.begin(), conditions.end(),
                          [&](const auto& c) { return in_range(c.second.index); }) ||
             !std::all_of(own_outputs.begin(), own_outputs.end(),
                          [&](const OwnOutput& o) {
                            return in_range(o.index) && o.checkpoint >= -1 &&
                                   o.checkpoint < static_cast<int>(stage_slots) &&
                                   std::all_of(o.stages.begin(), o.stages.end(),
                                               [&](std::uint32_t s) { return s < stage_slots; });
                          }) ||
             !std::all_of(by_reason.begin(), by_reason.end(),
                          [&](const auto& r) {
                            return std::all_of(r.second.examples.begin(), r.second.examples.end(),
                                               [&](const Example& e) { return in_range(e.index); });
                          }) ||
             !std::all_of(stages.begin(), stages.end(), [&](const Stage& stage) {
               return std::all_of(stage.examples.begin(), stage.examples.end(),
                                  [&](const auto& e) { return in_range(e.first); });
             })) {
    why = "it names a source the manifest does not have";
  } else {
    return true;
  }
  return false;
}

void SourceTally::Merge(SourceTally&& other) {
  if (findings.empty()) {
    findings = std::move(other.findings);
  } else {
    other.findings.ForEach([&](Finding& f) { findings.push_back(std::move(f)); });
  }
  finding_sources.insert(finding_sources.end(), other.finding_sources.begin(),
                         other.finding_sources.end());
  if (obligations.empty()) {
    obligations = std::move(other.obligations);
  } else {
    other.obligations.ForEach([&](Obligation& o) { obligations.push_back(std::move(o)); });
  }
  obligation_sources.insert(obligation_sources.end(), other.obligation_sources.begin(),
                            other.obligation_sources.end());
  sources = SaturatingAdd(sources, other.sources);
  tokens = SaturatingAdd(tokens, other.tokens);
  bytes = SaturatingAdd(bytes, other.bytes);
  permitted = SaturatingAdd(permitted, other.permitted);
  unpermitted = SaturatingAdd(unpermitted, other.unpermitted);
  tokens_permitted = SaturatingAdd(tokens_permitted, other.tokens_permitted);
  tokens_unpermitted = SaturatingAdd(tokens_unpermitted, other.tokens_unpermitted);
  files_verified = SaturatingAdd(files_verified, other.files_verified);
  files_failed = SaturatingAdd(files_failed, other.files_failed);
  files_bytes = SaturatingAdd(files_bytes, other.files_bytes);
  for (auto& [name, count] : other.by_class) {
    auto [it, inserted] = by_class.try_emplace(name, count);
    if (!inserted) {
      it->second.sources = SaturatingAdd(it->second.sources, count.sources);
      it->second.tokens = SaturatingAdd(it->second.tokens, count.tokens);
    }
  }
  if (stages.size() < other.stages.size()) stages.resize(other.stages.size());
  for (std::size_t i = 0; i < other.stages.size(); ++i) {
    Stage& mine = stages[i];
    Stage& theirs = other.stages[i];
    mine.permitted = SaturatingAdd(mine.permitted, theirs.permitted);
    mine.unpermitted = SaturatingAdd(mine.unpermitted, theirs.unpermitted);
    for (auto& example : theirs.examples) mine.examples.push_back(std::move(example));
    KeepFirstExamples(mine.examples, 5);
  }
  for (auto& [reason, count] : other.by_reason) {
    auto [it, inserted] = by_reason.try_emplace(reason, count);
    if (inserted) continue;
    ReasonCount& mine = it->second;
    mine.sources = SaturatingAdd(mine.sources, count.sources);
    mine.tokens = SaturatingAdd(mine.tokens, count.tokens);
    for (auto& example : count.examples) mine.examples.push_back(std::move(example));
    KeepHeaviest(mine.examples);
  }
  if (other.first_unpermitted &&
      (!first_unpermitted || other.first_unpermitted->index < first_unpermitted->index)) {
    first_unpermitted = std::move(other.first_unpermitted);
  }
  for (auto& [model, generator] : other.generators) {
    auto [it, inserted] = generators.try_emplace(model, generator);
    if (inserted) continue;
    int last_stage = std::max(it->second.last_stage, generator.last_stage);
    if (generator.index < it->second.index) it->second = std::move(generator);
    it->second.last_stage = last_stage;
  }
  for (auto& output : other.own_outputs) own_outputs.push_back(std::move(output));
  for (auto& [key, theirs] : other.conditions) {
    auto [it, inserted] = conditions.try_emplace(key, theirs);
    if (inserted) continue;
    Condition& mine = it->second;
    std::uint64_t count = SaturatingAdd(mine.view.count, theirs.view.count);
    if (theirs.index < mine.index) mine = std::move(theirs);
    mine.view.count = count;
  }
  if (referenced_seen.size() < other.referenced_seen.size()) {
    referenced_seen.resize(other.referenced_seen.size(), false);
  }
  for (std::size_t i = 0; i < other.referenced_seen.size(); ++i) {
    if (other.referenced_seen[i]) referenced_seen[i] = true;
  }
  for (auto& file : other.unverified_files) unverified_files.push_back(std::move(file));
  for (auto& artifact : other.artifacts) artifacts.push_back(std::move(artifact));
  for (auto& id : other.ids) ids.push_back(std::move(id));
  for (auto& decision : other.decisions) decisions.push_back(std::move(decision));
  decision_sources.insert(decision_sources.end(), other.decision_sources.begin(),
                          other.decision_sources.end());
  check_date_used = check_date_used || other.check_date_used;
  other = SourceTally();
}

}  // namespace provgate::detail
