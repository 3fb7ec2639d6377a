#!/usr/bin/env python3
"""The check benchmark: provgate check against a bare simdjson parse of the same file, in one
run, on this machine. Prints a table for bench/README.md.

  bench/run_bench.py [--build build] [--data bench/data] [--sources 1000000] [--repeat 3]

Measures, for a single-JSON manifest of N sources:
  - the bare On-Demand walk (every field read once) and the bare DOM parse: the baselines;
  - provgate check --format json --output FILE;
and, for the JSON Lines layout, provgate check at N and 5N sources (peak RSS must not grow).
Times are medians of --repeat rounds after a warm-up round (the file is then in the page
cache); the three single-JSON commands run in turn within each round, so that noise on the
machine hits them alike.
peak RSS is the largest of the runs (getrusage of the child).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def run_once(command):
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(command)} exited {code}: {proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def measure(command, repeat):
    return measure_interleaved([command], repeat)[0]


def measure_interleaved(commands, repeat):
    """Runs the commands in turn, `repeat` rounds after a warm-up round, so that a noisy
    moment on the machine hits all of them alike. Returns (median time, peak RSS) each."""
    for command in commands:
        run_once(command)
    times = [[] for _ in commands]
    peaks = [0.0 for _ in commands]
    for _ in range(repeat):
        for i, command in enumerate(commands):
            elapsed, rss = run_once(command)
            times[i].append(elapsed)
            peaks[i] = max(peaks[i], rss)
    return [(statistics.median(t), p) for t, p in zip(times, peaks)]


def generate(build, data, sources, jsonl, missing_digest_every=50, mix="mixed"):
    out = os.path.join(data, f"{'jsonl' if jsonl else 'json'}-{sources}-{missing_digest_every}-{mix}")
    if not os.path.exists(os.path.join(out, "manifest.json")):
        command = [os.path.join(build, "bench", "provgate_gen_manifest"), "--sources",
                   str(sources), "--out", out, "--mix", mix,
                   "--missing-digest-every", str(missing_digest_every)] + (
                       ["--jsonl"] if jsonl else [])
        subprocess.run(command, check=True)
    return os.path.join(out, "manifest.json")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--data", default="bench/data")
    parser.add_argument("--sources", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    provgate = os.path.join(args.build, "cli", "provgate")
    bare = os.path.join(args.build, "bench", "provgate_bare_parse")
    report = os.path.join(args.data, "report.json")

    manifest = generate(args.build, args.data, args.sources, jsonl=False, mix="permitted")
    mixed = generate(args.build, args.data, args.sources, jsonl=False, mix="mixed")
    size_mb = os.path.getsize(manifest) / 1e6
    (ondemand_t, ondemand_rss), (dom_t, dom_rss), (check_t, check_rss), (mixed_t, mixed_rss), \
        (mixed_walk_t, _) = measure_interleaved(
            [[bare, manifest], [bare, "--dom", manifest],
             [provgate, "check", manifest, "--format", "json", "--output", report],
             [provgate, "check", mixed, "--format", "json", "--output", report],
             [bare, mixed]], args.repeat)
    report_mb = os.path.getsize(report) / 1e6
    print(f"single JSON, {args.sources:,} sources, {size_mb:.0f} MB, full default pack")
    print("| command | median time | peak RSS | ratio to On-Demand walk |")
    print("|---|---|---|---|")
    print(f"| bare On-Demand walk | {ondemand_t:.2f} s | {ondemand_rss:.0f} MiB | 1.00 |")
    print(f"| bare DOM parse | {dom_t:.2f} s | {dom_rss:.0f} MiB | {dom_t / ondemand_t:.2f} |")
    print(f"| provgate check, permitted mix (2% P9 findings) | {check_t:.2f} s | "
          f"{check_rss:.0f} MiB | {check_t / ondemand_t:.2f} |")
    print(f"| provgate check, mixed licences ({report_mb:.0f} MB report) | {mixed_t:.2f} s | "
          f"{mixed_rss:.0f} MiB | {mixed_t / mixed_walk_t:.2f} |")

    print()
    # The streaming claim is about sources: these manifests have no findings, so that what
    # grows with N is only what the reader keeps. (Findings are the report: they are kept.)
    print("| JSON Lines sources | findings | check median time | peak RSS |")
    print("|---|---|---|---|")
    rss = []
    for n in (args.sources, 5 * args.sources):
        jsonl_manifest = generate(args.build, args.data, n, jsonl=True, missing_digest_every=0,
                                  mix="permitted")
        t, peak = measure([provgate, "check", jsonl_manifest, "--format", "json", "--output",
                           report], max(1, args.repeat - 2))
        rss.append(peak)
        print(f"| {n:,} | 0 | {t:.2f} s | {peak:.0f} MiB |")
    jsonl_manifest = generate(args.build, args.data, args.sources, jsonl=True, mix="permitted")
    t, peak = measure([provgate, "check", jsonl_manifest, "--format", "json", "--output",
                       report], max(1, args.repeat - 2))
    print(f"| {args.sources:,} | {args.sources // 50:,} (P9) | {t:.2f} s | {peak:.0f} MiB |")
    # The targets hold for both mixtures: the permitted one (what the engine costs) and the
    # mixed one (a report larger than its manifest).
    ratio, mixed_ratio = check_t / ondemand_t, mixed_t / mixed_walk_t
    ok = (ratio <= 4 and mixed_ratio <= 4 and max(check_rss, mixed_rss) <= 1024
          and rss[1] <= rss[0] * 1.05)
    print()
    print(f"targets: check <= 4x bare parse: {ratio:.2f}x permitted, {mixed_ratio:.2f}x mixed; "
          f"peak RSS <= 1 GiB: {check_rss:.0f} MiB, {mixed_rss:.0f} MiB; "
          f"JSONL RSS 5x sources vs 1x: {rss[1] / rss[0]:.2f} -> {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
