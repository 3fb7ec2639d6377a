#!/usr/bin/env python3
"""Files a pull request controls, and outputs a careless user names: provgate never destroys a
device, a symlink or an input, never hashes a file outside the manifest's directory, never
blocks on a FIFO or reads a device forever, and leaves no temporary file behind when SIGTERM or
SIGINT ends a write."""
import argparse
import glob
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)


def run(provgate, *args, cwd=None, timeout=60):
    try:
        return subprocess.run([provgate, *args], capture_output=True, cwd=cwd, timeout=timeout,
                              env=dict(os.environ, NO_COLOR="1"))
    except subprocess.TimeoutExpired:
        FAILURES.append(f"provgate {' '.join(args)}: still running after {timeout} s (it blocks)")
        return None


def write_manifest(path, sources, weights="closed", extra=None):
    manifest = {"manifest_version": "1",
                "model": {"id": "lab/hostile", "release": {"weights": weights,
                                                           "deployment": "commercial",
                                                           "date": "2026-09-01"}},
                "sources": sources}
    manifest.update(extra or {})
    with open(path, "w") as f:
        json.dump(manifest, f, indent=1)


def permitted(source_id, **more):
    source = {"id": source_id, "kind": "web-crawl", "license": "CC0-1.0",
              "permission": {"basis": "public-domain"}}
    source.update(more)
    return source


