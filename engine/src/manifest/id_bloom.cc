// The Bloom filter over source ids: hashing, huge pages and insertion (see id_bloom.h).
#include "manifest/id_bloom.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <new>

namespace provgate::detail {
namespace {

inline std::uint64_t Mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace

std::uint64_t HashBytes(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t h = seed ^ (bytes.size() * 0x9E3779B97F4A7C15ULL);
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  while (n >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    h = Mix(h ^ word) + 0x9E3779B97F4A7C15ULL;
    p += 8;
    n -= 8;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  return Mix(h ^ tail ^ (n << 56));
}

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
}

// An anonymous mapping: zeroed, and no page is resident before it is touched. One huge page
// more than needed, so that the array can start on a huge-page boundary.
IdBloomFilter::IdBloomFilter() {
  mapping_ =
      mmap(nullptr, kBytes + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapping_ == MAP_FAILED) throw std::bad_alloc();
  auto start = reinterpret_cast<std::uintptr_t>(mapping_);
  auto aligned = (start + kHugePage - 1) & ~(std::uintptr_t{kHugePage} - 1);
  words_ = reinterpret_cast<std::uint64_t*>(aligned);
}

IdBloomFilter::~IdBloomFilter() { munmap(mapping_, kBytes + kHugePage); }

void IdBloomFilter::PreferHugePages() {
  // Without transparent huge pages (disabled, or another kernel) this fails, and the filter
  // works as before on small pages.
  madvise(words_, kBytes, MADV_HUGEPAGE);
}

std::uint64_t IdBloomFilter::Hash(std::string_view id) {
  return HashBytes(id, 0x243F6A8885A308D3ULL);
}

void IdBloomFilter::Prefetch(std::uint64_t hash) const {
  __builtin_prefetch(words_ + (hash % kBlocks) * 8, 1);
}

bool IdBloomFilter::InsertHash(std::uint64_t h1) {
  std::uint64_t h2 = Mix(h1 ^ 0x13198A2E03707344ULL);
  // All bits of one id fall in one 512-bit block (one cache line): one memory access.
  std::uint64_t* block = words_ + (h1 % kBlocks) * 8;
  bool all_set = true;
  for (int i = 0; i < kHashes; ++i) {
    unsigned bit = static_cast<unsigned>((h2 >> (i * 9)) & 511);
    std::uint64_t mask = std::uint64_t{1} << (bit & 63);
    std::uint64_t& word = block[bit >> 6];
    if ((word & mask) == 0) {
      all_set = false;
      word |= mask;
    }
  }
  return all_set;
}

}  // namespace provgate::detail
