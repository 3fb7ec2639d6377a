#!/usr/bin/env python3
"""Runs the walk-through of an example's README.md, as a reader would.

Every ```console block of the README is a session: a line starting with `$ ` is a command,
run with sh in a scratch copy of the example directory (provgate first on the PATH); the
lines after it, up to the next command, must each appear in what it printed (standard output
and error together), in that order. A command ending in `# exits N` must exit with N, any
other with 0. Usage: readme_walkthrough.py --provgate BINARY EXAMPLE_DIR
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

EXITS = re.compile(r"\s+# exits (\d+)\s*$")


def sessions(readme):
    blocks = re.findall(r"```console\n(.*?)```", readme, re.S)
    for block in blocks:
        command = None
        expected = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    yield command, expected
                command, expected = line[2:], []
            elif command is not None and line.strip():
                expected.append(line.strip())
        if command is not None:
            yield command, expected


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("example")
    args = parser.parse_args()
    with open(os.path.join(args.example, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    failures = 0
    runs = 0
    with tempfile.TemporaryDirectory() as scratch:
        work = os.path.join(scratch, "example")
        shutil.copytree(args.example, work)
        bin_dir = os.path.join(scratch, "bin")
        os.mkdir(bin_dir)
        os.symlink(os.path.abspath(args.provgate), os.path.join(bin_dir, "provgate"))
        env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""),
                   NO_COLOR="1")
        for command, expected in sessions(readme):
            runs += 1
            want = 0
            m = EXITS.search(command)
            if m:
                want = int(m.group(1))
                command = command[:m.start()]
            proc = subprocess.run(["sh", "-c", command], cwd=work, env=env, capture_output=True,
                                  text=True, timeout=120)
            output = proc.stdout + proc.stderr
            problems = []
            if proc.returncode != want:
                problems.append(f"exit code {proc.returncode}, expected {want}")
            position = 0
            for line in expected:
                found = output.find(line, position)
                if found < 0:
                    problems.append(f"missing (in order): {line}")
                else:
                    position = found + len(line)
            if problems:
                failures += 1
                print(f"FAIL: $ {command}")
                for p in problems:
                    print(f"  {p}")
                print("  output:\n    " + output.replace("\n", "\n    "))
    if runs == 0:
        print("no ```console session in the README")
        return 1
    print(f"{runs} commands, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
