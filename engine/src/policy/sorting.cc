// The report's order of findings and obligations, found on small keys (sorting.h).
#include "policy/sorting.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <string_view>
#include <tuple>

namespace provgate::detail {
namespace {

// The leading 16 bytes of a string as two big-endian integers, zero-padded: when two
// prefixes differ, they order as the strings do.
void Prefix(std::string_view text, std::uint64_t out[2]) {
  unsigned char bytes[16] = {};
  std::memcpy(bytes, text.data(), std::min<std::size_t>(text.size(), 16));
  for (int half = 0; half < 2; ++half) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | bytes[half * 8 + i];
    out[half] = v;
  }
}

// Every item of `lists`, the lists taken one after the other.
template <typename T>
std::vector<T*> Concatenated(std::initializer_list<ChunkedList<T>*> lists) {
  std::size_t total = 0;
  for (const ChunkedList<T>* list : lists) total += list->size();
  std::vector<T*> items;
  items.reserve(total);
  for (ChunkedList<T>* list : lists) list->ForEach([&](T& item) { items.push_back(&item); });
  return items;
}

// Sorts items by (group, subject, the rest of `less`), stably, moving each item once. The
// order is found on small keys holding the group and the subject's leading bytes, which
// decide most comparisons without touching the items; only ties on both go to `less`.
// `less` must order by subject first (groups are compared before it is called).
template <typename T, typename GroupOf, typename SubjectOf, typename Less>
std::vector<T> SortedByKey(const std::vector<T*>& items, GroupOf group_of, SubjectOf subject_of,
                           Less less) {
  struct Key {
    std::uint64_t prefix[2];
    std::uint32_t group;
    std::uint32_t index;
  };
  std::vector<Key> keys(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    Prefix(subject_of(*items[i]), keys[i].prefix);
    keys[i].group = group_of(*items[i]);
    keys[i].index = static_cast<std::uint32_t>(i);
  }
  std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    if (a.group != b.group) return a.group < b.group;
    if (a.prefix[0] != b.prefix[0]) return a.prefix[0] < b.prefix[0];
    if (a.prefix[1] != b.prefix[1]) return a.prefix[1] < b.prefix[1];
    const T& x = *items[a.index];
    const T& y = *items[b.index];
    if (less(x, y)) return true;
    if (less(y, x)) return false;
    return a.index < b.index;  // Stable: equal items keep the order they were made in.
  });
  std::vector<T> sorted;
  sorted.reserve(items.size());
  PreferHugePages(sorted.data(), sorted.capacity() * sizeof(T));
  for (const Key& key : keys) sorted.push_back(std::move(*items[key.index]));
  return sorted;
}

// Ranks the distinct values of `name_of` over the items in the order `less` gives them; the
// call operator then maps an item to its rank. Few distinct names exist (rule ids, obligation
// kinds), so the lookup is a short scan that remembers the last hit.
template <typename T, typename NameOf, typename Less>
class Ranks {
 public:
  Ranks(const std::vector<T*>& items, NameOf name_of, Less less) : name_of_(name_of) {
    for (const T* item : items) {
      const std::string& name = name_of_(*item);
      if (!last_.empty() && last_ == name) continue;
      last_ = name;
      if (std::find(names_.begin(), names_.end(), name) == names_.end()) names_.push_back(name);
    }
    std::sort(names_.begin(), names_.end(), less);
    last_.clear();
  }
  std::uint32_t operator()(const T& item) {
    const std::string& name = name_of_(item);
    if (last_index_ < names_.size() && names_[last_index_] == name) return last_index_;
    last_index_ =
        static_cast<std::uint32_t>(std::find(names_.begin(), names_.end(), name) - names_.begin());
    return last_index_;
  }

 private:
  NameOf name_of_;
  std::vector<std::string> names_;
  std::string last_;
  std::uint32_t last_index_ = 0;
};

}  // namespace

bool RuleLess(const std::string& a, const std::string& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && !std::isdigit(static_cast<unsigned char>(a[i])) &&
         a[i] == b[i]) {
    ++i;
  }
  if (i < a.size() && i < b.size() && std::isdigit(static_cast<unsigned char>(a[i])) &&
      std::isdigit(static_cast<unsigned char>(b[i]))) {
    std::size_t ea = i, eb = i;
    while (ea < a.size() && std::isdigit(static_cast<unsigned char>(a[ea]))) ++ea;
    while (eb < b.size() && std::isdigit(static_cast<unsigned char>(b[eb]))) ++eb;
    if (ea - i != eb - i) return ea - i < eb - i;
    int c = a.compare(i, ea - i, b, i, eb - i);
    if (c != 0) return c < 0;
    return a.substr(ea) < b.substr(eb);
  }
  return a < b;
}

std::vector<Finding> SortFindings(std::initializer_list<ChunkedList<Finding>*> lists) {
  std::vector<Finding*> findings = Concatenated(lists);
  auto rule_of = [](const Finding& f) -> const std::string& { return f.rule; };
  Ranks<Finding, decltype(rule_of), bool (*)(const std::string&, const std::string&)> rules(
      findings, rule_of, RuleLess);
  std::vector<Finding> sorted = SortedByKey(
      findings, [&](const Finding& f) { return rules(f); },
      [](const Finding& f) -> std::string_view { return f.subject; },
      [](const Finding& a, const Finding& b) {
        if (a.subject != b.subject) return a.subject < b.subject;
        if (a.location.file != b.location.file) return a.location.file < b.location.file;
        if (a.location.line != b.location.line) return a.location.line < b.location.line;
        if (a.location.column != b.location.column) return a.location.column < b.location.column;
        return a.reason < b.reason;
      });
  for (ChunkedList<Finding>* list : lists) list->clear();
  return sorted;
}

std::vector<Obligation> SortObligations(std::initializer_list<ChunkedList<Obligation>*> lists) {
  std::vector<Obligation*> obligations = Concatenated(lists);
  auto kind_of = [](const Obligation& o) -> const std::string& { return o.kind; };
  Ranks<Obligation, decltype(kind_of), std::less<std::string>> kinds(obligations, kind_of, {});
  std::vector<Obligation> sorted = SortedByKey(
      obligations, [&](const Obligation& o) { return kinds(o); },
      [](const Obligation& o) -> std::string_view { return o.subject; },
      [](const Obligation& a, const Obligation& b) {
        return std::tie(a.subject, a.license, a.text, a.uri, a.rule) <
               std::tie(b.subject, b.license, b.text, b.uri, b.rule);
      });
  // One obligation per kind, subject, licence and words: two rules asking the same of one
  // subject make one obligation; two duties of one agreement stay two.
  sorted.erase(std::unique(sorted.begin(), sorted.end(),
                           [](const Obligation& a, const Obligation& b) {
                             return a.kind == b.kind && a.subject == b.subject &&
                                    a.license == b.license && a.text == b.text && a.uri == b.uri;
                           }),
               sorted.end());
  for (ChunkedList<Obligation>* list : lists) list->clear();
  return sorted;
}

}  // namespace provgate::detail
