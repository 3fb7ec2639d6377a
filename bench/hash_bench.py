#!/usr/bin/env python3
"""--verify-files throughput against sha256sum, in one run on this machine.

  bench/hash_bench.py [--build build] [--data bench/data] [--files 8] [--mib 256]

Writes FILES random files of MIB MiB each (2 GiB by default) and a manifest listing them
with their digests, then times, after a warm-up round that puts the files in the page cache:
  - sha256sum over all files (one process, one core);
  - provgate check --verify-files (OpenSSL, two hashing threads).
Per-core throughput is bytes / time / cores used (1 for sha256sum, 2 for provgate). The
target is provgate per core >= 90% of sha256sum.
"""
import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time


def timed(command, repeat=3):
    subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--data", default="bench/data")
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--mib", type=int, default=256)
    args = parser.parse_args()
    out = os.path.join(args.data, f"hash-{args.files}x{args.mib}")
    os.makedirs(os.path.join(out, "files"), exist_ok=True)
    entries = []
    for i in range(args.files):
        path = os.path.join("files", f"f{i}.bin")
        full = os.path.join(out, path)
        if not os.path.exists(full) or os.path.getsize(full) != args.mib << 20:
            with open(full, "wb") as f:
                for _ in range(args.mib):
                    f.write(os.urandom(1 << 20))
        digest = hashlib.sha256()
        with open(full, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        entries.append({"path": path, "sha256": digest.hexdigest(), "bytes": args.mib << 20})
    manifest = {"manifest_version": "1",
                "model": {"id": "bench/hash", "release": {"weights": "open", "license": "MIT"}},
                "sources": [{"id": "files", "kind": "other", "permission": {"basis": "first-party"},
                             "size": {"bytes": args.files * (args.mib << 20)},
                             "digest": {"sha256": entries[0]["sha256"]}, "files": entries}]}
    manifest_path = os.path.join(out, "manifest.json")
    with open(manifest_path, "w") as f:
        json.dump(manifest, f)
    total = args.files * (args.mib << 20)
    files = [os.path.join(out, e["path"]) for e in entries]
    sha_t = timed(["sha256sum", *files])
    pg_t = timed([os.path.join(args.build, "cli", "provgate"), "check", manifest_path,
                  "--format", "json", "--verify-files"])
    sha_rate = total / sha_t / 1e6
    pg_rate = total / pg_t / 1e6
    print(f"{args.files} files, {total / (1 << 30):.1f} GiB, in the page cache")
    print("| command | median time | throughput | per core |")
    print("|---|---|---|---|")
    print(f"| sha256sum (1 core) | {sha_t:.2f} s | {sha_rate:.0f} MB/s | {sha_rate:.0f} MB/s |")
    print(f"| provgate check --verify-files (2 threads) | {pg_t:.2f} s | {pg_rate:.0f} MB/s | "
          f"{pg_rate / 2:.0f} MB/s |")
    ratio = (pg_rate / 2) / sha_rate
    print(f"\nper-core throughput of provgate / sha256sum: {ratio:.2f} "
          f"(target >= 0.90): {'met' if ratio >= 0.9 else 'NOT met'}")
    return 0 if ratio >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
