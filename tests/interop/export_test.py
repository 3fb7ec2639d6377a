#!/usr/bin/env python3
"""provgate export, through the CLI, over every example manifest (compliant and not).

- CycloneDX: valid against the official CycloneDX 1.6 JSON schema (tests/data/cyclonedx).
- SPDX 3: conforms to the SPDX 3.0.1 model and expands with its context (spdx3_check.py).
- Both say what the manifest says, read here from the manifest itself: the model, one data
  element per source with its id, licence, digest and URI, the stages' sources as the model's
  dependencies (CycloneDX) or trainedOn relationships (SPDX), the lineage; and what the check
  says: the verdict, and the findings (rule, subject, reason) and obligations of
  `provgate check --format json` run with the same options.
- Deterministic (two exports, the same bytes), exit 0 whatever the verdict, 2 for invalid
  input, the output written atomically and never over an input.
- The validators themselves reject documents broken on purpose, so that a pass means something.

Exits 77 (skipped) without python3-jsonschema, python3-rdflib or python3-pyld.
"""
import argparse
import collections
import copy
import glob
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

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import spdx3_check  # noqa: E402  (exits 77 without rdflib and pyld)

DATE = "2026-03-01"
SPDX = "https://spdx.org/rdf/3.0.1/terms/"

failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


def expect(condition, message):
    if not condition:
        fail(message)
    return condition


def run(provgate, args, cwd=None):
    return subprocess.run([provgate] + args, cwd=cwd, capture_output=True, text=True, timeout=300)


def read_manifest(path):
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    sources = manifest["sources"]
    if isinstance(sources, dict):
        side = os.path.join(os.path.dirname(path), sources["jsonl"])
        with open(side, encoding="utf-8") as f:
            sources = [json.loads(line) for line in f if line.strip()]
    return manifest["model"], sources


def stage_source_ids(model, sources):
    """The ids of the sources some stage uses, in the order the stages name them."""
    if "stages" not in model:
        ids = [s["id"] for s in sources]
    else:
        ids = []
        for stage in model["stages"]:
            for entry in stage["sources"]:
                ids.append(entry if isinstance(entry, str) else entry["id"])
    known = {s["id"] for s in sources}
    out = []
    for i in ids:
        if i in known and i not in out:
            out.append(i)
    return out


def finding_keys(findings):
    return collections.Counter((f["rule"], f["subject"], f.get("reason", "")) for f in findings)


