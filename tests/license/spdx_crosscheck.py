#!/usr/bin/env python3
"""Cross-checks provgate's SPDX expression parser against an independent implementation,
Debian's python3-license-expression (nexB's license-expression), on a corpus of expressions.

For each expression both must agree on whether it is syntactically valid, and for valid ones
on the canonical form (operators upper-case, minimal parentheses; compared case-insensitively,
since license-expression normalises the case of known ids). The tool must answer every
expression, one line each. Skipped (exit 77, which CTest reports as skipped) when
license-expression is not installed.
"""
import subprocess
import sys

CORPUS_VALID = [
    "MIT", "mit", "Apache-2.0", "MIT OR Apache-2.0", "MIT or Apache-2.0", "MIT AND Apache-2.0",
    "mit and apache-2.0", "MIT OR Apache-2.0 AND BSD-3-Clause",
    "(MIT OR Apache-2.0) AND BSD-3-Clause", "MIT AND (Apache-2.0 OR BSD-3-Clause)",
    "((MIT))", "(MIT OR (Apache-2.0 AND BSD-2-Clause))",
    "GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-or-later with Classpath-exception-2.0",
    "MIT OR GPL-2.0-only WITH Classpath-exception-2.0 AND BSD-2-Clause",
    "LicenseRef-acme-terms", "LicenseRef-acme-terms OR MIT",
    "CC-BY-4.0 AND CC-BY-SA-4.0", "CC-BY-NC-4.0 OR CC0-1.0", "A OR B OR C", "A AND B AND C",
    "Not-A-Real-License", "LGPL-2.1-only OR MPL-2.0 OR Apache-2.0",
    "(GPL-3.0-or-later WITH GCC-exception-3.1) OR MIT",
    "EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0",
]
CORPUS_INVALID = [
    "", "MIT OR", "OR MIT", "AND", "MIT AND AND Apache-2.0", "MIT Apache-2.0", "(MIT",
    "MIT)", "()", "MIT WITH", "(MIT OR BSD-3-Clause) WITH Classpath-exception-2.0",
    "MIT OR OR Apache-2.0", "WITH MIT",
]


def main():
    provgate_tool = sys.argv[1]
    try:
        from license_expression import get_spdx_licensing
    except ImportError:
        print("skipped: python3-license-expression is not installed; "
              "apt-get install python3-license-expression to run this cross-check")
        return 77
    licensing = get_spdx_licensing()
    corpus = CORPUS_VALID + CORPUS_INVALID
    out = subprocess.run([provgate_tool], input="\n".join(corpus) + "\n", capture_output=True,
                         text=True, check=True).stdout.splitlines()
    failures = []
    if len(out) != len(corpus):
        failures.append(f"the tool answered {len(out)} lines for {len(corpus)} expressions")
    for expression, line in zip(corpus, out):
        ours = line.split("\t")
        try:
            parsed = licensing.parse(expression, validate=False, strict=True)
            theirs = None if parsed is None else parsed.render("{symbol.key}")
        except Exception:  # noqa: BLE001 - any parse failure counts as "invalid"
            theirs = None
        ours_ok = ours[0] == "ok"
        if ours_ok != (theirs is not None):
            failures.append(f"{expression!r}: provgate {'accepts' if ours_ok else 'rejects'}, "
                            f"license-expression {'accepts' if theirs is not None else 'rejects'}")
            continue
        if ours_ok and ours[1].lower() != theirs.lower():
            failures.append(f"{expression!r}: provgate {ours[1]!r}, license-expression {theirs!r}")
        expected_valid = expression in CORPUS_VALID
        if ours_ok != expected_valid:
            failures.append(f"{expression!r}: expected {'valid' if expected_valid else 'invalid'}")
    if failures:
        print("\n".join(failures))
        return 1
    print(f"{len(corpus)} expressions cross-checked against license-expression")
    return 0


if __name__ == "__main__":
    sys.exit(main())
