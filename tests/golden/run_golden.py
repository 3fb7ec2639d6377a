#!/usr/bin/env python3
"""Runs one golden case: the provgate binary on the case's inputs, compared with expected/.

A case directory holds its inputs and a case.json:

    {"description": "...",
     "runs": [{"name": "json", "args": ["check", "manifest.json", "--format", "json"],
               "exit_code": 1}]}

Each run executes `provgate ARGS` with the case directory as working directory (so paths in
the output are the relative ones a user would see) and compares stdout and stderr with
expected/<name>.stdout and expected/<name>.stderr, byte for byte, and the exit code. A run
whose stdout is a JSON report is also validated against schemas/report.schema.json.

A run may list "produces" (files it must write, compared with expected/<name>.<file> and
then removed; those named *.json are validated as reports) and "no_files" (files it must not leave behind).

PROVGATE_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing them.

Without python3-jsonschema a case that writes a JSON report cannot be checked whole: after the
comparisons it exits 77, which CTest reports as skipped (a difference still fails it).
"""
import argparse
import difflib
import json
import os
import subprocess
import sys


SCHEMA_CHECKS_SKIPPED = []


def validate_report(text, schemas_dir):
    try:
        import jsonschema
    except ImportError:
        SCHEMA_CHECKS_SKIPPED.append(True)
        return []
    with open(os.path.join(schemas_dir, "report.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    try:
        report = json.loads(text)
    except ValueError as error:
        return [f"the report is not JSON: {error}"]
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(report)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--schemas", required=True)
    parser.add_argument("case_dir")
    args = parser.parse_args()
    args.provgate = os.path.abspath(args.provgate)

    with open(os.path.join(args.case_dir, "case.json"), encoding="utf-8") as f:
        case = json.load(f)
    update = os.environ.get("PROVGATE_UPDATE_GOLDEN") == "1"
    expected_dir = os.path.join(args.case_dir, "expected")
    failures = []
    env = dict(os.environ, NO_COLOR="1")
    for run in case["runs"]:
        name = run["name"]
        proc = subprocess.run([args.provgate] + run["args"], cwd=args.case_dir,
                              capture_output=True, env=env, timeout=120,
                              input=b"")
        if proc.returncode != run["exit_code"]:
            failures.append(f"[{name}] exit code {proc.returncode}, expected {run['exit_code']}\n"
                            f"stderr:\n{proc.stderr.decode(errors='replace')}")
        for stream, content in (("stdout", proc.stdout), ("stderr", proc.stderr)):
            path = os.path.join(expected_dir, f"{name}.{stream}")
            if update:
                os.makedirs(expected_dir, exist_ok=True)
                with open(path, "wb") as f:
                    f.write(content)
                continue
            try:
                with open(path, "rb") as f:
                    expected = f.read()
            except FileNotFoundError:
                expected = b""
            if content != expected:
                diff = "".join(difflib.unified_diff(
                    expected.decode(errors="replace").splitlines(True),
                    content.decode(errors="replace").splitlines(True),
                    f"expected/{name}.{stream}", f"actual {stream}"))
                failures.append(f"[{name}] {stream} differs:\n{diff}")
        is_report = run["args"][:1] in (["check"], ["validate"])
        if run.get("report") or (is_report and "--format" in run["args"] and "json" in run["args"]):
            if proc.stdout.strip():
                problems = validate_report(proc.stdout.decode(), args.schemas)
                failures.extend(f"[{name}] report schema: {p}" for p in problems)
        for produced in run.get("produces", []):
            produced_path = os.path.join(args.case_dir, produced)
            expected_path = os.path.join(expected_dir, f"{name}.{os.path.basename(produced)}")
            if not os.path.exists(produced_path):
                failures.append(f"[{name}] {produced} was not written")
                continue
            with open(produced_path, "rb") as f:
                content = f.read()
            os.remove(produced_path)
            if update:
                with open(expected_path, "wb") as f:
                    f.write(content)
            else:
                with open(expected_path, "rb") as f:
                    if f.read() != content:
                        failures.append(f"[{name}] {produced} differs from {expected_path}")
            if produced.endswith(".json"):
                problems = validate_report(content.decode(), args.schemas)
                failures.extend(f"[{name}] report schema: {p}" for p in problems)
        for produced in run.get("no_files", []):
            if os.path.exists(os.path.join(args.case_dir, produced)):
                failures.append(f"[{name}] {produced} was written but must not be")
                os.remove(os.path.join(args.case_dir, produced))
    if failures:
        print(f"FAIL {args.case_dir}: {case.get('description', '')}")
        print("\n".join(failures))
        return 1
    if SCHEMA_CHECKS_SKIPPED:
        print(f"skipped: python3-jsonschema is not installed, so the reports of "
              f"{os.path.basename(args.case_dir)} were not validated against "
              "report.schema.json (apt-get install python3-jsonschema)")
        return 77
    print(f"ok {os.path.basename(args.case_dir)} ({len(case['runs'])} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
