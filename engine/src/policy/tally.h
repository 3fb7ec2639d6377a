// What judging a slice of the sources gives: their findings and obligations, the counts of
// the summary, the stages' permitted and unpermitted sources, the first unpermitted source,
// the models that generated sources, the referenced ids seen, the files that could not be
// verified, the artifacts and, when asked, every id with its position and every source's
// decision. Tallies of disjoint
// slices merge, in any order, into the tally of their union; a tally also travels as bytes.
#ifndef PROVGATE_POLICY_TALLY_H_
#define PROVGATE_POLICY_TALLY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/facts.h"
#include "policy/sorting.h"
#include "provgate/report.h"

namespace provgate::detail {

struct SourceTally {
  // Findings and obligations of the source checks, each with the index of its source.
  ChunkedList<Finding> findings;
  std::vector<std::uint64_t> finding_sources;
  ChunkedList<Obligation> obligations;
  std::vector<std::uint64_t> obligation_sources;

  // The summary's counts of sources, tokens, bytes, permission and files.
  std::uint64_t sources = 0;
  std::uint64_t tokens = 0;
  std::uint64_t bytes = 0;
  std::uint64_t permitted = 0;
  std::uint64_t unpermitted = 0;
  std::uint64_t tokens_permitted = 0;
  std::uint64_t tokens_unpermitted = 0;
  std::uint64_t files_verified = 0;
  std::uint64_t files_failed = 0;
  std::uint64_t files_bytes = 0;
  std::map<std::string, Report::Summary::ClassCount, std::less<>> by_class;

  // Per stage slot (CheckScope::stage_slots): sources used with and without permission, and
  // the first five unpermitted ones by position.
  struct Stage {
    std::uint64_t permitted = 0;
    std::uint64_t unpermitted = 0;
    std::vector<std::pair<std::uint64_t, std::string>> examples;  // (index, id)
  };
  std::vector<Stage> stages;

  // Sources used without permission by reason code: how many, their tokens, and the three
  // heaviest (by tokens, then position): the causes of the model's taint.
  struct Example {
    std::uint64_t tokens = 0;
    std::uint64_t index = 0;
    std::string id;
  };
  struct ReasonCount {
    std::uint64_t sources = 0;
    std::uint64_t tokens = 0;
    std::vector<Example> examples;
  };
  // Keeps the three heaviest examples.
  static void KeepHeaviest(std::vector<Example>& examples);
  std::map<std::string, ReasonCount, std::less<>> by_reason;

  // The first source (by position) used without permission, and why.
  struct Unpermitted {
    std::uint64_t index = 0;
    std::string chain;
  };
  std::optional<Unpermitted> first_unpermitted;

  // Models that generated sources and that no lineage entry names, with their first source.
  struct Generator {
    std::uint64_t index = 0;
    std::string source;
    Location location;
    int last_stage = -1;  // The last stage slot that used data it generated (-1: none).
  };
  std::map<std::string, Generator> generators;

  // Sources the model's own checkpoints generated, with the stage slot of the latest
  // checkpoint that generated each (-1: one trained on nothing yet), the slots of the stages
  // that used it, and its tokens. Their permission is provisional until the model's checks
  // know whether those checkpoints were trained on unpermitted data.
  struct OwnOutput {
    std::uint64_t index = 0;
    std::string source;
    Location location;
    int checkpoint = -1;
    std::vector<std::uint32_t> stages;
    std::uint64_t tokens = 0;
  };
  std::vector<OwnOutput> own_outputs;

  // The conditions sources set (ConditionView without `met`), by a key that makes a licence's
  // condition one entry however many sources set it, and each agreement's duty its own, with
  // the position of the source it first came from.
  struct Condition {
    std::uint64_t index = 0;
    ConditionView view;
  };
  std::map<std::string, Condition> conditions;
  // Adds one condition that source `index` (id `source`) sets.
  void AddCondition(std::uint64_t index, const std::string& source, ConditionView view);

  // Which referenced ids (CheckScope::Reference::slot) a source had.
  std::vector<bool> referenced_seen;

  // Files and evidence --verify-files could not confirm.
  struct File {
    std::uint64_t index = 0;
    UnverifiedFileView view;
    Location location;
  };
  std::vector<File> unverified_files;

  // Files and evidence listed, by source (with collect_artifacts).
  struct ListedArtifact {
    std::uint64_t index = 0;
    Artifact artifact;
  };
  std::vector<ListedArtifact> artifacts;

  // Every source's decision, each with the index of its source (with collect_decisions).
  std::vector<SourceDecision> decisions;
  std::vector<std::uint64_t> decision_sources;

  // Every source's id and position (with collect_ids).
  struct Id {
    std::uint64_t index = 0;
    std::string id;
    Location location;
  };
  std::vector<Id> ids;

  bool check_date_used = false;

  // Makes an empty tally for a scope of `stage_slots` stages and `references` referenced ids.
  void Reset(std::size_t stage_slots, std::size_t references);
  // Whether a tally read from bytes belongs to a scope of `stage_slots` stages and
  // `references` referenced ids over `source_count` sources (every list the right length,
  // every source index in range); false with the reason otherwise.
  bool Fits(std::size_t stage_slots, std::size_t references, std::uint64_t source_count,
            std::string& why) const;

  // Adds `other`, the tally of a slice disjoint from this one's.
  void Merge(SourceTally&& other);

  // The tally as bytes, and back. Deserialize returns false (with `error`) for bytes that are
  // not a tally of this version, or that are truncated or corrupt.
  std::string Serialize() const;
  static bool Deserialize(std::string_view bytes, SourceTally& out, std::string& error);
};

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_TALLY_H_
