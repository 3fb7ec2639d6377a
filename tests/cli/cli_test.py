#!/usr/bin/env python3
"""CLI behaviour that golden files cannot pin down: determinism across runs, atomic output,
--help for every command, the terminal default format, and --version."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)


def run(provgate, *args, cwd=None):
    return subprocess.run([provgate, *args], capture_output=True, cwd=cwd, timeout=120,
                          env=dict(os.environ, NO_COLOR="1"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    pg = os.path.abspath(args.provgate)
    example = os.path.join(args.source, "examples", "integrity-problems", "manifest.json")

    # The JSON report is byte-identical across runs.
    outputs = {run(pg, "check", example, "--format", "json").stdout for _ in range(3)}
    check(len(outputs) == 1, "JSON report differs between runs")

    # Not a terminal: the default format is JSON.
    default = run(pg, "check", example)
    try:
        json.loads(default.stdout)
    except ValueError:
        FAILURES.append("default format off a terminal is not JSON")

    # --output replaces an existing file atomically and leaves no temporary files behind.
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "report.json")
        with open(target, "w") as f:
            f.write("old")
        result = run(pg, "check", example, "--format", "json", "--output", target)
        check(result.returncode == 1, f"check --output exit {result.returncode}")
        check(result.stdout == b"", "check --output also wrote to stdout")
        with open(target) as f:
            check(json.load(f)["verdict"] == "non-compliant", "--output content is wrong")
        check(os.listdir(tmp) == ["report.json"], f"stray files: {os.listdir(tmp)}")
        # Invalid input: the previous report is left untouched and nothing new appears.
        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as f:
            f.write("{")
        result = run(pg, "check", bad, "--output", target)
        check(result.returncode == 2, "malformed manifest did not exit 2")
        with open(target) as f:
            check(json.load(f)["verdict"] == "non-compliant", "report replaced on exit 2")
        check(sorted(os.listdir(tmp)) == ["bad.json", "report.json"], "files left on exit 2")

    # Every command has --help, exiting 0 and printing a usage line.
    for command in ["check", "validate", "explain", "expr"]:
        result = run(pg, command, "--help")
        check(result.returncode == 0 and b"usage: provgate " + command.encode() in result.stdout,
              f"{command} --help")
    result = run(pg, "--help")
    check(result.returncode == 0 and b"Commands:" in result.stdout, "provgate --help")
    result = run(pg)
    check(result.returncode == 2, "provgate without a command must exit 2")
    result = run(pg, "--version")
    check(result.returncode == 0 and result.stdout.startswith(b"provgate "), "--version")

    # A directory given as the manifest is invalid input.
    result = run(pg, "check", args.source)
    check(result.returncode == 2 and b"is a directory" in result.stderr, "directory as manifest")

    # --policy rules/default is the same pack as the built-in one.
    builtin = json.loads(run(pg, "check", example, "--format", "json").stdout)
    on_disk = json.loads(run(pg, "check", example, "--format", "json", "--policy",
                             os.path.join(args.source, "rules", "default")).stdout)
    check(builtin["policy"]["sha256"] == on_disk["policy"]["sha256"],
          "built-in pack differs from rules/default")
    check(builtin["findings"] == on_disk["findings"], "findings differ between pack copies")

    # keygen: a private key with mode 0600 that is never printed or overwritten, and a public key.
    with tempfile.TemporaryDirectory() as tmp:
        for key_type in ("ecdsa-p256", "ed25519"):
            prefix = os.path.join(tmp, key_type)
            result = run(pg, "keygen", "--out", prefix, "--type", key_type)
            check(result.returncode == 0, f"keygen {key_type} exit {result.returncode}")
            check(b"PRIVATE KEY" not in result.stdout + result.stderr, "keygen printed the key")
            check(result.stdout.startswith(b"wrote ") and b"key id SHA256:" in result.stdout,
                  f"keygen output: {result.stdout!r}")
            mode = os.stat(prefix + ".key").st_mode & 0o777
            check(mode == 0o600, f"private key mode {oct(mode)}")
            with open(prefix + ".key", "rb") as f:
                check(f.read().startswith(b"-----BEGIN PRIVATE KEY-----"), "private key PEM")
            with open(prefix + ".pub", "rb") as f:
                check(f.read().startswith(b"-----BEGIN PUBLIC KEY-----"), "public key PEM")
            with open(prefix + ".key", "rb") as f:
                before = f.read()
            again = run(pg, "keygen", "--out", prefix, "--type", key_type)
            check(again.returncode == 2 and b"never overwrites" in again.stderr,
                  "keygen overwrote or did not refuse")
            with open(prefix + ".key", "rb") as f:
                check(f.read() == before, "keygen changed an existing key")
        result = run(pg, "keygen", "--out", os.path.join(tmp, "x"), "--type", "rsa")
        check(result.returncode == 2, "keygen accepted an unknown type")

    # The lineage graph renders with Graphviz when it is installed.
    import shutil
    if shutil.which("dot"):
        graph = run(pg, "graph", os.path.join(args.source, "examples", "lineage",
                                              "closed-distilled", "manifest.json"))
        check(graph.returncode == 0, "provgate graph failed")
        svg = subprocess.run(["dot", "-Tsvg"], input=graph.stdout, capture_output=True)
        check(svg.returncode == 0 and b"<svg" in svg.stdout,
              f"dot could not render the graph: {svg.stderr.decode(errors='replace')}")
    else:
        print("note: Graphviz is not installed; the DOT rendering check is skipped")

    if FAILURES:
        print("\n".join(FAILURES))
        return 1
    print("cli behaviour ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
