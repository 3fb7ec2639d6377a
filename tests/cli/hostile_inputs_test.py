#!/usr/bin/env python3
"""provgate against inputs written to hurt it: YAML alias bombs, floods of waivers and keys,
repeated keys, ids of megabytes, side files that are FIFOs, devices, symlinks out of their
directory or one endless line, and dates that do not exist.

Every run is a child process with a bound on its address space (RLIMIT_AS) and a generous
timeout, so that a regression fails here instead of exhausting the machine or hanging the
suite. Inputs are generated at run time. Times are never asserted, except through the timeout.
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile

MEMORY = 1 << 30  # Address space of each run.
TIMEOUT = 60  # Seconds.
FAILURES = []


def run(pg, args, cwd, memory=MEMORY, timeout=TIMEOUT):
    """Runs provgate; returns the CompletedProcess, or None when it timed out."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        return subprocess.run([pg, *args], cwd=cwd, capture_output=True, timeout=timeout,
                              preexec_fn=limit, stdin=subprocess.DEVNULL,
                              env=dict(os.environ, NO_COLOR="1"))
    except subprocess.TimeoutExpired:
        return None


def expect(name, proc, exit_codes, stderr_has=(), stderr_lacks=(), max_stderr=1 << 16):
    if proc is None:
        FAILURES.append(f"{name}: no answer within {TIMEOUT} s")
        return
    if isinstance(exit_codes, int):
        exit_codes = (exit_codes,)
    stderr = proc.stderr.decode(errors="replace")
    if proc.returncode not in exit_codes:
        FAILURES.append(f"{name}: exit {proc.returncode}, expected {exit_codes}: {stderr[:500]}")
    for text in stderr_has:
        if text not in stderr:
            FAILURES.append(f"{name}: stderr lacks {text!r}: {stderr[:500]}")
    for text in stderr_lacks:
        if text in stderr:
            FAILURES.append(f"{name}: stderr has {text!r}: {stderr[:500]}")
    if len(proc.stderr) > max_stderr:
        FAILURES.append(f"{name}: {len(proc.stderr)} bytes of stderr")


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)
    return path


def manifest(sources, **extra):
    doc = {"manifest_version": "1",
           "model": {"id": "lab/m", "release": {"weights": "closed", "date": "2026-09-01"}},
           "sources": sources}
    doc.update(extra)
    return doc


def source(source_id, basis="first-party", kind="first-party"):
    return {"id": source_id, "kind": kind, "permission": {"basis": basis}}


def waiver(subject, **fields):
    entry = {"rule": "P1", "subject": subject, "reason": "accepted", "approver": "jane",
             "created": "2026-10-15", "expires": "2026-12-31"}
    entry.update(fields)
    return entry


def waiver_lines(entries):
    return "".join("- " + json.dumps(e) + "\n" for e in entries)


