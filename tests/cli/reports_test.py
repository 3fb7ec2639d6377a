#!/usr/bin/env python3
"""Reports at real size, through the CLI, against docs/cli.md:

- The decision table: `check --format csv` and `--report csv=FILE` parse as RFC 4180 with
  Python's csv module (an independent reader) and hold the same rows as the JSON report's
  `decisions` (`--decisions`), which validates against schemas/report.schema.json; no cell is a
  formula; nothing is written on exit 2; without a request the JSON has no `decisions`.
- `notice` never says a source used without permission was used under its licence.
- `validate` says WELL-FORMED, never VALID beside "tainted".
- The text header says bytes when the sources state bytes; many findings of one kind are one
  entry; `explain --reason unverified-upstream` knows signed reports; the eu profile says
  when the manifest says opt-outs were ignored.

Skipped (exit 77) when python3-jsonschema is not installed.
"""
import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    print("skipped: python3-jsonschema is not installed")
    sys.exit(77)

FAILURES = []
COLUMNS = ["id", "title", "permitted", "reason", "detail", "basis", "license",
           "license_canonical", "license_class", "tokens", "bytes", "stages"]


def check(condition, what):
    if not condition:
        FAILURES.append(what)
        print("FAIL:", what)


def csv_rows(text):
    """The records of `text` as dicts, read as RFC 4180 by Python's csv module."""
    check(text.endswith("\r\n"), "CSV records end with CRLF")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = list(reader)
    check(rows and rows[0] == COLUMNS, f"CSV header {rows[0] if rows else None}")
    return [dict(zip(COLUMNS, row)) for row in rows[1:]]


