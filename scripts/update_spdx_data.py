#!/usr/bin/env python3
"""Regenerates rules/default/data/spdx.json, the SPDX licence and exception lists that the
default pack ships, from the packages that carry them:

  npm pack spdx-license-list@6.12.0 spdx-license-ids@3.0.24 spdx-exceptions@2.5.0
  apt-get download raku-license-spdx            # SPDX list 3.18, for the FSF Free/Libre flags
  scripts/update_spdx_data.py --license-list DIR --license-ids DIR --exceptions DIR \
      --fsf-list FILE.json > rules/default/data/spdx.json

Licences: ids, names and OSI flags from spdx-license-list (which also keeps deprecated ids);
deprecation from spdx-license-ids' deprecated.json; FSF flags from the licenses.json of the
SPDX list in Debian's raku-license-spdx (the newest Debian package that carries them).
Exceptions: spdx-exceptions' index.json and deprecated.json.
"""
import argparse
import json
import os
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--license-list", required=True)
    parser.add_argument("--license-ids", required=True)
    parser.add_argument("--exceptions", required=True)
    parser.add_argument("--fsf-list", required=True)
    args = parser.parse_args()

    names = load(os.path.join(args.license_list, "spdx.json"))
    list_version = load(os.path.join(args.license_list, "package.json"))["version"]
    ids_package = load(os.path.join(args.license_ids, "package.json"))["version"]
    deprecated = set(load(os.path.join(args.license_ids, "deprecated.json")))
    current = set(load(os.path.join(args.license_ids, "index.json")))
    fsf_data = load(args.fsf_list)
    fsf = {l["licenseId"] for l in fsf_data["licenses"] if l.get("isFsfLibre")}
    exceptions = load(os.path.join(args.exceptions, "index.json"))
    deprecated_exceptions = load(os.path.join(args.exceptions, "deprecated.json"))
    exceptions_version = load(os.path.join(args.exceptions, "package.json"))["version"]

    licenses = {}
    for license_id in sorted(set(names) | current | deprecated, key=str.lower):
        entry = names.get(license_id, {})
        licenses[license_id] = {
            "name": entry.get("name", license_id),
            "osi": bool(entry.get("osiApproved", False)),
            "fsf": license_id in fsf,
            "deprecated": license_id in deprecated,
        }
    out = {
        "origin": {
            "licenses": f"npm spdx-license-list {list_version} (names, OSI), "
                        f"spdx-license-ids {ids_package} (deprecated ids), "
                        f"SPDX license list {fsf_data['licenseListVersion']} from Debian "
                        f"raku-license-spdx (FSF Free/Libre)",
            "exceptions": f"npm spdx-exceptions {exceptions_version}",
            "license": "SPDX License List data: CC0-1.0 (spdx-license-list, spdx-license-ids), "
                       "CC-BY-3.0 (spdx-exceptions)",
        },
        "licenses": licenses,
        "exceptions": {e: {"deprecated": e in deprecated_exceptions}
                       for e in sorted(set(exceptions) | set(deprecated_exceptions),
                                       key=str.lower)},
    }
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