def outputs(pg, tmp):
    manifest = os.path.join(tmp, "m.json")
    write_manifest(manifest, [permitted("a")])
    original = open(manifest, "rb").read()

    # A symlink to /dev/null (the shape of `--output /dev/null`): written through, never
    # replaced. With root, a character device of our own stands in for /dev/null itself.
    link = os.path.join(tmp, "null-link")
    os.symlink("/dev/null", link)
    r = run(pg, "check", manifest, "--format", "json", "--output", link)
    check(r and r.returncode == 0, f"--output symlink to /dev/null: {r and r.returncode} "
                                   f"{r and r.stderr}")
    check(os.path.islink(link) and os.readlink(link) == "/dev/null",
          "--output symlink to /dev/null: the symlink was replaced")
    check(stat.S_ISCHR(os.stat("/dev/null").st_mode), "/dev/null is no longer a device")
    if os.geteuid() == 0:
        device = os.path.join(tmp, "null-device")
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        r = run(pg, "check", manifest, "--format", "json", "--output", device)
        check(r and r.returncode == 0, f"--output device: {r and r.returncode} {r and r.stderr}")
        check(stat.S_ISCHR(os.lstat(device).st_mode),
              "--output onto a character device replaced it with a regular file")
        check(not glob.glob(os.path.join(tmp, ".provgate-*")), "a temporary file was left")
    else:
        print("note: not root, the character-device case runs through a symlink only")

    # /dev/full: the write fails, exit 3, and the symlink stays.
    full = os.path.join(tmp, "full-link")
    os.symlink("/dev/full", full)
    r = run(pg, "check", manifest, "--format", "json", "--output", full)
    check(r and r.returncode == 3 and b"No space left" in r.stderr,
          f"--output /dev/full: {r and r.returncode} {r and r.stderr}")
    check(os.path.islink(full), "--output symlink to /dev/full was replaced")

    # A FIFO is written to directly: the reader gets the report and the FIFO stays a FIFO.
    fifo = os.path.join(tmp, "out.fifo")
    os.mkfifo(fifo)
    received = {}

    def read_fifo():
        with open(fifo, "rb") as f:
            received["bytes"] = f.read()

    reader = threading.Thread(target=read_fifo, daemon=True)
    reader.start()
    r = run(pg, "check", manifest, "--format", "json", "--output", fifo)
    reader.join(timeout=10)
    if reader.is_alive() and stat.S_ISFIFO(os.lstat(fifo).st_mode):
        with open(fifo, "wb"):  # Nothing was written to the FIFO: release the reader.
            pass
    check(r and r.returncode == 0 and b'"verdict"' in received.get("bytes", b""),
          f"--output FIFO: {r and r.returncode} {received.get('bytes', b'')[:80]!r}")
    check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "--output FIFO was replaced")

    # The manifest itself, its side file, and one file named for two outputs are refused
    # before anything is written.
    r = run(pg, "check", manifest, "--output", manifest)
    check(r and r.returncode == 2 and b"same file as an input" in r.stderr,
          f"--output MANIFEST: {r and r.returncode} {r and r.stderr}")
    check(open(manifest, "rb").read() == original, "--output MANIFEST replaced the manifest")
    alias = os.path.join(tmp, "alias.json")
    os.symlink("m.json", alias)
    r = run(pg, "check", manifest, "--output", alias)
    check(r and r.returncode == 2, f"--output symlink to the manifest: {r and r.returncode}")
    check(open(manifest, "rb").read() == original, "the manifest was replaced through a link")
    jsonl_dir = os.path.join(tmp, "jsonl")
    os.mkdir(jsonl_dir)
    with open(os.path.join(jsonl_dir, "sources.jsonl"), "w") as f:
        f.write(json.dumps(permitted("a")) + "\n")
    jsonl_manifest = os.path.join(jsonl_dir, "m.json")
    write_manifest(jsonl_manifest, {"jsonl": "sources.jsonl"})
    side = os.path.join(jsonl_dir, "sources.jsonl")
    side_bytes = open(side, "rb").read()
    r = run(pg, "check", jsonl_manifest, "--output", side)
    check(r and r.returncode == 2, f"--output SIDE-FILE: {r and r.returncode} {r and r.stderr}")
    check(open(side, "rb").read() == side_bytes, "--output replaced the JSONL side file")
    key_prefix = os.path.join(tmp, "key")
    r = run(pg, "keygen", "--out", key_prefix)
    check(r and r.returncode == 0, f"keygen: {r and r.stderr}")
    both = os.path.join(tmp, "both.json")
    r = run(pg, "check", manifest, "--sign", key_prefix + ".key", "--bundle", both,
            "--output", both)
    check(r and r.returncode == 2 and b"two outputs" in r.stderr,
          f"--bundle X --output X: {r and r.returncode} {r and r.stderr}")
    check(not os.path.exists(both), "--bundle X --output X wrote X")
    key_bytes = open(key_prefix + ".key", "rb").read()
    r = run(pg, "check", manifest, "--sign", key_prefix + ".key", "--output", key_prefix + ".key")
    check(r and r.returncode == 2, f"--output onto the --sign key: {r and r.returncode}")
    check(open(key_prefix + ".key", "rb").read() == key_bytes, "--output replaced the key")
    for command in ("notice", "graph"):
        r = run(pg, command, manifest, "--output", manifest)
        check(r and r.returncode == 2 and b"same file as an input" in r.stderr,
              f"{command} --output MANIFEST: {r and r.returncode} {r and r.stderr}")
        check(open(manifest, "rb").read() == original, f"{command} replaced the manifest")
    r = run(pg, "diff", manifest, manifest, "--output", manifest)
    check(r and r.returncode == 2, f"diff --output MANIFEST: {r and r.returncode}")
    check(open(manifest, "rb").read() == original, "diff replaced the manifest")
    r = run(pg, "check", manifest, "--output", tmp)
    check(r and r.returncode == 2 and b"directory" in r.stderr,
          f"--output DIRECTORY: {r and r.returncode} {r and r.stderr}")

    # A regular file is replaced atomically, and a symlink to one keeps pointing at it.
    target = os.path.join(tmp, "report.json")
    with open(target, "w") as f:
        f.write("old")
    os.chmod(target, 0o640)
    link_to_report = os.path.join(tmp, "report-link.json")
    os.symlink("report.json", link_to_report)
    r = run(pg, "check", manifest, "--format", "json", "--output", link_to_report)
    check(r and r.returncode == 0, f"--output symlink to a file: {r and r.stderr}")
    check(os.path.islink(link_to_report), "--output replaced a symlink to a regular file")
    check(b'"verdict"' in open(target, "rb").read(), "the symlink's target holds no report")
    check(stat.S_IMODE(os.stat(target).st_mode) == 0o640, "the replaced file lost its mode")

    # A name of NAME_MAX bytes: the temporary file's name must not be longer than allowed.
    long_name = os.path.join(tmp, "r" * 250 + ".json")
    r = run(pg, "check", manifest, "--format", "json", "--output", long_name)
    check(r and r.returncode == 0 and os.path.exists(long_name),
          f"--output with a 255-byte name: {r and r.returncode} {r and r.stderr}")


