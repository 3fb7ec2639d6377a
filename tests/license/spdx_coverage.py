#!/usr/bin/env python3
"""Checks that every licence of a rule pack's SPDX list has a reviewed licence class.

The pack's classifier is driven through provgate_license_class_tool (one id in, "id, class,
attribution" out). The check fails when:

- an id of the pack's SPDX licence list (data/spdx.json, deprecated ids included; exceptions
  are not licences and are not checked) classifies as `unknown`, unless the allow-list file
  names it with a reason;
- an allow-list entry has no reason, is not on the SPDX list, or is classified after all;
- a spot check fails: the class (and attribution duty) of licences chosen across every class,
  each stated below from the licence's own terms, not from the program's output;
- the check cannot fail: a copy of the pack with one licence entry removed must make that id
  unknown.

With --list it prints every id instead, with its class, attribution duty, SPDX flags and the
first entry of data/licenses.yaml that names or matches it; with --since OLD_SPDX_JSON, only
the ids that OLD_SPDX_JSON lacks (what a new SPDX list adds, to review after an update).
"""
import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# (id, class, attribution duty, why: from the licence's terms).
SPOT_CHECKS = [
    ("CC0-1.0", "public-domain", False, "waives every right; asks for nothing"),
    ("Unlicense", "public-domain", False, "dedicates the work to the public domain"),
    ("0BSD", "public-domain", False, "use, copy, modify and distribute; no condition at all"),
    ("NIST-PD", "public-domain", False, "US government work, not subject to copyright"),
    ("DL-DE-ZERO-2.0", "public-domain", False, "any use, without restrictions or conditions"),
    ("Bugroff", "public-domain", False, "'Sure, no problem': no condition"),
    ("MIT", "permissive", True, "any use; the notice is kept in copies"),
    ("HPND", "permissive", True, "use, copy, modify, distribute with the notice kept"),
    ("AFL-3.0", "permissive", True, "any use, derivatives under any terms; notices kept"),
    ("Artistic-1.0-Perl", "permissive", True, "changes may stay in-house or be renamed"),
    ("CECILL-B", "permissive", True, "BSD-like, with a strong citation duty"),
    ("CERN-OHL-P-2.0", "permissive", True, "permissive hardware licence; notices kept"),
    ("BSD-3-Clause-No-Nuclear-Warranty", "permissive", True,
     "only says the software is not designed for nuclear facilities; not a licence limit"),
    ("OGL-UK-2.0", "permissive", True, "copy, adapt, exploit commercially; acknowledge source"),
    ("O-UDA-1.0", "permissive", True, "use and modification unrestricted; results are free"),
    ("Graphics-Gems", "permissive", False, "use in any program; credit not required"),
    ("LGPL-2.1-only", "weak-copyleft", True, "the library stays LGPL; works using it do not"),
    ("MPL-2.0", "weak-copyleft", True, "modified covered files stay MPL, with source"),
    ("NPL-1.1", "weak-copyleft", True, "MPL-style: modified files stay NPL, with source"),
    ("APSL-2.0", "weak-copyleft", True, "modifications of covered code published when deployed"),
    ("CECILL-C", "weak-copyleft", True, "LGPL-like: the component stays CeCILL-C"),
    ("CERN-OHL-W-2.0", "weak-copyleft", True, "reciprocal for the licensed design files only"),
    ("OFL-1.1", "weak-copyleft", True, "derived fonts stay OFL; documents using them do not"),
    ("OFL-1.0-RFN", "weak-copyleft", True, "derived fonts stay OFL, renamed"),
    ("wxWindows", "weak-copyleft", True, "deprecated: LGPL with an exception for binaries"),
    ("GPL-3.0-only", "copyleft", True, "works based on it, as a whole, under the GPL with source"),
    ("GPL-2.0", "copyleft", True, "deprecated id of GPL-2.0-only: copyleft all the same"),
    ("AGPL-3.0-or-later", "copyleft", True, "network use counts as conveying source"),
    ("SSPL-1.0", "copyleft", True, "offering it as a service requires the service's source"),
    ("CECILL-2.1", "copyleft", True, "GPL-compatible strong copyleft"),
    ("CAL-1.0", "copyleft", True, "network use counts; recipients get their data"),
    ("Sleepycat", "copyleft", True, "programs using it must make their source available"),
    ("BSD-Protection", "copyleft", True,
     "derived works under the same licence as a whole, or closed to further derivatives"),
    ("eCos-2.0", "copyleft", True, "deprecated: GPL-2.0-or-later with the eCos exception"),
    ("CC-BY-SA-4.0", "share-alike", True, "adaptations under the same licence"),
    ("ODbL-1.0", "share-alike", True, "adapted databases under the ODbL"),
    ("BigScience-OpenRAIL-M", "share-alike", True,
     "use restrictions must be passed on to derivatives, models included"),
    ("Latex2e", "share-alike", True, "modified manuals under a permission notice identical to it"),
    ("LAL-1.3", "share-alike", True, "Free Art Licence: copies and adaptations under it"),
    ("CC-BY-NC-4.0", "non-commercial", True, "NonCommercial: no use for commercial advantage"),
    ("PolyForm-Noncommercial-1.0.0", "non-commercial", True, "non-commercial purposes only"),
    ("Aladdin", "non-commercial", True, "no distribution for payment by a commercial organisation"),
    ("NCGL-UK-2.0", "non-commercial", True, "use for non-commercial purposes only"),
    ("OpenPBS-2.3", "non-commercial", True, "redistribution for non-commercial purposes only"),
    ("CC-BY-ND-4.0", "no-derivatives", True, "NoDerivatives: no adapted material may be shared"),
    ("CC-BY-NC-ND-4.0", "no-derivatives", True, "no derivatives, whatever the deployment"),
    ("MIPS", "no-derivatives", True, "grants reproduction and use rights only"),
    ("Adobe-Utopia", "no-derivatives", True,
     "use, reproduce, display and distribute the typefaces; no right to modify"),
    ("JSON", "proprietary", False, "'shall be used for Good, not Evil': a use restriction"),
    ("Hippocratic-2.1", "proprietary", False, "use conditioned on human-rights principles"),
    ("BSD-3-Clause-No-Military-License", "proprietary", False,
     "not licensed for use in any military facility: a field-of-use restriction"),
    ("MS-LPL", "proprietary", False, "rights only for software that runs on Microsoft Windows"),
    ("UnRAR", "proprietary", False, "may not be used to re-create the RAR algorithm"),
    ("BUSL-1.1", "proprietary", False, "production use needs a commercial licence until the "
     "change date"),
    ("FSL-1.1-MIT", "proprietary", False, "no competing use until it converts to MIT"),
]


