#!/usr/bin/env python3
"""The check benchmark: provgate check against a bare simdjson parse of the same file, in one
run, on this machine. Prints tables for bench/README.md.

  bench/run_bench.py [--build build] [--data bench/data] [--sources 1000000] [--repeat 5]
                     [--simdjson default,haswell]

Measures, for single-JSON manifests of N sources (mixtures `permitted` and `mixed`):
  - the bare On-Demand walk (every field read once) and the bare DOM parse: the baselines;
  - provgate check --format json --output FILE;
once for each simdjson kernel of --simdjson: `default` is the one simdjson picks for this
processor, any other name is forced with SIMDJSON_FORCE_IMPLEMENTATION for the baselines and
the check alike (`haswell` on a processor with AVX-512 stands for one without). Then, for the
JSON Lines layout, provgate check at N and 5N sources (peak RSS must not grow).

Every command runs `--repeat` rounds after a warm-up round (the files are then in the page
cache); the commands of one round run in turn, so that noise on the machine hits them alike.
For each command: the median wall time, the median CPU time of the child (user + system, from
wait4) and the median user time; ratios are the medians of each round's ratio to the bare walk
of the same file. Peak RSS is the largest of the runs.

Targets: check at most 2x the bare walk for the permitted mixture and 3x for the mixed one,
in wall time and in CPU time, for every kernel measured (the ratio of user time alone, which
leaves out the kernel's work for both, is printed beside them: on a machine where page faults
are expensive the walk's time is mostly the kernel's); peak RSS <= 1 GiB for the single
JSON; in JSON Lines, peak RSS does not grow from N to 5N sources. The last line says whether
they are met, and the script exits 1 when they are not.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

TARGETS = {"permitted": 2.0, "mixed": 3.0}


def run_once(command, env):
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(command)} exited {code}: {proc.stderr.read().decode()}")
    return {"wall": elapsed, "cpu": usage.ru_utime + usage.ru_stime, "user": usage.ru_utime,
            "rss": usage.ru_maxrss / 1024}  # ru_maxrss is in KiB on Linux


def measure_interleaved(commands, repeat, env):
    """Runs the commands in turn, `repeat` rounds after a warm-up round. Returns, for each,
    the list of its rounds' measurements."""
    for command in commands:
        run_once(command, env)
    rounds = [[] for _ in commands]
    for _ in range(repeat):
        for i, command in enumerate(commands):
            rounds[i].append(run_once(command, env))
    return rounds


def median(rounds, key):
    return statistics.median(r[key] for r in rounds)


def ratio(rounds, baseline, key):
    return statistics.median(r[key] / b[key] for r, b in zip(rounds, baseline))


def generate(build, data, sources, jsonl, missing_digest_every=50, mix="mixed"):
    out = os.path.join(data, f"{'jsonl' if jsonl else 'json'}-{sources}-{missing_digest_every}-{mix}")
    if not os.path.exists(os.path.join(out, "manifest.json")):
        command = [os.path.join(build, "bench", "provgate_gen_manifest"), "--sources",
                   str(sources), "--out", out, "--mix", mix,
                   "--missing-digest-every", str(missing_digest_every)] + (
                       ["--jsonl"] if jsonl else [])
        subprocess.run(command, check=True)
    return os.path.join(out, "manifest.json")


def kernel_env(kernel):
    env = dict(os.environ)
    env.pop("SIMDJSON_FORCE_IMPLEMENTATION", None)
    if kernel != "default":
        env["SIMDJSON_FORCE_IMPLEMENTATION"] = kernel
    return env


