// A tally as bytes and back (SourceTally::Serialize and Deserialize, tally.h): a versioned
// binary form, read with every length checked, in which the partial results of shards travel.
#include <algorithm>
#include <cstring>

#include "policy/tally.h"

namespace provgate::detail {
namespace {

// "pgtally" and a format version: a tally is read only by the version that wrote it.
constexpr char kMagic[8] = {'p', 'g', 't', 'a', 'l', 'l', 'y', '3'};

class Writer {
 public:
  void Number(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void Text(std::string_view text) {
    Number(text.size());
    out_.append(text);
  }
  void Flag(bool value) { out_.push_back(value ? 1 : 0); }
  void Raw(const char* data, std::size_t size) { out_.append(data, size); }
  void Place(const Location& location) {
    Text(location.file);
    Text(location.pointer);
    Number(location.line);
    Number(location.column);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what Writer wrote; every read is bounded by the bytes left, and the first problem
// makes every later read fail.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  bool ok() const { return ok_; }
  bool done() const { return rest_.empty(); }
  const std::string& problem() const { return problem_; }
  void Fail(std::string problem) {
    if (ok_) problem_ = std::move(problem);
    ok_ = false;
  }
  std::uint64_t Number() {
    std::uint64_t v = 0;
    for (int shift = 0; ok_; shift += 7) {
      if (rest_.empty() || shift > 63) {
        Fail("truncated or corrupt number");
        return 0;
      }
      auto byte = static_cast<unsigned char>(rest_.front());
      rest_.remove_prefix(1);
      v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    return 0;
  }
  // A count of items that take at least `min_bytes` each: never more than the bytes left
  // allow, so corrupt input cannot make a reader reserve memory it does not hold.
  std::size_t Count(std::size_t min_bytes = 1) {
    std::uint64_t n = Number();
    if (ok_ && n > rest_.size() / std::max<std::size_t>(min_bytes, 1)) {
      Fail("a count larger than the bytes left");
      return 0;
    }
    return static_cast<std::size_t>(n);
  }
  std::string Text() {
    std::uint64_t n = Number();
    if (!ok_) return {};
    if (n > rest_.size()) {
      Fail("truncated text");
      return {};
    }
    std::string text(rest_.substr(0, static_cast<std::size_t>(n)));
    rest_.remove_prefix(static_cast<std::size_t>(n));
    return text;
  }
  bool Flag() {
    if (rest_.empty()) {
      Fail("truncated flag");
      return false;
    }
    char c = rest_.front();
    rest_.remove_prefix(1);
    if (c != 0 && c != 1) Fail("corrupt flag");
    return c == 1;
  }
  bool Expect(const char* data, std::size_t size) {
    if (rest_.size() < size || std::memcmp(rest_.data(), data, size) != 0) {
      Fail("not a provgate tally of this version");
      return false;
    }
    rest_.remove_prefix(size);
    return true;
  }
  Location Place() {
    Location location;
    location.file = Text();
    location.pointer = Text();
    location.line = Narrow(Number());
    location.column = Narrow(Number());
    return location;
  }

 private:
  std::uint32_t Narrow(std::uint64_t v) {
    if (v > UINT32_MAX) Fail("a position out of range");
    return static_cast<std::uint32_t>(v);
  }
  std::string_view rest_;
  bool ok_ = true;
  std::string problem_;
};

void WriteFinding(Writer& w, const Finding& f) {
  w.Text(f.rule);
  w.Number(static_cast<std::uint64_t>(f.severity));
  w.Text(f.subject);
  w.Text(f.reason);
  w.Text(f.message);
  w.Text(f.remedy);
  w.Place(f.location);
}

Finding ReadFinding(Reader& r) {
  Finding f;
  f.rule = r.Text();
  std::uint64_t severity = r.Number();
  if (severity > static_cast<std::uint64_t>(Severity::kInfo)) r.Fail("corrupt severity");
  f.severity = static_cast<Severity>(severity);
  f.subject = r.Text();
  f.reason = r.Text();
  f.message = r.Text();
  f.remedy = r.Text();
  f.location = r.Place();
  return f;
}

void WriteObligation(Writer& w, const Obligation& o) {
  w.Text(o.kind);
  w.Text(o.rule);
  w.Text(o.subject);
  w.Text(o.license);
  w.Text(o.uri);
  w.Text(o.title);
  w.Text(o.text);
}

Obligation ReadObligation(Reader& r) {
  Obligation o;
  o.kind = r.Text();
  o.rule = r.Text();
  o.subject = r.Text();
  o.license = r.Text();
  o.uri = r.Text();
  o.title = r.Text();
  o.text = r.Text();
  return o;
}

void WriteDecision(Writer& w, const SourceDecision& d) {
  for (const SharedText* text : {&d.id, &d.title, &d.reason, &d.detail, &d.basis, &d.license,
                                 &d.license_canonical, &d.license_class}) {
    w.Text(*text);
  }
  w.Flag(d.permitted);
  for (const std::optional<std::uint64_t>* size : {&d.tokens, &d.bytes}) {
    w.Flag(size->has_value());
    if (*size) w.Number(**size);
  }
  w.Number(d.stages ? d.stages->size() : 0);
  if (d.stages) {
    for (const std::string& stage : *d.stages) w.Text(stage);
  }
}

// Reads decisions, sharing the texts and stage lists that repeat between them as the judge
// that wrote them did.
class DecisionReader {
 public:
  explicit DecisionReader(Reader& r) : r_(r) {}

  SourceDecision Read() {
    SourceDecision d;
    d.id = r_.Text();
    d.title = r_.Text();
    for (SharedText* text :
         {&d.reason, &d.detail, &d.basis, &d.license, &d.license_canonical, &d.license_class}) {
      *text = Shared(r_.Text());
    }
    d.permitted = r_.Flag();
    for (std::optional<std::uint64_t>* size : {&d.tokens, &d.bytes}) {
      if (r_.Flag()) *size = r_.Number();
    }
    std::vector<std::string> stages(r_.Count(1));
    for (std::string& stage : stages) stage = r_.Text();
    auto [it, inserted] = stage_lists_.try_emplace(std::move(stages));
    if (inserted) it->second = std::make_shared<const std::vector<std::string>>(it->first);
    d.stages = it->second;
    return d;
  }

 private:
  SharedText Shared(std::string text) {
    auto [it, inserted] = texts_.try_emplace(std::move(text));
    if (inserted) it->second = SharedText(it->first);
    return it->second;
  }

  Reader& r_;
  std::unordered_map<std::string, SharedText> texts_;
  std::map<std::vector<std::string>, std::shared_ptr<const std::vector<std::string>>> stage_lists_;
};

}  // namespace

std::string SourceTally::Serialize() const {
  Writer w;
  w.Raw(kMagic, sizeof(kMagic));
  w.Number(findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    w.Number(finding_sources[i]);
    WriteFinding(w, findings[i]);
  }
  w.Number(obligations.size());
  for (std::size_t i = 0; i < obligations.size(); ++i) {
    w.Number(obligation_sources[i]);
    WriteObligation(w, obligations[i]);
  }
  for (std::uint64_t v : {sources, tokens, bytes, permitted, unpermitted, tokens_permitted,
                          tokens_unpermitted, files_verified, files_failed, files_bytes}) {
    w.Number(v);
  }
  w.Number(by_class.size());
  for (const auto& [name, count] : by_class) {
    w.Text(name);
    w.Number(count.sources);
    w.Number(count.tokens);
  }
  w.Number(stages.size());
  for (const Stage& stage : stages) {
    w.Number(stage.permitted);
    w.Number(stage.unpermitted);
    w.Number(stage.examples.size());
    for (const auto& [index, id] : stage.examples) {
      w.Number(index);
      w.Text(id);
    }
  }
  w.Number(by_reason.size());
  for (const auto& [reason, count] : by_reason) {
    w.Text(reason);
    w.Number(count.sources);
    w.Number(count.tokens);
    w.Number(count.examples.size());
    for (const Example& example : count.examples) {
      w.Number(example.tokens);
      w.Number(example.index);
      w.Text(example.id);
    }
  }
  w.Flag(first_unpermitted.has_value());
  if (first_unpermitted) {
    w.Number(first_unpermitted->index);
    w.Text(first_unpermitted->chain);
  }
  w.Number(generators.size());
  for (const auto& [model, generator] : generators) {
    w.Text(model);
    w.Number(generator.index);
    w.Text(generator.source);
    w.Place(generator.location);
    w.Number(static_cast<std::uint64_t>(generator.last_stage + 1));
  }
  w.Number(own_outputs.size());
  for (const OwnOutput& output : own_outputs) {
    w.Number(output.index);
    w.Text(output.source);
    w.Place(output.location);
    w.Number(static_cast<std::uint64_t>(output.checkpoint + 1));
    w.Number(output.stages.size());
    for (std::uint32_t stage : output.stages) w.Number(stage);
    w.Number(output.tokens);
  }
  w.Number(conditions.size());
  for (const auto& [key, condition] : conditions) {
    w.Text(key);
    w.Number(condition.index);
    const ConditionView& v = condition.view;
    for (const std::string* text : {&v.kind, &v.text, &v.uri, &v.license, &v.origin}) w.Text(*text);
    w.Flag(v.contract);
    w.Number(v.count);
  }
  w.Number(referenced_seen.size());
  for (bool seen : referenced_seen) w.Flag(seen);
  w.Number(unverified_files.size());
  for (const File& file : unverified_files) {
    w.Number(file.index);
    const UnverifiedFileView& v = file.view;
    for (const std::string* text :
         {&v.path, &v.kind, &v.source, &v.status, &v.expected_sha256, &v.actual_sha256, &v.error}) {
      w.Text(*text);
    }
    w.Place(file.location);
  }
  w.Number(artifacts.size());
  for (const ListedArtifact& listed : artifacts) {
    w.Number(listed.index);
    w.Text(listed.artifact.name);
    w.Text(listed.artifact.sha256);
  }
  w.Number(ids.size());
  for (const Id& id : ids) {
    w.Number(id.index);
    w.Text(id.id);
    w.Place(id.location);
  }
  w.Number(decisions.size());
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    w.Number(decision_sources[i]);
    WriteDecision(w, decisions[i]);
  }
  w.Flag(check_date_used);
  return w.Take();
}

bool SourceTally::Deserialize(std::string_view bytes, SourceTally& out, std::string& error) {
  out = SourceTally();
  Reader r(bytes);
  if (r.Expect(kMagic, sizeof(kMagic))) {
    std::size_t n = r.Count(2);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      out.finding_sources.push_back(r.Number());
      out.findings.push_back(ReadFinding(r));
    }
    n = r.Count(2);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      out.obligation_sources.push_back(r.Number());
      out.obligations.push_back(ReadObligation(r));
    }
    for (std::uint64_t* v : {&out.sources, &out.tokens, &out.bytes, &out.permitted,
                             &out.unpermitted, &out.tokens_permitted, &out.tokens_unpermitted,
                             &out.files_verified, &out.files_failed, &out.files_bytes}) {
      *v = r.Number();
    }
    n = r.Count(3);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      Report::Summary::ClassCount count;
      count.license_class = r.Text();
      count.sources = r.Number();
      count.tokens = r.Number();
      std::string name = count.license_class;
      out.by_class.emplace(std::move(name), std::move(count));
    }
    n = r.Count(3);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      Stage stage;
      stage.permitted = r.Number();
      stage.unpermitted = r.Number();
      std::size_t examples = r.Count(2);
      for (std::size_t k = 0; k < examples && r.ok(); ++k) {
        std::uint64_t index = r.Number();
        stage.examples.emplace_back(index, r.Text());
      }
      out.stages.push_back(std::move(stage));
    }
    n = r.Count(4);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      std::string reason = r.Text();
      ReasonCount count;
      count.sources = r.Number();
      count.tokens = r.Number();
      std::size_t examples = r.Count(3);
      for (std::size_t k = 0; k < examples && r.ok(); ++k) {
        Example example;
        example.tokens = r.Number();
        example.index = r.Number();
        example.id = r.Text();
        count.examples.push_back(std::move(example));
      }
      out.by_reason.emplace(std::move(reason), std::move(count));
    }
    if (r.Flag()) {
      Unpermitted first;
      first.index = r.Number();
      first.chain = r.Text();
      out.first_unpermitted = std::move(first);
    }
    n = r.Count(6);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      std::string model = r.Text();
      Generator generator;
      generator.index = r.Number();
      generator.source = r.Text();
      generator.location = r.Place();
      std::uint64_t last_stage = r.Number();
      if (last_stage > static_cast<std::uint64_t>(INT32_MAX)) r.Fail("a stage out of range");
      generator.last_stage = static_cast<int>(last_stage) - 1;
      out.generators.emplace(std::move(model), std::move(generator));
    }
    n = r.Count(8);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      OwnOutput output;
      output.index = r.Number();
      output.source = r.Text();
      output.location = r.Place();
      std::uint64_t checkpoint = r.Number();
      if (checkpoint > static_cast<std::uint64_t>(INT32_MAX)) r.Fail("a stage out of range");
      output.checkpoint = static_cast<int>(checkpoint) - 1;
      std::size_t stages = r.Count(1);
      for (std::size_t k = 0; k < stages && r.ok(); ++k) {
        std::uint64_t stage = r.Number();
        if (stage > UINT32_MAX) r.Fail("a stage out of range");
        output.stages.push_back(static_cast<std::uint32_t>(stage));
      }
      output.tokens = r.Number();
      out.own_outputs.push_back(std::move(output));
    }
    n = r.Count(9);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      std::string key = r.Text();
      Condition condition;
      condition.index = r.Number();
      ConditionView& v = condition.view;
      for (std::string* text : {&v.kind, &v.text, &v.uri, &v.license, &v.origin}) *text = r.Text();
      v.contract = r.Flag();
      v.count = r.Number();
      out.conditions.emplace(std::move(key), std::move(condition));
    }
    n = r.Count(1);
    out.referenced_seen.reserve(n);
    for (std::size_t i = 0; i < n && r.ok(); ++i) out.referenced_seen.push_back(r.Flag());
    n = r.Count(12);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      File file;
      file.index = r.Number();
      UnverifiedFileView& v = file.view;
      for (std::string* text : {&v.path, &v.kind, &v.source, &v.status, &v.expected_sha256,
                                &v.actual_sha256, &v.error}) {
        *text = r.Text();
      }
      file.location = r.Place();
      out.unverified_files.push_back(std::move(file));
    }
    n = r.Count(3);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      ListedArtifact listed;
      listed.index = r.Number();
      listed.artifact.name = r.Text();
      listed.artifact.sha256 = r.Text();
      out.artifacts.push_back(std::move(listed));
    }
    n = r.Count(6);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      Id id;
      id.index = r.Number();
      id.id = r.Text();
      id.location = r.Place();
      out.ids.push_back(std::move(id));
    }
    n = r.Count(13);
    DecisionReader decisions(r);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      out.decision_sources.push_back(r.Number());
      out.decisions.push_back(decisions.Read());
    }
    out.check_date_used = r.Flag();
    if (r.ok() && !r.done()) r.Fail("bytes after the end of the tally");
  }
  if (!r.ok()) {
    error = r.problem();
    out = SourceTally();
    return false;
  }
  return true;
}

}  // namespace provgate::detail