def cyclonedx_validator(source):
    folder = os.path.join(source, "tests", "data", "cyclonedx")
    store = {}
    for name in ("bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            schema = json.load(f)
        store[schema["$id"]] = schema
    bom = store["http://cyclonedx.org/schema/bom-1.6.schema.json"]
    resolver = jsonschema.RefResolver.from_schema(bom, store=store)
    return jsonschema.Draft7Validator(bom, resolver=resolver,
                                      format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def schema_errors(validator, document):
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(document))


def properties(items):
    return {p["name"]: p["value"] for p in items or []}


def check_cyclonedx(name, bom, model, sources, report):
    meta = bom["metadata"]
    component = meta["component"]
    expect(component["type"] == "machine-learning-model" and component["name"] == model["id"],
           f"{name}: the BOM's component is the model {model['id']}")
    if "license" in model.get("release", {}):
        expect(component.get("licenses") in ([{"expression": model["release"]["license"]}],
                                             [{"license": {"name": model["release"]["license"]}}]),
               f"{name}: the model's licence is its release licence")
    data = [c for c in bom.get("components", []) if c["type"] == "data"]
    expect([c["name"] for c in data] == [s["id"] for s in sources],
           f"{name}: one data component per source, in manifest order")
    refs = {}
    for c, s in zip(data, sources):
        refs.setdefault(s["id"], c["bom-ref"])
        if "license" in s:
            expect(c.get("licenses") in ([{"expression": s["license"]}],
                                         [{"license": {"name": s["license"]}}]),
                   f"{name}: source {s['id']} keeps its licence {s['license']}")
        else:
            expect("licenses" not in c, f"{name}: source {s['id']} has no licence, none invented")
        if "digest" in s:
            expect(c.get("hashes") == [{"alg": "SHA-256", "content": s["digest"]["sha256"]}],
                   f"{name}: source {s['id']} keeps its digest")
        if "uri" in s:
            expect(c["data"][0].get("contents", {}).get("url") == s["uri"],
                   f"{name}: source {s['id']} keeps its URI")
        props = properties(c.get("properties"))
        expect(props.get("provgate:kind") == s["kind"], f"{name}: source {s['id']} keeps its kind")
        basis = s.get("permission", {}).get("basis")
        if basis:
            expect(props.get("provgate:permission/basis") == basis,
                   f"{name}: source {s['id']} keeps its basis")
    deps = {d["ref"]: d.get("dependsOn", []) for d in bom.get("dependencies", [])}
    model_deps = deps.get(component["bom-ref"], [])
    used = [refs[i] for i in stage_source_ids(model, sources)]
    expect([d for d in model_deps if d.startswith("source:")] == used,
           f"{name}: the model depends on the sources its stages use: {model_deps} vs {used}")
    upstream = {c["name"]: c["bom-ref"] for c in bom.get("components", [])
                if c["type"] == "machine-learning-model"}
    for entry in model.get("lineage", []):
        expect(entry["model"] in upstream and upstream[entry["model"]] in model_deps,
               f"{name}: the model depends on its upstream model {entry['model']}")
    props = properties(meta.get("properties"))
    expect(props.get("provgate:report/verdict") == report["verdict"],
           f"{name}: the verdict is the check's ({report['verdict']})")
    exported = []
    i = 0
    while f"provgate:report/findings/{i}/rule" in props:
        prefix = f"provgate:report/findings/{i}/"
        exported.append({"rule": props[prefix + "rule"], "subject": props[prefix + "subject"],
                         "reason": props.get(prefix + "reason", "")})
        i += 1
    expect(finding_keys(exported) == finding_keys(report["findings"]),
           f"{name}: the findings are the check's")
    expect(len(bom.get("annotations", [])) == len(report["findings"]),
           f"{name}: one annotation per finding")
    count = sum(1 for k in props if k.startswith("provgate:report/obligations/") and
                k.endswith("/kind"))
    expect(count == len(report.get("obligations", [])), f"{name}: the obligations are the check's")


def spdx_graph(path, context):
    import rdflib
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    doc["@context"] = context
    g = rdflib.Graph()
    g.parse(data=json.dumps(doc), format="json-ld")
    return g


def check_spdx(name, path, context, model, sources, report):
    import rdflib
    from rdflib.namespace import RDF
    g = spdx_graph(path, context)
    core = lambda p: rdflib.URIRef(SPDX + "Core/" + p)  # noqa: E731
    ai_packages = list(g.subjects(RDF.type, rdflib.URIRef(SPDX + "AI/AIPackage")))
    names = {str(g.value(s, core("name"))): s for s in ai_packages}
    expect(model["id"] in names, f"{name}: the model is an ai_AIPackage")
    model_node = names.get(model["id"])
    datasets = list(g.subjects(RDF.type, rdflib.URIRef(SPDX + "Dataset/DatasetPackage")))
    by_name = collections.defaultdict(list)
    for d in datasets:
        by_name[str(g.value(d, core("name")))].append(d)
    expect(sorted(by_name) == sorted({s["id"] for s in sources}) and
           len(datasets) == len(sources), f"{name}: one dataset_DatasetPackage per source")

    def related(source, rtype):
        out = []
        for r in g.subjects(core("from"), source):
            if g.value(r, core("relationshipType")) == rdflib.URIRef(
                    SPDX + "Core/RelationshipType/" + rtype):
                out.extend(g.objects(r, core("to")))
        return out

    trained = set(related(model_node, "trainedOn")) if model_node is not None else set()
    expect({str(g.value(d, core("name"))) for d in trained} ==
           set(stage_source_ids(model, sources)),
           f"{name}: the model is trainedOn the sources its stages use")
    # The element of each source, in manifest order (ids may repeat): `<namespace>/source/<i>`.
    ordered = sorted(datasets, key=lambda d: int(str(d).rsplit("/", 1)[1]))
    for s, node in zip(sources, ordered):
        expect(str(g.value(node, core("name"))) == s["id"],
               f"{name}: source {s['id']} is the element of its position")
        licenses = [str(g.value(l, rdflib.URIRef(SPDX + "SimpleLicensing/licenseExpression")))
                    for l in related(node, "hasDeclaredLicense")]
        expect(licenses == ([s["license"]] if "license" in s else []),
               f"{name}: source {s['id']} declares its licence")
        if "digest" in s:
            hashes = [str(g.value(h, core("hashValue"))) for h in g.objects(node, core("verifiedUsing"))]
            expect(hashes == [s["digest"]["sha256"]], f"{name}: source {s['id']} keeps its digest")
    upstream = {str(g.value(r, core("name"))) for r in ai_packages} - {model["id"]}
    for entry in model.get("lineage", []):
        expect(entry["model"] in upstream, f"{name}: upstream {entry['model']} is an ai_AIPackage")

    def extension(node):
        out = {}
        for ext in g.objects(node, core("extension")):
            for entry in g.objects(ext, rdflib.URIRef(SPDX + "Extension/cdxProperty")):
                out[str(g.value(entry, rdflib.URIRef(SPDX + "Extension/cdxPropName")))] = str(
                    g.value(entry, rdflib.URIRef(SPDX + "Extension/cdxPropValue")))
        return out

    annotations = [extension(a) for a in g.subjects(RDF.type, core("Annotation"))]
    verdicts = [a["provgate:report/verdict"] for a in annotations if "provgate:report/verdict" in a]
    expect(verdicts == [report["verdict"]], f"{name}: one verdict annotation, the check's")
    exported = [{"rule": a["provgate:finding/rule"], "subject": a["provgate:finding/subject"],
                 "reason": a.get("provgate:finding/reason", "")}
                for a in annotations if "provgate:finding/rule" in a]
    expect(finding_keys(exported) == finding_keys(report["findings"]),
           f"{name}: the findings are the check's")
    obligations = [a for a in annotations if "provgate:obligation/kind" in a]
    expect(len(obligations) == len(report.get("obligations", [])),
           f"{name}: the obligations are the check's")


def example_manifests(source):
    found = sorted(glob.glob(os.path.join(source, "examples", "**", "manifest.json"),
                             recursive=True))
    return [p for p in found if "/expected/" not in p]


def broken_documents_are_rejected(validator, model, loader, context, bom, spdx_path, work):
    """The validators catch what they are there to catch."""
    for label, mutate in [
        ("the model component without its type", lambda b: b["metadata"]["component"].pop("type")),
        ("a data component of a type CycloneDX does not have",
         lambda b: b["components"][0].__setitem__("type", "dataset")),
        ("a property without a name", lambda b: b["metadata"]["properties"][0].pop("name")),
    ]:
        broken = copy.deepcopy(bom)
        mutate(broken)
        expect(schema_errors(validator, broken), f"the CycloneDX schema rejects {label}")

    with open(spdx_path, encoding="utf-8") as f:
        doc = json.load(f)

    def find(d, type_name):
        return next(n for n in d["@graph"] if n.get("type") == type_name)

    mutations = [
        ("a DatasetPackage without its required datasetType",
         lambda d: find(d, "dataset_DatasetPackage").pop("dataset_datasetType")),
        ("a property the context does not define",
         lambda d: find(d, "ai_AIPackage").__setitem__("software_primaryPurpse", "model")),
        ("a property the class does not have",
         lambda d: find(d, "Relationship").__setitem__("dataset_datasetSize", 3)),
        ("an abstract class", lambda d: find(d, "Tool").__setitem__("type", "Artifact")),
        ("a relationship type that does not exist",
         lambda d: find(d, "Relationship").__setitem__("relationshipType", "trainedBy")),
        ("a relationship without its target", lambda d: find(d, "Relationship").pop("to")),
        ("a creation date that is not a timestamp",
         lambda d: find(d, "CreationInfo").__setitem__("created", "2026-03-01")),
        ("a reference to an element that is not there",
         lambda d: find(d, "Relationship").__setitem__("from", "urn:provgate:nowhere")),
        ("an annotation with two subjects",
         lambda d: find(d, "Annotation").__setitem__("subject", [find(d, "ai_AIPackage")["spdxId"],
                                                                find(d, "Tool")["spdxId"]])),
    ]
    for label, mutate in mutations:
        broken = copy.deepcopy(doc)
        mutate(broken)
        path = os.path.join(work, "broken.spdx.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(broken, f)
        expect(spdx3_check.check_document(model, loader, context, path),
               f"the SPDX check rejects {label}")


def cli_behaviour(provgate, source, work):
    example = os.path.join(source, "examples", "nc-data-commercial")
    # Exit 0 although the verdict is non-compliant.
    out = os.path.join(work, "nc.cdx.json")
    r = run(provgate, ["export", "cyclonedx", "manifest.json", "--date", DATE, "--output", out],
            cwd=example)
    expect(r.returncode == 0 and os.path.exists(out),
           f"export of a non-compliant manifest exits 0 and writes: {r.returncode} {r.stderr}")
    # Without --date: the release date; without either: 1970-01-01 (never the clock).
    r = run(provgate, ["export", "cyclonedx", "manifest.json"], cwd=example)
    expect(r.returncode == 0 and json.loads(r.stdout)["metadata"]["timestamp"] ==
           "2026-09-01T00:00:00Z", "without --date the release date is the creation date")
    bare = os.path.join(work, "bare.json")
    with open(bare, "w", encoding="utf-8") as f:
        json.dump({"manifest_version": "1",
                   "model": {"id": "lab/m", "release": {"weights": "unreleased"}},
                   "sources": [{"id": "own", "kind": "first-party",
                                "permission": {"basis": "first-party"}}]}, f)
    r = run(provgate, ["export", "spdx3", bare])
    created = [n for n in json.loads(r.stdout)["@graph"] if n.get("type") == "CreationInfo"]
    expect(r.returncode == 0 and created[0]["created"] == "1970-01-01T00:00:00Z",
           f"without any date the document says 1970-01-01: {r.stderr}")
    r = run(provgate, ["export", "spdx3", bare, "--namespace", "https://lab.example/spdx/m1"])
    ids = [n.get("spdxId", "") for n in json.loads(r.stdout)["@graph"] if "spdxId" in n]
    expect(r.returncode == 0 and ids and all(i.startswith("https://lab.example/spdx/m1/")
                                             for i in ids), "--namespace starts every element id")
    # Invalid input: exit 2, nothing written.
    bad = os.path.join(work, "bad.json")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('{"manifest_version": "1", "model": {"id": ""}, "sources": []}')
    target = os.path.join(work, "never.json")
    for args, label in [
        (["export", "cyclonedx", bad, "--output", target], "an invalid manifest"),
        (["export", "spdx3", os.path.join(work, "missing.json"), "--output", target],
         "a missing manifest"),
        (["export", "sbom", bare, "--output", target], "an unknown format"),
        (["export", "spdx3", bare, "--namespace", "not an iri", "--output", target],
         "a namespace that is not an IRI"),
        (["export", "spdx3", bare, "--date", "2026-02-30", "--output", target], "a bad date"),
        (["export", "spdx3", bare, "--output", bare], "the manifest as the output"),
    ]:
        r = run(provgate, args)
        expect(r.returncode == 2 and not os.path.exists(target),
               f"{label}: exit 2 and nothing written (got {r.returncode}: {r.stderr.strip()})")
    with open(bare, encoding="utf-8") as f:
        expect(json.load(f)["model"]["id"] == "lab/m", "the manifest named as output is intact")
    # An existing output is replaced whole.
    with open(target, "w", encoding="utf-8") as f:
        f.write("x" * 100000)
    r = run(provgate, ["export", "cyclonedx", bare, "--output", target])
    with open(target, encoding="utf-8") as f:
        expect(r.returncode == 0 and json.load(f)["bomFormat"] == "CycloneDX",
               "an existing output is replaced by the document")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    provgate = os.path.abspath(args.provgate)
    validator = cyclonedx_validator(args.source)
    model = spdx3_check.Model(os.path.join(args.source, "tests/data/spdx3/spdx-model.ttl"))
    loader, context = spdx3_check.local_loader(
        os.path.join(args.source, "tests/data/spdx3/spdx-context.jsonld"))
    manifests = example_manifests(args.source)
    expect(len(manifests) >= 15, f"the examples are found ({len(manifests)})")
    verdicts = collections.Counter()
    last = None
    with tempfile.TemporaryDirectory() as work:
        for path in manifests:
            name = os.path.relpath(path, args.source)
            folder = os.path.dirname(path)
            check = run(provgate, ["check", "manifest.json", "--format", "json", "--date", DATE],
                        cwd=folder)
            if check.returncode not in (0, 1):
                fail(f"{name}: check exits {check.returncode}: {check.stderr}")
                continue
            report = json.loads(check.stdout)
            verdicts[report["verdict"]] += 1
            m, sources = read_manifest(path)
            outputs = {}
            for fmt in ("cyclonedx", "spdx3"):
                out = os.path.join(work, f"{len(outputs)}-{fmt}.json")
                r = run(provgate, ["export", fmt, "manifest.json", "--date", DATE,
                                   "--output", out], cwd=folder)
                if not expect(r.returncode == 0, f"{name}: export {fmt} exits {r.returncode}: "
                                                 f"{r.stderr}"):
                    continue
                again = run(provgate, ["export", fmt, "manifest.json", "--date", DATE],
                            cwd=folder)
                with open(out, encoding="utf-8") as f:
                    text = f.read()
                expect(again.stdout == text, f"{name}: export {fmt} is deterministic")
                outputs[fmt] = (out, json.loads(text))
            if "cyclonedx" in outputs:
                bom = outputs["cyclonedx"][1]
                for e in schema_errors(validator, bom):
                    fail(f"{name}: CycloneDX schema: {e}")
                check_cyclonedx(name, bom, m, sources, report)
            if "spdx3" in outputs:
                for p in spdx3_check.check_document(model, loader, context, outputs["spdx3"][0]):
                    fail(f"{name}: SPDX 3.0.1 model: {p}")
                check_spdx(name, outputs["spdx3"][0], context, m, sources, report)
            if len(outputs) == 2:
                last = (outputs["cyclonedx"][1], outputs["spdx3"][0])
        expect(verdicts["compliant"] > 0 and verdicts["non-compliant"] > 0,
               f"compliant and non-compliant examples are exported: {dict(verdicts)}")
        if expect(last is not None, "some example was exported"):
            broken_documents_are_rejected(validator, model, loader, context, last[0], last[1],
                                          work)
        cli_behaviour(provgate, args.source, work)
    print(f"{len(manifests)} manifests exported; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