def read_spdx_list(pack_dir):
    """The licence ids of the pack's SPDX list: id -> its entry (name, osi, fsf, deprecated)."""
    with open(os.path.join(pack_dir, "pack.yaml"), encoding="utf-8") as f:
        match = re.search(r"^spdx:\s*(\S+)\s*$", f.read(), re.MULTILINE)
    if not match:
        raise SystemExit(f"{pack_dir}/pack.yaml names no spdx file")
    with open(os.path.join(pack_dir, match.group(1)), encoding="utf-8") as f:
        return json.load(f)["licenses"]


def classify(tool, pack_dir, ids):
    """id -> (class, attribution) as the pack's classifier answers."""
    run = subprocess.run([tool, pack_dir], input="".join(i + "\n" for i in ids),
                         capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise SystemExit(f"{tool} {pack_dir} failed ({run.returncode}):\n{run.stderr}")
    lines = run.stdout.splitlines()
    if len(lines) != len(ids):
        raise SystemExit(f"the tool answered {len(lines)} lines for {len(ids)} ids")
    answers = {}
    for expected_id, line in zip(ids, lines):
        fields = line.split("\t")
        if len(fields) != 3 or fields[0] != expected_id:
            raise SystemExit(f"unexpected answer for {expected_id!r}: {line!r}")
        answers[expected_id] = (fields[1], fields[2] == "attribution")
    return answers


def read_allow_list(path):
    """id -> reason; a line without a reason maps to ''."""
    allowed = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            licence_id, _, reason = text.partition("#")
            allowed[licence_id.strip()] = reason.strip()
    return allowed


def entries_of(pack_dir):
    """The `id:` and `pattern:` of each licence entry, in order (for --list's last column)."""
    entries = []
    with open(os.path.join(pack_dir, "data", "licenses.yaml"), encoding="utf-8") as f:
        for line in f:
            match = re.match(r'\s*-\s*\{\s*(id|pattern):\s*"?([^",}]+)"?', line)
            if match:
                entries.append((match.group(1), match.group(2).strip()))
    return entries


def first_entry(entries, licence_id):
    lower = licence_id.lower()
    for kind, value in entries:
        if (kind == "id" and value.lower() == lower) or \
           (kind == "pattern" and fnmatch.fnmatchcase(lower, value.lower())):
            return f"{kind} {value}"
    return "-"


def list_ids(tool, pack_dir, since):
    spdx = read_spdx_list(pack_dir)
    ids = sorted(spdx, key=str.lower)
    if since:
        with open(since, encoding="utf-8") as f:
            old = {i.lower() for i in json.load(f)["licenses"]}
        ids = [i for i in ids if i.lower() not in old]
    answers = classify(tool, pack_dir, ids)
    entries = entries_of(pack_dir)
    print("id\tclass\tattribution\tdeprecated\tosi\tfsf\tentry")
    for licence_id in ids:
        license_class, attribution = answers[licence_id]
        flags = spdx[licence_id]
        print("\t".join([licence_id, license_class, "yes" if attribution else "no",
                         "yes" if flags.get("deprecated") else "no",
                         "yes" if flags.get("osi") else "no", "yes" if flags.get("fsf") else "no",
                         first_entry(entries, licence_id)]))
    unknown = sum(1 for i in ids if answers[i][0] == "unknown")
    print(f"{len(ids)} ids, {unknown} unknown", file=sys.stderr)
    return 0


def can_fail(tool, pack_dir, failures):
    """Removes HPND's entry from a copy of the pack: HPND must then be unknown."""
    with tempfile.TemporaryDirectory() as copy_dir:
        shutil.copytree(pack_dir, copy_dir, dirs_exist_ok=True)
        path = os.path.join(copy_dir, "data", "licenses.yaml")
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
        kept = [line for line in lines if not re.match(r"\s*-\s*\{\s*id:\s*HPND\s*,", line)]
        if len(kept) != len(lines) - 1:
            failures.append("self-test: data/licenses.yaml has no single `id: HPND` entry")
            return
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(kept)
        if classify(tool, copy_dir, ["HPND"])["HPND"][0] != "unknown":
            failures.append("self-test: without its entry HPND is still classified")


def check(tool, pack_dir, allow_path):
    spdx = read_spdx_list(pack_dir)
    ids = sorted(spdx, key=str.lower)
    answers = classify(tool, pack_dir, ids)
    allowed = read_allow_list(allow_path)
    failures = []

    unknown = [i for i in ids if answers[i][0] == "unknown"]
    for licence_id in unknown:
        if licence_id not in allowed:
            failures.append(f"{licence_id}: classifies as unknown; classify it in "
                            "data/licenses.yaml from its licence text")
    for licence_id, reason in sorted(allowed.items()):
        if not reason:
            failures.append(f"{allow_path}: {licence_id} is allowed without a reason")
        if licence_id not in spdx:
            failures.append(f"{allow_path}: {licence_id} is not on the SPDX list")
        elif answers[licence_id][0] != "unknown":
            failures.append(f"{allow_path}: {licence_id} is classified "
                            f"({answers[licence_id][0]}): remove the stale entry")

    spot_ids = [c[0] for c in SPOT_CHECKS]
    spot = classify(tool, pack_dir, spot_ids)
    for licence_id, license_class, attribution, why in SPOT_CHECKS:
        got_class, got_attribution = spot[licence_id]
        if (got_class, got_attribution) != (license_class, attribution):
            failures.append(f"{licence_id}: expected {license_class}"
                            f"{' with attribution' if attribution else ''} ({why}); got "
                            f"{got_class}{' with attribution' if got_attribution else ''}")
    classes = {c[1] for c in SPOT_CHECKS}
    if len(classes) != 8:
        failures.append(f"the spot checks cover {len(classes)} classes, not all 8")

    can_fail(tool, pack_dir, failures)

    if failures:
        print("\n".join(failures))
        return 1
    deprecated = sum(1 for i in ids if spdx[i].get("deprecated"))
    print(f"{len(ids)} SPDX licence ids ({deprecated} deprecated) classified: "
          f"{len(unknown)} unknown, all allowed; {len(SPOT_CHECKS)} spot checks passed")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", required=True, help="provgate_license_class_tool")
    parser.add_argument("--pack", required=True, help="the rule pack directory")
    parser.add_argument("--allow", default=os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "spdx_unclassified.txt"), help="the allow-list file")
    parser.add_argument("--list", action="store_true", help="print every id and its class")
    parser.add_argument("--since", metavar="OLD_SPDX_JSON",
                        help="with --list: only the ids that OLD_SPDX_JSON lacks")
    args = parser.parse_args()
    if args.since and not args.list:
        parser.error("--since goes with --list")
    if args.list:
        try:
            return list_ids(args.tool, args.pack, args.since)
        except BrokenPipeError:  # the reader (say, head) stopped reading
            return 0
    return check(args.tool, args.pack, args.allow)


if __name__ == "__main__":
    sys.exit(main())