def verify_files(pg, tmp):
    repo = os.path.join(tmp, "repo")
    outside = os.path.join(tmp, "outside")
    os.makedirs(os.path.join(repo, "data"))
    os.makedirs(outside)
    secret = b"a file on the CI runner\n"
    with open(os.path.join(outside, "secret"), "wb") as f:
        f.write(secret)
    secret_digest = hashlib.sha256(secret).hexdigest()
    os.symlink("../../outside/secret", os.path.join(repo, "data", "leak"))
    os.symlink(os.path.join(outside, "secret"), os.path.join(repo, "data", "leak-absolute"))
    os.symlink(outside, os.path.join(repo, "data", "outside-dir"))
    os.symlink("/dev/zero", os.path.join(repo, "data", "zero"))
    os.mkfifo(os.path.join(repo, "data", "fifo"))
    inside = b"inside\n"
    with open(os.path.join(repo, "data", "inside"), "wb") as f:
        f.write(inside)
    paths = ["data/leak", "data/leak-absolute", "data/outside-dir/secret", "data/zero",
             "data/fifo"]
    sources = [permitted(f"s{i}", files=[{"path": p, "sha256": "0" * 64}])
               for i, p in enumerate(paths)]
    sources.append(permitted("ok", files=[{"path": "data/inside",
                                           "sha256": hashlib.sha256(inside).hexdigest()}]))
    sources.append(permitted("contract", license=None, permission={
        "basis": "contract", "evidence": [{"uri": "data/leak", "sha256": "0" * 64}],
        "grants": {"training": True, "commercial": True, "closed_weights": True}}))
    del sources[-1]["license"]
    manifest = os.path.join(repo, "m.json")
    write_manifest(manifest, sources)
    r = run(pg, "check", manifest, "--verify-files", "--format", "json", timeout=60)
    if r is None:
        return
    text = r.stdout.decode("utf-8", "replace")
    check(secret_digest not in text and secret_digest not in r.stderr.decode(),
          "--verify-files printed the digest of a file outside the manifest's directory")
    try:
        report = json.loads(text)
    except ValueError:
        FAILURES.append(f"--verify-files: no JSON report: {r.returncode} {r.stderr[:300]}")
        return
    files = report["summary"]["files"]
    check(files["verified"] == 1 and files["failed"] == len(paths) + 1,
          f"--verify-files on hostile paths: {files}")
    statuses = {}
    for finding in report["findings"]:
        if finding.get("reason") == "file-not-verified":
            statuses[finding["subject"]] = finding["message"]
    for path in paths[:4]:
        check("outside the manifest's directory" in statuses.get(path, ""),
              f"--verify-files {path}: {statuses.get(path)}")
    for path in paths[4:]:
        check("not a regular file" in statuses.get(path, ""),
              f"--verify-files {path}: {statuses.get(path)}")


def lineage(pg, tmp):
    """Upstream manifests and signed reports must lie beneath the repository's root (the
    nearest directory with .git or .provgate.yaml): a manifest cannot make the check read, and
    quote in its report, a file elsewhere on the machine."""
    repo = os.path.join(tmp, "repo")
    outside = os.path.join(tmp, "outside")
    os.makedirs(os.path.join(repo, "models", "teacher"))
    os.makedirs(os.path.join(repo, "models", "student"))
    os.makedirs(outside)
    with open(os.path.join(repo, ".provgate.yaml"), "w") as f:
        f.write("manifests: ['models/*/manifest.json']\n")
    outside_manifest = os.path.join(outside, "manifest.json")
    write_manifest(outside_manifest, [permitted("x")], weights="open")
    with open(outside_manifest) as f:
        data = json.load(f)
    data["model"]["id"] = "lab/secret-model-outside"
    data["model"]["release"]["license"] = "Apache-2.0"
    with open(outside_manifest, "w") as f:
        json.dump(data, f)
    teacher = os.path.join(repo, "models", "teacher", "manifest.json")
    write_manifest(teacher, [permitted("t")], weights="open")
    with open(teacher) as f:
        data = json.load(f)
    data["model"]["id"] = "lab/teacher"
    data["model"]["release"]["license"] = "Apache-2.0"
    with open(teacher, "w") as f:
        json.dump(data, f)
    os.symlink("../../outside/manifest.json", os.path.join(repo, "models", "link.json"))
    os.mkfifo(os.path.join(repo, "models", "fifo.json"))
    entries = [("lab/teacher", "../teacher/manifest.json"),
               ("lab/outside", "../../../outside/manifest.json"),
               ("lab/linked", "../link.json"),
               ("lab/fifo", "../fifo.json"),
               ("lab/missing", "../nowhere/manifest.json")]
    student = os.path.join(repo, "models", "student", "manifest.json")
    write_manifest(student, [permitted("s")], extra=None)
    with open(student) as f:
        data = json.load(f)
    data["model"]["lineage"] = [{"model": m, "relation": "distillation", "manifest": p}
                                for m, p in entries]
    with open(student, "w") as f:
        json.dump(data, f)
    r = run(pg, "check", "models/student/manifest.json", "--format", "json", cwd=repo,
            timeout=30)
    if r is None:
        return
    try:
        report = json.loads(r.stdout)
    except ValueError:
        FAILURES.append(f"lineage: no report: {r.returncode} {r.stderr[:300]}")
        return
    messages = {f["subject"]: f["message"] for f in report["findings"] if f["rule"] == "P2"}
    check("lab/teacher" not in messages, f"lineage inside the repository: {messages}")
    check("does not exist" in messages.get("lab/missing", ""),
          f"a missing upstream manifest inside the repository: {messages.get('lab/missing')}")
    for model in ("lab/outside", "lab/linked"):
        check("outside the directory that confines lineage" in messages.get(model, ""),
              f"lineage {model}: {messages.get(model)}")
    check("not a regular file" in messages.get("lab/fifo", ""),
          f"lineage FIFO: {messages.get('lab/fifo')}")
    check("secret-model-outside" not in r.stdout.decode() and tmp not in r.stdout.decode(),
          "the report quotes the manifest outside the repository, or an absolute path")
    # --root widens the confinement explicitly.
    r = run(pg, "check", student, "--format", "json", "--root", tmp, timeout=30)
    check(r is not None and b"lab/secret-model-outside" in r.stdout and b"confines" not in
          r.stdout.replace(b"lab/fifo", b""),
          f"--root: the manifest beneath it was not read: {r and r.stderr}")


