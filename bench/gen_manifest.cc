// Writes a synthetic manifest with N sources, as one JSON file or as a manifest plus a JSON
// Lines side file. The sources look like real ones (ids, titles, URIs, licences, permission,
// acquisition, size, digest); every K-th source lacks a digest (K = 50 by default, 0 for
// none), so the rules have findings to report. `--mix mixed` (the default) draws licences and
// bases from a mixture in which a third of the sources lack permission and most carry
// attribution or share-alike obligations; `--mix permitted` makes every source permitted
// without obligations (public domain, first party, consent).
//
//   provgate_gen_manifest --sources N --out DIR [--jsonl] [--stages] [--missing-digest-every K]
//                         [--mix mixed|permitted]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

namespace {

const char* kKinds[] = {"web-crawl", "books",  "code",         "academic",
                        "news",      "social", "encyclopedic", "licensed-corpus"};
const char* kLicenses[] = {
    "CC-BY-4.0",   "MIT",          "Apache-2.0", "CC-BY-SA-4.0",
    "NOASSERTION", "BSD-3-Clause", "CC0-1.0",    "LicenseRef-forum-data-agreement"};
const char* kBases[] = {"license",     "license", "license", "public-domain",
                        "first-party", "consent", "none",    "unknown"};
// --mix permitted: every source is used with permission and carries no obligation.
const char* kPermittedLicenses[] = {"CC0-1.0", "PDDL-1.0", "Unlicense", "CC0-1.0"};
const char* kPermittedBases[] = {"public-domain", "first-party", "consent", "public-domain"};
bool g_permitted_mix = false;

std::uint64_t Next(std::uint64_t& state) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

void WriteSource(std::FILE* out, std::uint64_t i, std::uint64_t& rng, std::uint64_t every) {
  std::uint64_t r = Next(rng);
  char digest[65];
  for (int k = 0; k < 64; ++k) digest[k] = "0123456789abcdef"[(Next(rng) >> 7) & 15];
  digest[64] = 0;
  std::fprintf(out,
               "{\"id\":\"src-%08llu\",\"title\":\"Corpus shard %llu of the collection\","
               "\"kind\":\"%s\",\"uri\":\"https://data.example/shards/%llu\","
               "\"license\":\"%s\",\"permission\":{\"basis\":\"%s\"},"
               "\"acquisition\":{\"method\":\"download\",\"opt_outs_honored\":true,"
               "\"date\":\"2025-0%llu\"},"
               "\"size\":{\"tokens\":%llu,\"bytes\":%llu}",
               static_cast<unsigned long long>(i), static_cast<unsigned long long>(i),
               kKinds[r % 8], static_cast<unsigned long long>(i),
               g_permitted_mix ? kPermittedLicenses[(r >> 8) % 4] : kLicenses[(r >> 8) % 8],
               g_permitted_mix ? kPermittedBases[(r >> 16) % 4] : kBases[(r >> 16) % 8],
               static_cast<unsigned long long>(1 + (r >> 24) % 9),
               static_cast<unsigned long long>(1000 + (r >> 32) % 1000000),
               static_cast<unsigned long long>(4000 + (r >> 32) % 4000000));
  if (every == 0 || i % every != every - 1)
    std::fprintf(out, ",\"digest\":{\"sha256\":\"%s\"}", digest);
  std::fputs("}", out);
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t sources = 1000;
  std::string out_dir;
  bool jsonl = false, stages = false;
  std::uint64_t missing_digest_every = 50;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--sources") && i + 1 < argc) {
      sources = std::strtoull(argv[++i], nullptr, 10);
    } else if (!std::strcmp(argv[i], "--out") && i + 1 < argc) {
      out_dir = argv[++i];
    } else if (!std::strcmp(argv[i], "--jsonl")) {
      jsonl = true;
    } else if (!std::strcmp(argv[i], "--missing-digest-every") && i + 1 < argc) {
      missing_digest_every = std::strtoull(argv[++i], nullptr, 10);
    } else if (!std::strcmp(argv[i], "--mix") && i + 1 < argc) {
      g_permitted_mix = !std::strcmp(argv[++i], "permitted");
    } else if (!std::strcmp(argv[i], "--stages")) {
      stages = true;
    } else {
      std::fprintf(
          stderr,
          "usage: %s --sources N --out DIR [--jsonl] [--stages] [--missing-digest-every K]\n",
          argv[0]);
      return 2;
    }
  }
  if (out_dir.empty()) {
    std::fprintf(stderr, "--out DIR is required\n");
    return 2;
  }
  std::filesystem::create_directories(out_dir);
  std::FILE* out = std::fopen((out_dir + "/manifest.json").c_str(), "wb");
  if (out == nullptr) return 3;
  std::fputs(
      "{\"manifest_version\":\"1\",\"model\":{\"id\":\"bench/model\","
      "\"release\":{\"weights\":\"open\",\"license\":\"Apache-2.0\"}",
      out);
  if (stages) {
    std::fputs(",\"stages\":[{\"id\":\"pretrain\",\"sources\":[", out);
    for (std::uint64_t i = 0; i < sources; ++i) {
      std::fprintf(out, "%s\"src-%08llu\"", i ? "," : "", static_cast<unsigned long long>(i));
    }
    std::fputs("]}]", out);
  }
  std::fputs("},\n\"sources\":", out);
  std::uint64_t rng = 0x9E3779B97F4A7C15ULL;
  if (jsonl) {
    std::fputs("{\"jsonl\":\"sources.jsonl\"}}\n", out);
    std::FILE* lines = std::fopen((out_dir + "/sources.jsonl").c_str(), "wb");
    if (lines == nullptr) return 3;
    for (std::uint64_t i = 0; i < sources; ++i) {
      WriteSource(lines, i, rng, missing_digest_every);
      std::fputc('\n', lines);
    }
    std::fclose(lines);
  } else {
    std::fputs("[\n", out);
    for (std::uint64_t i = 0; i < sources; ++i) {
      if (i) std::fputs(",\n", out);
      WriteSource(out, i, rng, missing_digest_every);
    }
    std::fputs("\n]}\n", out);
  }
  std::fclose(out);
  return 0;
}
