#!/usr/bin/env python3
"""The pack owns the policy: no name of the default pack is written into the C++.

Reads the default pack (rules/default: its rule ids, profile names and parameter names) and
every string literal of the C++ sources under engine/ and cli/ (comments left out), and fails
when a literal is one of those names ("P2", "intermediate", "judge_propagates_taint"). In
engine/ a name is not allowed inside a literal either, as a word of it (a run of letters,
digits, '_' and '-': `P2` is found in "P2 integrity errors" but not in "P20", `eu` not in
"eu-crawl", and `intermediate` not in the engine's fact name "intermediate_stage"). The
command line's help may still describe the default pack in its sentences.

Usage: no_pack_literals_test.py --source ROOT [--pack DIR] [--dir DIR]...
       no_pack_literals_test.py --self-test --source ROOT
"""
import argparse
import os
import re
import sys

try:
    import yaml
except ImportError:
    print("skipped: python3-yaml is not installed")
    sys.exit(77)

WORD = re.compile(r"[A-Za-z0-9_-]+")


def pack_names(pack_dir):
    """The names the default pack defines, by kind."""
    with open(os.path.join(pack_dir, "pack.yaml"), encoding="utf-8") as f:
        pack = yaml.safe_load(f)
    names = {
        "profile": [p["name"] for p in pack.get("profiles", [])],
        "parameter": [p["name"] for p in pack.get("parameters", [])],
        "rule id": [],
    }
    for relative in pack.get("rules", []):
        with open(os.path.join(pack_dir, relative), encoding="utf-8") as f:
            names["rule id"].append(yaml.safe_load(f)["id"])
    return names


def string_literals(text):
    """Yields (line, content) of every string literal in C++ `text`, comments skipped.

    Handles // and /* */ comments, escapes, character literals, raw strings R"d(...)d" (with
    encoding prefixes) and digit separators (1'000'000)."""
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += text.count("\n", i, end)
            i = end
        elif c.isdigit() and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            # A number (pp-number): its quotes are digit separators.
            while i < n and (text[i].isalnum() or text[i] in "._'" or
                             (text[i] in "+-" and text[i - 1] in "eEpP")):
                i += 1
        elif c.isalpha() or c == "_":
            start = i
            while i < n and (text[i].isalnum() or text[i] == "_"):
                i += 1
            ident = text[start:i]
            if i < n and text[i] == '"' and ident in ("R", "u8R", "uR", "UR", "LR"):
                open_paren = text.find("(", i)
                delimiter = text[i + 1:open_paren]
                close = text.find(")" + delimiter + '"', open_paren)
                close = n if close < 0 else close
                yield line, text[open_paren + 1:close]
                line += text.count("\n", i, close)
                i = close + len(delimiter) + 2
        elif c == '"' or c == "'":
            start = i
            i += 1
            while i < n and text[i] != c:
                i += 2 if text[i] == "\\" else 1
            if c == '"':
                yield line, text[start + 1:i]
            i += 1
        else:
            i += 1


def find_names(directory, kind_of, words, root):
    """Problems (one line each) and the number of C++ files read under `directory`."""
    problems = []
    files = 0
    for current, subdirs, entries in os.walk(directory):
        subdirs.sort()
        for entry in sorted(entries):
            if not entry.endswith((".cc", ".h")):
                continue
            path = os.path.join(current, entry)
            files += 1
            with open(path, encoding="utf-8") as f:
                text = f.read()
            shown = os.path.relpath(path, root)
            for line, literal in string_literals(text):
                found = [literal] if literal in kind_of else []
                if words and not found:
                    found = [w for w in WORD.findall(literal) if w in kind_of]
                for name in found:
                    problems.append(f"{shown}:{line}: {kind_of[name]} '{name}' "
                                    f"in \"{literal[:70]}\"")
    return problems, files


def scan(source, pack_dir):
    """Problems found in engine/ (whole literals and words) and cli/ (whole literals)."""
    names = pack_names(pack_dir)
    kind_of = {}
    for kind, values in names.items():
        for value in values:
            kind_of.setdefault(value, kind)
    if not names["rule id"] or not names["profile"] or not names["parameter"]:
        raise SystemExit(f"FAIL: read no rule ids, profiles or parameters from {pack_dir}")
    problems = []
    for directory, words in (("engine", True), ("cli", False)):
        found, files = find_names(os.path.join(source, directory), kind_of, words, source)
        if files == 0:
            raise SystemExit(f"FAIL: no C++ sources under {source}/{directory}")
        problems += found
    return problems, len(kind_of)


def self_test(source, pack_dir):
    """The scan must notice a name written back into a copy of the sources."""
    import shutil
    import tempfile
    with tempfile.TemporaryDirectory() as scratch:
        for directory in ("engine", "cli"):
            shutil.copytree(os.path.join(source, directory), os.path.join(scratch, directory))
        planted = {
            "engine/src/planted_literal.cc": 'const char* kIntegrity = "P2";\n',
            "engine/src/planted_word.cc": 'const char* kText = "only in profile eu";\n',
            "cli/planted_literal.cc": 'auto profile = std::string("intermediate");\n',
            "cli/planted_parameter.cc": 'auto name = "judge_propagates_taint";\n',
        }
        ignored = {
            # Comments, fact names that contain a word, and a raw string's delimiter.
            "engine/src/planted_comment.cc": '// "P2" in a comment\n/* "eu" */\n',
            "engine/src/planted_fact.cc": 'auto fact = "intermediate_stage";\n',
            "cli/planted_sentence.cc": 'auto help = "the default pack\'s are thread and eu";\n',
        }
        for relative, text in {**planted, **ignored}.items():
            with open(os.path.join(scratch, relative), "w", encoding="utf-8") as f:
                f.write(text)
        problems, _ = scan(scratch, pack_dir)
        flagged = {problem.split(":")[0] for problem in problems}
        missed = sorted(set(planted) - flagged)
        wrong = sorted(flagged & set(ignored))
        clean = not scan(source, pack_dir)[0]
        if missed or wrong or not clean:
            print(f"FAIL: self-test missed {missed}, flagged {wrong}, "
                  f"sources clean before planting: {clean}")
            return 1
    print(f"ok: the scan finds each of {len(planted)} planted names and none of "
          f"{len(ignored)} allowed texts")
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True)
    parser.add_argument("--pack", help="default: SOURCE/rules/default")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    pack_dir = args.pack or os.path.join(args.source, "rules", "default")
    if args.self_test:
        return self_test(args.source, pack_dir)
    problems, count = scan(args.source, pack_dir)
    for problem in problems:
        print(problem)
    if problems:
        print(f"FAIL: {len(problems)} names of the default pack written into the C++ "
              "(the pack declares what the engine needs: rules/README.md)")
        return 1
    print(f"ok: none of the {count} names of the default pack in engine/ or cli/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
