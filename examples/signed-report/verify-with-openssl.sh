#!/bin/sh
# Verifies the signatures of report.dsse.json without provgate: python3 only decodes the JSON
# and base64, openssl checks each signature over the DSSE pre-authentication encoding, and
# sha256sum compares the manifest with the statement's first subject.
#   sh verify-with-openssl.sh [ENVELOPE] [MANIFEST]
set -eu
cd "$(dirname "$0")"
envelope=${1:-report.dsse.json}
manifest=${2:-manifest.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The payload, and the pre-authentication encoding the signatures cover:
#   "DSSEv1" SP len(payloadType) SP payloadType SP len(payload) SP payload   (lengths in bytes)
python3 - "$envelope" "$work" <<'PY'
import base64, json, sys
envelope, work = sys.argv[1], sys.argv[2]
doc = json.load(open(envelope))
payload = base64.b64decode(doc["payload"])
ptype = doc["payloadType"].encode()
open(f"{work}/payload.json", "wb").write(payload)
open(f"{work}/pae.bin", "wb").write(b"DSSEv1 %d %s %d %s" % (len(ptype), ptype, len(payload), payload))
for i, s in enumerate(doc["signatures"]):
    open(f"{work}/sig{i}.bin", "wb").write(base64.b64decode(s["sig"]))
statement = json.loads(payload)
print("payload type:", doc["payloadType"])
print("statement:   ", statement["_type"], statement["predicateType"])
print("model:       ", statement["predicate"]["model"]["id"], "verdict", statement["predicate"]["verdict"])
open(f"{work}/subject", "w").write(statement["subject"][0]["digest"]["sha256"])
PY

# Lab: ECDSA P-256 with SHA-256, DER signature.
openssl dgst -sha256 -verify keys/lab.pub -signature "$work/sig0.bin" "$work/pae.bin"
# Auditor: Ed25519 over the message itself.
openssl pkeyutl -verify -pubin -inkey keys/auditor.pub -rawin -in "$work/pae.bin" \
  -sigfile "$work/sig1.bin"

# The manifest is the statement's first subject.
actual=$(sha256sum "$manifest" | cut -d' ' -f1)
if [ "$actual" = "$(cat "$work/subject")" ]; then
  echo "manifest:     $manifest matches the signed subject (sha256 $actual)"
else
  echo "manifest:     $manifest does NOT match the signed subject" >&2
  exit 1
fi
