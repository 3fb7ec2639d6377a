#!/usr/bin/env python3
"""Checks the real-model manifests of examples/real-models against their expected.json.

Each model directory holds an expected.json written from docs/policy.md and the project policy,
not captured from provgate. For every case it lists the verdict, the exit code, the findings that
must be present (rule, reason, subject, severity), findings that must be absent, and, where the
record gives token counts, the heaviest taint causes in order. This driver runs
`provgate check MANIFEST --format json` on each case and compares:

- the exit code and the report's verdict;
- every expected finding is present;
- no finding of severity error is present that the case does not expect;
- no finding matches an `absent` entry (rule, and subject and severity when given);
- the first taint causes (model.taint_causes) are the expected ones, in order.

Exit status: 0 when every case passes, 1 when one fails, 77 (skipped) when provgate is missing.
"""

import argparse
import json
import os
import subprocess
import sys

SKIP = 77


def taint_causes(report):
    """The report's causes of taint (`model.taint_causes`, docs/cli.md), heaviest first, as
    (example source ids, reason code) pairs; None when the report lists none."""
    causes = report.get("model", {}).get("taint_causes")
    if not isinstance(causes, list):
        return None
    return [(cause.get("examples", []), cause.get("reason")) for cause in causes]


def finding_key(finding):
    return (finding.get("rule"), finding.get("reason"), finding.get("subject"), finding.get("severity"))


def check_case(provgate, model_dir, case):
    """Returns a list of failure messages for one case (empty when it passes)."""
    failures = []
    manifest = case["manifest"]
    result = subprocess.run([provgate, "check", manifest, "--format", "json"], cwd=model_dir,
                            capture_output=True, text=True, timeout=300)
    if result.returncode != case["exit_code"]:
        failures.append(f"exit code {result.returncode}, expected {case['exit_code']}"
                        + (f"; stderr: {result.stderr.strip()[:2000]}" if result.stderr.strip() else ""))
    if result.returncode == 2:
        return failures  # invalid input: no report to compare
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        return failures + [f"the report is not JSON: {error}"]

    if report.get("verdict") != case["verdict"]:
        failures.append(f"verdict {report.get('verdict')!r}, expected {case['verdict']!r}")

    findings = report.get("findings", [])
    actual = {finding_key(f) for f in findings}
    expected = set()
    for want in case.get("findings", []):
        key = (want["rule"], want["reason"], want["subject"], want["severity"])
        expected.add(key)
        if key not in actual:
            failures.append("missing finding " + "/".join(key) + f" ({want.get('why', '')})")
    for f in findings:
        key = finding_key(f)
        if f.get("severity") == "error" and key not in expected:
            failures.append("unexpected error " + "/".join(str(k) for k in key) + f": {f.get('message', '')}")
    for absent in case.get("absent", []):
        for f in findings:
            if (f.get("rule") == absent["rule"] and absent.get("subject") in (None, f.get("subject"))
                    and absent.get("severity") in (None, f.get("severity"))):
                failures.append(f"finding {f.get('rule')}/{f.get('reason')}/{f.get('subject')} must be absent"
                                f" ({absent.get('why', '')})")

    want_causes = case.get("top_causes")
    if want_causes:
        causes = taint_causes(report)
        if causes is None:
            failures.append("the report lists no taint causes (model.taint_causes)")
        else:
            for index, want in enumerate(want_causes):
                if index >= len(causes):
                    failures.append(f"taint cause {index + 1} missing, expected {want['subject']}")
                    break
                # A cause groups one model's sources by reason, naming up to three of them.
                examples, reason = causes[index]
                if want["subject"] not in examples or reason != want["reason"]:
                    failures.append(f"taint cause {index + 1} is {examples}/{reason},"
                                    f" expected {want['subject']}/{want['reason']}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--source", required=True, help="the repository's root")
    args = parser.parse_args()
    args.provgate = os.path.abspath(args.provgate)
    if not os.access(args.provgate, os.X_OK):
        print(f"skipped: {args.provgate} is not an executable")
        return SKIP

    root = os.path.join(args.source, "examples", "real-models")
    passed = failed = 0
    for name in sorted(os.listdir(root)):
        expected_path = os.path.join(root, name, "expected.json")
        if not os.path.isfile(expected_path):
            continue
        with open(expected_path, encoding="utf-8") as handle:
            cases = json.load(handle)["cases"]
        for case in cases:
            label = f"{name}/{case['manifest']}"
            failures = check_case(args.provgate, os.path.join(root, name), case)
            if failures:
                failed += 1
                print(f"FAIL {label}")
                for failure in failures:
                    print(f"  {failure}")
            else:
                passed += 1
                print(f"ok   {label}")
    if passed + failed == 0:
        print("no expected.json found under examples/real-models")
        return 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