def yaml_aliases(pg, tmp, source_dir):
    """An alias stands for its whole anchor wherever it is used: 90 KB of text repeated by
    twenty thousand aliases is 2 GB from a 180 KB file."""
    pack = os.path.join(tmp, "pack")
    shutil.copytree(os.path.join(source_dir, "rules", "default"), pack)
    rule_file = os.path.join(pack, "rules", "P9.yaml")
    with open(rule_file) as f:
        lines = f.read().splitlines(keepends=True)
    # The rule's references become twenty thousand aliases of one text of 90 KB.
    start = next(i for i, line in enumerate(lines) if line.startswith("references:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    lines[start:end] = ["x-text: &t " + "t" * 90000 + "\n",
                        "references: [" + ", ".join(["*t"] * 20000) + "]\n"]
    write(rule_file, "".join(lines))
    assert os.path.getsize(rule_file) < 200000
    m = write(os.path.join(tmp, "m.json"), json.dumps(manifest([source("a")])))
    expect("rule pack alias bomb", run(pg, ["check", m, "--policy", pack], tmp), 2,
           ["P9.yaml:", "a YAML alias (*name)", "(at /references/0)"])

    text = "waivers:\n- " + json.dumps(waiver("s0", reason="r" * 1000000)).replace(
        '"reason": "r', '"reason": &r "r', 1) + "\n"
    text += waiver_lines(waiver(f"s{i}", reason="@") for i in range(1, 10000)).replace(
        '"reason": "@"', '"reason": *r')
    write(os.path.join(tmp, "alias.yaml"), text)
    expect("waivers alias bomb",
           run(pg, ["check", m, "--waivers", "alias.yaml", "--date", "2026-11-01"], tmp), 2,
           ["alias.yaml:3:", "a YAML alias (*name)", "(at /waivers/1/reason)"])


def yaml_lookahead(pg, tmp, source_dir):
    """yaml-cpp's scanner holds every token after a possible key it has not resolved, before
    the parser sees any: `[a, [a, [a, ...` of 4 MB took it 500 MB and seconds."""
    deep = "[a, " * 1000000
    m = write(os.path.join(tmp, "m.json"), json.dumps(manifest([source("a")])))
    write(os.path.join(tmp, "deep.yaml"), "waivers: []\nx: " + deep + "\n")
    expect("waivers file of nested flow sequences",
           run(pg, ["check", m, "--waivers", "deep.yaml"], tmp, memory=256 << 20), 2,
           ["deep.yaml:2:", "YAML indicators ([]{},:?- and others) read before a value is "
            "complete"])
    pack = os.path.join(tmp, "pack")
    shutil.copytree(os.path.join(source_dir, "rules", "default"), pack)
    with open(os.path.join(pack, "rules", "P9.yaml"), "a") as f:
        f.write("x-deep: " + deep[:4000000] + "\n")
    expect("rule file of nested flow sequences",
           run(pg, ["check", m, "--policy", pack], tmp, memory=256 << 20), 2,
           ["P9.yaml:", "YAML indicators ([]{},:?- and others) read before a value is "
            "complete"])


def waiver_floods(pg, tmp):
    m = write(os.path.join(tmp, "m.json"), json.dumps(manifest([source("a")])))
    allowed = waiver_lines(waiver(f"s{i}") for i in range(100000))
    write(os.path.join(tmp, "allowed.yaml"), "waivers:\n" + allowed)
    # The most waivers a file may hold load in far less memory than yaml-cpp's node tree took.
    expect("100000 waivers",
           run(pg, ["check", m, "--waivers", "allowed.yaml", "--date", "2026-11-01",
                    "--format", "json", "--output", "report.json"], tmp, memory=512 << 20),
           0, max_stderr=0)
    if os.path.exists(os.path.join(tmp, "report.json")):
        with open(os.path.join(tmp, "report.json")) as f:
            report = json.load(f)
        unused = [f for f in report["findings"] if f.get("reason") == "waiver-unused"]
        if len(unused) != 100000:
            FAILURES.append(f"100000 waivers: {len(unused)} reported unused")
    # The same in JSON: yaml-cpp would hold every token of a document that opens with '{'.
    write(os.path.join(tmp, "allowed.json"),
          json.dumps({"waivers": [waiver(f"s{i}") for i in range(100000)]}, indent=1))
    expect("100000 waivers in JSON",
           run(pg, ["check", m, "--waivers", "allowed.json", "--date", "2026-11-01",
                    "--format", "json", "--output", "report.json"], tmp, memory=256 << 20),
           0, max_stderr=0)
    write(os.path.join(tmp, "more.yaml"),
          "waivers:\n" + allowed + waiver_lines([waiver("one-more")]))
    expect("100001 waivers", run(pg, ["check", m, "--waivers", "more.yaml"], tmp), 2,
           ["more.yaml:100002:", "more than 100000 waivers", "(at /waivers/100000)"])
    with open(os.path.join(tmp, "million.yaml"), "w") as f:
        f.write("waivers:\n")
        for chunk in range(10):
            f.write(waiver_lines(waiver(f"s{chunk}-{i}") for i in range(100000)))
    expect("a million waivers", run(pg, ["check", m, "--waivers", "million.yaml"], tmp), 2,
           ["million.yaml: error: cannot open the waivers file: larger than 16 MiB"])


def repeated_keys(pg, tmp, source_dir):
    text = json.dumps(manifest([source("a")]))[:-1] + ', "x-meta": {"owner": "a", "owner": "b"}}'
    write(os.path.join(tmp, "dup", "m.json"), text)
    column = text.index('"owner": "b"') + 1
    expect("repeated key in an extension", run(pg, ["validate", "m.json"], os.path.join(tmp, "dup")),
           2, [f"m.json:1:{column}: error: duplicate key 'owner' (at /x-meta/owner)"])

    side = json.dumps(source("a")) + "\n" + json.dumps(source("b"))[:-1] + \
        ', "x-t": [{"v": 1, "v": 2}]}\n'
    write(os.path.join(tmp, "dup", "s.jsonl"), side)
    write(os.path.join(tmp, "dup", "j.json"), json.dumps(manifest({"jsonl": "s.jsonl"})))
    expect("repeated key in a JSONL line", run(pg, ["validate", "j.json"], os.path.join(tmp, "dup")),
           2, ["s.jsonl:2:", "duplicate key 'v' (at /sources/1/x-t/0/v)"])

    pack = os.path.join(tmp, "dup-pack")
    shutil.copytree(os.path.join(source_dir, "rules", "default"), pack)
    with open(os.path.join(pack, "rules", "P9.yaml"), "a") as f:
        f.write("severity: info\n")
    expect("repeated key in a rule file",
           run(pg, ["check", os.path.join(tmp, "dup", "m.json"), "--policy", pack], tmp), 2,
           ["P9.yaml:", "duplicate key 'severity'", "(at /severity)"])

    write(os.path.join(tmp, "dup", "w.json"),
          '{"waivers": [{"rule": "P1", "subject": "a", "subject": "b", "reason": "r", '
          '"approver": "j", "created": "2026-01-01", "expires": "2026-12-31"}]}')
    expect("repeated key in a waivers file",
           run(pg, ["check", "m.json", "--waivers", "w.json"], os.path.join(tmp, "dup")), 2,
           ["w.json:1:", "duplicate key 'subject'", "(at /waivers/0/subject)"])


def large_values(pg, tmp):
    """An id of 64 MiB was copied into every message and finding about it."""
    write(os.path.join(tmp, "long.json"), json.dumps(manifest([source("i" * (64 << 20))])))
    expect("an id of 64 MiB", run(pg, ["check", "long.json", "--format", "json"], tmp), 2,
           ["expected at most 512 characters, got 67108864 (at /sources/0/id)"], max_stderr=1000)

    keys = ", ".join(f'"x-{i}": 0' for i in range(300000))
    write(os.path.join(tmp, "keys.json"),
          json.dumps(manifest([source("a")]))[:-1] + ", " + keys + "}")
    expect("300000 extension keys", run(pg, ["validate", "keys.json"], tmp), 0)

    unknown = ", ".join(f'"k{i}": 0' for i in range(300000))
    write(os.path.join(tmp, "unknown.json"), json.dumps(manifest([source("a")])).replace(
        '"first-party"}}]', '"first-party"}, ' + unknown + "}]"))
    expect("300000 unknown keys", run(pg, ["validate", "unknown.json"], tmp), 2,
           ["unknown field 'k0'", "too many errors"])

    huge_key = "x-" + "k" * (1 << 20)
    dups = ", ".join('"d": 0' for _ in range(300))
    write(os.path.join(tmp, "hugekey.json"),
          json.dumps(manifest([source("a")]))[:-1] + f', "{huge_key}": {{{dups}}}}}')
    expect("repeated keys under a key of 1 MiB", run(pg, ["validate", "hugekey.json"], tmp), 2,
           ["duplicate key 'd'", ".../d)"], max_stderr=200 * 600)

    write(os.path.join(tmp, "number.json"),
          json.dumps(manifest([source("a")]))[:-1] + ', "x-n": 1e400}')
    expect("1e400", run(pg, ["validate", "number.json"], tmp), 2,
           ["number 1e400 is out of range"], ["malformed"])

    write(os.path.join(tmp, "bom.json"), "\ufeff" + json.dumps(manifest([source("a")])))
    expect("byte order mark", run(pg, ["validate", "bom.json"], tmp), 2,
           ["bom.json:1:1: error: the JSON text starts with a UTF-8 byte order mark"],
           ["simdjson", "scalar"])


def side_files(pg, tmp):
    base = os.path.join(tmp, "side", "model")
    os.makedirs(base)
    write(os.path.join(base, "m.json"), json.dumps(manifest({"jsonl": "s.jsonl"})))
    link = os.path.join(base, "s.jsonl")

    def case(name, *expected):
        expect(name, run(pg, ["validate", "m.json"], base), 2, expected)
        if os.path.lexists(link):
            os.remove(link)

    os.symlink("/dev/zero", link)
    case("side file symlinked to /dev/zero", "cannot open the JSONL side file: leaves the directory")
    write(os.path.join(tmp, "side", "secret.jsonl"), json.dumps(source("secret")) + "\n")
    os.symlink("../secret.jsonl", link)
    case("side file symlinked out of the directory", "leaves the directory")
    os.mkfifo(link)
    case("side file that is a FIFO", "not a regular file (a FIFO)")
    # A sparse file of 2 GiB without a newline: one endless line.
    with open(link, "wb") as f:
        f.truncate(2 << 30)
    case("side file of one endless line", "s.jsonl:1:1: error: the line is longer than 16 MiB",
         "(at /sources/0)")
    write(link, b"\xff\n" * 500000, "wb")
    proc = run(pg, ["validate", "m.json"], base)
    expect("side file of 500000 invalid lines", proc, 2, ["invalid UTF-8", "too many errors"],
           max_stderr=200 * 200)


def waiver_files(pg, tmp):
    m = write(os.path.join(tmp, "wf", "m.json"), json.dumps(manifest([source("a")])))
    fifo = os.path.join(tmp, "wf", "fifo.yaml")
    os.mkfifo(fifo)
    expect("waivers file that is a FIFO", run(pg, ["check", m, "--waivers", fifo], tmp), 2,
           ["cannot open the waivers file: not a regular file (a FIFO)"])
    zero = os.path.join(tmp, "wf", "zero.yaml")
    os.symlink("/dev/zero", zero)
    expect("waivers file that is /dev/zero", run(pg, ["check", m, "--waivers", zero], tmp), 2,
           ["cannot open the waivers file: not a regular file (a character device)"])


def pack_files(pg, tmp, source_dir):
    pack = os.path.join(tmp, "escaping-pack")
    shutil.copytree(os.path.join(source_dir, "rules", "default"), pack)
    outside = write(os.path.join(tmp, "outside", "P9.yaml"),
                    open(os.path.join(pack, "rules", "P9.yaml")).read())
    os.remove(os.path.join(pack, "rules", "P9.yaml"))
    os.symlink(outside, os.path.join(pack, "rules", "P9.yaml"))
    m = write(os.path.join(tmp, "pm", "m.json"), json.dumps(manifest([source("a")])))
    expect("rule file symlinked out of the pack", run(pg, ["check", m, "--policy", pack], tmp), 2,
           ["rules/P9.yaml: error: a symlink that leaves the rule pack directory"])
    os.remove(os.path.join(pack, "rules", "P9.yaml"))
    shutil.copy(outside, os.path.join(pack, "rules", "P9.yaml"))
    os.mkfifo(os.path.join(pack, "rules", "notes.fifo"))
    expect("a FIFO in the pack", run(pg, ["check", m, "--policy", pack], tmp), 0)


def dates(pg, tmp):
    d = os.path.join(tmp, "dates")
    m = write(os.path.join(d, "m.json"),
              json.dumps(manifest([source("a"), source("shadow", "none", "books")])))
    expect("--date 2026-02-30", run(pg, ["check", m, "--date", "2026-02-30"], d), 2,
           ["--date: takes a calendar date YYYY-MM-DD, not '2026-02-30'"])
    write(os.path.join(d, "w.yaml"), "waivers:\n" + waiver_lines([waiver("shadow")]))
    # Created on 2026-10-15: not in force on the day before, in force from that day.
    before = run(pg, ["check", m, "--waivers", "w.yaml", "--date", "2026-10-14",
                      "--format", "json"], d)
    expect("waiver before its created date", before, 1)
    if before is not None and before.returncode == 1:
        report = json.loads(before.stdout)
        waived = [f for f in report["findings"] if f.get("waived")]
        about_waivers = [f for f in report["findings"] if f["rule"] == "waiver"]
        if waived or about_waivers:
            FAILURES.append(f"waiver before its created date: {waived + about_waivers}")
    expect("waiver on its created date",
           run(pg, ["check", m, "--waivers", "w.yaml", "--date", "2026-10-15"], d), 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    pg = os.path.abspath(args.provgate)
    with tempfile.TemporaryDirectory() as tmp:
        for name in "abcdefghi":
            os.makedirs(os.path.join(tmp, name))
        for test in (lambda: yaml_aliases(pg, os.path.join(tmp, "a"), args.source),
                     lambda: waiver_floods(pg, os.path.join(tmp, "b")),
                     lambda: repeated_keys(pg, os.path.join(tmp, "c"), args.source),
                     lambda: large_values(pg, os.path.join(tmp, "d")),
                     lambda: side_files(pg, os.path.join(tmp, "e")),
                     lambda: waiver_files(pg, os.path.join(tmp, "f")),
                     lambda: pack_files(pg, os.path.join(tmp, "g"), args.source),
                     lambda: dates(pg, os.path.join(tmp, "h")),
                     lambda: yaml_lookahead(pg, os.path.join(tmp, "i"), args.source)):
            test()
    if FAILURES:
        print(f"{len(FAILURES)} failures:")
        print("\n".join(FAILURES))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
