#!/usr/bin/env python3
"""Hostile expressions, rule packs and bindings through the built CLI: each ends with its
documented exit code and a message, never a signal, within bounded time and memory. The child
runs with a 1 MiB stack (which glibc also gives its threads), a CPU-time limit and an
address-space limit, so that a regression fails here instead of hanging or swapping."""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile

FAILURES = []
STACK_BYTES = 1 << 20
CPU_SECONDS = 60
ADDRESS_SPACE_BYTES = 4 << 30


def limit_child():
    resource.setrlimit(resource.RLIMIT_STACK, (STACK_BYTES, STACK_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_BYTES, ADDRESS_SPACE_BYTES))


def run(provgate, *args, cwd=None):
    try:
        return subprocess.run([provgate, *args], capture_output=True, cwd=cwd,
                              timeout=2 * CPU_SECONDS, preexec_fn=limit_child,
                              env=dict(os.environ, NO_COLOR="1"))
    except subprocess.TimeoutExpired:
        return None


def expect(name, result, exit_code, stdout_part=None, stderr_part=None):
    if result is None:
        FAILURES.append(f"{name}: did not finish within {2 * CPU_SECONDS} s")
        return
    if result.returncode < 0:
        FAILURES.append(f"{name}: killed by signal {-result.returncode}")
        return
    if result.returncode != exit_code:
        FAILURES.append(f"{name}: exit {result.returncode}, expected {exit_code}: "
                        f"{result.stderr[:300]!r} {result.stdout[:300]!r}")
        return
    if stdout_part is not None and stdout_part.encode() not in result.stdout:
        FAILURES.append(f"{name}: {stdout_part!r} not in stdout {result.stdout[:300]!r}")
    if stderr_part is not None and stderr_part.encode() not in result.stderr:
        FAILURES.append(f"{name}: {stderr_part!r} not in stderr {result.stderr[:300]!r}")


def doubling(times):
    """[1] mapped to a list of itself twice, `times` times: 2^times leaves in O(times) steps."""
    return "[1]" + ".map(a,[a,a])" * times


def write_pack(directory, rule):
    os.makedirs(os.path.join(directory, "rules"))
    with open(os.path.join(directory, "pack.yaml"), "w") as f:
        f.write("name: hostile\nversion: '1'\nprofiles:\n  - name: thread\nreasons:\n"
                "  - code: r\n    title: R\n    description: R.\nrules:\n  - rules/T1.yaml\n")
    with open(os.path.join(directory, "rules", "T1.yaml"), "w") as f:
        f.write("id: T1\ntitle: T\nseverity: error\ndescription: D.\nremedy: R.\nrule:\n" + rule)


def expressions(pg):
    deep = "has(x" + ".y" * 40000 + ")"
    expect("expr: 25,000 added terms", run(pg, "expr", "+".join(["1"] * 25000)), 2,
           stderr_part="<expr>:1:500: error: expression is nested more than 250 levels deep")
    expect("expr: x.y.y... 40,000 deep", run(pg, "expr", deep), 2,
           stderr_part="nested more than 250 levels deep")
    expect("expr: 9,000 chained map()", run(pg, "expr", "[1]" + ".map(a,a)" * 9000), 2,
           stderr_part="nested more than 250 levels deep")
    expect("expr: 30,000 parentheses", run(pg, "expr", "(" * 30000 + "1" + ")" * 30000), 2,
           stderr_part="<expr>:1:251: error: expression is nested more than 250 levels deep")
    expect("expr: 15,000 operands of &&", run(pg, "expr", "&&".join(["true"] * 15000)), 0,
           stdout_part='{"boolValue":true}')
    for name, text in [("equality", doubling(40) + "==" + doubling(40)),
                       ("printing", doubling(40)),
                       ("membership", doubling(40) + " in [1, " + doubling(40) + "]")]:
        expect(f"expr: shared lists, {name}", run(pg, "expr", text), 1,
               stdout_part='{"error":"value size limit exceeded')
    # Under the size limit, shared lists are printed whole.
    expect("expr: shared lists printed", run(pg, "expr", doubling(15)), 0,
           stdout_part='{"listValue":')


def bindings(pg, tmp):
    deep = os.path.join(tmp, "deep.json")
    with open(deep, "w") as f:
        f.write('{"x": ' + '{"listValue":{"values":[' * 30000 + '{"int64Value":"1"}'
                + "]}}" * 30000 + "}")
    expect("expr --bindings 30,000 deep", run(pg, "expr", "x", "--bindings", deep), 2,
           stderr_part="JSON nesting is deeper than")
    duplicate = os.path.join(tmp, "duplicate.json")
    with open(duplicate, "w") as f:
        f.write('{"x": {"int64Value": "1"},\n "x": {"int64Value": "2"}}')
    expect("expr --bindings with a duplicate key", run(pg, "expr", "x", "--bindings", duplicate),
           2, stderr_part="duplicate.json:2:2: error: duplicate key 'x'")
    fifo = os.path.join(tmp, "bindings.fifo")
    os.mkfifo(fifo)
    expect("expr --bindings FIFO", run(pg, "expr", "x", "--bindings", fifo), 2,
           stderr_part="not a regular file (a FIFO)")


