// YamlTree (see yaml_tree.h): the events of ReadYamlEvents assembled into nodes.
#include "policy/yaml_tree.h"

#include <yaml-cpp/eventhandler.h>

#include "json/pointer_path.h"
#include "policy/yaml_reader.h"

namespace provgate::detail {
namespace {

class TreeHandler : public YAML::EventHandler {
 public:
  explicit TreeHandler(YamlTreeNode& root) : root_(root) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    YamlTreeNode* node = Place(mark);
    if (node != nullptr) node->kind = YamlTreeNode::Kind::kNull;
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}  // Refused by ReadYamlEvents.
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                const std::string& value) override {
    Frame* top = stack_.empty() ? nullptr : &stack_.back();
    if (top != nullptr && top->node->is_mapping() && !top->have_key) {
      top->key = value;
      top->have_key = true;
      return;
    }
    YamlTreeNode* node = Place(mark);
    if (node == nullptr) return;
    node->kind = YamlTreeNode::Kind::kScalar;
    node->scalar = value;
    // yaml-cpp gives a plain scalar the tag "?" and a quoted one "!".
    node->plain = tag == "?";
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Open(mark, YamlTreeNode::Kind::kSequence);
  }
  void OnSequenceEnd() override { stack_.pop_back(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Open(mark, YamlTreeNode::Kind::kMapping);
  }
  void OnMapEnd() override { stack_.pop_back(); }

 private:
  struct Frame {
    YamlTreeNode* node;
    std::string key;
    bool have_key = false;
  };

  static void SetMark(YamlTreeNode& node, const YAML::Mark& mark) {
    if (mark.line >= 0) {
      node.line = static_cast<std::uint32_t>(mark.line + 1);
      node.column = static_cast<std::uint32_t>(mark.column + 1);
    }
  }

  // The node the next value fills, in its parent (or the root).
  YamlTreeNode* Place(const YAML::Mark& mark) {
    YamlTreeNode* node = nullptr;
    std::string pointer;
    if (stack_.empty()) {
      node = &root_;
    } else {
      Frame& top = stack_.back();
      pointer = top.node->pointer;
      if (top.node->is_sequence()) {
        pointer += "/" + std::to_string(top.node->sequence.size());
        top.node->sequence.emplace_back();
        node = &top.node->sequence.back();
      } else {
        if (!top.have_key) return nullptr;  // A non-scalar key: refused by ReadYamlEvents.
        AppendPointerKey(pointer, top.key);
        top.node->mapping.push_back({std::move(top.key), YamlTreeNode()});
        top.key.clear();
        top.have_key = false;
        node = &top.node->mapping.back().second;
      }
    }
    node->pointer = std::move(pointer);
    SetMark(*node, mark);
    return node;
  }

  void Open(const YAML::Mark& mark, YamlTreeNode::Kind kind) {
    YamlTreeNode* node = Place(mark);
    if (node == nullptr) {
      // Only reachable for a collection used as a key, which ReadYamlEvents refuses before
      // this event; keep the stack balanced all the same.
      static thread_local YamlTreeNode discarded;
      discarded = YamlTreeNode();
      node = &discarded;
    }
    node->kind = kind;
    // Children are appended to vectors of the node: the node itself does not move, since
    // only the innermost open collection grows.
    stack_.push_back({node, {}, false});
  }

  YamlTreeNode& root_;
  std::vector<Frame> stack_;
};

}  // namespace

const YamlTreeNode* YamlTreeNode::Find(std::string_view key) const {
  for (const auto& [name, value] : mapping) {
    if (name == key) return &value;
  }
  return nullptr;
}

bool ParseYamlTree(std::string_view text, std::size_t max_nodes, std::size_t max_depth,
                   YamlTreeNode& root, YamlTreeProblem& problem) {
  root = YamlTreeNode();
  YamlLimits limits;
  limits.max_nodes = max_nodes;
  limits.max_depth = max_depth;
  TreeHandler handler(root);
  YamlProblem found;
  if (ReadYamlEvents(text, limits, &handler, found)) return true;
  if (found.mark.line >= 0) {
    problem.line = static_cast<std::uint32_t>(found.mark.line + 1);
    problem.column = static_cast<std::uint32_t>(found.mark.column + 1);
  }
  problem.pointer = found.pointer;
  problem.message = found.message;
  return false;
}

}  // namespace provgate::detail
