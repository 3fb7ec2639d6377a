#!/usr/bin/env python3
"""Checks an SPDX 3.0.1 JSON-LD document against the SPDX 3.0.1 model.

The model is the specification's SHACL/OWL file (tests/data/spdx3/spdx-model.ttl), read with
rdflib; the document is expanded with the official JSON-LD context (spdx-context.jsonld, served
locally for its URL) by pyld, and read into an RDF graph. Then:

- every key and every type name of the compact document is a term of the context (a term the
  context does not define would be dropped silently by expansion);
- every node's types are classes of the model, and none is abstract;
- every property of a node is one that the node's class or one of its superclasses declares;
- each property shape holds: minCount (required properties), maxCount, datatype, the value's
  node kind, sh:class (the referenced node, in the document, has that class or a subclass),
  sh:in (enumerations) and sh:pattern;
- every element referenced is in the document.

Usage: spdx3_check.py --model spdx-model.ttl --context spdx-context.jsonld DOC.json...
Exits 0 when every document conforms, 1 with the problems listed otherwise, 77 when rdflib or
pyld is missing (Debian: python3-rdflib python3-pyld).
"""
import argparse
import json
import re
import sys

try:
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
    from pyld import jsonld
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"skipped: {e} (apt-get install python3-rdflib python3-pyld)")
    sys.exit(77)

CONTEXT_URL = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
SPDX = "https://spdx.org/rdf/3.0.1/terms/"


class Model:
    """The classes of the SHACL model with their property shapes, inherited ones included."""

    def __init__(self, ttl_path):
        g = rdflib.Graph()
        g.parse(ttl_path, format="turtle")
        self.g = g
        self.classes = {c for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(SPDX)}
        self.abstract = set()
        self.shapes = {}  # class -> [shape dict]
        for c in self.classes:
            shapes = []
            for p in g.objects(c, SH.property):
                path = g.value(p, SH.path)
                if path == RDF.type:
                    # `sh:not [sh:hasValue C]` on rdf:type: C is abstract.
                    for n in g.objects(p, SH["not"]):
                        if g.value(n, SH.hasValue) == c:
                            self.abstract.add(c)
                    continue
                shape = {
                    "path": path,
                    "min": int(g.value(p, SH.minCount) or 0),
                    "max": int(g.value(p, SH.maxCount)) if g.value(p, SH.maxCount) else None,
                    "datatype": g.value(p, SH.datatype),
                    "class": g.value(p, SH["class"]),
                    "kind": g.value(p, SH.nodeKind),
                    "pattern": g.value(p, SH.pattern),
                    "in": None,
                }
                lst = g.value(p, SH["in"])
                if lst is not None:
                    shape["in"] = set(rdflib.collection.Collection(g, lst))
                shapes.append(shape)
            self.shapes[c] = shapes

    def supers(self, c):
        out, todo = [], [c]
        while todo:
            x = todo.pop()
            if x in out:
                continue
            out.append(x)
            todo.extend(self.g.objects(x, RDFS.subClassOf))
        return out

    def is_subclass(self, c, of):
        return of in self.supers(c)

    def all_shapes(self, c):
        return [s for x in self.supers(c) for s in self.shapes.get(x, [])]


def local_loader(context_path):
    with open(context_path, encoding="utf-8") as f:
        context = json.load(f)

    def load(url, options=None):
        if url != CONTEXT_URL:
            raise jsonld.JsonLdError(f"no remote documents: {url}", "loading document failed")
        return {"contextUrl": None, "documentUrl": url, "document": context}

    return load, context["@context"]


def check_terms(doc, terms, problems):
    """Every key and type name of the compact document is a context term or a keyword."""

    def walk(value, where):
        if isinstance(value, dict):
            for k, v in value.items():
                if not k.startswith("@") and k not in terms:
                    problems.append(f"{where}: '{k}' is not a term of the SPDX 3.0.1 context")
                if k == "type":
                    for t in v if isinstance(v, list) else [v]:
                        if t not in terms:
                            problems.append(f"{where}: type '{t}' is not a term of the context")
                walk(v, f"{where}/{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{where}/{i}")

    walk(doc, "")


