// Baselines of the check benchmark, on the same file:
//   ondemand (default): load the file, then walk every source with simdjson's On-Demand API,
//     reading every field's value once (strings as strings, numbers as numbers), which is
//     what any program that uses the data must at least do;
//   dom: load the file and build simdjson's DOM (stage 1 + tape), then count the sources.
// Both print a checksum so that the work cannot be optimised away. `--implementation` prints
// the name of the kernel simdjson chose at run time (icelake, haswell, ...), which
// SIMDJSON_FORCE_IMPLEMENTATION overrides, for bench/run_bench.py to record.
#include <simdjson.h>

#include <cstdio>
#include <cstring>

namespace {

std::uint64_t Walk(simdjson::ondemand::value value) {
  using simdjson::ondemand::json_type;
  std::uint64_t sum = 0;
  json_type type;
  if (value.type().get(type)) return 0;
  switch (type) {
    case json_type::object: {
      simdjson::ondemand::object object;
      if (value.get_object().get(object)) return 0;
      for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return sum;
        sum += key.size() + Walk(field.value());
      }
      return sum;
    }
    case json_type::array: {
      simdjson::ondemand::array array;
      if (value.get_array().get(array)) return 0;
      for (auto element : array) {
        simdjson::ondemand::value v;
        if (element.get(v)) return sum;
        sum += Walk(v);
      }
      return sum;
    }
    case json_type::string: {
      std::string_view s;
      return value.get_string().get(s) ? 0 : s.size();
    }
    case json_type::number: {
      double d;
      return value.get_double().get(d) ? 0 : static_cast<std::uint64_t>(d) & 1;
    }
    case json_type::boolean: {
      bool b;
      return value.get_bool().get(b) ? 0 : b;
    }
    case json_type::null:
      return 0;
  }
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && !std::strcmp(argv[1], "--implementation")) {
    std::printf("%s\n", simdjson::get_active_implementation()->name().c_str());
    return 0;
  }
  bool dom = argc == 3 && !std::strcmp(argv[1], "--dom");
  if (argc != 2 && !dom) {
    std::fprintf(stderr, "usage: %s [--dom] MANIFEST | --implementation\n", argv[0]);
    return 2;
  }
  const char* path = argv[argc - 1];
  if (dom) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (auto error = parser.load(path).get(doc); error) {
      std::fprintf(stderr, "%s\n", simdjson::error_message(error));
      return 1;
    }
    simdjson::dom::array sources;
    if (doc["sources"].get_array().get(sources) != simdjson::SUCCESS) return 1;
    std::printf("%zu sources\n", sources.size());
    return 0;
  }
  simdjson::padded_string json;
  if (auto error = simdjson::padded_string::load(path).get(json); error) {
    std::fprintf(stderr, "%s\n", simdjson::error_message(error));
    return 1;
  }
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  if (auto error = parser.iterate(json).get(doc); error) {
    std::fprintf(stderr, "%s\n", simdjson::error_message(error));
    return 1;
  }
  simdjson::ondemand::value root;
  if (doc.get_value().get(root)) return 1;
  std::printf("checksum %llu\n", static_cast<unsigned long long>(Walk(root)));
  return 0;
}
