#!/usr/bin/env python3
"""The lineage benchmark: a graph of many models, each with many sources, checked from one
root model whose lineage reaches all of them.

  bench/lineage_bench.py [--build build] [--data bench/data] [--models 10000] [--sources 100]

Model i (i > 0) descends from up to three random earlier models (fine-tune, distillation,
merge), so the graph is a DAG in which most models are reached by several paths; every tenth
model used one unpermitted source. The root's lineage names every model that no other model
descends from, so that it reaches all of them. The check
must evaluate every manifest exactly once: the graph it reports has one node per model,
which the script verifies, and it must finish in seconds.
"""
import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--data", default="bench/data")
    parser.add_argument("--models", type=int, default=10000)
    parser.add_argument("--sources", type=int, default=100)
    args = parser.parse_args()
    out = os.path.join(args.data, f"lineage-{args.models}x{args.sources}")
    os.makedirs(out, exist_ok=True)
    digest = hashlib.sha256(b"x").hexdigest()
    rng = random.Random(7)
    relations = ["fine-tune", "distillation", "merge"]
    if not os.path.exists(os.path.join(out, "root.json")):
        has_child = set()
        for i in range(args.models):
            parents = sorted(set(rng.randrange(i) for _ in range(3))) if i > 0 else []
            has_child.update(parents)
            sources = [{"id": f"m{i}-s{j}", "kind": "first-party",
                        "permission": {"basis": "none" if (i % 10 == 0 and j == 0) else "first-party"},
                        "size": {"tokens": 1000}, "digest": {"sha256": digest}}
                       for j in range(args.sources)]
            manifest = {"manifest_version": "1",
                        "model": {"id": f"lab/m{i}",
                                  "release": {"weights": "open", "license": "Apache-2.0"},
                                  "lineage": [{"relation": rng.choice(relations), "model": f"lab/m{p}",
                                               "manifest": f"m{p}.json"} for p in parents]},
                        "sources": sources}
            with open(os.path.join(out, f"m{i}.json"), "w") as f:
                json.dump(manifest, f)
        root = {"manifest_version": "1",
                "model": {"id": "lab/root", "release": {"weights": "closed"},
                          "lineage": [{"relation": "distillation", "model": f"lab/m{i}",
                                       "manifest": f"m{i}.json"}
                                      for i in range(args.models) if i not in has_child]},
                "sources": [{"id": "own", "kind": "first-party", "permission": {"basis": "first-party"},
                             "size": {"tokens": 1}, "digest": {"sha256": digest}}]}
        with open(os.path.join(out, "root.json"), "w") as f:
            json.dump(root, f)
    provgate = os.path.join(args.build, "cli", "provgate")
    root_path = os.path.join(out, "root.json")
    start = time.perf_counter()
    graph = subprocess.run([provgate, "graph", root_path, "--format", "json"],
                           capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if graph.returncode != 0:
        print(graph.stderr.decode())
        return 1
    data = json.loads(graph.stdout)
    nodes = len(data["nodes"])
    reached = {e["upstream"] for e in data["edges"]} | {"lab/root"}
    print(f"{args.models} models x {args.sources} sources; root reaches {len(reached) - 1} models")
    print(f"provgate graph: {elapsed:.2f} s, {nodes} nodes, {len(data['edges'])} edges")
    ok = nodes == len(reached)
    print(f"each manifest evaluated once (one node per model): {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
