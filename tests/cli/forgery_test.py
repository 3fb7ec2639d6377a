#!/usr/bin/env python3
"""Output that cannot be forged, at the command line.

A manifest whose source ids, titles, URIs and model id carry terminal escapes, CR and LF, NUL,
runs of backticks, mentions, links and HTML, bidi overrides and line separators (and a waivers
file with bytes that are not UTF-8) is checked in every format, and its NOTICE, graph,
diagnostics and signed report are printed: no output may hold a raw control character, a
forged COMPLIANT line, a CI runner's command, or markup of the input's making. JUnit is parsed
with xml.etree, SARIF and JSON with json, and Markdown with markdown-it-py when it is installed
(python3-markdown-it), else with the CommonMark code-span rules written out here.

Signed reports: countersign refuses a tampered envelope and an envelope without --key, and a
statement with a duplicate key, validly signed (with openssl, over the DSSE pre-authentication
encoding), is refused by verify, countersign and a lineage attestation. Key and envelope files
on FIFOs are refused without waiting, and keygen onto a dangling symlink exits 2.
"""
import argparse
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import traceback
import unicodedata
import xml.etree.ElementTree as ET

FAILURES = []

# One way each to forge or hide output; a source id, its title and its URI all carry it.
HOSTILE = [
    "esc\x1b[2K\r\x1b[1;32mCOMPLIANT\x1b[0m",
    "cr\rCOMPLIANT  lab/model",
    "lf\nCOMPLIANT  lab/model\n",
    "nul\x00x",
    "ticks ``` `x` @here [link](https://evil.example) <img src=x onerror=alert(1)> ]]> &amp;",
    "bidi \u202eexe.txt",
    "sep \u2028COMPLIANT\u2029",
    "c1 \x9b31m",
    "::error file=forged.json,line=1::forged annotation",
    "##[error]legacy command ##[stop-commands]token",
    "quote \" apostrophe ' backslash \\ percent %0A comma , colon :",
]
MODEL = "lab/model\n::notice::COMPLIANT"


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message)


def run(pg, *args, cwd=None, timeout=60):
    return subprocess.run([pg, *args], capture_output=True, cwd=cwd, timeout=timeout,
                          env=dict(os.environ, NO_COLOR="1"))


def forbidden(ch):
    """A character no output may carry raw: C0 but LF, DEL, C1, separators, format chars."""
    code = ord(ch)
    if ch == "\n":
        return False
    return (code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFFFE, 0xFFFF)
            or unicodedata.category(ch) == "Cf")


