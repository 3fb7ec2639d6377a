#!/usr/bin/env python3
"""Signed reports against independent implementations.

provgate's envelopes are verified by python3-cryptography, with the DSSE pre-authentication
encoding rebuilt here from the specification, and by the openssl command line; an envelope
signed here with python3-cryptography is verified by provgate. Key ids are recomputed from the
OpenSSH public-key encoding. The CLI contract of keygen, check --sign, countersign and verify
(exit codes, nothing written on failure) is checked along the way.

Skipped (exit 77, which CTest reports as skipped) when python3-cryptography or openssl is
missing.
"""
import argparse
import base64
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519
except ImportError:
    print("skipped: python3-cryptography is not installed (apt install python3-cryptography)")
    sys.exit(77)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from pack_digest import pack_digest  # noqa: E402

PAYLOAD_TYPE = "application/vnd.in-toto+json"
FAILURES = []


def check(condition, what):
    if not condition:
        FAILURES.append(what)
        print("FAIL:", what)


def pae(payload_type: bytes, payload: bytes) -> bytes:
    # DSSE v1: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes.
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type, len(payload), payload)


def b64decode_any(text: str) -> bytes:
    text = text.replace("-", "+").replace("_", "/")
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def openssh_key_id(public_key) -> str:
    line = public_key.public_bytes(serialization.Encoding.OpenSSH,
                                   serialization.PublicFormat.OpenSSH)
    blob = base64.b64decode(line.split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def verify_with_cryptography(envelope: dict, public_pem: bytes) -> bool:
    key = serialization.load_pem_public_key(public_pem)
    message = pae(envelope["payloadType"].encode(), b64decode_any(envelope["payload"]))
    sig = b64decode_any(envelope["signatures"][0]["sig"])
    try:
        if isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(sig, message)
        else:
            key.verify(sig, message, ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


def verify_with_openssl(envelope: dict, public_path: str, ed: bool, work: str) -> bool:
    message = os.path.join(work, "pae.bin")
    signature = os.path.join(work, "sig.bin")
    with open(message, "wb") as f:
        f.write(pae(envelope["payloadType"].encode(), b64decode_any(envelope["payload"])))
    with open(signature, "wb") as f:
        f.write(b64decode_any(envelope["signatures"][0]["sig"]))
    if ed:
        cmd = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", public_path, "-rawin",
               "-in", message, "-sigfile", signature]
    else:
        cmd = ["openssl", "dgst", "-sha256", "-verify", public_path, "-signature", signature,
               message]
    return subprocess.run(cmd, capture_output=True).returncode == 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    if shutil.which("openssl") is None:
        print("skipped: the openssl command is not installed (apt install openssl)")
        return 77
    provgate = os.path.abspath(args.provgate)
    example = os.path.join(args.source, "examples", "forum-data-deal", "manifest.json")
    non_compliant = os.path.join(args.source, "examples", "pirated-books-closed", "manifest.json")
    invalid = os.path.join(args.source, "tests", "golden", "cases", "invalid-truncated",
                           "manifest.json")

    def run(*argv, cwd=None):
        return subprocess.run([provgate, *argv], capture_output=True, text=True, cwd=cwd)

    with tempfile.TemporaryDirectory() as work:
        for key_type in ("ecdsa-p256", "ed25519"):
            ed = key_type == "ed25519"
            prefix = os.path.join(work, key_type)
            r = run("keygen", "--out", prefix, "--type", key_type)
            check(r.returncode == 0, f"{key_type}: keygen exit 0 ({r.stderr})")
            check(stat.S_IMODE(os.stat(prefix + ".key").st_mode) == 0o600,
                  f"{key_type}: private key mode 0600")
            check("PRIVATE" not in r.stdout + r.stderr, f"{key_type}: keygen prints no secret")
            r = run("keygen", "--out", prefix, "--type", key_type)
            check(r.returncode == 2, f"{key_type}: keygen refuses to overwrite")
            with open(prefix + ".pub", "rb") as f:
                public_pem = f.read()
            public_key = serialization.load_pem_public_key(public_pem)

            out = os.path.join(work, key_type + ".dsse.json")
            bundle = os.path.join(work, key_type + ".bundle.json")
            r = run("check", example, "--sign", prefix + ".key", "--output", out,
                    "--bundle", bundle)
            check(r.returncode == 0, f"{key_type}: check --sign exit 0 ({r.stderr})")
            with open(out) as f:
                envelope = json.load(f)
            check(envelope["payloadType"] == PAYLOAD_TYPE, f"{key_type}: payload type")
            check(len(envelope["payload"]) % 4 == 0 and "-" not in envelope["payload"] and
                  "_" not in envelope["payload"], f"{key_type}: standard padded base64")
            check(envelope["signatures"][0]["keyid"] == openssh_key_id(public_key),
                  f"{key_type}: keyid is the OpenSSH SHA256 fingerprint")
            check(verify_with_cryptography(envelope, public_pem),
                  f"{key_type}: python3-cryptography verifies provgate's signature")
            check(verify_with_openssl(envelope, prefix + ".pub", ed, work),
                  f"{key_type}: openssl verifies provgate's signature")
            statement = json.loads(b64decode_any(envelope["payload"]))
            check(statement["_type"] == "https://in-toto.io/Statement/v1",
                  f"{key_type}: in-toto Statement v1")
            with open(example, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            check(statement["subject"][0] == {"name": "manifest.json",
                                              "digest": {"sha256": digest}},
                  f"{key_type}: the manifest is the first subject")
            check(statement["predicate"]["verdict"] == "compliant", f"{key_type}: predicate")
            check(statement["predicate"]["policy"]["sha256"] ==
                  pack_digest(os.path.join(args.source, "rules", "default")),
                  f"{key_type}: policy.sha256 is the digest of every file of the pack")
            with open(bundle) as f:
                b = json.load(f)
            check(b["mediaType"] == "application/vnd.dev.sigstore.bundle.v0.3+json" and
                  b["dsseEnvelope"]["signatures"] == envelope["signatures"] and
                  b["verificationMaterial"]["tlogEntries"] == [],
                  f"{key_type}: Sigstore bundle v0.3 carries the envelope")

            # A signature changed by one bit fails in the independent verifiers too.
            tampered = json.loads(json.dumps(envelope))
            sig = bytearray(b64decode_any(tampered["signatures"][0]["sig"]))
            sig[len(sig) // 2] ^= 1
            tampered["signatures"][0]["sig"] = base64.b64encode(bytes(sig)).decode()
            check(not verify_with_cryptography(tampered, public_pem),
                  f"{key_type}: python3-cryptography rejects a changed signature")

            # provgate verifies an envelope signed by python3-cryptography over its payload.
            if ed:
                other = ed25519.Ed25519PrivateKey.generate()
                raw_sig = other.sign(pae(PAYLOAD_TYPE.encode(), b64decode_any(envelope["payload"])))
            else:
                other = ec.generate_private_key(ec.SECP256R1())
                raw_sig = other.sign(pae(PAYLOAD_TYPE.encode(), b64decode_any(envelope["payload"])),
                                     ec.ECDSA(hashes.SHA256()))
            other_pub = os.path.join(work, key_type + "-python.pub")
            with open(other_pub, "wb") as f:
                f.write(other.public_key().public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
            foreign = {"payloadType": PAYLOAD_TYPE, "payload": envelope["payload"],
                       "signatures": [{"sig": base64.urlsafe_b64encode(raw_sig).decode().rstrip("=")}]}
            foreign_path = os.path.join(work, key_type + "-python.dsse.json")
            with open(foreign_path, "w") as f:
                json.dump(foreign, f)
            r = run("verify", foreign_path, "--key", other_pub, "--manifest", example)
            check(r.returncode == 0, f"{key_type}: provgate verifies python3-cryptography's "
                                     f"envelope ({r.stderr})")
            r = run("verify", foreign_path, "--key", prefix + ".pub")
            check(r.returncode == 1 and "unknown key or bad signature" in r.stderr,
                  f"{key_type}: another key does not verify it ({r.stderr})")

        # Countersigning with the other key type, and the threshold.
        env = os.path.join(work, "ecdsa-p256.dsse.json")
        lab_key = ["--key", os.path.join(work, "ecdsa-p256.pub")]
        r = run("countersign", os.path.join(work, "ed25519.key"), env, *lab_key)
        check(r.returncode == 0, f"countersign exit 0 ({r.stderr})")
        keys = ["--key", os.path.join(work, "ecdsa-p256.pub"),
                "--key", os.path.join(work, "ed25519.pub")]
        r = run("verify", env, *keys, "--threshold", "2")
        check(r.returncode == 0 and r.stdout.count("SHA256:") == 2,
              f"verify --threshold 2 with both signers ({r.stderr})")
        r = run("countersign", os.path.join(work, "ed25519.key"), env, *lab_key)
        check(r.returncode == 2, "countersign twice with one key is refused")

        # Exit codes and nothing written on failure.
        key = os.path.join(work, "ed25519.key")
        for argv, code, what in [
            (["check", invalid, "--sign", key, "--output", "x.json"], 2, "invalid manifest"),
            (["check", example, "--sign", os.path.join(work, "absent.key"), "--output", "x.json"],
             3, "missing key"),
            (["check", example, "--sign", os.path.join(work, "ed25519.pub"), "--output",
              "x.json"], 3, "public key given to --sign"),
            (["check", example, "--sign", key, "--format", "text", "--output", "x.json"], 2,
             "--sign with --format text"),
            (["check", example, "--bundle", "b.json", "--output", "x.json"], 2,
             "--bundle without --sign"),
        ]:
            r = run(*argv, cwd=work)
            check(r.returncode == code, f"{what}: exit {code}, got {r.returncode} ({r.stderr})")
            check(not os.path.exists(os.path.join(work, "x.json")), f"{what}: nothing written")
        loose = os.path.join(work, "loose.key")
        shutil.copy(key, loose)
        os.chmod(loose, 0o644)
        r = run("check", example, "--sign", loose, "--output", "x.json", cwd=work)
        check(r.returncode == 3 and "chmod 600" in r.stderr and "PRIVATE" not in r.stderr,
              f"a group-readable key is refused ({r.stderr})")
        check(not os.path.exists(os.path.join(work, "x.json")), "loose key: nothing written")

        # A non-compliant report is signed too: the verdict is inside.
        bad = os.path.join(work, "non-compliant.dsse.json")
        r = run("check", non_compliant, "--sign", key, "--output", bad)
        check(r.returncode == 1 and os.path.exists(bad),
              f"signing a non-compliant report: exit 1, envelope written ({r.stderr})")
        r = run("verify", bad, "--key", os.path.join(work, "ed25519.pub"))
        check(r.returncode == 0 and "non-compliant" in r.stdout, "its verdict is non-compliant")

        # verify's failure causes and exit codes.
        pub = os.path.join(work, "ed25519.pub")
        good = os.path.join(work, "ed25519.dsse.json")
        with open(good) as f:
            envelope = json.load(f)

        def variant(name, change):
            doc = json.loads(json.dumps(envelope))
            change(doc)
            path = os.path.join(work, name)
            with open(path, "w") as f:
                json.dump(doc, f)
            return path

        def set_payload(doc):
            # Pretty-printed: the same JSON value, but not the bytes that were signed.
            payload = json.dumps(json.loads(b64decode_any(doc["payload"])), indent=1).encode()
            doc["payload"] = base64.b64encode(payload).decode()

        cases = [
            (variant("type.json", lambda d: d.update(payloadType="application/json")), [pub], 1,
             "wrong payload type"),
            (variant("payload.json", set_payload), [pub], 1, "tampered payload"),
            (variant("sig.json", lambda d: d["signatures"][0].update(
                sig=base64.b64encode(b"\x01" * 64).decode())), [pub], 1, "bad signature"),
            (good, [os.path.join(work, "ecdsa-p256-python.pub")], 1, "unknown key"),
            (variant("malformed.json", lambda d: d.pop("signatures")), [pub], 2,
             "malformed envelope"),
            (good, [os.path.join(work, "absent.pub")], 3, "key file"),
        ]
        for path, keys, code, cause in cases:
            argv = ["verify", path]
            for k in keys:
                argv += ["--key", k]
            r = run(*argv)
            check(r.returncode == code and cause in r.stderr,
                  f"verify: {cause}: exit {code}, got {r.returncode}: {r.stderr.strip()}")
        r = run("verify", good, "--key", pub, "--manifest", non_compliant)
        check(r.returncode == 1 and "manifest mismatch" in r.stderr, "verify: manifest mismatch")
        # The same outcomes as JSON on standard output.
        r = run("verify", good, "--key", pub, "--format", "json")
        doc = json.loads(r.stdout)
        check(r.returncode == 0 and doc["verified"] and doc["exit_code"] == 0 and
              doc["signers"][0]["key"] == pub and doc["verdict"] == "compliant",
              f"verify --format json: verified ({r.stdout[:200]})")
        for path, keys, code, cause in cases:
            argv = ["verify", path, "--format", "json"]
            for k in keys:
                argv += ["--key", k]
            r = run(*argv)
            doc = json.loads(r.stdout)
            check(r.returncode == code and not doc["verified"] and doc["exit_code"] == code and
                  cause in doc["cause"], f"verify --format json: {cause}: {doc.get('cause')}")

    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        return 1
    print("ok: signed reports verify in python3-cryptography and openssl, and theirs in provgate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