def blocking_inputs(pg, tmp):
    fifo = os.path.join(tmp, "manifest.fifo")
    os.mkfifo(fifo)
    r = run(pg, "check", fifo, "--format", "json", timeout=20)
    check(r is not None and r.returncode == 2 and b"FIFO" in r.stderr,
          f"a FIFO as manifest: {r and r.returncode} {r and r.stderr}")
    r = run(pg, "check", "/dev/zero", "--format", "json", timeout=20)
    check(r is not None and r.returncode == 2, f"/dev/zero as manifest: {r and r.returncode}")


def interrupted(pg, tmp, bench_dir):
    """SIGTERM and SIGINT while a report of tens of megabytes is written: the process ends by
    the signal, and no temporary file is left beside the output."""
    manifest = os.path.join(tmp, "big.json")
    sources = [{"id": f"source-{i:07d}", "kind": "web-crawl",
                "permission": {"basis": "none"}, "uri": f"https://example.org/{i}"}
               for i in range(150000)]
    write_manifest(manifest, sources)
    out_dir = os.path.join(tmp, "out")
    os.mkdir(out_dir)
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        caught = False
        for attempt in range(5):
            target = os.path.join(out_dir, "report.json")
            process = subprocess.Popen([pg, "check", manifest, "--format", "json", "--output",
                                        target], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 60
            while process.poll() is None and time.monotonic() < deadline:
                if glob.glob(os.path.join(out_dir, ".provgate-*")):
                    process.send_signal(signal_number)
                    caught = True
                    break
                time.sleep(0.0005)
            code = process.wait(timeout=60)
            if caught:
                check(code == -signal_number,
                      f"{signal_number.name} during a write: exit {code}, not the signal")
                left = glob.glob(os.path.join(out_dir, ".provgate-*"))
                check(not left, f"{signal_number.name} during a write left {left}")
                break
        check(caught, f"{signal_number.name}: the write never started after 5 attempts")

    # The directory a git:REV:PATH baseline is extracted into goes too.
    if not shutil.which("git"):
        print("note: git is not installed, the baseline case did not run")
        return
    repo = os.path.join(tmp, "repo")
    os.mkdir(repo)
    os.replace(manifest, os.path.join(repo, "big.json"))
    git = ["git", "-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "big.json"], check=True)
    subprocess.run(git + ["commit", "-qm", "m"], check=True)
    scratch = os.path.join(tmp, "scratch")
    os.mkdir(scratch)
    caught = False
    for attempt in range(5):
        process = subprocess.Popen([pg, "check", "big.json", "--format", "json", "--baseline",
                                    "git:HEAD:big.json"], cwd=repo, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=dict(os.environ, TMPDIR=scratch))
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            if glob.glob(os.path.join(scratch, "provgate-git-*")):
                process.send_signal(signal.SIGTERM)
                caught = True
                break
            time.sleep(0.0005)
        code = process.wait(timeout=60)
        if caught:
            check(code == -signal.SIGTERM, f"SIGTERM during a git baseline: exit {code}")
            left = os.listdir(scratch)
            check(not left, f"SIGTERM during a git baseline left {left}")
            break
    check(caught, "the git baseline's directory never appeared after 5 attempts")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    args = parser.parse_args()
    args.provgate = os.path.abspath(args.provgate)
    with tempfile.TemporaryDirectory() as tmp:
        for name, test in [("outputs", outputs), ("verify_files", verify_files),
                           ("blocking_inputs", blocking_inputs),
                           ("lineage", lineage)]:
            os.mkdir(os.path.join(tmp, name))
            test(args.provgate, os.path.join(tmp, name))
        os.mkdir(os.path.join(tmp, "interrupted"))
        interrupted(args.provgate, os.path.join(tmp, "interrupted"), None)
    for failure in FAILURES:
        print("FAIL:", failure)
    if FAILURES:
        sys.exit(1)
    print("hostile files: all passed")


if __name__ == "__main__":
    main()
