// Constant-memory detection of repeated source ids.
#ifndef PROVGATE_MANIFEST_ID_BLOOM_H_
#define PROVGATE_MANIFEST_ID_BLOOM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace provgate::detail {

// A Bloom filter over source ids. `Insert` answers whether the id may have been inserted
// before; a "yes" is only a candidate that a second, exact pass over the candidates confirms.
// The bit array has a fixed size (32 MiB, allocated zeroed so that untouched pages cost no
// memory), split into cache-line blocks of 512 bits; each id sets 7 bits in one block, so an
// insertion costs one memory access. At 5 million ids (54 bits per id) a few false candidates
// are expected; the confirmation pass dismisses them, so they cost time, never correctness.
class IdBloomFilter {
 public:
  IdBloomFilter();
  ~IdBloomFilter();
  IdBloomFilter(const IdBloomFilter&) = delete;
  IdBloomFilter& operator=(const IdBloomFilter&) = delete;

  // For large manifests, before the first insertion: asks for transparent huge pages. Random
  // accesses across 32 MiB of 4 KiB pages miss the TLB on nearly every id, and each miss is a
  // page walk (a nested one under virtualization) that costs more than the insertion itself;
  // 2 MiB pages put the whole array in a few TLB entries. Small manifests do not ask, since
  // every huge page touched is 2 MiB resident and zeroed.
  void PreferHugePages();

  // Inserts `id`; true when every bit was already set (a possible repeat).
  bool Insert(std::string_view id) { return InsertHash(Hash(id)); }

  // The same in two steps, so that a caller can prefetch an id's cache line while it works on
  // something else, and insert it later.
  static std::uint64_t Hash(std::string_view id);
  void Prefetch(std::uint64_t hash) const;
  bool InsertHash(std::uint64_t hash);

 private:
  static constexpr std::uint64_t kBlocks = (std::uint64_t{1} << 28) / 512;
  static constexpr int kHashes = 7;
  static constexpr std::size_t kBytes = kBlocks * 64;
  void* mapping_ = nullptr;  // The whole mapping: kBytes and one huge page.
  std::uint64_t* words_;     // kBytes of it, aligned to 2 MiB.
};

std::uint64_t HashBytes(std::string_view bytes, std::uint64_t seed);

}  // namespace provgate::detail

#endif  // PROVGATE_MANIFEST_ID_BLOOM_H_
