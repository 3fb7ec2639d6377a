#!/usr/bin/env python3
"""provgate.dask against the single-process CLI, on one manifest of N JSON Lines sources.

Runs `provgate check` (one process) and provgate.dask.check on a local cluster of two worker
processes (one thread each) in the same run, each in a process of its own, and reports wall
time, the peak RSS of the CLI, of each worker and of the client, the time the workers spent
in tasks, and whether the two reports are identical (they must be).

  /usr/bin/python3 bench/dask_bench.py --build build --data /tmp/dask-bench [--sources 10000000]
"""

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time

CLUSTER_RUN = r"""
import json, os, resource, sys, time
import provgate.dask
from distributed import Client, LocalCluster, get_task_stream

manifest, output, partition_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                       dashboard_address=None, memory_limit=0, silence_logs=40)
client = Client(cluster)
client.run(lambda: None)
start = time.perf_counter()
with get_task_stream(client) as stream:
    report = provgate.dask.check(manifest, client=client, partition_bytes=partition_bytes)
    text = report.to_json()
wall = time.perf_counter() - start
with open(output, "w") as handle:
    handle.write(text)
busy = sum(stop - begin for task in stream.data for begin, stop in
           [(task["startstops"][0]["start"], task["startstops"][-1]["stop"])])
tasks = len(stream.data)
workers = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
client_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
client.close()
cluster.close()
print(json.dumps({"wall": wall, "busy": busy, "tasks": tasks,
                  "workers_kib": sorted(workers.values()), "client_kib": client_rss}))
"""


def run_measured(command, env=None):
    """(wall seconds, peak RSS KiB, stdout) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, env=env)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit("%s failed with exit code %d" % (command[0], child.returncode))
    return wall, usage.ru_maxrss, out


def digest(path):
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build")
    parser.add_argument("--data", required=True)
    parser.add_argument("--sources", type=int, default=10_000_000)
    parser.add_argument("--partition-bytes", type=int, default=64 << 20)
    args = parser.parse_args()
    cli = os.path.join(args.build, "cli", "provgate")
    generator = os.path.join(args.build, "bench", "provgate_gen_manifest")
    directory = os.path.join(args.data, "jsonl-%d" % args.sources)
    manifest = os.path.join(directory, "manifest.json")
    if not os.path.exists(manifest):
        subprocess.run([generator, "--sources", str(args.sources), "--out", directory,
                        "--jsonl", "--mix", "permitted",
                        "--missing-digest-every", "50"], check=True)
    side = os.path.join(directory, "sources.jsonl")
    print("manifest: %s, %d sources, side file %.0f MB"
          % (manifest, args.sources, os.path.getsize(side) / 1e6))
    cli_report = os.path.join(args.data, "cli-report.json")
    dask_report = os.path.join(args.data, "dask-report.json")
    # The page cache holds the file for both runs alike: one read before either.
    digest(side)
    cli_wall, cli_kib, _ = run_measured([cli, "check", manifest, "--format", "json",
                                         "--output", cli_report])
    env = dict(os.environ, PYTHONPATH=os.path.join(os.path.abspath(args.build), "python"))
    dask_wall, client_kib, out = run_measured(
        [sys.executable, "-c", CLUSTER_RUN, manifest, dask_report, str(args.partition_bytes)],
        env=env)
    cluster = json.loads(out.decode().strip().splitlines()[-1])
    identical = digest(cli_report) == digest(dask_report)
    print("| run | wall | peak RSS |")
    print("|---|---|---|")
    print("| `provgate check` (one process) | %.2f s | %d MiB |" % (cli_wall, cli_kib // 1024))
    print("| provgate.dask.check, 2 workers: the check | %.2f s | client %d MiB |"
          % (cluster["wall"], cluster["client_kib"] // 1024))
    for i, kib in enumerate(cluster["workers_kib"]):
        print("| worker %d | | %d MiB |" % (i + 1, kib // 1024))
    print("| ... with starting the cluster and Python | %.2f s | |" % dask_wall)
    print("tasks: %d, time in tasks: %.2f s (%.2f s per worker), overhead of the cluster run: "
          "%.2fx the CLI" % (cluster["tasks"], cluster["busy"], cluster["busy"] / 2,
                             cluster["wall"] / cli_wall))
    print("reports identical: %s" % identical)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