def single_json(args, provgate, bare, report, manifests, kernel):
    """The single-JSON tables for one simdjson kernel; returns the ratios and peak RSS."""
    env = kernel_env(kernel)
    active = subprocess.run([bare, "--implementation"], env=env, check=True,
                            capture_output=True, text=True).stdout.strip()
    if kernel != "default" and active != kernel:
        sys.exit(f"SIMDJSON_FORCE_IMPLEMENTATION={kernel} did not take effect: {active}")
    commands = []
    for mix in ("permitted", "mixed"):
        commands += [[bare, manifests[mix]],
                     [provgate, "check", manifests[mix], "--format", "json", "--output", report]]
    commands.append([bare, "--dom", manifests["permitted"]])
    rounds = measure_interleaved(commands, args.repeat, env)
    size_mb = os.path.getsize(manifests["permitted"]) / 1e6
    print(f"single JSON, {args.sources:,} sources, {size_mb:.0f} MB, full default pack, "
          f"simdjson kernel {active}" + (" (forced)" if kernel != "default" else ""))
    print("| command | wall | CPU (user + sys) | user | peak RSS | ratio to the walk: wall | CPU |")
    print("|---|---|---|---|---|---|---|")
    results = {}
    for k, mix in enumerate(("permitted", "mixed")):
        walk, check = rounds[2 * k], rounds[2 * k + 1]
        label = {"permitted": "permitted mix", "mixed": "mixed licences"}[mix]
        print(f"| bare On-Demand walk, {label} | {median(walk, 'wall'):.2f} s | "
              f"{median(walk, 'cpu'):.2f} s | {median(walk, 'user'):.2f} s | "
              f"{max(r['rss'] for r in walk):.0f} MiB | 1.00 | 1.00 |")
        if mix == "permitted":
            dom = rounds[-1]
            print(f"| bare DOM parse, {label} | {median(dom, 'wall'):.2f} s | "
                  f"{median(dom, 'cpu'):.2f} s | {median(dom, 'user'):.2f} s | "
                  f"{max(r['rss'] for r in dom):.0f} MiB | {ratio(dom, walk, 'wall'):.2f} | "
                  f"{ratio(dom, walk, 'cpu'):.2f} |")
        results[mix] = {"wall": ratio(check, walk, "wall"), "cpu": ratio(check, walk, "cpu"),
                        "user": ratio(check, walk, "user"),
                        "rss": max(r["rss"] for r in check)}
        print(f"| `provgate check`, {label} | {median(check, 'wall'):.2f} s | "
              f"{median(check, 'cpu'):.2f} s | {median(check, 'user'):.2f} s | "
              f"{results[mix]['rss']:.0f} MiB | **{results[mix]['wall']:.2f}** | "
              f"**{results[mix]['cpu']:.2f}** |")
        if mix == "mixed":
            report_mb = os.path.getsize(report) / 1e6
            print(f"\n(the mixed check writes a {report_mb:.0f} MB report; user-time ratios: "
                  f"permitted {results['permitted']['user']:.2f}, mixed {results['mixed']['user']:.2f})")
    print()
    return active, results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--data", default="bench/data")
    parser.add_argument("--sources", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--simdjson", default="default,haswell",
                        help="simdjson kernels to measure, comma-separated (default: the "
                             "processor's own, then haswell forced)")
    args = parser.parse_args()
    provgate = os.path.join(args.build, "cli", "provgate")
    bare = os.path.join(args.build, "bench", "provgate_bare_parse")
    report = os.path.join(args.data, "report.json")

    manifests = {mix: generate(args.build, args.data, args.sources, jsonl=False, mix=mix)
                 for mix in ("permitted", "mixed")}
    outcomes = [single_json(args, provgate, bare, report, manifests, kernel)
                for kernel in args.simdjson.split(",")]

    # The streaming claim is about sources: these manifests have no findings, so that what
    # grows with N is only what the reader keeps. (Findings are the report: they are kept.)
    print("| JSON Lines sources | findings | check median time | peak RSS |")
    print("|---|---|---|---|")
    env = kernel_env("default")
    rss = []
    for n in (args.sources, 5 * args.sources):
        jsonl_manifest = generate(args.build, args.data, n, jsonl=True, missing_digest_every=0,
                                  mix="permitted")
        rounds = measure_interleaved([[provgate, "check", jsonl_manifest, "--format", "json",
                                       "--output", report]], max(1, args.repeat - 2), env)[0]
        rss.append(max(r["rss"] for r in rounds))
        print(f"| {n:,} | 0 | {median(rounds, 'wall'):.2f} s | {rss[-1]:.0f} MiB |")
    jsonl_manifest = generate(args.build, args.data, args.sources, jsonl=True, mix="permitted")
    rounds = measure_interleaved([[provgate, "check", jsonl_manifest, "--format", "json",
                                   "--output", report]], max(1, args.repeat - 2), env)[0]
    print(f"| {args.sources:,} | {args.sources // 50:,} (P9) | {median(rounds, 'wall'):.2f} s | "
          f"{max(r['rss'] for r in rounds):.0f} MiB |")

    ok = rss[1] <= rss[0] * 1.05
    parts = []
    for active, results in outcomes:
        for mix, limit in TARGETS.items():
            r = results[mix]
            ok = ok and r["wall"] <= limit and r["cpu"] <= limit and r["rss"] <= 1024
            parts.append(f"{active} {mix} {r['wall']:.2f}x wall, {r['cpu']:.2f}x CPU "
                         f"(<= {limit:g}x; user time alone {r['user']:.2f}x), "
                         f"{r['rss']:.0f} MiB")
    print()
    print(f"targets: {'; '.join(parts)}; peak RSS <= 1 GiB; JSONL RSS 5x sources vs 1x: "
          f"{rss[1] / rss[0]:.2f} (<= 1.05) -> {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
