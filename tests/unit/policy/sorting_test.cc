// Lists of findings and obligations as a check builds them (ChunkedList), and the report's
// order of them (SortFindings, SortObligations), which docs/cli.md defines: by rule number,
// subject, position and reason for findings; by kind, subject, licence and rule for
// obligations, the same obligation twice kept once; equal items in the order they were made.
#include "policy/sorting.h"

#include <gtest/gtest.h>

#include <string>

namespace provgate::detail {
namespace {

Finding MakeFinding(std::string rule, std::string subject, std::string message,
                    std::uint32_t line = 1) {
  Finding f;
  f.rule = std::move(rule);
  f.subject = std::move(subject);
  f.message = std::move(message);
  f.location.line = line;
  return f;
}

TEST(ChunkedList, KeepsEveryElementInOrderAcrossChunks) {
  ChunkedList<Finding> list;
  const std::size_t count = 3 * ChunkedList<Finding>::kChunk + 5;
  for (std::size_t i = 0; i < count; ++i) {
    Finding& f = list.emplace_back();
    f.subject = "s" + std::to_string(i);
  }
  ASSERT_EQ(list.size(), count);
  for (std::size_t i = 0; i < count; ++i) ASSERT_EQ(list[i].subject, "s" + std::to_string(i));
  std::size_t seen = 0;
  list.ForEach([&](const Finding& f) { EXPECT_EQ(f.subject, "s" + std::to_string(seen++)); });
  EXPECT_EQ(seen, count);
  EXPECT_EQ(list.back().subject, "s" + std::to_string(count - 1));

  ChunkedList<Finding> moved = std::move(list);
  EXPECT_EQ(moved.size(), count);
  EXPECT_TRUE(list.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(moved[count - 1].subject, "s" + std::to_string(count - 1));
  moved.clear();
  EXPECT_TRUE(moved.empty());
  moved.push_back(MakeFinding("P1", "again", "m"));
  EXPECT_EQ(moved[0].subject, "again");
}

TEST(SortFindings, OrdersByRuleNumberThenSubjectThenPosition) {
  ChunkedList<Finding> list;
  list.push_back(MakeFinding("P10", "a", "p10"));
  list.push_back(MakeFinding("P2", "b", "p2 b"));
  list.push_back(MakeFinding("P2", "a", "p2 a line 9", 9));
  list.push_back(MakeFinding("P2", "a", "p2 a line 3", 3));
  std::vector<Finding> sorted = SortFindings({&list});
  ASSERT_EQ(sorted.size(), 4u);
  EXPECT_EQ(sorted[0].message, "p2 a line 3");
  EXPECT_EQ(sorted[1].message, "p2 a line 9");
  EXPECT_EQ(sorted[2].message, "p2 b");
  EXPECT_EQ(sorted[3].message, "p10");
  EXPECT_TRUE(list.empty());
}

TEST(SortFindings, EqualFindingsKeepTheOrderOfTheListsOneAfterTheOther) {
  // Subjects longer than the 16 bytes the sort compares first, alike in those bytes.
  const std::string subject = "a-subject-longer-than-sixteen-bytes";
  ChunkedList<Finding> first, second, third;
  third.push_back(MakeFinding("P1", subject, "third"));
  second.push_back(MakeFinding("P1", subject, "second"));
  first.push_back(MakeFinding("P1", subject, "first"));
  second.push_back(MakeFinding("P1", subject + "-z", "second, later subject"));
  first.push_back(MakeFinding("P1", subject, "first, again"));
  std::vector<Finding> sorted = SortFindings({&first, &second, &third});
  ASSERT_EQ(sorted.size(), 5u);
  EXPECT_EQ(sorted[0].message, "first");
  EXPECT_EQ(sorted[1].message, "first, again");
  EXPECT_EQ(sorted[2].message, "second");
  EXPECT_EQ(sorted[3].message, "third");
  EXPECT_EQ(sorted[4].message, "second, later subject");
  EXPECT_TRUE(first.empty() && second.empty() && third.empty());
}

TEST(SortObligations, OrdersByKindThenSubjectAndKeepsOneOfEach) {
  auto make = [](std::string kind, std::string subject, std::string license, std::string rule) {
    Obligation o;
    o.kind = std::move(kind);
    o.subject = std::move(subject);
    o.license = std::move(license);
    o.rule = std::move(rule);
    return o;
  };
  ChunkedList<Obligation> sources, model;
  sources.push_back(make("share-alike", "s1", "CC-BY-SA-4.0", "P8"));
  sources.push_back(make("attribution", "s2", "CC-BY-4.0", "P7"));
  sources.push_back(make("attribution", "s1", "CC-BY-SA-4.0", "P7"));
  model.push_back(make("attribution", "s1", "CC-BY-SA-4.0", "P9"));  // The same, once more.
  model.push_back(make("open-weight-release", "m", "", "P1"));
  std::vector<Obligation> sorted = SortObligations({&sources, &model});
  ASSERT_EQ(sorted.size(), 4u);
  EXPECT_EQ(sorted[0].kind + sorted[0].subject + sorted[0].rule, "attributions1P7");
  EXPECT_EQ(sorted[1].kind + sorted[1].subject, "attributions2");
  EXPECT_EQ(sorted[2].kind, "open-weight-release");
  EXPECT_EQ(sorted[3].kind, "share-alike");
}

}  // namespace
}  // namespace provgate::detail