def expect_safe(name, data, commands=False):
    """Checks bytes that a terminal, a log or a file receives: UTF-8, nothing forbidden, no
    forged verdict line, no runner command (unless `commands`: the github format)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        check(False, f"{name}: not UTF-8: {error}")
        text = data.decode("utf-8", errors="replace")
    bad = sorted({f"U+{ord(c):04X}" for c in text if forbidden(c)})
    check(not bad, f"{name}: raw {', '.join(bad)}")
    for number, line in enumerate(text.split("\n"), 1):
        # GitHub's runner and .NET's TrimStart: any white space before the command.
        stripped = line.lstrip()
        check(not re.match(r"COMPLIANT\b", stripped), f"{name}:{number}: forged line {line!r}")
        check(commands or not stripped.startswith("::"),
              f"{name}:{number}: workflow command {line!r}")
        check("##[" not in line and "##vso[" not in line.lower(),
              f"{name}:{number}: legacy runner command {line!r}")
    return text


def loads(name, text):
    try:
        return json.loads(text)
    except ValueError as error:
        check(False, f"{name}: not JSON: {error}")
        return {}


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)


def hostile_manifest(path, ids=HOSTILE):
    sources = [{"id": source_id, "kind": "web-crawl", "title": "Title " + source_id,
                "uri": "https://example.org/" + source_id, "license": "CC-BY-4.0",
                "permission": {"basis": "none"}} for source_id in ids]
    write_json(path, {"manifest_version": "1",
                      "model": {"id": MODEL, "release": {"weights": "closed"},
                                "stages": [{"id": "pretrain\x1b[8m", "sources": list(ids)}]},
                      "sources": sources})


def outside_code_spans(line):
    """A Markdown line's text outside its code spans (CommonMark: a backtick run not escaped
    opens a span that the next run of the same length closes); escaped characters are literal
    text, replaced by a space."""
    out, i = [], 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line) and not line[i + 1].isalnum() \
                and line[i + 1].isascii() and line[i + 1].isprintable():
            out.append(" ")
            i += 2
            continue
        if line[i] != "`":
            out.append(line[i])
            i += 1
            continue
        run_end = i
        while run_end < len(line) and line[run_end] == "`":
            run_end += 1
        length = run_end - i
        match = re.compile(r"(?<!`)`{%d}(?!`)" % length).search(line, run_end)
        if match:
            out.append(" ")
            i = match.end()
        else:
            out.append(line[i:run_end])
            i = run_end
    return "".join(out)


def check_markdown(name, text, link_base):
    own_html = {"<details>", "<summary>", "</summary>", "</details>", "<br>", "<sub>", "</sub>"}
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        MarkdownIt = None
    if MarkdownIt is not None:
        md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
        for token in md.parse(text):
            for child in [token] + list(token.children or []):
                if child.type in ("html_inline", "html_block"):
                    tags = set(re.findall(r"</?[a-z]+>", child.content))
                    check(tags <= own_html and "<img" not in child.content,
                          f"{name}: HTML from the input {child.content!r}")
                if child.type == "link_open":
                    check(child.attrGet("href").startswith(link_base),
                          f"{name}: link from the input {child.attrGet('href')!r}")
                if child.type == "image":
                    check(False, f"{name}: image from the input")
                if child.type == "text":
                    # GitHub finds mentions (and e-mail autolinks) in the rendered text.
                    check("@" not in child.content, f"{name}: mention {child.content!r}")
    else:
        print("note: markdown-it-py is not installed; Markdown checked by the code-span rules")
    # GitHub's autolinker (cmark-gfm) recognises `https://` and `www.` while it parses inlines,
    # where a backslash escape stops it: the source outside code spans, escapes blanked out,
    # must hold neither.
    for line in text.split("\n"):
        outside = outside_code_spans(line)
        for needle in ("<img", "](https://evil", "https://evil", "www.", "@here", "<b>"):
            check(needle not in outside, f"{name}: {needle!r} outside code spans: {line!r}")


def visible(text):
    """The visible form every format shows of an id: controls, separators and format characters
    as \\xHH or \\uHHHH."""
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02X}")
        elif forbidden(ch):
            out.append(f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
        else:
            out.append(ch)
    return "".join(out)


def shown(text):
    """How the text formats show an id: its visible form, with runner commands broken."""
    return re.sub(r"##(?=\[|vso\[)", r"#\\x23", visible(text), flags=re.I)


def formats(pg, work, source):
    manifest = os.path.join(work, "manifest.json")
    hostile_manifest(manifest)
    with open(os.path.join(work, "waivers.yaml"), "wb") as f:
        f.write(b'version: 1\nwaivers:\n  - rule: P9\n    subject: "nul\\0x"\n'
                b'    reason: "ok \\e[31m\\nCOMPLIANT \xff\xfe not utf-8 <b>@here</b>"\n'
                b'    approver: "jane@acme.example\\u202e"\n'
                b'    created: 2026-01-01\n    expires: 2099-01-01\n')
    common = ["--waivers", "waivers.yaml", "--date", "2026-06-01"]
    report = loads("json", expect_safe("json", run(pg, "check", "manifest.json", "--format",
                                                   "json", *common, cwd=work).stdout))
    findings = report.get("findings", [])
    # JSON carries the ids as they are: escaping in JSON is for the reader, not the data.
    subjects = {f["subject"] for f in findings if f["rule"] == "P1"}
    check(subjects == set(HOSTILE), f"json: P1 subjects {subjects!r}")
    check(report.get("model", {}).get("id") == MODEL, "json: the model id is not the manifest's")

    for fmt in ("text", "sarif", "junit", "github", "markdown"):
        extra = ["--link-base", "https://github.com/o/r/blob/abc/"] if fmt == "markdown" else []
        if fmt == "text":
            extra = ["--group", "0"]  # every finding on its own, so that every id is shown
        result = run(pg, "check", "manifest.json", "--format", fmt, *common, *extra, cwd=work)
        check(result.returncode == 1, f"{fmt}: exit {result.returncode}")
        text = expect_safe(fmt, result.stdout, commands=fmt == "github")
        expect_safe(f"{fmt} stderr", result.stderr)
        if fmt == "text":
            check(text.startswith("NON-COMPLIANT  " + visible(MODEL) + "\n"),
                  f"text: verdict line {text.splitlines()[0]!r}")
            for source_id in HOSTILE:
                check(shown(source_id) in text, f"text: {shown(source_id)!r} not shown")
        if fmt == "junit":
            try:
                root = ET.fromstring(result.stdout)
            except ET.ParseError as error:
                check(False, f"junit: not XML: {error}")
                continue
            cases = root.findall(".//testcase")
            pairs = {(f["rule"], f["subject"]) for f in findings}
            with_findings = [c for c in cases if not c.get("name").endswith(": no finding")]
            check(len(with_findings) == len(pairs),
                  f"junit: {len(with_findings)} test cases for {len(pairs)} rules and subjects")
            for element in root.iter():
                for value in list(element.attrib.values()) + [element.text or ""]:
                    bad = [c for c in value if forbidden(c) and c != "\n"]
                    check(not bad, f"junit: {bad!r} in {value!r}")
            names = {case.get("name") for case in cases}
            for source_id in HOSTILE:
                check(any(shown(source_id) in n for n in names),
                      f"junit: no test case for {source_id!r}")
            check("&#" not in text, "junit: a character reference")
        if fmt == "sarif":
            sarif = loads("sarif", text)
            results = sarif.get("runs", [{}])[0].get("results", [])
            check(len(results) == len(findings), f"sarif: {len(results)} results")
            for r in results:
                message = r["message"]["text"]
                unescaped = re.search(r"(?<!\\)(\\\\)*[\[\]]", message)
                check(not unescaped, f"sarif: unescaped bracket in {message!r}")
                check(not any(forbidden(c) for c in message), f"sarif: {message!r}")
            check({r["properties"]["subject"] for r in results if r["ruleId"] == "P1"} ==
                  set(HOSTILE), "sarif: subjects are not the manifest's")
        if fmt == "github":
            lines = text.rstrip("\n").split("\n")
            check(len(lines) == len(findings) + 1, f"github: {len(lines)} lines")
            pattern = re.compile(r"::(error|warning|notice) file=[^,:]*,line=\d+,col=\d+,"
                                 r"title=[^,:]*::.*$")
            for line in lines[:-1]:
                check(pattern.fullmatch(line), f"github: not one command: {line!r}")
                check("%0D" not in line, f"github: a carriage return in {line!r}")
            check(lines[-1].startswith("provgate: non-compliant: "), f"github: {lines[-1]!r}")
        if fmt == "markdown":
            check_markdown("markdown", text, "https://github.com/o/r/blob/abc/")

    # The NOTICE, the lineage graph, validation and diff.
    result = run(pg, "notice", "manifest.json", cwd=work)
    text = expect_safe("notice", result.stdout)
    check(("Title " + shown(HOSTILE[0])) in text, "notice: title not shown")
    result = run(pg, "graph", "manifest.json", cwd=work)
    dot = expect_safe("graph dot", result.stdout)
    string = r'"(?:[^"\\]|\\.)*"'
    node = re.compile(r"  %s \[label=%s, fillcolor=%s\];" % (string, string, string))
    for line in dot.split("\n")[4:-2]:
        check(node.fullmatch(line), f"graph dot: not one node: {line!r}")
    expect_safe("graph json", run(pg, "graph", "manifest.json", "--format", "json", cwd=work)
                .stdout)
    expect_safe("validate", run(pg, "validate", "manifest.json", cwd=work).stdout)
    base = os.path.join(work, "base.json")
    hostile_manifest(base, HOSTILE[:3])
    result = run(pg, "diff", "base.json", "manifest.json", "--format", "markdown", cwd=work)
    check_markdown("diff markdown", expect_safe("diff markdown", result.stdout), "")

    # Diagnostics on standard error: a hostile member name, in a file with a hostile name.
    bad_name = os.path.join(work, "bad\n::error::x\x1b[2J.json")
    write_json(bad_name, {"manifest_version": "1", "\x1b[2J\nCOMPLIANT": 1,
                          "model": {"id": "m", "release": {"weights": "closed"}}, "sources": []})
    result = run(pg, "check", os.path.basename(bad_name), "--format", "text", cwd=work)
    check(result.returncode == 2, f"diagnostics: exit {result.returncode}")
    stderr = expect_safe("diagnostics", result.stderr)
    check(stderr.startswith("bad\\x0A::error::x\\x1B[2J.json:"), f"diagnostics: {stderr!r}")
    result = run(pg, "explain", "P1\x1b[2J\n::error::x")
    check(result.returncode == 2, "explain: unknown rule")
    expect_safe("explain", result.stderr)
    return manifest


def sign_with_openssl(key, payload, work):
    pae = b"DSSEv1 %d %s %d %s" % (28, b"application/vnd.in-toto+json", len(payload), payload)
    pae_path = os.path.join(work, "pae.bin")
    sig_path = os.path.join(work, "sig.bin")
    with open(pae_path, "wb") as f:
        f.write(pae)
    subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", pae_path,
                    "-out", sig_path], check=True, capture_output=True)
    with open(sig_path, "rb") as f:
        return base64.b64encode(f.read()).decode()


def envelope(payload, sig):
    return json.dumps({"payloadType": "application/vnd.in-toto+json",
                       "payload": base64.b64encode(payload).decode(),
                       "signatures": [{"sig": sig}]})


def signed_reports(pg, work, manifest):
    for name in ("lab", "auditor"):
        result = run(pg, "keygen", "--out", os.path.join(work, name), "--type", "ed25519")
        check(result.returncode == 0, f"keygen {name}: {result.stderr!r}")
    lab_pub = os.path.join(work, "lab.pub")
    lab_key = os.path.join(work, "lab.key")
    auditor_key = os.path.join(work, "auditor.key")
    signed = os.path.join(work, "report.dsse.json")
    result = run(pg, "check", manifest, "--sign", lab_key, "--output", signed)
    check(result.returncode == 1 and os.path.exists(signed), f"check --sign: {result.stderr!r}")
    # verify prints the statement's hostile model id, escaped.
    result = run(pg, "verify", signed, "--key", lab_pub)
    check(result.returncode == 0, f"verify: {result.stderr!r}")
    expect_safe("verify", result.stdout)
    check(f"  model      {visible(MODEL)} (" in result.stdout.decode(), "verify: model line")

    with open(signed) as f:
        doc = json.load(f)
    payload = base64.b64decode(doc["payload"])

    # A tampered report, keeping the lab's signature: verify refuses it, and so does
    # countersign, which writes nothing (had it signed, verify with both keys and a threshold
    # of one would say VERIFIED on the auditor's signature alone).
    tampered_payload = payload.replace(b'"verdict":"non-compliant"', b'"verdict":"compliant"')
    check(tampered_payload != payload, "the statement has no verdict to tamper with")
    tampered = os.path.join(work, "tampered.dsse.json")
    with open(tampered, "w") as f:
        json.dump(dict(doc, payload=base64.b64encode(tampered_payload).decode()), f)
    with open(tampered, "rb") as f:
        before = f.read()
    result = run(pg, "countersign", auditor_key, tampered, "--key", lab_pub)
    check(result.returncode == 1, f"countersign tampered: exit {result.returncode}")
    check(b"not countersigned" in result.stderr, f"countersign tampered: {result.stderr!r}")
    with open(tampered, "rb") as f:
        check(f.read() == before, "countersign changed the tampered envelope")
    result = run(pg, "verify", tampered, "--key", lab_pub, "--key",
                 os.path.join(work, "auditor.pub"))
    check(result.returncode == 1, "verify tampered")
    # Without --key countersign is a usage error.
    out = os.path.join(work, "countersigned.dsse.json")
    result = run(pg, "countersign", auditor_key, signed, "--output", out)
    check(result.returncode == 2 and not os.path.exists(out), "countersign without --key")
    result = run(pg, "countersign", auditor_key, signed, "--key", lab_pub, "--output", out)
    check(result.returncode == 0, f"countersign: {result.stderr!r}")
    result = run(pg, "verify", out, "--key", lab_pub, "--key", os.path.join(work, "auditor.pub"),
                 "--threshold", "2")
    check(result.returncode == 0, f"verify countersigned: {result.stderr!r}")

    # A duplicate key, validly signed: Python reads the last value, simdjson the first.
    duplicated = payload.replace(b'"verdict":"non-compliant"',
                                 b'"verdict":"non-compliant","verdict":"compliant"')
    check(json.loads(duplicated)["predicate"]["verdict"] == "compliant",
          "Python does not read the last of two values")
    dup = os.path.join(work, "duplicate.dsse.json")
    with open(dup, "w") as f:
        f.write(envelope(duplicated, sign_with_openssl(lab_key, duplicated, work)))
    result = run(pg, "verify", dup, "--key", lab_pub)
    check(result.returncode == 1, f"verify duplicate key: exit {result.returncode}")
    check(b"duplicate key" in result.stderr and b"/predicate/verdict" in result.stderr,
          f"verify duplicate key: {result.stderr!r}")
    result = run(pg, "countersign", auditor_key, dup, "--key", lab_pub, "--output", out + "2")
    check(result.returncode == 1 and not os.path.exists(out + "2"), "countersign duplicate key")
    # And in the envelope: malformed.
    with open(signed) as f:
        text = f.read()
    dup_envelope = os.path.join(work, "duplicate-envelope.dsse.json")
    with open(dup_envelope, "w") as f:
        f.write(text.replace('"payload":', '"payloadType": "text/plain", "payload":', 1))
    result = run(pg, "verify", dup_envelope, "--key", lab_pub)
    check(result.returncode == 2 and b"appears twice" in result.stderr,
          f"verify duplicate envelope member: {result.returncode} {result.stderr!r}")

    # A lineage attestation whose statement has a duplicate key leaves the upstream unverified.
    upstream_manifest = os.path.join(work, "upstream.json")
    write_json(upstream_manifest, {"manifest_version": "1",
                                   "model": {"id": "lab/up", "release": {"weights": "open",
                                                                         "license": "Apache-2.0"}},
                                   "sources": []})
    up_signed = os.path.join(work, "up.dsse.json")
    result = run(pg, "check", upstream_manifest, "--sign", lab_key, "--output", up_signed)
    check(result.returncode == 0, f"check --sign upstream: {result.stderr!r}")
    with open(up_signed) as f:
        up_payload = base64.b64decode(json.load(f)["payload"])
    check(b'"tainted":false' in up_payload, "upstream statement without tainted")
    up_dup = up_payload.replace(b'"tainted":false', b'"tainted":false,"tainted":true')
    with open(up_signed, "w") as f:
        f.write(envelope(up_dup, sign_with_openssl(lab_key, up_dup, work)))
    downstream = os.path.join(work, "downstream.json")
    write_json(downstream, {"manifest_version": "1",
                            "model": {"id": "lab/down", "release": {"weights": "closed"},
                                      "lineage": [{"relation": "fine-tune", "model": "lab/up",
                                                   "attestation": "up.dsse.json"}]},
                            "sources": []})
    result = run(pg, "check", downstream, "--trust", lab_pub, "--format", "json")
    report = json.loads(result.stdout)
    messages = [f["message"] for f in report["findings"]]
    check(any("duplicate key" in m for m in messages),
          f"lineage attestation with a duplicate key: {messages!r}")


def files(pg, work):
    fifo = os.path.join(work, "fifo")
    os.mkfifo(fifo)
    pub = os.path.join(work, "lab.pub")
    for args, code in ((["verify", fifo, "--key", pub], 2),
                       (["verify", os.path.join(work, "report.dsse.json"), "--key", fifo], 3),
                       (["countersign", os.path.join(work, "auditor.key"), fifo, "--key", pub], 2)):
        try:
            result = run(pg, *args, timeout=20)
            check(result.returncode == code, f"{args[0]} on a FIFO: exit {result.returncode}")
        except subprocess.TimeoutExpired:
            check(False, f"{args[0]} waited on a FIFO")
    # keygen onto a dangling symlink: a file exists (2), and nothing is written through it.
    target = os.path.join(work, "elsewhere")
    os.symlink(target, os.path.join(work, "dangling.key"))
    result = run(pg, "keygen", "--out", os.path.join(work, "dangling"))
    check(result.returncode == 2, f"keygen onto a dangling symlink: exit {result.returncode}")
    check(not os.path.exists(target), "keygen wrote through a symlink")


def cli_messages(pg, work):
    """Arguments and paths quoted in the CLI's own errors, and diff's text output."""
    hostile = "x\x1b[2J\r::notice::COMPLIANT"
    for name, args in [("unknown command", [hostile]),
                       ("missing manifest", ["check", os.path.join(work, hostile)]),
                       ("bad --format", ["check", "m.json", "--format", hostile]),
                       ("bad --output", ["check", os.path.join(work, "manifest.json"),
                                         "--output", os.path.join(work, hostile, "r.json")])]:
        r = run(pg, *args)
        check(r.returncode in (2, 3), f"{name}: exit {r.returncode}")
        expect_safe(f"{name} (stderr)", r.stderr)
    base = os.path.join(work, "base.json")
    hostile_manifest(base, HOSTILE[:1])
    r = run(pg, "diff", base, os.path.join(work, "manifest.json"), "--format", "text")
    check(r.returncode in (0, 1), f"diff --format text: exit {r.returncode} {r.stderr[:200]!r}")
    expect_safe("diff --format text", r.stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    pg = os.path.abspath(args.provgate)
    with tempfile.TemporaryDirectory() as work:
        # Each part runs even when one before it broke, so that a run shows every failure.
        manifest = os.path.join(work, "manifest.json")
        for part in (lambda: formats(pg, work, args.source),
                     lambda: signed_reports(pg, work, manifest), lambda: files(pg, work),
                     lambda: cli_messages(pg, work)):
            try:
                part()
            except Exception:  # noqa: BLE001 - reported as a failure with its traceback
                check(False, traceback.format_exc())
    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        return 1
    print("output cannot be forged: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