def node_kind_ok(value, kind):
    if kind is None:
        return True
    if kind == SH.IRI:
        return isinstance(value, rdflib.URIRef)
    if kind == SH.Literal:
        return isinstance(value, rdflib.Literal)
    if kind == SH.BlankNodeOrIRI:
        return isinstance(value, (rdflib.URIRef, rdflib.BNode))
    return True


def check_document(model, loader, context, path):
    terms = context
    problems = []
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("@context") != CONTEXT_URL:
        problems.append(f"@context is not {CONTEXT_URL}")
    check_terms(doc, terms, problems)
    try:
        expanded = jsonld.expand(doc, {"documentLoader": loader})
    except Exception as e:  # pyld raises its own and other errors
        return [f"does not expand with the official context: {e}"]
    if not expanded:
        return ["expands to nothing"]
    # The graph is read by rdflib's JSON-LD parser with the same context: pyld 2.0.3 expands
    # software_primaryPurpose to a string where the context says a vocabulary IRI (two terms
    # with equal property-scoped contexts confuse its cache), rdflib does not.
    inline = dict(doc)
    inline["@context"] = context
    g = rdflib.Graph()
    try:
        g.parse(data=json.dumps(inline), format="json-ld")
    except Exception as e:
        return [f"rdflib cannot read the document with the official context: {e}"]
    subjects = set(g.subjects())
    typed = {s for s in g.subjects(RDF.type, None)}
    for s in sorted(subjects, key=str):
        types = list(g.objects(s, RDF.type))
        name = str(s)
        if not types:
            problems.append(f"{name}: has no type")
            continue
        shapes = []
        for t in types:
            if t not in model.classes:
                problems.append(f"{name}: type {t} is not a class of the SPDX 3.0.1 model")
            elif t in model.abstract:
                problems.append(f"{name}: type {t} is abstract")
            else:
                shapes.extend(model.all_shapes(t))
        declared = {sh["path"] for sh in shapes}
        for p in set(g.predicates(s, None)):
            if p != RDF.type and p not in declared:
                problems.append(f"{name}: property {p} is not declared by its class")
        for sh in shapes:
            values = list(g.objects(s, sh["path"]))
            if len(values) < sh["min"]:
                problems.append(f"{name}: {sh['path']} is required (at least {sh['min']})")
            if sh["max"] is not None and len(values) > sh["max"]:
                problems.append(f"{name}: {sh['path']} has {len(values)} values, "
                                f"at most {sh['max']} allowed")
            for v in values:
                where = f"{name}: {sh['path']} = {v}"
                if not node_kind_ok(v, sh["kind"]):
                    problems.append(f"{where}: not of node kind {sh['kind']}")
                if sh["datatype"] is not None and isinstance(v, rdflib.Literal):
                    dt = v.datatype or XSD.string
                    if dt != sh["datatype"]:
                        problems.append(f"{where}: datatype {dt}, expected {sh['datatype']}")
                if sh["pattern"] is not None and not re.search(str(sh["pattern"]), str(v)):
                    problems.append(f"{where}: does not match {sh['pattern']}")
                if sh["in"] is not None:
                    if v not in sh["in"]:
                        problems.append(f"{where}: not one of the values the model allows")
                elif sh["class"] is not None and isinstance(v, (rdflib.URIRef, rdflib.BNode)):
                    if v not in typed:
                        problems.append(f"{where}: refers to a node that is not in the document")
                    elif not any(model.is_subclass(t, sh["class"]) for t in g.objects(v, RDF.type)):
                        problems.append(f"{where}: is not a {sh['class']}")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--context", required=True)
    parser.add_argument("documents", nargs="+")
    args = parser.parse_args(argv)
    model = Model(args.model)
    loader, context = local_loader(args.context)
    failed = 0
    for path in args.documents:
        problems = check_document(model, loader, context, path)
        for p in problems:
            print(f"{path}: {p}")
        failed += bool(problems)
    print(f"{len(args.documents)} documents, {failed} not conforming")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