def as_csv_row(decision):
    """A JSON decision as the CSV writes it (docs/cli.md, "The decision table")."""
    def cell(text):
        stripped = text.lstrip(" ")
        if stripped[:1] in ("=", "+", "-", "@") or stripped[:1] in ("\uff1d", "\uff0b", "\uff0d", "\uff20"):
            return "'" + text
        return text
    number = lambda key: str(decision[key]) if key in decision else ""
    return {
        "id": cell(decision["id"]), "title": cell(decision.get("title", "")),
        "permitted": "true" if decision["permitted"] else "false",
        "reason": cell(decision.get("reason", "")), "detail": cell(decision["detail"]),
        "basis": cell(decision["basis"]), "license": cell(decision.get("license", "")),
        "license_canonical": cell(decision.get("license_canonical", "")),
        "license_class": cell(decision["license_class"]),
        "tokens": number("tokens"), "bytes": number("bytes"),
        "stages": cell(";".join(decision["stages"])),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    provgate = os.path.abspath(args.provgate)
    src = os.path.abspath(args.source)

    def run(*argv, cwd=src):
        r = subprocess.run([provgate, *argv], capture_output=True, cwd=cwd)
        # Decoded without translating line ends: the CSV's CRLF is part of its contract.
        r.stdout, r.stderr = r.stdout.decode(), r.stderr.decode()
        return r

    with open(os.path.join(src, "schemas", "report.schema.json")) as f:
        report_schema = jsonschema.Draft202012Validator(json.load(f))

    examples = sorted(os.path.join("examples", d, "manifest.json")
                      for d in os.listdir(os.path.join(src, "examples"))
                      if os.path.exists(os.path.join(src, "examples", d, "manifest.json")))
    with tempfile.TemporaryDirectory() as work:
        for manifest in examples:
            r = run("check", manifest, "--format", "json", "--decisions")
            if r.returncode >= 2:
                continue
            report = json.loads(r.stdout)
            errors = list(report_schema.iter_errors(report))
            check(not errors, f"{manifest}: --decisions report validates: "
                              f"{errors[0].message if errors else ''}")
            decisions = report.get("decisions", [])
            check(len(decisions) == report["summary"]["sources"],
                  f"{manifest}: one decision per source")
            check(sum(d["permitted"] for d in decisions) == report["summary"]["permitted"],
                  f"{manifest}: decisions agree with the summary's permitted count")
            r_csv = run("check", manifest, "--format", "csv")
            check(r_csv.returncode == r.returncode,
                  f"{manifest}: csv exits with the verdict ({r_csv.returncode} {r_csv.stderr})")
            rows = csv_rows(r_csv.stdout)
            check(rows == [as_csv_row(d) for d in decisions],
                  f"{manifest}: the CSV holds the JSON decisions")
            plain = json.loads(run("check", manifest, "--format", "json").stdout)
            check("decisions" not in plain, f"{manifest}: no decisions unless asked")

        # A hostile manifest: formulas, quotes and line breaks in ids and titles.
        hostile = os.path.join(work, "hostile.json")
        with open(hostile, "w") as f:
            json.dump({"manifest_version": "1",
                       "model": {"id": "lab/m", "release": {"weights": "closed"}},
                       "sources": [
                           {"id": '=HYPERLINK("https://evil.example","x")', "kind": "other",
                            "title": "line\nbreak, \"quoted\"\r", "license": "mit",
                            "permission": {"basis": "license"}, "size": {"bytes": 10}},
                           {"id": "+1", "kind": "other", "permission": {"basis": "none"}},
                           {"id": "@cmd", "kind": "other", "title": "-2",
                            "permission": {"basis": "first-party"}}]}, f)
        out = os.path.join(work, "table.csv")
        r = run("check", hostile, "--format", "json", "--decisions", "--report", "csv=" + out)
        check(r.returncode == 1, f"hostile: exit 1 ({r.stderr})")
        with open(out, newline="") as f:
            text = f.read()
        rows = csv_rows(text)
        check(text.count("\r\n") == 4 and "\n" not in text.replace("\r\n", ""),
              "hostile: one line per source")
        check([row["id"] for row in rows] == ["'=HYPERLINK(\"https://evil.example\",\"x\")",
                                              "'+1", "'@cmd"], f"hostile ids: {rows}")
        check(rows[0]["title"] == "line\\x0Abreak, \"quoted\"\\x0D" and rows[2]["title"] == "'-2",
              f"hostile titles: {[row['title'] for row in rows]}")
        check(rows[0]["license"] == "mit" and rows[0]["license_canonical"] == "MIT" and
              rows[0]["bytes"] == "10" and rows[0]["tokens"] == "",
              f"licence as written and canonical: {rows[0]}")
        report = json.loads(r.stdout)
        check(report["decisions"][0]["id"] == '=HYPERLINK("https://evil.example","x")',
              "the JSON keeps the id unchanged")

        # Nothing is written on exit 2.
        invalid = os.path.join(src, "tests", "golden", "cases", "invalid-truncated",
                               "manifest.json")
        os.remove(out)
        r = run("check", invalid, "--format", "csv", "--output", out)
        check(r.returncode == 2 and not os.path.exists(out), "csv: invalid input writes nothing")

        # The NOTICE of a closed model trained on a pirated CC-BY collection.
        r = run("notice", os.path.join("examples", "pirated-books-closed", "manifest.json"))
        check(r.returncode == 0, f"notice exits 0 ({r.stderr})")
        check("used under the licences shown" not in r.stdout, "notice: no blanket claim")
        without = r.stdout.split("Sources used WITHOUT permission", 1)
        check(len(without) == 2 and "(shadow-library)" in without[1] and
              "Not permitted (pirated)" in without[1] and "(shadow-library)" not in without[0],
              f"notice: the pirated books are listed apart:\n{r.stdout}")
        check("(permissive-code)" in without[0] and "License: MIT" in without[0],
              f"notice: the permitted code is credited:\n{r.stdout}")

        # The NOTICE of a model built with Llama 3.1 outputs (whose licence data requires a
        # name prefix, "Built with Llama" and its use policy), a forum dump under an agreement
        # with duties, a pirated collection and a permitted wiki.
        llama = os.path.join(work, "llama.json")
        with open(llama, "w") as f:
            json.dump({"manifest_version": "1",
                       "model": {"id": "lab/tiny-chat",
                                 "release": {"weights": "open", "license": "Apache-2.0"}},
                       "sources": [
                           {"id": "llama-outputs", "title": "Outputs of Llama 3.1 405B",
                            "kind": "model-outputs", "license": "LicenseRef-Llama-3.1-Community",
                            "permission": {"basis": "license"},
                            "generated_by": {"model": "meta/llama-3.1-405b",
                                             "terms_allow_training": True}},
                           {"id": "forum", "title": "Forum dump", "kind": "social",
                            "permission": {
                                "basis": "contract",
                                "grants": {"training": True, "commercial": True,
                                           "closed_weights": True},
                                "evidence": [{"uri": "https://deals.example/forum.pdf",
                                              "sha256": "2c26b46b68ffc68ff99b453c1d30413413422d"
                                                        "706483bfa0f98a5e886266e7ae"}],
                                "obligations": [
                                    {"kind": "attribution",
                                     "text": "Contains posts from Forum Example."}]}},
                           {"id": "books", "title": "Shadow library", "kind": "books",
                            "license": "CC-BY-4.0", "permission": {"basis": "license"},
                            "acquisition": {"method": "piracy"}},
                           {"id": "wiki", "title": "Encyclopedia", "kind": "encyclopedic",
                            "license": "CC-BY-SA-4.0", "uri": "https://wiki.example/",
                            "permission": {"basis": "license"}}]}, f)
        r = run("notice", llama)
        text = r.stdout
        parts = text.split("Sources used WITHOUT permission", 1)
        check(r.returncode == 0 and len(parts) == 2, f"notice (llama): exit 0, two parts:\n{text}")
        if len(parts) == 2:
            check(text.count("Built with Llama") == 1 and
                  "The model's name must begin with \"Llama\"." in text and
                  "https://llama.meta.com/llama3_1/use-policy" in text,
                  f"notice (llama): the licence's notice, prefix and use policy:\n{text}")
            check("Forum dump (forum)\n  Agreement requires: Contains posts from Forum Example."
                  in parts[0], f"notice (llama): the agreement's duty:\n{text}")
            check("Encyclopedia (wiki)\n  Source: https://wiki.example/\n  License: CC-BY-SA-4.0"
                  in parts[0] and "books" not in parts[0],
                  f"notice (llama): permitted credits only before:\n{text}")
            check("Shadow library (books)\n  Not permitted (pirated)" in parts[1] and
                  "wiki" not in parts[1], f"notice (llama): the pirated books after:\n{text}")

        # validate is about the manifest, not the model.
        r = run("validate", os.path.join("examples", "pirated-books-closed", "manifest.json"))
        check(r.returncode == 0 and r.stdout.startswith("WELL-FORMED  acme/scribe-34b\n") and
              "tainted" not in r.stdout and "VALID" not in r.stdout.replace("INVALID", ""),
              f"validate wording:\n{r.stdout}")

        # Sizes in bytes are said in bytes.
        bytes_only = os.path.join(work, "bytes.json")
        with open(bytes_only, "w") as f:
            json.dump({"manifest_version": "1",
                       "model": {"id": "lab/b", "release": {"weights": "closed"}},
                       "sources": [{"id": "s", "kind": "other", "license": "MIT",
                                    "permission": {"basis": "license"},
                                    "size": {"bytes": 2048}}]}, f)
        r = run("check", bytes_only, "--format", "text")
        header = r.stdout.splitlines()[1] if r.stdout else ""
        check(header.endswith("2,048 bytes") and "tokens" not in r.stdout.split("\n\n")[0],
              f"text header in bytes: {header!r}")

        # Many findings of one rule and reason: one entry, after the errors.
        many = os.path.join(work, "many.json")
        sources = [{"id": f"crawl-{i:02d}", "kind": "web-crawl", "license": "MIT",
                    "permission": {"basis": "license"}} for i in range(67)]
        sources.append({"id": "shadow", "kind": "books", "license": "CC-BY-4.0",
                        "permission": {"basis": "license"}, "acquisition": {"method": "piracy"},
                        "size": {"tokens": 5}, "digest": {"sha256": "0" * 64}})
        with open(many, "w") as f:
            json.dump({"manifest_version": "1",
                       "model": {"id": "lab/many", "release": {"weights": "closed"}},
                       "sources": sources}, f)
        r = run("check", many, "--format", "text")
        lines = r.stdout.splitlines()
        entries = [l for l in lines if "67 findings, first five: crawl-00, crawl-01, crawl-02, "
                   "crawl-03, crawl-04" in l]
        check(r.returncode == 1 and entries and "crawl-05" not in r.stdout,
              f"text groups the 67 transparency warnings:\n{r.stdout}")
        errors_at = r.stdout.find("\nErrors\n")
        warnings_at = r.stdout.find("\nWarnings\n")
        check(0 <= errors_at < r.stdout.find("[pirated] shadow") < warnings_at,
              "text: the pirated source's error comes before the warnings")
        full = json.loads(run("check", many, "--format", "json").stdout)
        check(sum(f["subject"].startswith("crawl-") for f in full["findings"]) >= 67,
              "json keeps every finding")

        # explain knows that signed upstream reports are read.
        r = run("explain", "--reason", "unverified-upstream")
        check(r.returncode == 0 and "signed report" in r.stdout and "--trust" in r.stdout and
              "signed reports and the ledger are not read" not in r.stdout,
              f"explain unverified-upstream:\n{r.stdout}")

        # eu: the manifest says opt-outs were ignored.
        eu = os.path.join(work, "eu.json")
        with open(eu, "w") as f:
            json.dump({"manifest_version": "1",
                       "model": {"id": "lab/eu", "release": {"weights": "closed"}},
                       "sources": [{"id": "crawl", "kind": "web-crawl",
                                    "permission": {"basis": "statutory-exception"},
                                    "acquisition": {"method": "crawl",
                                                    "opt_outs_honored": False}}]}, f)
        r = run("check", eu, "--profile", "eu", "--format", "json")
        messages = [f["message"] for f in json.loads(r.stdout)["findings"]
                    if f.get("reason") == "opt-out-ignored"]
        check(len(messages) == 1 and "says they were ignored" in messages[0] and
              "does not say" not in messages[0], f"eu opt-outs ignored: {messages}")

    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        return 1
    print(f"ok: decision tables of {len(examples)} examples, notice, validate, text, explain, eu")
    return 0


if __name__ == "__main__":
    sys.exit(main())
