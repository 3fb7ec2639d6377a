"""A stand-in for the GitHub CLI, on PATH as `gh` in tests/ci/integrations_test.py.

Records each call in $FAKE_GH_LOG (one JSON object a line: argv, method, path, the fields with
`@file` values read, GH_TOKEN and GH_HOST); answers GET …/comments with the canned list in
$FAKE_GH_COMMENTS, through the real jq when --jq is given (gh applies it to each page), and
anything else with a small JSON object.
"""
import json
import os
import subprocess
import sys


def main(argv):
    if not argv or argv[0] != "api":
        return "fake gh: only `gh api` is expected"
    call = {"argv": argv, "token": os.environ.get("GH_TOKEN"),
            "host": os.environ.get("GH_HOST"), "method": "GET", "path": None}
    jq = None
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg in ("--method", "-X"):
            call["method"] = argv[i + 1]
            i += 2
        elif arg in ("--jq", "-q"):
            jq = argv[i + 1]
            i += 2
        elif arg in ("-F", "--field", "-f", "--raw-field"):
            name, value = argv[i + 1].split("=", 1)
            if value.startswith("@") and arg in ("-F", "--field"):
                with open(value[1:]) as f:
                    value = f.read()
            call.setdefault("fields", {})[name] = value
            i += 2
        elif arg == "--paginate":
            call["paginate"] = True
            i += 1
        elif arg.startswith("-"):
            return f"fake gh: unexpected option {arg}"
        else:
            call["path"] = arg
            i += 1
    with open(os.environ["FAKE_GH_LOG"], "a") as f:
        f.write(json.dumps(call) + "\n")
    if call["method"] == "GET" and call["path"].endswith("/comments"):
        with open(os.environ["FAKE_GH_COMMENTS"]) as f:
            data = f.read()
        if jq is None:
            sys.stdout.write(data)
            return 0
        return subprocess.run(["jq", "-r", jq], input=data, text=True).returncode
    print(json.dumps({"id": 999}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
