#!/usr/bin/env python3
"""Prints the digest of a rule pack as reports record it in policy.sha256.

SHA-256 over, for each file under DIR in byte order of its relative path (with '/'):
the path, NUL, the content length in decimal, NUL, the content.
  scripts/pack_digest.py rules/default
"""
import hashlib
import os
import sys


def pack_digest(root: str) -> str:
    files = []
    for directory, _, names in os.walk(root):
        for name in names:
            path = os.path.join(directory, name)
            files.append((os.path.relpath(path, root).replace(os.sep, "/").encode(), path))
    digest = hashlib.sha256()
    for relative, path in sorted(files):
        with open(path, "rb") as f:
            content = f.read()
        digest.update(relative + b"\0" + str(len(content)).encode() + b"\0")
        digest.update(content)
    return digest.hexdigest()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(pack_digest(sys.argv[1]))