def packs(pg, tmp):
    manifest = os.path.join(tmp, "manifest.json")
    with open(manifest, "w") as f:
        json.dump({"manifest_version": "1",
                   "model": {"id": "m", "release": {"weights": "closed"}},
                   "sources": [{"id": "a", "kind": "first-party",
                                "permission": {"basis": "first-party"}}]}, f)

    # A condition of 96 KB: 48,000 terms.
    deep = os.path.join(tmp, "deep")
    write_pack(deep, "  match:\n    - subject: source\n      condition: \""
               + "+".join(["1"] * 48000) + " > 0\"\n      reason: r\n      message: m\n")
    expect("check --policy: a 96 KB condition", run(pg, "check", manifest, "--policy", deep), 2,
           stderr_part="rules/T1.yaml:9:518: error: in condition: expression is nested more "
                       "than 250 levels deep")

    # A message template that would print 2^40 leaves.
    amplified = os.path.join(tmp, "amplified")
    write_pack(amplified, "  match:\n    - subject: source\n      condition: 'true'\n"
               "      reason: r\n      message: '{{" + doubling(40) + "}}'\n")
    result = run(pg, "check", manifest, "--policy", amplified, "--format", "json")
    expect("check --policy: an amplifying message", result, 1)
    if result is not None and result.returncode == 1:
        messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
        if messages != ["<error: value size limit exceeded: the result would hold more than "
                        "1000000 elements and bytes>"]:
            FAILURES.append(f"check --policy: an amplifying message: {messages!r}")

    # 2,000 variables, each using the one before: evaluations nested 2,000 deep (far beyond
    # the 400 levels allowed; a pack file holds at most 100,000 YAML nodes).
    chain = os.path.join(tmp, "chain")
    variables = "".join(f"    - name: v{i}\n      expression: \"{f'v{i - 1}' if i else 'true'}\"\n"
                        for i in range(2000))
    write_pack(chain, "  variables:\n" + variables + "  match:\n    - subject: source\n"
               "      condition: v1999\n      reason: r\n      message: m\n")
    result = run(pg, "check", manifest, "--policy", chain, "--format", "json")
    expect("check --policy: 2,000 chained variables", result, 1)
    if result is not None and result.returncode == 1:
        findings = json.loads(result.stdout)["findings"]
        if len(findings) != 1 or findings[0]["reason"] != "rule-error" or \
                "nested too deeply" not in findings[0]["message"]:
            FAILURES.append(f"check --policy: 2,000 chained variables: {findings!r}")

    # Ten variables of about 600,000 steps each: alone each is within the cost limit, but a
    # rule's condition and the variables it reads share one budget.
    heavy = os.path.join(tmp, "heavy")
    items = "[" + ",".join(str(i) for i in range(300)) + "]"
    variables = "".join(f"    - name: v{i}\n      expression: \"{items}.map(x, {items}.map(y, x + "
                        f"y + {i})).size() > 0\"\n" for i in range(10))
    write_pack(heavy, "  variables:\n" + variables + "  match:\n    - subject: source\n"
               "      condition: \"" + " && ".join(f"v{i}" for i in range(10)) + "\"\n"
               "      reason: r\n      message: m\n")
    one = os.path.join(tmp, "one-heavy")
    write_pack(one, "  variables:\n" + variables.split("    - name: v1")[0] +
               "  match:\n    - subject: source\n      condition: v0\n      reason: r\n"
               "      message: m\n")
    result = run(pg, "check", manifest, "--policy", one, "--format", "json")
    expect("check --policy: one variable within the budget", result, 1)
    if result is not None and result.returncode == 1:
        reasons = [f["reason"] for f in json.loads(result.stdout)["findings"]]
        if reasons != ["r"]:
            FAILURES.append(f"check --policy: one heavy variable: {reasons!r}")
    result = run(pg, "check", manifest, "--policy", heavy, "--format", "json")
    expect("check --policy: ten heavy variables", result, 1)
    if result is not None and result.returncode == 1:
        findings = json.loads(result.stdout)["findings"]
        if len(findings) != 1 or findings[0]["reason"] != "rule-error" or \
                "cost limit" not in findings[0]["message"]:
            FAILURES.append(f"check --policy: ten heavy variables share one budget: {findings!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    args = parser.parse_args()
    pg = os.path.abspath(args.provgate)
    expressions(pg)
    with tempfile.TemporaryDirectory() as tmp:
        bindings(pg, tmp)
        packs(pg, tmp)
    if FAILURES:
        print("\n".join(FAILURES))
        return 1
    print("expression limits ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
