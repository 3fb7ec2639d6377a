#!/usr/bin/env python3
"""Checks that every schema in schemas/ is a valid JSON Schema 2020-12 document, that the
default rule pack's YAML files satisfy schemas/rule-pack.schema.json, and that the waiver files
of the golden cases agree with schemas/waivers.schema.json.

Skipped (exit 77, which CTest reports as skipped) when python3-jsonschema or python3-yaml is
not installed."""
import glob
import json
import os
import sys

try:
    import jsonschema
    import yaml
except ImportError as missing:
    print(f"skipped: {missing.name} is not installed "
          "(apt-get install python3-jsonschema python3-yaml)")
    sys.exit(77)


def main():
    schemas_dir, pack_dir = sys.argv[1], sys.argv[2]
    count = 0
    for path in sorted(glob.glob(os.path.join(schemas_dir, "*.schema.json"))):
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        count += 1
    if count == 0:
        print(f"no *.schema.json in {schemas_dir}")
        return 1
    with open(os.path.join(schemas_dir, "rule-pack.schema.json"), encoding="utf-8") as f:
        pack_schema = json.load(f)
    def validator(name):
        schema = dict(pack_schema, **{"$ref": f"#/$defs/{name}"})
        return jsonschema.Draft202012Validator(schema)
    with open(os.path.join(pack_dir, "pack.yaml"), encoding="utf-8") as f:
        pack = yaml.safe_load(f)
    errors = [f"pack.yaml: {e.message}" for e in validator("pack").iter_errors(pack)]
    for rule_file in pack.get("rules", []):
        with open(os.path.join(pack_dir, rule_file), encoding="utf-8") as f:
            rule = yaml.safe_load(f)
        errors += [f"{rule_file}: {e.message}" for e in validator("rule").iter_errors(rule)]
    for key, definition in (("licenses", "licenses"), ("open_weights", "openWeights")):
        if key in pack:
            with open(os.path.join(pack_dir, pack[key]), encoding="utf-8") as f:
                data = yaml.safe_load(f)
            errors += [f"{pack[key]}: {e.message}" for e in validator(definition).iter_errors(data)]
    # The waiver files of the golden cases: the schema accepts exactly those provgate accepts.
    # YAML is read with every scalar as text, as provgate reads it (dates stay strings).
    with open(os.path.join(schemas_dir, "waivers.schema.json"), encoding="utf-8") as f:
        waivers_validator = jsonschema.Draft202012Validator(json.load(f))
    cases = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden", "cases",
                         "waivers")
    expected = {"valid.yaml": True, "expired.yaml": True, "unused.yaml": True,
                "missing-fields.yaml": False, "p2.yaml": False}
    for name, valid in expected.items():
        with open(os.path.join(cases, name), encoding="utf-8") as f:
            data = yaml.load(f, Loader=yaml.BaseLoader)
        problems = list(waivers_validator.iter_errors(data))
        if bool(problems) == valid:
            errors.append(f"waivers/{name}: the schema " +
                          ("rejects it: " + problems[0].message if problems else "accepts it") +
                          (", provgate accepts it" if valid else ", provgate rejects it"))
    if errors:
        print("\n".join(errors))
        return 1
    print(f"{count} schemas valid; default pack matches rule-pack.schema.json; waiver files "
          "agree with waivers.schema.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
